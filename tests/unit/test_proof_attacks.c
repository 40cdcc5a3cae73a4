/* Unit tests of proof of possession against hostile handshakes: each reproduces a way a capture
 * could once make tlsauth leave a chain trusted (or a proof verified) although the peer never
 * proved the key of the certificate judged, or report a genuine one wrongly (a review of issue 18
 * found them; each states what a correct implementation must report). A driver feeds events one
 * per frame and keeps the RFC transcript (TLS 4-byte headers) for signing; its chain checker
 * trusts every chain, so that "trusted" in a result only means: nothing made it untrusted. */

#include "tlsauth/tracker.h"

#include "../lib/signed_handshake.h"
#include "check.h"

typedef struct drv {
    ta_conn *conn;
    uint32_t frame;
    uint8_t tr[65536]; /* the transcript as the RFC defines it, for signing */
    size_t tr_len;
} drv;

static void trust_all(void *ctx, const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                      int64_t frame_time, ta_chain_check *out)
{
    (void)ctx, (void)hs, (void)role, (void)certs, (void)frame_time;
    out->verdict = count ? TA_VERDICT_TRUSTED : TA_VERDICT_NOT_CHECKED;
}

static const ta_verifier TRUSTING = {.check_chain = trust_all, .check_proofs = true};

static void drv_init(drv *d)
{
    memset(d, 0, sizeof *d);
    d->conn = ta_conn_new((ta_conn_id){TA_TRANSPORT_TCP, 0}, &TRUSTING, NULL);
}

static void drv_feed(drv *d, ta_event ev)
{
    ta_conn_begin_frame(d->conn, ++d->frame, 1780272000, NULL);
    ta_conn_feed(d->conn, &ev);
    ta_conn_end_frame(d->conn);
}

/* A handshake message: into the RFC transcript (unless !rfc), then fed. */
static void drv_msg_ex(drv *d, int sender, uint8_t type, const void *body, size_t len, const ta_hello *hello,
                       const sh_keypair *cert, bool rfc)
{
    if (rfc) {
        uint8_t *p = d->tr + d->tr_len;
        p[0] = type, p[1] = (uint8_t)(len >> 16), p[2] = (uint8_t)(len >> 8), p[3] = (uint8_t)len;
        memcpy(p + 4, body, len);
        d->tr_len += 4 + len;
    }
    ta_event ev = {.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = type, .body = body, .body_len = (uint32_t)len,
                   .hello = hello};
    if (cert)
        ev.cert_count = 1, ev.certs = &cert->cert, ev.certs_available = 1;
    drv_feed(d, ev);
}

static void drv_msg(drv *d, int sender, uint8_t type, const void *body, size_t len)
{
    drv_msg_ex(d, sender, type, body, len, NULL, NULL, true);
}

static const uint8_t CERT_BODY[] = {0, 0, 0};
static void drv_cert(drv *d, int sender, const sh_keypair *kp)
{
    drv_msg_ex(d, sender, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, NULL, kp, true);
}

static void drv_record(drv *d, int sender, ta_event_kind kind)
{
    drv_feed(d, (ta_event){.kind = kind, .sender = sender, .record_length = 100});
}

static const ta_handshake *drv_hs(const drv *d, unsigned i) { return ta_conn_handshake(d->conn, i); }

/* TLS 1.3 CertificateVerify over the transcript so far (SHA-384 suite), signed by kp. */
static void drv_tls13_cv(drv *d, int sender, const sh_keypair *kp, gnutls_sign_algorithm_t alg, uint16_t scheme)
{
    uint8_t content[256], cv[4 + 1024];
    size_t n = sh_tls13_content(content, sender == SH_SERVER ? "TLS 1.3, server CertificateVerify"
                                                               : "TLS 1.3, client CertificateVerify",
                                d->tr, d->tr_len);
    gnutls_datum_t sig = sh_sign(kp, alg, content, n);
    size_t len = sh_signature_body(cv, scheme, &sig);
    drv_msg(d, sender, TA_HS_CERTIFICATE_VERIFY, cv, len);
    gnutls_free(sig.data);
}

static const uint8_t HELLO_BODY[] = {3, 3, 0}, EE_BODY[] = {0, 0}, CR13_BODY[] = {0, 0, 0, 0}, FIN48[48] = {0};

/* TLS 1.3 (TLS_AES_256_GCM_SHA384) up to the server's EncryptedExtensions. */
static void drv_tls13_hellos(drv *d, ta_hello *ch, ta_hello *sh)
{
    *ch = (ta_hello){.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                     .random = SH_CLIENT_RANDOM, .ext_post_handshake_auth = ch->ext_post_handshake_auth};
    *sh = (ta_hello){.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                     .random = SH_SERVER_RANDOM, .cipher_suite = 0x1302};
    drv_msg_ex(d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, ch, NULL, true);
    drv_msg_ex(d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, sh, NULL, true);
    drv_msg(d, SH_SERVER, TA_HS_ENCRYPTED_EXTENSIONS, EE_BODY, sizeof EE_BODY);
}

/* TLS 1.2 ServerKeyExchange for ECDHE (named curve secp256r1), signed by kp over the randoms. */
static size_t ske_body(uint8_t *out, const sh_keypair *kp, const uint8_t *cr, const uint8_t *sr, bool flip)
{
    static const uint8_t PARAMS[] = {3, 0, 23, 4, 9, 9, 9, 9};
    uint8_t signed_data[64 + sizeof PARAMS];
    memcpy(signed_data, cr, 32);
    memcpy(signed_data + 32, sr, 32);
    memcpy(signed_data + 64, PARAMS, sizeof PARAMS);
    gnutls_datum_t sig = sh_sign(kp, GNUTLS_SIGN_ECDSA_SHA256, signed_data, sizeof signed_data);
    memcpy(out, PARAMS, sizeof PARAMS);
    size_t len = sizeof PARAMS + sh_signature_body(out + sizeof PARAMS, 0x0403, &sig);
    if (flip)
        out[len - 3] ^= 0x01;
    gnutls_free(sig.data);
    return len;
}

