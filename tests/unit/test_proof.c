/* Unit tests of proof of possession (include/tlsauth/proof.h): signatures made here with GnuTLS
 * by keys generated here, checked by ta_verify_signature, and handshakes fed to the tracker
 * whose signed content is built here from the RFC's words (RFC 5246 7.4.3 and 7.4.8, RFC 8446
 * 4.4.1 and 4.4.3, RFC 6347 4.2.6), not from tlsauth's code. Expectations come from how each
 * signature was made: by the certificate's key, by another key, with another scheme. */
#include "tlsauth/tracker.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <stdlib.h>

#include "check.h"

/* ---- keys and self-signed certificates made here ------------------------------------------- */

typedef struct keypair {
    gnutls_privkey_t key;
    ta_der cert; /* DER, self-signed with key */
} keypair;

static keypair make_keypair(gnutls_pk_algorithm_t pk, unsigned bits)
{
    keypair kp = {0};
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
    if (gnutls_x509_crt_sign2(crt, crt, x, pk == GNUTLS_PK_EDDSA_ED25519 ? GNUTLS_DIG_SHA512 : GNUTLS_DIG_SHA256, 0) < 0 ||
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0 || gnutls_privkey_init(&kp.key) < 0 ||
        gnutls_privkey_import_x509(kp.key, x, GNUTLS_PRIVKEY_IMPORT_COPY) < 0)
        abort();
    kp.cert = (ta_der){der.data, der.size};
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(x);
    return kp;
}

static gnutls_datum_t sign(const keypair *kp, gnutls_sign_algorithm_t algorithm, const uint8_t *data, size_t len)
{
    gnutls_datum_t d = {(unsigned char *)data, (unsigned)len}, sig = {NULL, 0};
    if (gnutls_privkey_sign_data2(kp->key, algorithm, 0, &d, &sig) < 0)
        abort();
    return sig;
}

static keypair rsa, rsa_pss, p256, p384, ed25519;

/* ---- ta_verify_signature --------------------------------------------------------------------- */

