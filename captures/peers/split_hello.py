"""split_hello.py PORT KEYLOG [CUT]: a real TLS 1.2 client (Python's ssl module, OpenSSL
underneath) whose ClientHello goes out in two TLS records, each in a TCP segment of its own.
The SSLObject writes its ClientHello into a memory BIO; this script re-frames that one handshake
record as two records (the first CUT bytes of the message, default half, then the rest), sends
them 0.2 s apart with TCP_NODELAY, then relays the rest of the handshake between the socket and
the SSLObject: the handshake completes for real (CA pki/ca.pem, SNI server.tlsauth.test, key log).
Then one line each way and close_notify."""
import socket, ssl, struct, sys, time

port, keylog = int(sys.argv[1]), sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.load_verify_locations('pki/ca.pem')
ctx.keylog_filename = keylog
inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(inc, out, server_hostname='server.tlsauth.test')


def step(fn, *a):  # run an SSLObject call; True when it completed
    try:
        return fn(*a) if fn != tls.do_handshake else (fn() or True)
    except ssl.SSLWantReadError:
        return None


sock = socket.create_connection(('127.0.0.1', port), timeout=5)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
step(tls.do_handshake)
hello = out.read()
ctype, version, length = struct.unpack('>BHH', hello[:5])
assert ctype == 22 and length == len(hello) - 5, 'expected one handshake record'
msg = hello[5:]
cut = int(sys.argv[3]) if len(sys.argv) > 3 else len(msg) // 2
for part in (msg[:cut], msg[cut:]):
    sock.sendall(struct.pack('>BHH', 22, version, len(part)) + part)
    print('sent a ClientHello record of', len(part), 'bytes', flush=True)
    time.sleep(0.2)


def pump():  # send what the SSLObject wrote; feed it what the socket brings
    data = out.read()
    if data:
        sock.sendall(data)
    if tls.pending():
        return
    data = sock.recv(65536)
    if not data:
        raise SystemExit('server closed')
    inc.write(data)


while step(tls.do_handshake) is None:
    pump()
sock.sendall(out.read())
print('handshake:', tls.version(), tls.cipher()[0], flush=True)
tls.write(b'hello\n')
sock.sendall(out.read())
while True:
    line = step(tls.read, 1024)
    if line:
        print('server says', line, flush=True)
        break
    pump()
try:
    tls.unwrap()
except ssl.SSLWantReadError:
    pass
sock.sendall(out.read())
sock.close()
