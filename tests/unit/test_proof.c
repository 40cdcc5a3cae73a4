/* Unit tests of proof of possession (include/tlsauth/proof.h): signatures made here with GnuTLS
 * by keys generated here, checked by ta_verify_signature, and handshakes fed to the tracker
 * whose signed content is built here from the RFC's words (RFC 5246 7.4.3 and 7.4.8, RFC 8446
 * 4.4.1 and 4.4.3, RFC 6347 4.2.6), not from tlsauth's code. Expectations come from how each
 * signature was made: by the certificate's key, by another key, with another scheme. */
#include "tlsauth/tracker.h"

#include "../lib/signed_handshake.h"
#include "check.h"

static sh_keypair rsa, rsa_pss, p256, p384, ed25519;

/* ---- ta_verify_signature --------------------------------------------------------------------- */

static void test_signatures(void)
{
    static const uint8_t data[] = "the handshake messages so far";
    const struct {
        const char *name;
        const sh_keypair *signer, *cert;
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
        gnutls_datum_t sig = sh_sign(CASES[i].signer, CASES[i].algorithm, data, sizeof data);
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
    sig = sh_sign(&p256, GNUTLS_SIGN_ECDSA_SHA1, data, sizeof data);
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

static const ta_verifier PROOFS_ON = {.check_proofs = true};

/* Each event of the script in a frame of its own; the handshake's proofs. */
static void run(const sh_script *s, bool proofs_on, ta_proof *server, ta_proof *client)
{
    driver d = {ta_conn_new((ta_conn_id){TA_TRANSPORT_TCP, 0}, proofs_on ? &PROOFS_ON : NULL, NULL), 0};
    for (unsigned i = 0; i < s->count; i++)
        feed(&d, s->ev[i]);
    const ta_handshake *hs = ta_conn_handshake(d.conn, 0);
    *server = ta_handshake_proof(hs, TA_SERVER);
    *client = ta_handshake_proof(hs, TA_CLIENT);
    ta_conn_free(d.conn);
}

static void test_tls12(void)
{
    sh_script s;
    ta_proof server, client;
    current_test = "TLS 1.2 mutual: both signatures verify";
    sh_tls12_mutual(&s, &p256, &rsa, false);
    run(&s, true, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED && server.message == TA_HS_SERVER_KEY_EXCHANGE &&
          server.scheme == 0x0403 && server.frame == 4);
    CHECK(client.status == TA_PROOF_VERIFIED && client.message == TA_HS_CERTIFICATE_VERIFY &&
          client.scheme == 0x0804 && client.frame == 9);
    current_test = "TLS 1.2 mutual: tlsauth.verify_proofs off";
    run(&s, false, &server, &client);
    CHECK(server.status == TA_PROOF_NOT_CHECKED && client.status == TA_PROOF_NOT_CHECKED);
    sh_free(&s);
    current_test = "TLS 1.2 mutual: a bit flipped in the client's CertificateVerify";
    sh_tls12_mutual(&s, &p256, &rsa, true);
    run(&s, true, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED);
    CHECK(client.status == TA_PROOF_FAILED && client.why == TA_WHY_BAD_SIGNATURE);
    sh_free(&s);
}

static void test_tls13(void)
{
    sh_script s;
    ta_proof server, client;
    for (int hrr = 0; hrr < 2; hrr++) {
        current_test = hrr ? "TLS 1.3 after a HelloRetryRequest, mutual" : "TLS 1.3 mutual";
        sh_tls13_mutual(&s, &p384, &ed25519, hrr, true);
        run(&s, true, &server, &client);
        CHECK(server.status == TA_PROOF_VERIFIED && server.scheme == 0x0503);
        CHECK(client.status == TA_PROOF_VERIFIED && client.scheme == 0x0807);
        sh_free(&s);
    }
    current_test = "TLS 1.3: the server's CertificateVerify in a record that did not decrypt";
    sh_tls13_mutual(&s, &p384, &ed25519, false, true);
    for (unsigned i = 0; i < s.count; i++)
        if (s.ev[i].hs_type == TA_HS_CERTIFICATE_VERIFY && s.ev[i].sender == SH_SERVER)
            s.ev[i] = (ta_event){.kind = TA_EV_OPAQUE_RECORD, .sender = SH_SERVER, .record_length = 100};
    run(&s, true, &server, &client);
    CHECK(server.status == TA_PROOF_NOT_VISIBLE && server.why == TA_WHY_TRANSCRIPT_MISSING);
    CHECK(client.status == TA_PROOF_NOT_VISIBLE && client.why == TA_WHY_TRANSCRIPT_MISSING);
    sh_free(&s);
    current_test = "TLS 1.3: a client Certificate, then its Finished without CertificateVerify";
    sh_tls13_mutual(&s, &p384, &ed25519, true, false);
    run(&s, true, &server, &client);
    CHECK(server.status == TA_PROOF_VERIFIED);
    CHECK(client.status == TA_PROOF_FAILED && client.why == TA_WHY_NO_SIGNATURE);
    sh_free(&s);
}

/* Hostile or partial input: never verified, a reason always. The TLS 1.2 script, its client
 * CertificateVerify replaced. */
static void test_partial(void)
{
    static const uint8_t SHORT_CV[] = {4, 3, 0, 9, 1}; /* says 9 bytes of signature, has 1 */
    const struct {
        const char *name;
        bool hole; /* the server's Certificate not read whole */
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
        sh_script s;
        sh_tls12_mutual(&s, &p256, &rsa, false);
        if (CASES[i].hole)
            s.ev[2].body = NULL;
        ta_event *cv = &s.ev[s.count - 2];
        cv->body = CASES[i].cv;
        cv->body_len = CASES[i].cv_len;
        ta_proof server, client;
        run(&s, true, &server, &client);
        CHECK(client.status == CASES[i].status && client.why == CASES[i].why);
        sh_free(&s);
    }
    current_test = "an ECDHE suite, and ServerHelloDone without ServerKeyExchange";
    sh_script s;
    sh_tls12_mutual(&s, &p256, &rsa, false);
    memmove(&s.ev[3], &s.ev[4], (s.count - 4) * sizeof *s.ev);
    s.count--;
    ta_proof server, client;
    run(&s, true, &server, &client);
    CHECK(server.status == TA_PROOF_FAILED && server.why == TA_WHY_NO_SIGNATURE);
    sh_free(&s);
}

/* Every failure is told by an expert item, whose text Wireshark cuts at 240 bytes with the tree's
 * "Expert Info (Warning/Decryption): " before it: each fits whole. */
static void test_sentences(void)
{
    ta_handshake hs = {.version = TA_VERSION_TLS13, .sni = "", .drop_by = TA_ROLE_UNKNOWN, .frame_server_hello = 1};
    char text[TA_EXPLANATION_MAX];
    for (int role = TA_CLIENT; role <= TA_SERVER; role++)
        for (int why = TA_WHY_SIGNED; why <= TA_WHY_DISABLED; why++)
            for (int v = 0; v < 2; v++) {
                hs.version = v ? TA_VERSION_TLS12 : TA_VERSION_TLS13;
                hs.proof[role] = (ta_proof){.status = TA_PROOF_FAILED, .why = (uint8_t)why,
                                            .message = TA_HS_CERTIFICATE_VERIFY, .scheme = 0x081C,
                                            .frame = 4000000000u};
                current_test = "a proof sentence fits an expert item";
                ta_explain_proof(&hs, (ta_role)role, text, sizeof text);
                CHECK(strlen(text) > 40 && strlen(text) < 205);
                CHECK(!strstr(text, "(null)"));
                hs.proof[role].scheme = 0;
                ta_explain_proof(&hs, (ta_role)role, text, sizeof text);
                CHECK(strlen(text) > 40 && strlen(text) < 205);
            }
}

int main(void)
{
    rsa = sh_make_keypair(GNUTLS_PK_RSA, 2048);
    rsa_pss = sh_make_keypair(GNUTLS_PK_RSA_PSS, 2048);
    p256 = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    p384 = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1));
    ed25519 = sh_make_keypair(GNUTLS_PK_EDDSA_ED25519, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519));
    test_signatures();
    test_tls12();
    test_tls13();
    test_partial();
    test_sentences();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
