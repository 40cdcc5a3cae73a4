/* Handshakes whose signatures are real, built from the RFCs' words (RFC 5246 7.4.3 and 7.4.8,
 * RFC 8446 4.4.1 and 4.4.3), not from tlsauth's code: the events a tracker is fed, and the
 * signatures inside them made with GnuTLS by keys made here. Shared by tests/unit/test_proof.c
 * and bench/proof-micro.c (header only: each includes it once). */
#ifndef TLSAUTH_SIGNED_HANDSHAKE_H
#define TLSAUTH_SIGNED_HANDSHAKE_H

#include "tlsauth/tracker.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <stdlib.h>
#include <string.h>

typedef struct sh_keypair {
    gnutls_privkey_t key;
    ta_der cert; /* DER, self-signed with key */
} sh_keypair;

static inline sh_keypair sh_make_keypair(gnutls_pk_algorithm_t pk, unsigned bits)
{
    sh_keypair kp = {0};
    gnutls_x509_privkey_t x;
    gnutls_x509_crt_t crt;
    gnutls_datum_t der = {NULL, 0};
    if (gnutls_x509_privkey_init(&x) < 0 || gnutls_x509_privkey_generate(x, pk, bits, 0) < 0 ||
        gnutls_x509_crt_init(&crt) < 0)
        abort();
    static const unsigned char serial[] = {1};
    gnutls_x509_crt_set_version(crt, 3);
    gnutls_x509_crt_set_serial(crt, serial, sizeof serial);
    gnutls_x509_crt_set_activation_time(crt, 1577836800);  /* 2020 */
    gnutls_x509_crt_set_expiration_time(crt, 2208988800); /* 2040 */
    gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, "proof.tlsauth.test", 18);
    gnutls_x509_crt_set_key(crt, x);
    /* EdDSA hashes inside the signature: GnuTLS wants SHA-512 named for it. */
    gnutls_digest_algorithm_t digest = pk == GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_DIG_SHA512 : GNUTLS_DIG_SHA256;
    if (gnutls_x509_crt_sign2(crt, crt, x, digest, 0) < 0 || gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0 ||
        gnutls_privkey_init(&kp.key) < 0 || gnutls_privkey_import_x509(kp.key, x, GNUTLS_PRIVKEY_IMPORT_COPY) < 0)
        abort();
    kp.cert = (ta_der){der.data, der.size};
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(x);
    return kp;
}

static inline gnutls_datum_t sh_sign(const sh_keypair *kp, gnutls_sign_algorithm_t algorithm, const uint8_t *data, size_t len)
{
    gnutls_datum_t d = {(unsigned char *)data, (unsigned)len}, sig = {NULL, 0};
    if (gnutls_privkey_sign_data2(kp->key, algorithm, 0, &d, &sig) < 0)
        abort();
    return sig;
}

/* A handshake as events, each body in the script's own buffer, and the transcript as the RFC
 * defines it (every message with its header, in order). */
#define SH_MAX_EVENTS 16
#define SH_BYTES 8192
typedef struct sh_script {
    ta_event ev[SH_MAX_EVENTS];
    unsigned count;
    uint8_t bodies[SH_BYTES];
    size_t bodies_len;
    uint8_t transcript[SH_BYTES];
    size_t transcript_len;
    ta_hello hellos[4];
    unsigned hello_count;
    uint8_t server_signed[SH_BYTES]; /* what the server's signature covers, for GnuTLS alone */
    size_t server_signed_len;
    uint8_t client_signed[SH_BYTES];
    size_t client_signed_len;
    gnutls_datum_t server_sig, client_sig;
} sh_script;

