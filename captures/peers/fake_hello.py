"""fake_hello.py MODE ROLE PORT: minimal fake peers for versions no packaged stack speaks.
Real sockets on 127.0.0.1; hand-built records; no cryptography at all.
  draft28 server|client PORT  TCP. The client sends a TLS 1.3 ClientHello offering only draft 28
      (supported_versions 0x7f1c) with SNI server.tlsauth.test and an X25519 key share; the server
      answers a ServerHello selecting 0x7f1c (supported_versions) with its key share. The client has
      no draft-28 stack: it hangs up (FIN) right after the ServerHello.
  dtlspre server|client PORT  UDP. OpenSSL's pre-standard DTLS (DTLS1_BAD_VER, 0x0100, before
      OpenSSL 0.9.8f): record and handshake versions 0x0100. ClientHello (SNI, no cookie) ->
      ServerHello + Certificate (pki/server-chain.pem) + ServerKeyExchange (P-256, dummy signature)
      + ServerHelloDone in one datagram; the client then sends a close_notify alert and stops."""
import os, socket, ssl, struct, sys

SNI = b'server.tlsauth.test'


def u8(b): return struct.pack('>B', len(b)) + b
def u16(b): return struct.pack('>H', len(b)) + b
def u24(b): return len(b).to_bytes(3, 'big') + b
def ext(t, data): return struct.pack('>H', t) + u16(data)


def sni_ext():
    return ext(0, u16(b'\x00' + u16(SNI)))


def tls_record(ctype, version, body):
    return struct.pack('>BHH', ctype, version, len(body)) + body


def chain_der():
    pem = open('pki/server-chain.pem').read()
    certs = ['-----BEGIN CERTIFICATE-----' + c for c in pem.split('-----BEGIN CERTIFICATE-----')[1:]]
    return [ssl.PEM_cert_to_DER_cert(c) for c in certs]


# ---- TLS 1.3 draft 28 ------------------------------------------------------------------------
DRAFT28 = 0x7f1c


def draft_client_hello():
    exts = (sni_ext()
            + ext(10, u16(struct.pack('>H', 0x001d)))                     # supported_groups x25519
            + ext(13, u16(struct.pack('>HH', 0x0403, 0x0804)))            # signature_algorithms
            + ext(51, u16(struct.pack('>H', 0x001d) + u16(os.urandom(32))))  # key_share
            + ext(43, u8(struct.pack('>H', DRAFT28))))                    # supported_versions
    body = (struct.pack('>H', 0x0303) + os.urandom(32) + u8(os.urandom(32))
            + u16(struct.pack('>HHH', 0x1301, 0x1302, 0x1303)) + u8(b'\x00') + u16(exts))
    return tls_record(22, 0x0301, b'\x01' + u24(body))


def draft_server_hello(session_id):
    exts = (ext(43, struct.pack('>H', DRAFT28))                           # supported_versions
            + ext(51, struct.pack('>H', 0x001d) + u16(os.urandom(32))))   # key_share
    body = (struct.pack('>H', 0x0303) + os.urandom(32) + u8(session_id)
            + struct.pack('>HB', 0x1301, 0) + u16(exts))
    return tls_record(22, 0x0303, b'\x02' + u24(body))


def recv_record(s):
    hdr = b''
    while len(hdr) < 5:
        b = s.recv(5 - len(hdr))
        if not b:
            return None
        hdr += b
    n, data = struct.unpack('>H', hdr[3:5])[0], b''
    while len(data) < n:
        b = s.recv(n - len(data))
        if not b:
            return None
        data += b
    return hdr, data


def draft28(role, port):
    if role == 'server':
        with socket.create_server(('127.0.0.1', port)) as srv:
            conn, _ = srv.accept()
            with conn:
                hdr, ch = recv_record(conn)
                sid = ch[4 + 2 + 32 + 1:4 + 2 + 32 + 1 + ch[4 + 2 + 32]]
                print('server: ClientHello', len(ch), 'bytes; answering draft 28', flush=True)
                conn.sendall(draft_server_hello(sid))
                while conn.recv(4096):  # wait for the client to hang up
                    pass
                print('server: the client closed', flush=True)
    else:
        with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
            s.sendall(draft_client_hello())
            hdr, sh = recv_record(s)
            print('client: ServerHello', len(sh), 'bytes; no draft-28 stack here: closing', flush=True)


# ---- DTLS 0x0100 (OpenSSL's DTLS1_BAD_VER) -------------------------------------------------
PRE = 0x0100


class Dtls:
    def __init__(self):
        self.seq = 0      # record sequence number (epoch 0)
        self.msg_seq = 0  # handshake message_seq

    def record(self, ctype, body):
        r = struct.pack('>BHH', ctype, PRE, 0) + self.seq.to_bytes(6, 'big') + u16(body)
        self.seq += 1
        return r

    def handshake(self, mtype, body):  # one unfragmented message in one record
        hs = (struct.pack('>B', mtype) + len(body).to_bytes(3, 'big') + struct.pack('>H', self.msg_seq)
              + (0).to_bytes(3, 'big') + len(body).to_bytes(3, 'big') + body)
        self.msg_seq += 1
        return self.record(22, hs)


def dtlspre(role, port):
    d = Dtls()
    if role == 'server':
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(('127.0.0.1', port))
            s.settimeout(10)
            ch, peer = s.recvfrom(4096)
            print('server: ClientHello datagram', len(ch), 'bytes', flush=True)
            sh = (struct.pack('>H', PRE) + os.urandom(32) + u8(os.urandom(32))
                  + struct.pack('>HB', 0xc009, 0))              # ECDHE-ECDSA-AES128-SHA, null
            cert = u24(b''.join(u24(c) for c in chain_der()))
            point = b'\x04' + os.urandom(64)                    # dummy P-256 point
            ske = struct.pack('>BH', 3, 0x0017) + u8(point) + u16(os.urandom(71))  # dummy signature
            flight = (d.handshake(2, sh) + d.handshake(11, cert) + d.handshake(12, ske)
                      + d.handshake(14, b''))
            s.sendto(flight, peer)
            alert, _ = s.recvfrom(4096)
            print('server: got', alert.hex(), flush=True)
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            exts = (sni_ext() + ext(10, u16(struct.pack('>H', 0x0017)))   # supported_groups P-256
                    + ext(11, u8(b'\x00')))                                # ec_point_formats
            ch = (struct.pack('>H', PRE) + os.urandom(32) + u8(b'') + u8(b'')  # no session, no cookie
                  + u16(struct.pack('>HH', 0xc009, 0x002f)) + u8(b'\x00') + u16(exts))
            s.sendto(d.handshake(1, ch), ('127.0.0.1', port))
            flight, _ = s.recvfrom(8192)
            print('client: server flight', len(flight), 'bytes; closing with close_notify', flush=True)
            s.sendto(d.record(21, b'\x01\x00'), ('127.0.0.1', port))  # warning close_notify


if __name__ == '__main__':
    mode, role, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {'draft28': draft28, 'dtlspre': dtlspre}[mode](role, port)