static void test_signatures(void)
{
    static const uint8_t data[] = "the handshake messages so far";
    const struct {
        const char *name;
        const keypair *signer, *cert;
        gnutls_sign_algorithm_t algorithm;
        ta_sig_rules rules;
        uint16_t scheme;
        ta_proof_why expected;
    } CASES[] = {
        {"rsa_pkcs1_sha256 in TLS 1.2", &rsa, &rsa, GNUTLS_SIGN_RSA_SHA256, TA_SIG_TLS12, 0x0401, TA_WHY_SIGNED},
        {"rsa_pkcs1_sha1 in TLS 1.2: still a proof", &rsa, &rsa, GNUTLS_SIGN_RSA_SHA1, TA_SIG_TLS12, 0x0201,
         TA_WHY_SIGNED},
        {"rsa_pss_rsae_sha256 in TLS 1.3", &rsa, &rsa, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, TA_SIG_TLS13, 0x0804,
         TA_WHY_SIGNED},
        {"rsa_pss_pss_sha256 with an RSA-PSS key", &rsa_pss, &rsa_pss, GNUTLS_SIGN_RSA_PSS_SHA256, TA_SIG_TLS13,
         0x0809, TA_WHY_SIGNED},
        {"rsa_pss_rsae with an RSA-PSS key: the wrong key type (RFC 8446 4.2.3)", &rsa_pss, &rsa_pss,
         GNUTLS_SIGN_RSA_PSS_SHA256, TA_SIG_TLS13, 0x0804, TA_WHY_SCHEME_KEY_MISMATCH},
        {"ecdsa_secp256r1_sha256 in TLS 1.3", &p256, &p256, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, TA_SIG_TLS13, 0x0403,
         TA_WHY_SIGNED},
        {"ecdsa_secp384r1_sha384 in TLS 1.3", &p384, &p384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, TA_SIG_TLS13, 0x0503,
         TA_WHY_SIGNED},
        {"ecdsa_secp256r1_sha256 with a P-384 key in TLS 1.3: the wrong curve", &p384, &p384,
         GNUTLS_SIGN_ECDSA_SHA256, TA_SIG_TLS13, 0x0403, TA_WHY_SCHEME_KEY_MISMATCH},
        {"ecdsa_sha256 with a P-384 key in TLS 1.2: any curve", &p384, &p384, GNUTLS_SIGN_ECDSA_SHA256, TA_SIG_TLS12,
         0x0403, TA_WHY_SIGNED},
        {"ed25519", &ed25519, &ed25519, GNUTLS_SIGN_EDDSA_ED25519, TA_SIG_TLS13, 0x0807, TA_WHY_SIGNED},
        {"an RSA-PSS scheme with an ECDSA key", &p256, &p256, GNUTLS_SIGN_ECDSA_SHA256, TA_SIG_TLS13, 0x0804,
         TA_WHY_SCHEME_KEY_MISMATCH},
        {"rsa_pkcs1_sha256 in TLS 1.3 (RFC 8446 4.4.3 forbids it)", &rsa, &rsa, GNUTLS_SIGN_RSA_SHA256, TA_SIG_TLS13,
         0x0401, TA_WHY_SCHEME_NOT_ALLOWED},
        {"rsa_pkcs1_md5 (SLOTH)", &rsa, &rsa, GNUTLS_SIGN_RSA_SHA256, TA_SIG_TLS12, 0x0101,
         TA_WHY_SCHEME_NOT_ALLOWED},
        {"a scheme tlsauth does not know", &p256, &p256, GNUTLS_SIGN_ECDSA_SHA256, TA_SIG_TLS13, 0x0905,
         TA_WHY_SCHEME_UNKNOWN},
        {"signed by another key of the same type", &p256, &p384, GNUTLS_SIGN_ECDSA_SHA256, TA_SIG_TLS12, 0x0403,
         TA_WHY_BAD_SIGNATURE},
        {"signed by another RSA key", &rsa, &rsa_pss, GNUTLS_SIGN_RSA_SHA256, TA_SIG_TLS12, 0x0401,
         TA_WHY_SCHEME_KEY_MISMATCH},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        current_test = CASES[i].name;
        gnutls_datum_t sig = sign(CASES[i].signer, CASES[i].algorithm, data, sizeof data);
        CHECK(ta_verify_signature(&CASES[i].cert->cert, CASES[i].rules, CASES[i].scheme, data, sizeof data, sig.data,
                                  sig.size) == CASES[i].expected);
        if (CASES[i].expected == TA_WHY_SIGNED) {
            sig.data[sig.size / 2] ^= 0x01; /* one bit flipped */
            CHECK(ta_verify_signature(&CASES[i].cert->cert, CASES[i].rules, CASES[i].scheme, data, sizeof data,
                                      sig.data, sig.size) == TA_WHY_BAD_SIGNATURE);
            CHECK(ta_verify_signature(&CASES[i].cert->cert, CASES[i].rules, CASES[i].scheme, data, sizeof data - 1,
                                      sig.data, sig.size) == TA_WHY_BAD_SIGNATURE);
            CHECK(ta_verify_signature(&CASES[i].cert->cert, CASES[i].rules, CASES[i].scheme, data, sizeof data,
                                      sig.data, 0) == TA_WHY_MALFORMED);
        }
        gnutls_free(sig.data);
    }

    current_test = "TLS 1.0/1.1: RSA over MD5+SHA-1 without DigestInfo (RFC 4346 7.4.3)";
    uint8_t md5_sha1[36];
    gnutls_hash_fast(GNUTLS_DIG_MD5, data, sizeof data, md5_sha1);
    gnutls_hash_fast(GNUTLS_DIG_SHA1, data, sizeof data, md5_sha1 + 16);
    gnutls_datum_t hash = {md5_sha1, sizeof md5_sha1}, sig = {NULL, 0};
    CHECK(gnutls_privkey_sign_hash(rsa.key, 0, GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA, &hash, &sig) >= 0);
    CHECK(ta_verify_signature(&rsa.cert, TA_SIG_TLS10, 0, data, sizeof data, sig.data, sig.size) == TA_WHY_SIGNED);
    CHECK(ta_verify_signature(&p256.cert, TA_SIG_TLS10, 0, data, sizeof data, sig.data, sig.size) ==
          TA_WHY_BAD_SIGNATURE);
    gnutls_free(sig.data);
    current_test = "TLS 1.0/1.1: ECDSA over SHA-1 (RFC 4492 5.4)";
    sig = sign(&p256, GNUTLS_SIGN_ECDSA_SHA1, data, sizeof data);
    CHECK(ta_verify_signature(&p256.cert, TA_SIG_TLS10, 0, data, sizeof data, sig.data, sig.size) == TA_WHY_SIGNED);
    gnutls_free(sig.data);

    current_test = "a certificate that cannot be read";
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    const ta_der bad = {junk, sizeof junk};
    CHECK(ta_verify_signature(&bad, TA_SIG_TLS12, 0x0403, data, sizeof data, junk, sizeof junk) ==
          TA_WHY_KEY_UNREADABLE);
    CHECK(ta_verify_signature(NULL, TA_SIG_TLS12, 0x0403, data, sizeof data, junk, sizeof junk) ==
          TA_WHY_KEY_UNREADABLE);

    current_test = "scheme names";
    CHECK_STR(ta_signature_scheme_name(0x0804), "rsa_pss_rsae_sha256");
    CHECK_STR(ta_signature_scheme_name(0x081A), "ecdsa_brainpoolP256r1tls13_sha256");
    CHECK(ta_signature_scheme_name(0x0905) == NULL);
    CHECK_STR(ta_proof_status_token(TA_PROOF_NOT_VISIBLE), "not-visible");
    CHECK(ta_proof_status_token(TA_PROOF_NONE) == NULL);
}