static const uint8_t SH_CLIENT_RANDOM[32] = {1, 2, 3}, SH_SERVER_RANDOM[32] = {4, 5, 6};
static const uint8_t SH_HRR_RANDOM[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                          0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                          0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
enum { SH_CLIENT = 0, SH_SERVER = 1 };

static inline void sh_append_transcript(sh_script *s, uint8_t type, const uint8_t *body, size_t len)
{
    uint8_t *p = s->transcript + s->transcript_len;
    p[0] = type;
    p[1] = (uint8_t)(len >> 16);
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
    memcpy(p + 4, body, len);
    s->transcript_len += 4 + len;
}

/* The next message: its body copied into the script, into the transcript, and as an event. */
static inline ta_event *sh_message(sh_script *s, int sender, uint8_t type, const void *body, size_t len)
{
    if (s->count == SH_MAX_EVENTS || s->bodies_len + len > SH_BYTES || s->transcript_len + 4 + len > SH_BYTES)
        abort();
    uint8_t *copy = s->bodies + s->bodies_len;
    memcpy(copy, body, len);
    s->bodies_len += len;
    sh_append_transcript(s, type, copy, len);
    ta_event *ev = &s->ev[s->count++];
    *ev = (ta_event){.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = type, .body = copy, .body_len = (uint32_t)len};
    return ev;
}

static inline const ta_hello *sh_hello(sh_script *s, uint16_t version, const uint8_t *random, uint16_t suite)
{
    ta_hello *h = &s->hellos[s->hello_count++];
    *h = (ta_hello){.legacy_version = TA_VERSION_TLS12, .random = random, .cipher_suite = suite,
                    .supported_version_max = version == TA_VERSION_TLS13 ? TA_VERSION_TLS13 : 0};
    return h;
}

static inline void sh_certificate(sh_script *s, int sender, const sh_keypair *kp)
{
    static const uint8_t BODY[] = {0, 0, 0}; /* what tlsauth reads of it is the certificates */
    ta_event *ev = sh_message(s, sender, TA_HS_CERTIFICATE, BODY, sizeof BODY);
    ev->cert_count = 1;
    ev->certs = &kp->cert;
    ev->certs_available = 1;
}

/* [scheme][length][signature] */
static inline size_t sh_signature_body(uint8_t *out, uint16_t scheme, const gnutls_datum_t *sig)
{
    out[0] = (uint8_t)(scheme >> 8);
    out[1] = (uint8_t)scheme;
    out[2] = (uint8_t)(sig->size >> 8);
    out[3] = (uint8_t)sig->size;
    memcpy(out + 4, sig->data, sig->size);
    return 4 + sig->size;
}

static inline void sh_free(sh_script *s)
{
    gnutls_free(s->server_sig.data);
    gnutls_free(s->client_sig.data);
}

/* TLS 1.2 ECDHE, mutual: the server signs its ServerKeyExchange (ecdsa_secp256r1_sha256 with a
 * P-256 key), the client its CertificateVerify (rsa_pss_rsae_sha256 with an RSA key); flip: one
 * bit of the client's signature flipped. Then the client's ChangeCipherSpec. */
static inline void sh_tls12_mutual(sh_script *s, const sh_keypair *p256, const sh_keypair *rsa, bool flip)
{
    static const uint8_t HELLO[] = {3, 3, 0}, EMPTY[] = {0, 0, 0};
    static const uint8_t PARAMS[] = {3, 0, 23, 4, 9, 9, 9, 9}; /* named_curve secp256r1, a 4-byte point */
    static const uint8_t CKE[] = {4, 7, 7, 7, 7};
    memset(s, 0, sizeof *s);
    sh_message(s, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO, sizeof HELLO)->hello =
        sh_hello(s, TA_VERSION_TLS12, SH_CLIENT_RANDOM, 0);
    sh_message(s, SH_SERVER, TA_HS_SERVER_HELLO, HELLO, sizeof HELLO)->hello =
        sh_hello(s, TA_VERSION_TLS12, SH_SERVER_RANDOM, 0xC02B);
    sh_certificate(s, SH_SERVER, p256);
    memcpy(s->server_signed, SH_CLIENT_RANDOM, 32); /* RFC 5246 7.4.3 */
    memcpy(s->server_signed + 32, SH_SERVER_RANDOM, 32);
    memcpy(s->server_signed + 64, PARAMS, sizeof PARAMS);
    s->server_signed_len = 64 + sizeof PARAMS;
    s->server_sig = sh_sign(p256, GNUTLS_SIGN_ECDSA_SHA256, s->server_signed, s->server_signed_len);
    uint8_t ske[sizeof PARAMS + 4 + 1024];
    memcpy(ske, PARAMS, sizeof PARAMS);
    sh_message(s, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske,
               sizeof PARAMS + sh_signature_body(ske + sizeof PARAMS, 0x0403, &s->server_sig));
    sh_message(s, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, EMPTY, sizeof EMPTY);
    sh_message(s, SH_SERVER, TA_HS_SERVER_HELLO_DONE, EMPTY, 0);
    sh_certificate(s, SH_CLIENT, rsa);
    sh_message(s, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE);
    memcpy(s->client_signed, s->transcript, s->transcript_len); /* RFC 5246 7.4.8 */
    s->client_signed_len = s->transcript_len;
    s->client_sig = sh_sign(rsa, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, s->client_signed, s->client_signed_len);
    uint8_t cv[4 + 1024];
    size_t cv_len = sh_signature_body(cv, 0x0804, &s->client_sig);
    if (flip)
        cv[7] ^= 0x80;
    sh_message(s, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, cv_len);
    s->ev[s->count++] = (ta_event){.kind = TA_EV_CHANGE_CIPHER_SPEC, .sender = SH_CLIENT};
}

/* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, the transcript hash (SHA-384). */
static inline size_t sh_tls13_content(uint8_t *out, const char *context, const uint8_t *transcript, size_t len)
{
    size_t context_len = strlen(context) + 1; /* with its zero byte */
    memset(out, ' ', 64);
    memcpy(out + 64, context, context_len);
    gnutls_hash_fast(GNUTLS_DIG_SHA384, transcript, len, out + 64 + context_len);
    return 64 + context_len + 48;
}

/* TLS 1.3 (TLS_AES_256_GCM_SHA384), mutual, optionally after a HelloRetryRequest (the first
 * ClientHello then counts as message_hash, RFC 8446 4.4.1): the server signs with a P-384 key
 * (ecdsa_secp384r1_sha384), the client with an Ed25519 one unless client_signs is false (its
 * Finished then follows its Certificate directly). */
static inline void sh_tls13_mutual(sh_script *s, const sh_keypair *p384, const sh_keypair *ed25519, bool hrr,
                            bool client_signs)
{
    static const uint8_t HELLO[] = {3, 3, 0}, EE[] = {0, 0}, CR[] = {0, 0, 0, 0}, FIN[48] = {0};
    memset(s, 0, sizeof *s);
    const ta_hello *ch = sh_hello(s, TA_VERSION_TLS13, SH_CLIENT_RANDOM, 0);
    sh_message(s, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO, sizeof HELLO)->hello = ch;
    if (hrr) {
        uint8_t hash[48];
        gnutls_hash_fast(GNUTLS_DIG_SHA384, s->transcript, s->transcript_len, hash);
        s->transcript_len = 0;
        sh_append_transcript(s, 254, hash, sizeof hash);
        sh_message(s, SH_SERVER, TA_HS_SERVER_HELLO, HELLO, sizeof HELLO)->hello =
            sh_hello(s, TA_VERSION_TLS13, SH_HRR_RANDOM, 0x1302);
        sh_message(s, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO, sizeof HELLO)->hello = ch;
    }
    sh_message(s, SH_SERVER, TA_HS_SERVER_HELLO, HELLO, sizeof HELLO)->hello =
        sh_hello(s, TA_VERSION_TLS13, SH_SERVER_RANDOM, 0x1302);
    sh_message(s, SH_SERVER, TA_HS_ENCRYPTED_EXTENSIONS, EE, sizeof EE);
    sh_message(s, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, CR, sizeof CR);
    sh_certificate(s, SH_SERVER, p384);
    uint8_t cv[4 + 1024];
    s->server_signed_len = sh_tls13_content(s->server_signed, "TLS 1.3, server CertificateVerify", s->transcript,
                                            s->transcript_len);
    s->server_sig = sh_sign(p384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, s->server_signed, s->server_signed_len);
    sh_message(s, SH_SERVER, TA_HS_CERTIFICATE_VERIFY, cv, sh_signature_body(cv, 0x0503, &s->server_sig));
    sh_message(s, SH_SERVER, TA_HS_FINISHED, FIN, sizeof FIN);
    sh_certificate(s, SH_CLIENT, ed25519);
    if (client_signs) {
        s->client_signed_len = sh_tls13_content(s->client_signed, "TLS 1.3, client CertificateVerify", s->transcript,
                                                s->transcript_len);
        s->client_sig = sh_sign(ed25519, GNUTLS_SIGN_EDDSA_ED25519, s->client_signed, s->client_signed_len);
        sh_message(s, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, sh_signature_body(cv, 0x0807, &s->client_sig));
    }
    sh_message(s, SH_CLIENT, TA_HS_FINISHED, FIN, sizeof FIN);
}

#endif