/* TLS 1.2: ClientHello, and a ServerHello that selects suite. */
static void drv_tls12_hellos(drv *d, uint16_t suite)
{
    const ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .random = SH_CLIENT_RANDOM};
    const ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .random = SH_SERVER_RANDOM, .cipher_suite = suite};
    drv_msg_ex(d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch, NULL, true);
    drv_msg_ex(d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh, NULL, true);
}

/* TLS 1.2 after the client's key exchange: both ChangeCipherSpec and Finished, then data both ways. */
static void drv_tls12_finish(drv *d)
{
    static const ta_event_kind KINDS[] = {TA_EV_CHANGE_CIPHER_SPEC, TA_EV_ENCRYPTED_HANDSHAKE};
    for (int role = SH_CLIENT; role <= SH_SERVER; role++)
        for (size_t k = 0; k < sizeof KINDS / sizeof *KINDS; k++)
            drv_record(d, role, KINDS[k]);
    drv_record(d, SH_CLIENT, TA_EV_APP_DATA);
    drv_record(d, SH_SERVER, TA_EV_APP_DATA);
}

static const char *status_name(uint8_t s)
{
    const char *t = ta_proof_status_token((ta_proof_status)s);
    return t ? t : "(absent)";
}

static void show(const char *label, const ta_handshake *hs, ta_role role)
{
    ta_proof p = ta_handshake_proof(hs, role);
    char text[TA_EXPLANATION_MAX];
    ta_explain_proof(hs, role, text, sizeof text);
    fprintf(stderr, "  [%s] %s: proof %s (why %u), chain %s%s\n      \"%s\"\n", label,
            role == TA_SERVER ? "server" : "client", status_name(p.status), p.why,
            hs->chain[role].verdict == TA_VERDICT_TRUSTED     ? "trusted"
            : hs->chain[role].verdict == TA_VERDICT_UNTRUSTED ? "untrusted"
                                                              : "not-checked",
            hs->chain[role].problems & TA_PROBLEM_BIT(TA_PROBLEM_PROOF_FAILED) ? " (proof-failed)" : "", text);
}

static sh_keypair victim, evil, client_kp, client_rsa;

/* 1. TLS 1.3: a server Certificate after the server's Finished (after its signature window): the
 * chain judged is the new one, and nothing can ever prove it; tlsauth leaves it trusted with
 * "not-visible: the handshake ended before the server sent its CertificateVerify". */
static void test_late_certificate_tls13(void)
{
    current_test = "TLS 1.3: a second server Certificate after the server's Finished";
    drv d;
    drv_init(&d);
    ta_hello ch = {0}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &evil); /* the attacker's own certificate, whose key it holds */
    drv_tls13_cv(&d, SH_SERVER, &evil, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_cert(&d, SH_SERVER, &victim); /* the victim's chain, key not held */
    drv_msg(&d, SH_CLIENT, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_record(&d, SH_CLIENT, TA_EV_APP_DATA);
    drv_record(&d, SH_SERVER, TA_EV_APP_DATA);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("late cert 1.3", hs, TA_SERVER);
    CHECK(hs->outcome == TA_OUTCOME_COMPLETED);
    /* The judged chain (victim) was never proven, and cannot be: must not stay trusted. */
    CHECK(!(hs->chain[TA_SERVER].verdict == TA_VERDICT_TRUSTED &&
            ta_handshake_proof(hs, TA_SERVER).status != TA_PROOF_VERIFIED));
    ta_conn_free(d.conn);
}

/* 2. TLS 1.2 mutual: after the client's CertificateVerify, a server Certificate for another
 * server. The client's proof is "verified" although the transcript it signed holds the other
 * server's Certificate, and the reported server (victim) is trusted, unproven. */
static void test_late_certificate_tls12(void)
{
    current_test = "TLS 1.2: a server Certificate after the client's CertificateVerify";
    sh_script s;
    sh_tls12_mutual(&s, &evil, &client_rsa, false); /* the server is the attacker: its own key signs */
    drv d;
    drv_init(&d);
    for (unsigned i = 0; i + 1 < s.count; i++) /* up to the client's CertificateVerify */
        drv_feed(&d, s.ev[i]);
    drv_cert(&d, SH_SERVER, &victim);
    drv_feed(&d, s.ev[s.count - 1]); /* the client's ChangeCipherSpec */
    drv_record(&d, SH_CLIENT, TA_EV_ENCRYPTED_HANDSHAKE);
    drv_record(&d, SH_SERVER, TA_EV_CHANGE_CIPHER_SPEC);
    drv_record(&d, SH_SERVER, TA_EV_ENCRYPTED_HANDSHAKE);
    drv_record(&d, SH_CLIENT, TA_EV_APP_DATA);
    drv_record(&d, SH_SERVER, TA_EV_APP_DATA);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("late cert 1.2", hs, TA_SERVER);
    show("late cert 1.2", hs, TA_CLIENT);
    CHECK(!(hs->chain[TA_SERVER].verdict == TA_VERDICT_TRUSTED &&
            ta_handshake_proof(hs, TA_SERVER).status != TA_PROOF_VERIFIED));
    sh_free(&s);
    ta_conn_free(d.conn);
}

/* 3. TLS 1.2 with a PSK-only suite (ECDHE_PSK) and a server Certificate anyway: the chain is
 * judged (trusted) and tlsauth.server.proof is absent ("no certificate to prove"). */
static void test_psk_suite_hides_certificate(void)
{
    current_test = "TLS 1.2 ECDHE_PSK suite with a server Certificate: proof absent";
    drv d;
    drv_init(&d);
    drv_tls12_hellos(&d, 0xC035);
    drv_cert(&d, SH_SERVER, &victim);
    static const uint8_t JUNK_SKE[] = {0, 0, 3, 0, 23, 1, 4};
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, JUNK_SKE, sizeof JUNK_SKE);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("psk suite", hs, TA_SERVER);
    CHECK(hs->server_chain_len == 1 && hs->chain[TA_SERVER].verdict == TA_VERDICT_TRUSTED);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status != TA_PROOF_NONE); /* a certificate was sent */
    ta_conn_free(d.conn);
}