/* ---- the tracker: what each signature covers ------------------------------------------------ */

enum { C = 0, S = 1 };

typedef struct driver {
    ta_conn *conn;
    uint32_t frame;
} driver;

static void feed(driver *d, ta_event ev)
{
    ta_conn_begin_frame(d->conn, ++d->frame, 1780272000, NULL);
    ta_conn_feed(d->conn, &ev);
    ta_conn_end_frame(d->conn);
}

/* A handshake message: fed to the tracker and added to the transcript the test keeps itself. */
typedef struct transcript {
    uint8_t bytes[8192];
    size_t len;
} transcript;

static ta_event message(transcript *t, int sender, uint8_t type, const uint8_t *body, uint32_t len)
{
    if (t) {
        t->bytes[t->len] = type;
        t->bytes[t->len + 1] = (uint8_t)(len >> 16);
        t->bytes[t->len + 2] = (uint8_t)(len >> 8);
        t->bytes[t->len + 3] = (uint8_t)len;
        memcpy(t->bytes + t->len + 4, body, len);
        t->len += 4 + len;
    }
    return (ta_event){.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = type, .body = body, .body_len = len};
}

static uint8_t CLIENT_RANDOM[32] = {1, 2, 3}, SERVER_RANDOM[32] = {4, 5, 6};

static ta_event with_hello(ta_event ev, const ta_hello *h)
{
    ev.hello = h;
    return ev;
}

static ta_event with_cert(ta_event ev, const ta_der *leaf)
{
    ev.cert_count = 1;
    ev.certs = leaf;
    ev.certs_available = 1;
    return ev;
}

/* [scheme][length][signature] */
static uint32_t signature_body(uint8_t *out, uint16_t scheme, const gnutls_datum_t *sig)
{
    out[0] = (uint8_t)(scheme >> 8);
    out[1] = (uint8_t)scheme;
    out[2] = (uint8_t)(sig->size >> 8);
    out[3] = (uint8_t)sig->size;
    memcpy(out + 4, sig->data, sig->size);
    return 4 + sig->size;
}

static const ta_verifier PROOFS_ON = {.check_proofs = true};

/* TLS 1.2 ECDHE, mutual: ServerKeyExchange over the randoms and the parameters, CertificateVerify
 * over every message before it. */
