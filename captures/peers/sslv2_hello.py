"""sslv2_hello.py PORT: an SSLv2-compatible ClientHello (RFC 5246 appendix E.2) offering TLS 1.2,
sent over a real TCP socket to 127.0.0.1:PORT; then read the server's first flight up to its
ServerHelloDone and hang up (FIN) without sending the client's flight."""
import os, socket, struct, sys, time

port = int(sys.argv[1])
# SSLv2 cipher specs are 3 bytes: TLS suites as 0x00 + their 2-byte code.
suites = [0xc02f, 0xc030, 0x009c, 0x009d, 0x002f, 0x0035, 0x00ff]  # ECDHE-RSA, then RSA key transport; SCSV
specs = b''.join(struct.pack('>BH', 0, s) for s in suites)
challenge = os.urandom(32)
body = struct.pack('>BHHHH', 1, 0x0303, len(specs), 0, len(challenge)) + specs + challenge
# 2-byte record header with the high bit set: no padding, length of the message
hello = struct.pack('>H', 0x8000 | len(body)) + body

def read_record(s):
    hdr = b''
    while len(hdr) < 5:
        b = s.recv(5 - len(hdr))
        if not b:
            return None
        hdr += b
    n = struct.unpack('>H', hdr[3:5])[0]
    data = b''
    while len(data) < n:
        b = s.recv(n - len(data))
        if not b:
            return None
        data += b
    return hdr[0], data

with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
    s.sendall(hello)
    print('sent SSLv2-format ClientHello,', len(hello), 'bytes', flush=True)
    buf = b''
    while True:
        r = read_record(s)
        if r is None:
            print('server closed', flush=True)
            break
        ctype, data = r
        print('record type', ctype, 'length', len(data), flush=True)
        if ctype == 21:
            print('alert', data.hex(), flush=True)
            break
        if ctype == 22:
            buf += data
            # walk the handshake messages; stop at ServerHelloDone (14)
            done = False
            while len(buf) >= 4:
                t, n = buf[0], int.from_bytes(buf[1:4], 'big')
                if len(buf) < 4 + n:
                    break
                print('handshake message', t, 'length', n, flush=True)
                buf = buf[4 + n:]
                done = done or t == 14
            if done:
                break
    time.sleep(0.2)
    print('closing without the client flight', flush=True)