/* 4. TLS 1.3 post-handshake authentication: a server Certificate inside the PHA exchange is
 * judged (trusted) and its proof is absent. */
static void test_pha_server_certificate(void)
{
    current_test = "TLS 1.3 PHA: a server Certificate in the post-handshake exchange: proof absent";
    drv d;
    drv_init(&d);
    ta_hello ch = {.ext_post_handshake_auth = true}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &evil);
    drv_tls13_cv(&d, SH_SERVER, &evil, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_msg(&d, SH_CLIENT, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_msg(&d, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, CR13_BODY, sizeof CR13_BODY); /* PHA starts */
    drv_cert(&d, SH_SERVER, &victim);
    const ta_handshake *pha = drv_hs(&d, 1);
    CHECK(pha && pha->post_handshake);
    if (pha) {
        show("pha server cert", pha, TA_SERVER);
        CHECK(!(pha->chain[TA_SERVER].verdict == TA_VERDICT_TRUSTED &&
                ta_handshake_proof(pha, TA_SERVER).status == TA_PROOF_NONE));
    }
    ta_conn_free(d.conn);
}

/* 5. TLS 1.2 "resumed" (the ServerHello echoes the offered session id) yet a full handshake
 * follows with a forged ServerKeyExchange: the chain is untrusted (proof-failed) but
 * tlsauth.server.proof says not-visible (resumed): the getter hides the failure. */
static void test_resumed_hides_failure(void)
{
    current_test = "TLS 1.2 session id echoed, forged ServerKeyExchange: getter says resumed";
    drv d;
    drv_init(&d);
    static const uint8_t SID[4] = {7, 7, 7, 7};
    ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .random = SH_CLIENT_RANDOM, .session_id = SID,
                   .session_id_len = 4};
    ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .random = SH_SERVER_RANDOM, .cipher_suite = 0xC02B,
                   .session_id = SID, .session_id_len = 4};
    drv_msg_ex(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch, NULL, true);
    drv_msg_ex(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh, NULL, true);
    drv_cert(&d, SH_SERVER, &victim);
    uint8_t ske[1024];
    size_t n = ske_body(ske, &evil, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false); /* signed by another key */
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("resumed", hs, TA_SERVER);
    CHECK(hs->proof[TA_SERVER].status == TA_PROOF_FAILED); /* as checked */
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_FAILED); /* as reported */
    ta_conn_free(d.conn);
}

/* 6. TLS 1.2: a forged ServerKeyExchange, then a genuine one (replayed): the chain stays
 * untrusted with proof-failed while tlsauth.server.proof says verified. */
static void test_failed_then_verified(void)
{
    current_test = "TLS 1.2: a forged ServerKeyExchange then a valid one";
    drv d;
    drv_init(&d);
    drv_tls12_hellos(&d, 0xC02B);
    drv_cert(&d, SH_SERVER, &victim);
    uint8_t bad[1024], good[1024];
    size_t nb = ske_body(bad, &victim, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, true);
    size_t ng = ske_body(good, &victim, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, bad, nb);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, good, ng);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("failed then verified", hs, TA_SERVER);
    bool untrusted = hs->chain[TA_SERVER].verdict == TA_VERDICT_UNTRUSTED;
    CHECK(!(untrusted && ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_VERIFIED)); /* consistent */
    ta_conn_free(d.conn);
}

/* 7. TLS 1.3: a ServerHelloDone (type 14, meaningless in TLS 1.3) between the server's
 * Certificate and a CertificateVerify signed by another key frees the transcript: "not-visible,
 * a message was not captured whole" instead of "failed". */
static void test_tls13_bogus_server_hello_done(void)
{
    current_test = "TLS 1.3: a stray ServerHelloDone before a forged CertificateVerify";
    drv d;
    drv_init(&d);
    ta_hello ch = {0}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &victim);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    drv_tls13_cv(&d, SH_SERVER, &evil, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("1.3 stray SHD", hs, TA_SERVER);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_FAILED);
    ta_conn_free(d.conn);
}

/* 8. TLS 1.3: a client Finished injected before the server's (forged) CertificateVerify frees the
 * transcript (client_done): "not-visible" instead of "failed". */
static void test_tls13_early_client_finished(void)
{
    current_test = "TLS 1.3: a client Finished before a forged server CertificateVerify";
    drv d;
    drv_init(&d);
    ta_hello ch = {0}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &victim);
    drv_msg(&d, SH_CLIENT, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_tls13_cv(&d, SH_SERVER, &evil, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("1.3 early client Finished", hs, TA_SERVER);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_FAILED);
    ta_conn_free(d.conn);
}