static void tls12_mutual(bool flip_client, bool proofs_on, ta_proof *server, ta_proof *client)
{
    static const uint8_t CH_BODY[] = {3, 3, 'c', 'h'}, SH_BODY[] = {3, 3, 's', 'h'}, CERT_BODY[] = {0, 0, 0};
    static const uint8_t PARAMS[] = {3, 0, 23, 4, 9, 9, 9, 9}; /* named_curve secp256r1, a 4-byte point */
    static const uint8_t CKE_BODY[] = {4, 7, 7, 7, 7};
    const ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .random = CLIENT_RANDOM};
    const ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .random = SERVER_RANDOM, .cipher_suite = 0xC02B};
    driver d = {ta_conn_new((ta_conn_id){TA_TRANSPORT_TCP, 0}, proofs_on ? &PROOFS_ON : NULL, NULL), 0};
    transcript t = {{0}, 0};
    feed(&d, with_hello(message(&t, C, TA_HS_CLIENT_HELLO, CH_BODY, sizeof CH_BODY), &ch));
    feed(&d, with_hello(message(&t, S, TA_HS_SERVER_HELLO, SH_BODY, sizeof SH_BODY), &sh));
    feed(&d, with_cert(message(&t, S, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY), &p256.cert));
    uint8_t signed_params[64 + sizeof PARAMS], ske[sizeof PARAMS + 4 + 512];
    memcpy(signed_params, CLIENT_RANDOM, 32);
    memcpy(signed_params + 32, SERVER_RANDOM, 32);
    memcpy(signed_params + 64, PARAMS, sizeof PARAMS);
    gnutls_datum_t sig = sign(&p256, GNUTLS_SIGN_ECDSA_SHA256, signed_params, sizeof signed_params);
    memcpy(ske, PARAMS, sizeof PARAMS);
    uint32_t ske_len = sizeof PARAMS + signature_body(ske + sizeof PARAMS, 0x0403, &sig);
    gnutls_free(sig.data);
    feed(&d, message(&t, S, TA_HS_SERVER_KEY_EXCHANGE, ske, ske_len));
    feed(&d, message(&t, S, TA_HS_CERTIFICATE_REQUEST, CERT_BODY, sizeof CERT_BODY));
    feed(&d, message(&t, S, TA_HS_SERVER_HELLO_DONE, CERT_BODY, 0));
    feed(&d, with_cert(message(&t, C, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY), &rsa.cert));
    feed(&d, message(&t, C, TA_HS_CLIENT_KEY_EXCHANGE, CKE_BODY, sizeof CKE_BODY));
    uint8_t cv[4 + 512];
    sig = sign(&rsa, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, t.bytes, t.len);
    if (flip_client)
        sig.data[3] ^= 0x80;
    uint32_t cv_len = signature_body(cv, 0x0804, &sig);
    gnutls_free(sig.data);
    feed(&d, message(&t, C, TA_HS_CERTIFICATE_VERIFY, cv, cv_len));
    feed(&d, (ta_event){.kind = TA_EV_CHANGE_CIPHER_SPEC, .sender = C});
    const ta_handshake *hs = ta_conn_handshake(d.conn, 0);
    *server = ta_handshake_proof(hs, TA_SERVER);
    *client = ta_handshake_proof(hs, TA_CLIENT);
    ta_conn_free(d.conn);
}

static void test_tls12(void)
{
    ta_proof server, client;
    current_test = "TLS 1.2 mutual: both signatures verify";
    tls12_mutual(false, true, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED && server.message == TA_HS_SERVER_KEY_EXCHANGE &&
          server.scheme == 0x0403 && server.frame == 4);
    CHECK(client.status == TA_PROOF_VERIFIED && client.message == TA_HS_CERTIFICATE_VERIFY &&
          client.scheme == 0x0804 && client.frame == 9);
    current_test = "TLS 1.2 mutual: a bit flipped in the client's CertificateVerify";
    tls12_mutual(true, true, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED);
    CHECK(client.status == TA_PROOF_FAILED && client.why == TA_WHY_BAD_SIGNATURE);
    current_test = "TLS 1.2 mutual: tlsauth.verify_proofs off";
    tls12_mutual(true, false, &server, &client);
    CHECK(server.status == TA_PROOF_NOT_CHECKED && client.status == TA_PROOF_NOT_CHECKED);
}

