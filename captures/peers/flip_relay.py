"""flip_relay.py LISTEN_PORT TARGET_PORT client|server HS_TYPE|record:N: a TCP relay on 127.0.0.1 for
one connection, between a real TLS client (connecting to LISTEN_PORT) and a real server
(TARGET_PORT), that flips one bit in flight: bit 0 of the last byte of the signature of the first
handshake message of type HS_TYPE (15 CertificateVerify, 12 ServerKeyExchange) sent by that side
(client or server); or, with record:N (TLS 1.3), bit 0 of a byte of the ciphertext of the N-th
encrypted record (outer type application_data) sent by that side. Everything else passes
unchanged, record by record (TCP_NODELAY both ways).
The side's TLS records are parsed (5-byte headers) and its handshake messages reassembled across
records (4-byte headers) until its ChangeCipherSpec: so only plaintext handshake messages (TLS 1.2)
can be changed. The signature is located from the message's structure (TLS 1.2 digitally-signed:
2-byte algorithm, 2-byte length, then the signature at the end of the message; ServerKeyExchange:
ECDHE parameters first); an ECDSA signature's last byte is the last byte of its s integer, so the
DER stays well-formed and only the value is wrong. The original and the sent signature are printed
(hex), for an independent check.
record:N cannot read what it changes: the byte flipped is the one 18 bytes before the record's end,
in front of the 16-byte AEAD tag and the inner content type, which in an unpadded record (OpenSSL's)
encrypts the last byte of the message it carries (a CertificateVerify: of its signature). The tag
no longer matches: the receiver cannot decrypt the record at all. OpenSSL sends one handshake
message per record, so after its ServerHello and ChangeCipherSpec its encrypted records are
EncryptedExtensions (1), Certificate (2), CertificateVerify (3), Finished (4) when it requests no
certificate. The original and the sent record are printed (hex)."""
import select, socket, struct, sys

listen_port, target_port, side, target = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
hs_type = record_no = None
if target.startswith('record:'):
    record_no = int(target[len('record:'):])
else:
    hs_type = int(target)
NAMES = {12: 'ServerKeyExchange', 15: 'CertificateVerify'}
TAG = 16  # AEAD tag of every TLS 1.3 cipher suite but TLS_AES_128_CCM_8_SHA256


def signature_span(msg_type, body):
    """(offset, length, algorithm) of the signature in a handshake message body."""
    off = 0
    if msg_type == 12:  # ECDHEServerParams: curve_type 3 (named_curve), curve, point
        curve_type, _curve, point_len = struct.unpack_from('>BHB', body)
        assert curve_type == 3, 'only ECDHE named-curve parameters are handled'
        off = 4 + point_len
    alg, sig_len = struct.unpack_from('>HH', body, off)
    assert off + 4 + sig_len == len(body), 'the signature does not end the message'
    return off + 4, sig_len, alg


class Flipper:
    """Parses the records of one direction; flips the target message's last signature byte."""

    def __init__(self):
        self.raw = b''           # bytes received, not yet a complete record
        self.hs = bytearray()    # handshake bytes not yet part of a complete message
        self.done = False        # flipped, or past ChangeCipherSpec: forward as is
        self.flipped = False
        self.encrypted = 0       # encrypted records seen (record:N)

    def feed(self, data):
        if self.done:
            return data
        self.raw += data
        out = b''
        while len(self.raw) >= 5 and not self.done:
            ctype, _ver, length = struct.unpack_from('>BHH', self.raw)
            if len(self.raw) < 5 + length:
                break
            rec, self.raw = bytearray(self.raw[:5 + length]), self.raw[5 + length:]
            if record_no is not None:
                if ctype == 23:
                    self.record(rec)
            elif ctype == 20:
                self.done = True
            elif ctype == 22:
                self.handshake(rec)
            out += bytes(rec)
        if self.done:
            out, self.raw = out + self.raw, b''
        return out

    def record(self, rec):
        self.encrypted += 1
        if self.encrypted != record_no:
            return
        at = len(rec) - TAG - 2  # the last byte of the message: before the content type and the tag
        assert at >= 5, 'the record is too short to carry a message'
        original = bytes(rec[5:])
        rec[at] ^= 1
        print(f'{side} encrypted record {record_no}: {len(rec) - 5} bytes; flipped bit 0 of its byte '
              f'{at - 5} (the ciphertext of the last byte of its message)', flush=True)
        print('original record', original.hex(), flush=True)
        print('sent record    ', bytes(rec[5:]).hex(), flush=True)
        self.done = self.flipped = True

    def handshake(self, rec):
        start = len(self.hs)     # where this record's payload begins in self.hs
        self.hs += rec[5:]
        while len(self.hs) >= 4:
            msg_type, length = self.hs[0], int.from_bytes(self.hs[1:4], 'big')
            if len(self.hs) < 4 + length:
                return
            if msg_type == hs_type:
                body = bytes(self.hs[4:4 + length])
                off, sig_len, alg = signature_span(msg_type, body)
                sig = body[off:off + sig_len]
                # the message completes in this record, so its last byte is in it
                rec[5 + 4 + length - 1 - start] ^= 1
                print(f'{side} {NAMES.get(msg_type, msg_type)}: signature algorithm 0x{alg:04x}, '
                      f'{sig_len} bytes; flipped bit 0 of its last byte', flush=True)
                print('original signature', sig.hex(), flush=True)
                print('sent signature    ', (sig[:-1] + bytes([sig[-1] ^ 1])).hex(), flush=True)
                self.done = self.flipped = True
                return
            del self.hs[:4 + length]
            start -= 4 + length


lsock = socket.socket()
lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsock.bind(('127.0.0.1', listen_port))
lsock.listen(1)
down, _ = lsock.accept()
lsock.close()
up = socket.create_connection(('127.0.0.1', target_port))
for s in (down, up):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
src = {down: ('client', up), up: ('server', down)}
flip = Flipper()
open_ = {down, up}
while open_:
    for s in select.select(list(open_), [], [])[0]:
        who, dst = src[s]
        try:
            data = s.recv(65536)
        except ConnectionResetError:
            data = b''
        if not data:  # pass the close on (FIN) and stop reading that side
            print(who, 'closed', flush=True)
            open_.discard(s)
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            continue
        if who == side:
            data = flip.feed(data)
        try:
            dst.sendall(data)
        except OSError:  # the other side is gone (RST): its close is read next
            pass
if not flip.flipped:
    what = f'encrypted record {record_no}' if record_no else NAMES.get(hs_type, hs_type)
    sys.exit(f'no {what} from the {side} was flipped')