/* 9. TLS 1.2 ECDHE: the server sends its Certificate, no ServerKeyExchange and no
 * ServerHelloDone, and the handshake completes: "the handshake ended before the server sent its
 * ServerKeyExchange" (it did not end) and the chain stays trusted. */
static void test_tls12_no_server_hello_done(void)
{
    current_test = "TLS 1.2 ECDHE: Certificate, no ServerKeyExchange, no ServerHelloDone, completed";
    drv d;
    drv_init(&d);
    drv_tls12_hellos(&d, 0xC02B);
    drv_cert(&d, SH_SERVER, &victim);
    static const uint8_t CKE[] = {4, 7, 7, 7, 7};
    drv_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE);
    drv_tls12_finish(&d);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("1.2 no SHD", hs, TA_SERVER);
    CHECK(hs->outcome == TA_OUTCOME_COMPLETED);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_FAILED);
    ta_conn_free(d.conn);
}

/* 10. TLS 1.2 with a suite tlsauth cannot classify (a TLS 1.3 suite number in a TLS 1.2
 * ServerHello): a forged ServerKeyExchange is not even looked at, ServerHelloDone does not fail,
 * and the sentence says the handshake ended before the ServerKeyExchange (it was sent). */
static void test_tls12_unknown_suite(void)
{
    current_test = "TLS 1.2 unknown suite: forged ServerKeyExchange ignored";
    drv d;
    drv_init(&d);
    drv_tls12_hellos(&d, 0xC0FF);
    drv_cert(&d, SH_SERVER, &victim);
    uint8_t ske[1024];
    size_t n = ske_body(ske, &evil, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("1.2 unknown suite", hs, TA_SERVER);
    ta_proof p = ta_handshake_proof(hs, TA_SERVER);
    CHECK(!(p.status == TA_PROOF_NOT_VISIBLE && p.why == TA_WHY_NOT_SEEN)); /* it was seen */
    ta_conn_free(d.conn);
}

/* 11. DTLS 1.2: the client's final flight retransmitted (its Finished lost, say): the verified
 * CertificateVerify becomes not-visible. And the server flight retransmitted: the verified
 * ServerKeyExchange becomes not-visible. Byte-identical retransmissions must not change a proof. */
static void dtls_msg(drv *d, int sender, uint8_t type, const void *body, size_t len, uint16_t seq,
                     const ta_hello *hello, const sh_keypair *cert, bool rfc)
{
    if (rfc) { /* RFC 6347 4.2.6: DTLS headers as if unfragmented */
        uint8_t *p = d->tr + d->tr_len;
        p[0] = type, p[1] = (uint8_t)(len >> 16), p[2] = (uint8_t)(len >> 8), p[3] = (uint8_t)len;
        p[4] = (uint8_t)(seq >> 8), p[5] = (uint8_t)seq, p[6] = p[7] = p[8] = 0;
        p[9] = p[1], p[10] = p[2], p[11] = p[3];
        memcpy(p + 12, body, len);
        d->tr_len += 12 + len;
    }
    ta_event ev = {.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = type, .body = body,
                   .body_len = (uint32_t)len, .hello = hello, .dtls = true, .message_seq = seq};
    if (cert)
        ev.cert_count = 1, ev.certs = &cert->cert, ev.certs_available = 1;
    drv_feed(d, ev);
}

static void test_dtls_retransmission(void)
{
    for (int which = 0; which < 2; which++) {
        current_test = which ? "DTLS 1.2: server flight retransmitted after a verified ServerKeyExchange"
                             : "DTLS 1.2: client flight retransmitted after a verified CertificateVerify";
        drv d;
        drv_init(&d);
        ta_hello ch = {.legacy_version = 0xFEFD, .random = SH_CLIENT_RANDOM};
        ta_hello sh = {.legacy_version = 0xFEFD, .random = SH_SERVER_RANDOM, .cipher_suite = 0xC02B};
        static const uint8_t CR[] = {1, 1, 0, 2, 4, 3, 0, 0}, CKE[] = {4, 7, 7, 7, 7};
        dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, 0, &ch, NULL, true);
        dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, 0, &sh, NULL, true);
        dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &victim, true);
        uint8_t ske[1024];
        size_t n = ske_body(ske, &victim, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
        dtls_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n, 2, NULL, NULL, true);
        if (which == 1) { /* no CertificateRequest: the transcript goes at ServerHelloDone */
            dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0, 3, NULL, NULL, true);
            CHECK(ta_handshake_proof(drv_hs(&d, 0), TA_SERVER).status == TA_PROOF_VERIFIED);
            /* the client's next flight was lost: the server sends its flight again, as is */
            dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &victim, false);
            dtls_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n, 2, NULL, NULL, false);
            dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0, 3, NULL, NULL, false);
            show("dtls server retransmission", drv_hs(&d, 0), TA_SERVER);
            CHECK(ta_handshake_proof(drv_hs(&d, 0), TA_SERVER).status == TA_PROOF_VERIFIED);
            ta_conn_free(d.conn);
            continue;
        }
        dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, CR, sizeof CR, 3, NULL, NULL, true);
        dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0, 4, NULL, NULL, true);
        dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &client_kp, true);
        dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE, 2, NULL, NULL, true);
        gnutls_datum_t sig = sh_sign(&client_kp, GNUTLS_SIGN_ECDSA_SHA256, d.tr, d.tr_len);
        uint8_t cv[4 + 1024];
        size_t cv_len = sh_signature_body(cv, 0x0403, &sig);
        dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, cv_len, 3, NULL, NULL, true);
        drv_record(&d, SH_CLIENT, TA_EV_CHANGE_CIPHER_SPEC);
        drv_record(&d, SH_CLIENT, TA_EV_ENCRYPTED_HANDSHAKE);
        CHECK(ta_handshake_proof(drv_hs(&d, 0), TA_CLIENT).status == TA_PROOF_VERIFIED);
        /* the server's Finished was lost: the client sends its flight again, byte for byte */
        dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &client_kp, false);
        dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE, 2, NULL, NULL, false);
        dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, cv_len, 3, NULL, NULL, false);
        drv_record(&d, SH_CLIENT, TA_EV_CHANGE_CIPHER_SPEC);
        drv_record(&d, SH_CLIENT, TA_EV_ENCRYPTED_HANDSHAKE);
        show("dtls client retransmission", drv_hs(&d, 0), TA_CLIENT);
        CHECK(ta_handshake_proof(drv_hs(&d, 0), TA_CLIENT).status == TA_PROOF_VERIFIED);
        gnutls_free(sig.data);
        ta_conn_free(d.conn);
    }
}


