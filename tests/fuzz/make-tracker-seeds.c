/* Writes the seed corpus of fuzz_tracker: the handshakes of the bundled captures (and the bounds)
 * as event sequences in the harness's input format (see fuzz_tracker.c). Run by make-corpus.sh.
 * Usage: make-tracker-seeds OUT_DIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HS = 0, ENC_HS, CCS, ALERT, ENC_ALERT, APP, OPAQUE, FIN, RST };
/* Indexes into the harness's HS_TYPES, VERSIONS and RECORD_LENGTHS. */
enum { T_HELLO_REQUEST = 0, T_CH, T_SH, T_HVR, T_NST, T_EOED, T_EE, T_CERT, T_SKE, T_CR, T_SHD, T_CV, T_CKE,
       T_FIN, T_CS, T_KU };
enum { V_NONE = 0, V_TLS12 = 4, V_TLS13 = 5, V_DTLS12 = 7 };
enum { R19 = 0, R25, R53, R69, R85, R97, R103, R107, R866, R930, R0, R1, R100, R16401 };
enum { C = 0, S = 1 }; /* senders: the client sends first */

static uint8_t buf[1 << 16];
static size_t len, count_at;
static unsigned events;

static void b(unsigned x) { buf[len++] = (uint8_t)x; }
static void bytes(const char *s, size_t n) { memcpy(buf + len, s, n); len += n; }

static void begin(void)
{
    len = 0;
    b(0x12); b(0x34); b(0x56); b(0x78); /* checker seed */
}

static void frame(void)
{
    b(0); /* the next frame */
    count_at = len;
    b(0);
    events = 0;
}

static void end_frame(unsigned how) { buf[count_at] = (uint8_t)events; b(how); }

static void event(int conn, int kind, int sender)
{
    events++;
    b((unsigned)(conn << 7 | kind));
    b((unsigned)sender);
}

static void simple(int kind, int sender, int record) { event(0, kind, sender); b((unsigned)record); }
static void alert(int sender, int level, int desc) { event(0, ALERT, sender); b((unsigned)level); b((unsigned)desc); b(R0); }

/* A hello: version, SNI, session id of n bytes (0: none), random (hrr: the HelloRetryRequest one),
 * extensions (bit 0 ticket, 1 psk, 2 post-handshake auth, 3 status_request). */
static void hello(int type, int sender, int legacy, int supported, const char *sni, unsigned sid, int hrr, unsigned ext)
{
    event(0, HS, sender);
    b((unsigned)type);
    b(0); /* a hello, no certificates, no OCSP */
    unsigned flags = (supported ? 1 : 0) | (sni ? 2 : 0) | (sid ? 4 : 0) | 16;
    b(flags);
    b((unsigned)legacy);
    if (supported)
        b((unsigned)supported);
    if (sni) {
        size_t n = strlen(sni);
        b(n & 0xFF); b(n >> 8);
        bytes(sni, n);
    }
    if (sid) {
        b(sid);
        for (unsigned i = 0; i < sid; i++)
            b(0xA0 + i);
    }
    b(hrr ? 1 : 0);
    if (!hrr)
        for (unsigned i = 0; i < 32; i++)
            b(i * 7);
    b(ext);
    b(R0);
}

static void message(int sender, int type) { event(0, HS, sender); b((unsigned)type); b(0); b(R0); }

/* A Certificate of n certificates (small fake DER: the checker does not parse them). */
static void certificate(int sender, unsigned n, int ocsp)
{
    event(0, HS, sender);
    b(T_CERT);
    b(ocsp ? 4 : 0);
    b(n);
    b(n);
    for (unsigned i = 0; i < n; i++) {
        b(8);
        bytes("\x30\x06\x02\x01\x01\x02\x01\x02", 8);
    }
    if (ocsp) {
        b(6);
        bytes("\x30\x04\x0a\x01\x00\x00", 6);
    }
    b(R0);
}

static void status(int sender)
{
    event(0, HS, sender);
    b(T_CS);
    b(4);
    b(6);
    bytes("\x30\x04\x0a\x01\x00\x00", 6);
    b(R0);
}