/* TLS 1.3 after a HelloRetryRequest: the first ClientHello counts as message_hash (RFC 8446 4.4.1). */
static void tls13_hrr(bool client_signs, ta_proof *server, ta_proof *client)
{
    static const uint8_t CH1[] = {3, 3, 1}, HRR_BODY[] = {3, 3, 2}, CH2[] = {3, 3, 3}, SH_BODY[] = {3, 3, 4},
                         EE[] = {0, 0}, CR[] = {0, 0, 0, 0}, CERT_BODY[] = {0, 0, 0, 0, 0};
    static const uint8_t HRR_RANDOM[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                           0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                           0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
    const ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                         .random = CLIENT_RANDOM};
    const ta_hello hrr = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                          .random = HRR_RANDOM, .cipher_suite = 0x1302};
    const ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                         .random = SERVER_RANDOM, .cipher_suite = 0x1302};
    driver d = {ta_conn_new((ta_conn_id){TA_TRANSPORT_TCP, 0}, &PROOFS_ON, NULL), 0};
    transcript t = {{0}, 0}, first = {{0}, 0};
    feed(&d, with_hello(message(&first, C, TA_HS_CLIENT_HELLO, CH1, sizeof CH1), &ch));
    uint8_t hash[48];
    gnutls_hash_fast(GNUTLS_DIG_SHA384, first.bytes, first.len, hash);
    message(&t, C, 254, hash, sizeof hash);
    feed(&d, with_hello(message(&t, S, TA_HS_SERVER_HELLO, HRR_BODY, sizeof HRR_BODY), &hrr));
    feed(&d, with_hello(message(&t, C, TA_HS_CLIENT_HELLO, CH2, sizeof CH2), &ch));
    feed(&d, with_hello(message(&t, S, TA_HS_SERVER_HELLO, SH_BODY, sizeof SH_BODY), &sh));
    feed(&d, message(&t, S, TA_HS_ENCRYPTED_EXTENSIONS, EE, sizeof EE));
    feed(&d, message(&t, S, TA_HS_CERTIFICATE_REQUEST, CR, sizeof CR));
    feed(&d, with_cert(message(&t, S, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY), &p384.cert));
    /* RFC 8446 4.4.3: 64 spaces, the context string, 0, the transcript hash */
    static const char SERVER_CONTEXT[] = "TLS 1.3, server CertificateVerify", CLIENT_CONTEXT[] =
                                                                             "TLS 1.3, client CertificateVerify";
    uint8_t content[64 + 34 + 48], cv[4 + 512];
    memset(content, ' ', 64);
    memcpy(content + 64, SERVER_CONTEXT, sizeof SERVER_CONTEXT); /* with its NUL */
    gnutls_hash_fast(GNUTLS_DIG_SHA384, t.bytes, t.len, content + 64 + sizeof SERVER_CONTEXT);
    gnutls_datum_t sig = sign(&p384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, content, sizeof content);
    uint32_t cv_len = signature_body(cv, 0x0503, &sig);
    gnutls_free(sig.data);
    feed(&d, message(&t, S, TA_HS_CERTIFICATE_VERIFY, cv, cv_len));
    static const uint8_t FIN[48] = {0};
    feed(&d, message(&t, S, TA_HS_FINISHED, FIN, sizeof FIN));
    feed(&d, with_cert(message(&t, C, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY), &ed25519.cert));
    if (client_signs) {
        memcpy(content + 64, CLIENT_CONTEXT, sizeof CLIENT_CONTEXT);
        gnutls_hash_fast(GNUTLS_DIG_SHA384, t.bytes, t.len, content + 64 + sizeof CLIENT_CONTEXT);
        sig = sign(&ed25519, GNUTLS_SIGN_EDDSA_ED25519, content, sizeof content);
        cv_len = signature_body(cv, 0x0807, &sig);
        gnutls_free(sig.data);
        feed(&d, message(&t, C, TA_HS_CERTIFICATE_VERIFY, cv, cv_len));
    }
    feed(&d, message(&t, C, TA_HS_FINISHED, FIN, sizeof FIN));
    const ta_handshake *hs = ta_conn_handshake(d.conn, 0);
    *server = ta_handshake_proof(hs, TA_SERVER);
    *client = ta_handshake_proof(hs, TA_CLIENT);
    ta_conn_free(d.conn);
}

static void test_tls13(void)
{
    ta_proof server, client;
    current_test = "TLS 1.3 after a HelloRetryRequest, mutual";
    tls13_hrr(true, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED && server.scheme == 0x0503);
    CHECK(client.status == TA_PROOF_VERIFIED && client.scheme == 0x0807);
    current_test = "TLS 1.3: a client Certificate, then its Finished without CertificateVerify";
    tls13_hrr(false, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED);
    CHECK(client.status == TA_PROOF_FAILED && client.why == TA_WHY_NO_SIGNATURE);
}