/* 13. DTLS 1.2: a "retransmission" of the server's Certificate (same message_seq) carrying another
 * chain: left out of the transcript (a retransmission is there already) yet judged. The client's
 * genuine CertificateVerify, made in a handshake with another server, verifies; the report shows a
 * mutual handshake with the other server, trusted, that never took place. */
static void test_dtls_duplicate_with_other_bytes(void)
{
    current_test = "DTLS 1.2: a duplicate message_seq Certificate with other bytes";
    drv d;
    drv_init(&d);
    ta_hello ch = {.legacy_version = 0xFEFD, .random = SH_CLIENT_RANDOM};
    ta_hello sh = {.legacy_version = 0xFEFD, .random = SH_SERVER_RANDOM, .cipher_suite = 0xC02B};
    static const uint8_t CR[] = {1, 1, 0, 2, 4, 3, 0, 0}, CKE[] = {4, 7, 7, 7, 7};
    static const uint8_t OTHER_CERT_BODY[] = {0, 0, 1, 0}; /* other bytes: another chain */
    dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, 0, &ch, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, 0, &sh, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &evil, true);
    uint8_t ske[1024];
    size_t n = ske_body(ske, &evil, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
    dtls_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n, 2, NULL, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, CR, sizeof CR, 3, NULL, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0, 4, NULL, NULL, true);
    /* injected: message_seq 1 again, the victim's chain */
    dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE, OTHER_CERT_BODY, sizeof OTHER_CERT_BODY, 1, NULL, &victim, false);
    dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &client_kp, true);
    dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE, 2, NULL, NULL, true);
    gnutls_datum_t sig = sh_sign(&client_kp, GNUTLS_SIGN_ECDSA_SHA256, d.tr, d.tr_len);
    uint8_t cv[4 + 1024];
    dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, sh_signature_body(cv, 0x0403, &sig), 3, NULL, NULL, true);
    drv_record(&d, SH_CLIENT, TA_EV_CHANGE_CIPHER_SPEC);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("dtls dup cert", hs, TA_SERVER);
    show("dtls dup cert", hs, TA_CLIENT);
    CHECK(!(hs->chain[TA_SERVER].verdict == TA_VERDICT_TRUSTED &&
            ta_handshake_proof(hs, TA_SERVER).status != TA_PROOF_VERIFIED));
    gnutls_free(sig.data);
    ta_conn_free(d.conn);
}

/* 14. DTLS 1.2: a side whose first message has message_seq 65535 makes every later message of it
 * a "retransmission": left out of the transcript without a hole being noted. A client
 * CertificateVerify over a transcript without the client's Certificate and ClientKeyExchange
 * (which no real peer accepts) is "verified". */
static void test_dtls_seq_65535(void)
{
    current_test = "DTLS 1.2: first message_seq 65535, later messages dropped from the transcript";
    drv d;
    drv_init(&d);
    ta_hello ch = {.legacy_version = 0xFEFD, .random = SH_CLIENT_RANDOM};
    ta_hello sh = {.legacy_version = 0xFEFD, .random = SH_SERVER_RANDOM, .cipher_suite = 0xC02B};
    static const uint8_t CR[] = {1, 1, 0, 2, 4, 3, 0, 0}, CKE[] = {4, 7, 7, 7, 7};
    dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, 65535, &ch, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, 0, &sh, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 1, NULL, &victim, true);
    uint8_t ske[1024];
    size_t n = ske_body(ske, &victim, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
    dtls_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n, 2, NULL, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, CR, sizeof CR, 3, NULL, NULL, true);
    dtls_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0, 4, NULL, NULL, true);
    size_t without_client_messages = d.tr_len;
    dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, 0, NULL, &client_kp, true);
    dtls_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE, 1, NULL, NULL, true);
    /* signed over the transcript WITHOUT the client's Certificate and ClientKeyExchange */
    gnutls_datum_t sig = sh_sign(&client_kp, GNUTLS_SIGN_ECDSA_SHA256, d.tr, without_client_messages);
    uint8_t cv[4 + 1024];
    dtls_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, sh_signature_body(cv, 0x0403, &sig), 2, NULL, NULL, true);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("dtls seq 65535", hs, TA_CLIENT);
    CHECK(ta_handshake_proof(hs, TA_CLIENT).status != TA_PROOF_VERIFIED);
    gnutls_free(sig.data);
    ta_conn_free(d.conn);
}