static void save(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static const char *SNI = "server.tlsauth.test";

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make-tracker-seeds OUT_DIR\n");
        return 1;
    }
    const char *out = argv[1];

    /* TLS 1.2, mutual, completed, closed with close_notify. */
    begin();
    frame(); hello(T_CH, C, V_TLS12, 0, SNI, 0, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, 0, NULL, 32, 0, 0); certificate(S, 2, 0); message(S, T_SKE);
    message(S, T_CR); message(S, T_SHD); end_frame(0);
    frame(); certificate(C, 2, 0); message(C, T_CKE); message(C, T_CV); simple(CCS, C, R1); simple(ENC_HS, C, R53);
    end_frame(0);
    frame(); simple(CCS, S, R1); simple(ENC_HS, S, R53); end_frame(0);
    frame(); simple(APP, C, R100); end_frame(0);
    frame(); simple(APP, S, R100); end_frame(0);
    frame(); alert(C, 1, 0); end_frame(0);
    frame(); simple(FIN, C, R0); end_frame(0);
    frame(); alert(S, 1, 0); simple(FIN, S, R0); end_frame(0);
    save(out, "tls12-mutual");

    /* TLS 1.2, the client rejects the server's chain (unknown_ca). */
    begin();
    frame(); hello(T_CH, C, V_TLS12, 0, SNI, 0, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, 0, NULL, 32, 0, 0); certificate(S, 1, 0); message(S, T_SKE);
    message(S, T_SHD); end_frame(0);
    frame(); alert(C, 2, 48); simple(FIN, C, R0); end_frame(0);
    save(out, "tls12-unknown-ca");

    /* TLS 1.2, certificate requested, empty client Certificate, server decode_error. */
    begin();
    frame(); hello(T_CH, C, V_TLS12, 0, SNI, 0, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, 0, NULL, 32, 0, 0); certificate(S, 2, 0); message(S, T_CR);
    message(S, T_SHD); end_frame(0);
    frame(); certificate(C, 0, 0); message(C, T_CKE); simple(CCS, C, R1); simple(ENC_HS, C, R53); end_frame(0);
    frame(); alert(S, 2, 50); simple(RST, S, R0); end_frame(0);
    save(out, "tls12-nocert");

    /* TLS 1.2 with a stapled OCSP response (CertificateStatus). */
    begin();
    frame(); hello(T_CH, C, V_TLS12, 0, SNI, 0, 0, 8); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, 0, NULL, 32, 0, 8); certificate(S, 2, 0); status(S); message(S, T_SKE);
    message(S, T_SHD); end_frame(0);
    frame(); message(C, T_CKE); simple(CCS, C, R1); simple(ENC_HS, C, R53); end_frame(0);
    frame(); simple(CCS, S, R1); simple(ENC_HS, S, R53); end_frame(0);
    frame(); simple(APP, C, R100); simple(APP, S, R100); end_frame(0);
    save(out, "tls12-ocsp");

    /* TLS 1.2 resumed by session id, then a renegotiation in the same connection. */
    begin();
    frame(); hello(T_CH, C, V_TLS12, 0, SNI, 32, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, 0, NULL, 32, 0, 0); simple(CCS, S, R1); simple(ENC_HS, S, R53); end_frame(0);
    frame(); simple(CCS, C, R1); simple(ENC_HS, C, R53); simple(APP, C, R100); end_frame(0);
    frame(); simple(APP, S, R100); end_frame(0);
    frame(); hello(T_CH, C, V_TLS12, 0, SNI, 0, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, 0, NULL, 0, 0, 0); certificate(S, 3, 0); message(S, T_SHD); end_frame(0);
    save(out, "tls12-resumed-renegotiated");

    /* TLS 1.3 with keys: one-way, then post-handshake authentication. */
    begin();
    frame(); hello(T_CH, C, V_TLS12, V_TLS13, SNI, 32, 0, 4); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, V_TLS13, NULL, 32, 0, 0); simple(CCS, S, R1); message(S, T_EE);
    certificate(S, 2, 1); message(S, T_CV); message(S, T_FIN); end_frame(0);
    frame(); simple(CCS, C, R1); message(C, T_FIN); end_frame(0);
    frame(); simple(APP, C, R100); end_frame(0);
    frame(); message(S, T_NST); message(S, T_NST); message(S, T_CR); end_frame(0);
    frame(); certificate(C, 2, 0); message(C, T_CV); message(C, T_FIN); end_frame(0);
    frame(); simple(APP, S, R100); end_frame(0);
    save(out, "tls13-pha");

    /* TLS 1.3 HelloRetryRequest, then a mutual handshake the server rejects. */
    begin();
    frame(); hello(T_CH, C, V_TLS12, V_TLS13, SNI, 32, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, V_TLS13, NULL, 32, 1, 0); end_frame(0);
    frame(); hello(T_CH, C, V_TLS12, V_TLS13, SNI, 32, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, V_TLS13, NULL, 32, 0, 0); message(S, T_EE); message(S, T_CR);
    certificate(S, 2, 0); message(S, T_CV); message(S, T_FIN); end_frame(0);
    frame(); certificate(C, 1, 0); message(C, T_CV); message(C, T_FIN); end_frame(0);
    frame(); alert(S, 2, 48); simple(FIN, S, R0); end_frame(0);
    save(out, "tls13-hrr-rejected");

    /* TLS 1.3 without keys: one-way by record sizes (4 server records, a lone Finished). */
    begin();
    frame(); hello(T_CH, C, V_TLS12, V_TLS13, SNI, 32, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, V_TLS13, NULL, 32, 0, 0); simple(CCS, S, R1);
    simple(OPAQUE, S, R25); simple(OPAQUE, S, R930); simple(OPAQUE, S, R97); simple(OPAQUE, S, R69); end_frame(0);
    frame(); simple(CCS, C, R1); simple(OPAQUE, C, R69); end_frame(0);
    frame(); simple(OPAQUE, C, R100); end_frame(0);
    frame(); simple(OPAQUE, S, R100); simple(OPAQUE, S, R100); end_frame(0);
    frame(); simple(OPAQUE, S, R100); end_frame(0);
    save(out, "tls13-nokeys-oneway");

    /* TLS 1.3 without keys: certificate requested, empty client Certificate, encrypted alert. */
    begin();
    frame(); hello(T_CH, C, V_TLS12, V_TLS13, SNI, 32, 0, 4); end_frame(0);
    frame(); hello(T_SH, S, V_TLS12, V_TLS13, NULL, 32, 0, 0); simple(CCS, S, R1); simple(OPAQUE, S, R25);
    simple(OPAQUE, S, R103); simple(OPAQUE, S, R930); simple(OPAQUE, S, R97); simple(OPAQUE, S, R69); end_frame(0);
    frame(); simple(CCS, C, R1); simple(OPAQUE, C, R25); simple(OPAQUE, C, R69); end_frame(0);
    frame(); simple(OPAQUE, S, R19); end_frame(0);
    frame(); simple(FIN, S, R0); end_frame(0);
    save(out, "tls13-nokeys-nocert");

    /* DTLS 1.2 with HelloVerifyRequest, mutual. */
    begin();
    frame(); hello(T_CH, C, V_DTLS12, 0, SNI, 0, 0, 0); end_frame(0);
    frame(); message(S, T_HVR); end_frame(0);
    frame(); hello(T_CH, C, V_DTLS12, 0, SNI, 0, 0, 0); end_frame(0);
    frame(); hello(T_SH, S, V_DTLS12, 0, NULL, 32, 0, 0); certificate(S, 2, 0); message(S, T_SKE);
    message(S, T_CR); message(S, T_SHD); end_frame(0);
    frame(); certificate(C, 2, 0); message(C, T_CKE); message(C, T_CV); simple(CCS, C, R1); simple(ENC_HS, C, R53);
    end_frame(0);
    frame(); simple(CCS, S, R1); simple(ENC_HS, S, R53); end_frame(0);
    frame(); simple(APP, C, R100); simple(APP, S, R100); end_frame(0);
    save(out, "dtls12-mutual");

    /* A capture that starts mid-connection, then two connections interleaved. */
    begin();
    frame(); simple(APP, S, R100); end_frame(0);
    frame(); simple(APP, C, R100); end_frame(0);
    frame(); simple(FIN, C, R0); end_frame(0);
    frame(); event(1, HS, C); b(T_CH); b(1); b(R0); event(0, APP, S); b(R100); end_frame(0);
    frame(); event(1, HS, S); b(T_SH); b(1); b(R0); event(1, HS, S); b(T_CERT); b(0); b(1); b(1); b(4);
    bytes("\x30\x02\x05\x00", 4); b(R0); end_frame(0);
    frame(); event(1, RST, C); b(R0); end_frame(3);
    save(out, "midstream-interleaved");

    /* Renegotiations past the bound of 8 handshakes per connection. */
    begin();
    for (int i = 0; i < 11; i++) {
        frame(); hello(T_CH, C, V_TLS12, 0, SNI, 0, 0, 0); end_frame(0);
        frame(); hello(T_SH, S, V_TLS12, 0, NULL, 32, 0, 0); certificate(S, 1, 0); message(S, T_SHD); end_frame(0);
        frame(); message(C, T_CKE); message(C, T_FIN); message(S, T_FIN); simple(APP, C, R100); simple(APP, S, R100);
        end_frame(0);
    }
    save(out, "too-many-handshakes");

    /* Every record kind in one frame, more than a frame has notes for, and a long SNI. */
    begin();
    frame();
    hello(T_CH, C, V_TLS13, V_TLS13,
          "a-very-long-server-name-that-goes-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on."
          "and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on."
          "and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.and-on.example",
          40, 0, 15);
    for (int k = 0; k <= RST; k++)
        if (k != HS && k != ALERT)
            simple(k, k & 1, R19);
    alert(S, 1, 112);
    alert(C, 2, 116);
    end_frame(0);
    save(out, "every-kind");
    return 0;
}