/* Hostile or partial input: never verified, a reason always. */
static void test_partial(void)
{
    static const uint8_t BODY[] = {3, 3, 0};
    const ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .random = CLIENT_RANDOM};
    const ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .random = SERVER_RANDOM, .cipher_suite = 0xC02B};
    static const uint8_t SHORT_CV[] = {4, 3, 0, 9, 1}; /* says 9 bytes of signature, has 1 */
    const struct {
        const char *name;
        bool hole;          /* a message of the transcript not read whole */
        const uint8_t *cv;
        uint32_t cv_len;
        ta_proof_status status;
        ta_proof_why why;
    } CASES[] = {
        {"a truncated CertificateVerify", false, SHORT_CV, sizeof SHORT_CV, TA_PROOF_FAILED, TA_WHY_MALFORMED},
        {"a CertificateVerify not read whole (a short snapshot length)", false, NULL, 40, TA_PROOF_NOT_VISIBLE,
         TA_WHY_TRANSCRIPT_MISSING},
        {"a hole in the transcript", true, SHORT_CV, sizeof SHORT_CV, TA_PROOF_NOT_VISIBLE,
         TA_WHY_TRANSCRIPT_MISSING},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        current_test = CASES[i].name;
        driver d = {ta_conn_new((ta_conn_id){TA_TRANSPORT_TCP, 0}, &PROOFS_ON, NULL), 0};
        feed(&d, with_hello(message(NULL, C, TA_HS_CLIENT_HELLO, BODY, sizeof BODY), &ch));
        feed(&d, with_hello(message(NULL, S, TA_HS_SERVER_HELLO, BODY, sizeof BODY), &sh));
        ta_event cert = with_cert(message(NULL, S, TA_HS_CERTIFICATE, BODY, sizeof BODY), &p256.cert);
        if (CASES[i].hole)
            cert.body = NULL;
        feed(&d, cert);
        feed(&d, message(NULL, S, TA_HS_CERTIFICATE_REQUEST, BODY, sizeof BODY));
        feed(&d, message(NULL, S, TA_HS_SERVER_HELLO_DONE, BODY, 0));
        feed(&d, with_cert(message(NULL, C, TA_HS_CERTIFICATE, BODY, sizeof BODY), &rsa.cert));
        ta_event cv = message(NULL, C, TA_HS_CERTIFICATE_VERIFY, CASES[i].cv, CASES[i].cv_len);
        cv.body_len = CASES[i].cv_len;
        feed(&d, cv);
        ta_proof p = ta_handshake_proof(ta_conn_handshake(d.conn, 0), TA_CLIENT);
        CHECK(p.status == CASES[i].status && p.why == CASES[i].why);
        /* The ServerKeyExchange never came for an ECDHE suite: a failure at ServerHelloDone. */
        p = ta_handshake_proof(ta_conn_handshake(d.conn, 0), TA_SERVER);
        CHECK(p.status == TA_PROOF_FAILED && p.why == TA_WHY_NO_SIGNATURE);
        ta_conn_free(d.conn);
    }
}

/* Every failure is told by an expert item, whose text Wireshark cuts at 240 bytes: each fits. */
static void test_sentences(void)
{
    ta_handshake hs = {.version = TA_VERSION_TLS13, .sni = "", .drop_by = TA_ROLE_UNKNOWN, .frame_server_hello = 1};
    char text[TA_EXPLANATION_MAX];
    for (int role = TA_CLIENT; role <= TA_SERVER; role++)
        for (int why = TA_WHY_SIGNED; why <= TA_WHY_DISABLED; why++)
            for (int v = 0; v < 2; v++) {
                hs.version = v ? TA_VERSION_TLS12 : TA_VERSION_TLS13;
                hs.proof[role] = (ta_proof){TA_PROOF_FAILED, (uint8_t)why, TA_HS_CERTIFICATE_VERIFY, 0x081C,
                                            4000000000u};
                current_test = "a proof sentence fits an expert item";
                ta_explain_proof(&hs, (ta_role)role, text, sizeof text);
                CHECK(strlen(text) > 40 && strlen(text) < 240);
                CHECK(!strstr(text, "(null)"));
                hs.proof[role].scheme = 0;
                ta_explain_proof(&hs, (ta_role)role, text, sizeof text);
                CHECK(strlen(text) > 40 && strlen(text) < 240);
            }
}

int main(void)
{
    rsa = make_keypair(GNUTLS_PK_RSA, 2048);
    rsa_pss = make_keypair(GNUTLS_PK_RSA_PSS, 2048);
    p256 = make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    p384 = make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1));
    ed25519 = make_keypair(GNUTLS_PK_EDDSA_ED25519, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519));
    test_signatures();
    test_tls12();
    test_tls13();
    test_partial();
    test_sentences();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