/* 15. TLS (not DTLS): a HelloVerifyRequest (type 3, DTLS-only) empties the transcript, no hole
 * noted: a client CertificateVerify over the messages after it alone is "verified". */
static void test_tls_hello_verify_request(void)
{
    current_test = "TLS: a HelloVerifyRequest in TLS empties the transcript";
    drv d;
    drv_init(&d);
    ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .random = SH_CLIENT_RANDOM};
    ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .random = SH_SERVER_RANDOM, .cipher_suite = 0xC02B};
    static const uint8_t CR[] = {1, 1, 0, 2, 4, 3, 0, 0}, CKE[] = {4, 7, 7, 7, 7}, HVR[] = {3, 3, 0};
    drv_msg_ex(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch, NULL, true);
    drv_msg_ex(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh, NULL, true);
    drv_cert(&d, SH_SERVER, &victim);
    uint8_t ske[1024];
    size_t n = ske_body(ske, &victim, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n);
    drv_msg(&d, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, CR, sizeof CR);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    drv_msg(&d, SH_CLIENT, TA_HS_HELLO_VERIFY_REQUEST, HVR, sizeof HVR);
    size_t from = d.tr_len;
    drv_cert(&d, SH_CLIENT, &client_kp);
    drv_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE);
    gnutls_datum_t sig = sh_sign(&client_kp, GNUTLS_SIGN_ECDSA_SHA256, d.tr + from, d.tr_len - from);
    uint8_t cv[4 + 1024];
    drv_msg(&d, SH_CLIENT, TA_HS_CERTIFICATE_VERIFY, cv, sh_signature_body(cv, 0x0403, &sig));
    const ta_handshake *hs = drv_hs(&d, 0);
    show("tls hvr", hs, TA_CLIENT);
    CHECK(ta_handshake_proof(hs, TA_CLIENT).status != TA_PROOF_VERIFIED);
    gnutls_free(sig.data);
    ta_conn_free(d.conn);
}


/* 16. A failed proof is erased by sending the Certificate again: the chain is judged anew
 * (trusted), the proof goes back to "not seen yet", and if no end of the signature window follows
 * (TLS 1.3: a client Finished first frees the transcript, so the server's Finished finds nothing;
 * TLS 1.2: no ServerHelloDone) the forged signature leaves no trace: trusted, not-visible. */
static void test_failure_erased_by_second_certificate(void)
{
    current_test = "TLS 1.3: forged CertificateVerify, then the Certificate again: failure erased";
    drv d;
    drv_init(&d);
    ta_hello ch = {0}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &victim);
    drv_tls13_cv(&d, SH_SERVER, &evil, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    CHECK(ta_handshake_proof(drv_hs(&d, 0), TA_SERVER).status == TA_PROOF_FAILED);
    drv_cert(&d, SH_SERVER, &victim);
    drv_msg(&d, SH_CLIENT, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_record(&d, SH_CLIENT, TA_EV_APP_DATA);
    drv_record(&d, SH_SERVER, TA_EV_APP_DATA);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("failure erased 1.3", hs, TA_SERVER);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_FAILED);
    CHECK(hs->chain[TA_SERVER].verdict == TA_VERDICT_UNTRUSTED);
    ta_conn_free(d.conn);

    current_test = "TLS 1.2: forged ServerKeyExchange, then the Certificate again: failure erased";
    drv_init(&d);
    ta_hello ch2 = {.legacy_version = TA_VERSION_TLS12, .random = SH_CLIENT_RANDOM};
    ta_hello sh2 = {.legacy_version = TA_VERSION_TLS12, .random = SH_SERVER_RANDOM, .cipher_suite = 0xC02B};
    drv_msg_ex(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch2, NULL, true);
    drv_msg_ex(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh2, NULL, true);
    drv_cert(&d, SH_SERVER, &victim);
    uint8_t ske[1024];
    size_t n = ske_body(ske, &evil, SH_CLIENT_RANDOM, SH_SERVER_RANDOM, false);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_KEY_EXCHANGE, ske, n);
    CHECK(ta_handshake_proof(drv_hs(&d, 0), TA_SERVER).status == TA_PROOF_FAILED);
    drv_cert(&d, SH_SERVER, &victim);
    static const uint8_t CKE[] = {4, 7, 7, 7, 7};
    drv_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE);
    drv_tls12_finish(&d);
    hs = drv_hs(&d, 0);
    show("failure erased 1.2", hs, TA_SERVER);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_FAILED);
    CHECK(hs->chain[TA_SERVER].verdict == TA_VERDICT_UNTRUSTED);
    ta_conn_free(d.conn);
}


/* 17. DTLS 1.3 (RFC 9147 5.2): the transcript holds TLS 1.3-style headers, without message_seq and
 * fragment fields; tlsauth keeps DTLS 1.2's 12-byte headers, so a genuine DTLS 1.3
 * CertificateVerify fails (chain untrusted, proof-failed). */
static void test_dtls13_transcript(void)
{
    current_test = "DTLS 1.3: genuine server CertificateVerify (RFC 9147 transcript)";
    drv d;
    drv_init(&d);
    ta_hello ch = {.legacy_version = 0xFEFD, .supported_version_max = TA_VERSION_DTLS13, .random = SH_CLIENT_RANDOM};
    ta_hello sh = {.legacy_version = 0xFEFD, .supported_version_max = TA_VERSION_DTLS13, .random = SH_SERVER_RANDOM,
                   .cipher_suite = 0x1302};
    /* rfc = true appends TLS-style (4-byte) headers to d.tr via drv_msg_ex; the events say DTLS */
    ta_event ev;
    struct { uint8_t type; const void *body; size_t len; const ta_hello *hello; const sh_keypair *cert; int sender; } M[] = {
        {TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch, NULL, SH_CLIENT},
        {TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh, NULL, SH_SERVER},
        {TA_HS_ENCRYPTED_EXTENSIONS, EE_BODY, sizeof EE_BODY, NULL, NULL, SH_SERVER},
        {TA_HS_CERTIFICATE, CERT_BODY, sizeof CERT_BODY, NULL, &victim, SH_SERVER},
    };
    uint16_t seq[2] = {0, 0};
    for (unsigned i = 0; i < sizeof M / sizeof *M; i++) {
        uint8_t *p = d.tr + d.tr_len;
        p[0] = M[i].type, p[1] = 0, p[2] = 0, p[3] = (uint8_t)M[i].len;
        memcpy(p + 4, M[i].body, M[i].len);
        d.tr_len += 4 + M[i].len;
        ev = (ta_event){.kind = TA_EV_HANDSHAKE, .sender = M[i].sender, .hs_type = M[i].type, .body = M[i].body,
                        .body_len = (uint32_t)M[i].len, .hello = M[i].hello, .dtls = true,
                        .message_seq = seq[M[i].sender]++};
        if (M[i].cert)
            ev.cert_count = 1, ev.certs = &M[i].cert->cert, ev.certs_available = 1;
        drv_feed(&d, ev);
    }
    uint8_t content[256], cv[4 + 1024];
    size_t n = sh_tls13_content(content, "TLS 1.3, server CertificateVerify", d.tr, d.tr_len);
    gnutls_datum_t sig = sh_sign(&victim, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, content, n);
    size_t len = sh_signature_body(cv, 0x0403, &sig);
    drv_feed(&d, (ta_event){.kind = TA_EV_HANDSHAKE, .sender = SH_SERVER, .hs_type = TA_HS_CERTIFICATE_VERIFY,
                            .body = cv, .body_len = (uint32_t)len, .dtls = true, .message_seq = seq[SH_SERVER]++});
    const ta_handshake *hs = drv_hs(&d, 0);
    show("dtls 1.3", hs, TA_SERVER);
    CHECK(ta_handshake_proof(hs, TA_SERVER).status == TA_PROOF_VERIFIED);
    gnutls_free(sig.data);
    ta_conn_free(d.conn);
}

/* 18. TLS 1.3 with a suite whose hash tlsauth does not know: the sentence blames the (known,
 * checkable) signature scheme. */
static void test_unknown_tls13_suite_words(void)
{
    current_test = "TLS 1.3, unknown suite hash: the words blame the scheme";
    drv d;
    drv_init(&d);
    ta_hello ch = {0}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    sh.cipher_suite = 0x00C6; /* TLS_SM4_GCM_SM3, RFC 8998 */
    /* the ServerHello was already fed with 0x1302: feed another handshake with the SM3 suite */
    ta_conn_free(d.conn);
    drv_init(&d);
    ch = (ta_hello){.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                    .random = SH_CLIENT_RANDOM};
    drv_msg_ex(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch, NULL, true);
    drv_msg_ex(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh, NULL, true);
    drv_cert(&d, SH_SERVER, &victim);
    drv_tls13_cv(&d, SH_SERVER, &victim, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("sm3 suite", hs, TA_SERVER);
    char text[TA_EXPLANATION_MAX];
    ta_explain_proof(hs, TA_SERVER, text, sizeof text);
    CHECK(!strstr(text, "uses ecdsa_secp256r1_sha256, which tlsauth cannot verify"));
    ta_conn_free(d.conn);
}


/* 19. TLS 1.3: a second post-handshake authentication signs the main handshake + its own
 * CertificateRequest and Certificate (RFC 8446 4.4.1), like the first; tlsauth takes the base from
 * the previous handshake on the connection (the first PHA, whose transcript is gone): not-visible. */
static void test_second_pha(void)
{
    current_test = "TLS 1.3: a second post-handshake authentication";
    drv d;
    drv_init(&d);
    ta_hello ch = {.ext_post_handshake_auth = true}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &victim);
    drv_tls13_cv(&d, SH_SERVER, &victim, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_msg(&d, SH_CLIENT, TA_HS_FINISHED, FIN48, sizeof FIN48);
    size_t main_len = d.tr_len;
    for (int round = 0; round < 2; round++) {
        d.tr_len = main_len; /* each PHA: the main handshake, then its own messages */
        static const uint8_t CR1[] = {1, 1, 0, 0}, CR2[] = {1, 2, 0, 0}; /* distinct contexts */
        drv_msg(&d, SH_SERVER, TA_HS_CERTIFICATE_REQUEST, round ? CR2 : CR1, 4);
        drv_cert(&d, SH_CLIENT, &client_kp);
        drv_tls13_cv(&d, SH_CLIENT, &client_kp, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
        drv_msg(&d, SH_CLIENT, TA_HS_FINISHED, FIN48, sizeof FIN48);
        const ta_handshake *pha = drv_hs(&d, 1 + (unsigned)round);
        CHECK(pha && pha->post_handshake);
        if (pha) {
            show(round ? "second PHA" : "first PHA", pha, TA_CLIENT);
            CHECK(ta_handshake_proof(pha, TA_CLIENT).status == TA_PROOF_VERIFIED);
        }
    }
    ta_conn_free(d.conn);
}


/* 20. A client CertificateVerify without any client Certificate: tlsauth.client.proof appears
 * ("not-visible: the client's certificate was not read whole") for a client that sent none;
 * README: "absent when it sent no certificate". */
static void test_cv_without_certificate(void)
{
    current_test = "TLS 1.3: a client CertificateVerify without a client Certificate";
    drv d;
    drv_init(&d);
    ta_hello ch = {0}, sh;
    drv_tls13_hellos(&d, &ch, &sh);
    drv_cert(&d, SH_SERVER, &victim);
    drv_tls13_cv(&d, SH_SERVER, &victim, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    drv_msg(&d, SH_SERVER, TA_HS_FINISHED, FIN48, sizeof FIN48);
    drv_tls13_cv(&d, SH_CLIENT, &client_kp, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, 0x0403);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("cv without cert", hs, TA_CLIENT);
    CHECK(hs->client_chain_len < 0);
    CHECK(!(ta_handshake_proof(hs, TA_CLIENT).status == TA_PROOF_NOT_VISIBLE &&
            ta_handshake_proof(hs, TA_CLIENT).why == TA_WHY_CERT_UNREADABLE));
    ta_conn_free(d.conn);
}


/* 21. TLS 1.2 RSA key transport: the Certificate overwrites "key transport" with "not seen yet"
 * (and, since 5999780, the client's encrypted Finished turns it into "a message was not captured
 * whole"): the documented reason never shows. */
static void test_key_transport_reason(void)
{
    current_test = "TLS 1.2 RSA key transport: the reason after the Certificate";
    drv d;
    drv_init(&d);
    drv_tls12_hellos(&d, 0x002F);
    drv_cert(&d, SH_SERVER, &client_rsa);
    drv_msg(&d, SH_SERVER, TA_HS_SERVER_HELLO_DONE, "", 0);
    static const uint8_t CKE[] = {0, 4, 7, 7, 7, 7};
    drv_msg(&d, SH_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, CKE, sizeof CKE);
    drv_record(&d, SH_CLIENT, TA_EV_CHANGE_CIPHER_SPEC);
    drv_record(&d, SH_CLIENT, TA_EV_ENCRYPTED_HANDSHAKE);
    const ta_handshake *hs = drv_hs(&d, 0);
    show("rsa key transport", hs, TA_SERVER);
    CHECK(ta_handshake_proof(hs, TA_SERVER).why == TA_WHY_KEY_TRANSPORT);
    ta_conn_free(d.conn);
}

/* 12. Memory: a TLS 1.3 handshake without keys whose client offered post-handshake auth (Python's
 * http.client sets it on every HTTPS connection) keeps its transcript (a 4 KiB block at least)
 * until the capture is closed, although the transcript has a hole (missing) and can never serve. */
static void test_pha_keeps_useless_transcript(void)
{
    current_test = "TLS 1.3 without keys, PHA offered: transcript kept after the outcome";
    drv d;
    drv_init(&d);
    ta_hello ch = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                   .random = SH_CLIENT_RANDOM, .ext_post_handshake_auth = true};
    ta_hello sh = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                   .random = SH_SERVER_RANDOM, .cipher_suite = 0x1301};
    drv_msg_ex(&d, SH_CLIENT, TA_HS_CLIENT_HELLO, HELLO_BODY, sizeof HELLO_BODY, &ch, NULL, true);
    drv_msg_ex(&d, SH_SERVER, TA_HS_SERVER_HELLO, HELLO_BODY, sizeof HELLO_BODY, &sh, NULL, true);
    for (int i = 0; i < 4; i++)
        drv_record(&d, SH_SERVER, TA_EV_OPAQUE_RECORD);
    drv_feed(&d, (ta_event){.kind = TA_EV_OPAQUE_RECORD, .sender = SH_CLIENT, .record_length = 74});
    drv_feed(&d, (ta_event){.kind = TA_EV_OPAQUE_RECORD, .sender = SH_CLIENT, .record_length = 500});
    drv_feed(&d, (ta_event){.kind = TA_EV_OPAQUE_RECORD, .sender = SH_SERVER, .record_length = 500});
    drv_feed(&d, (ta_event){.kind = TA_EV_OPAQUE_RECORD, .sender = SH_SERVER, .record_length = 500});
    drv_feed(&d, (ta_event){.kind = TA_EV_CLOSE, .sender = SH_CLIENT, .close = TA_CLOSE_FIN});
    const ta_handshake *hs = drv_hs(&d, 0);
    fprintf(stderr, "  [pha retention] outcome %s, proof_work %s\n", ta_outcome_token(hs->outcome),
            hs->proof_work ? "KEPT" : "freed");
    CHECK(hs->outcome != TA_OUTCOME_INCOMPLETE);
    CHECK(hs->proof_work == NULL);
    ta_conn_free(d.conn);
}

int main(void)
{
    victim = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    evil = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    client_kp = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    client_rsa = sh_make_keypair(GNUTLS_PK_RSA, 2048);
    test_late_certificate_tls13();
    test_late_certificate_tls12();
    test_psk_suite_hides_certificate();
    test_pha_server_certificate();
    test_resumed_hides_failure();
    test_failed_then_verified();
    test_tls13_bogus_server_hello_done();
    test_tls13_early_client_finished();
    test_tls12_no_server_hello_done();
    test_tls12_unknown_suite();
    test_dtls_retransmission();
    test_pha_keeps_useless_transcript();
    test_dtls_duplicate_with_other_bytes();
    test_dtls_seq_65535();
    test_tls_hello_verify_request();
    test_failure_erased_by_second_certificate();
    test_dtls13_transcript();
    test_unknown_tls13_suite_words();
    test_second_pha();
    test_cv_without_certificate();
    test_key_transport_reason();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
