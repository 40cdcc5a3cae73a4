/* tlsauth verifier: every word it says. Public tokens and the problem explanations, and the
 * sentences of a result (its reason, each certificate's validity and revocation), from the codes
 * and data the rest of the verifier returns. See include/tlsauth/verify.h. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "verify_internal.h"

#include <limits.h>
#include <string.h>

/* ---- tokens and explanations ------------------------------------------------------------- */

typedef struct problem_info {
    const char *token;
    const char *generic, *server, *client; /* server/client: NULL when the generic one fits */
} problem_info;

static const problem_info PROBLEMS[TA_PROBLEM_COUNT] = {
    [TA_PROBLEM_UNKNOWN_ISSUER] = {"unknown-issuer",
        "the chain does not lead to a CA in the configured CA store: add the right root CA to the CA "
        "file, or get the certificate issued by a CA that is trusted",
        "the server's chain does not lead to a CA in the configured CA store: add its root CA to the CA "
        "file, or give the server a certificate from a trusted CA",
        "the client's chain does not lead to a CA in the configured CA store: add its root CA to the CA "
        "file, or give the client a certificate from the CA the server trusts"},
    [TA_PROBLEM_MISSING_INTERMEDIATE] = {"missing-intermediate",
        "the top certificate sent is not a root and its issuer was not sent: configure the full chain "
        "(certificate, then its intermediate CAs) where this certificate is installed, or add the missing "
        "CA to the CA store if the chain is complete",
        "the server did not send its intermediate CA: configure the full chain on the server (if the "
        "chain it sent is complete, its root CA is missing from your CA store instead)",
        "the client did not send its intermediate CA: configure the client to send its full chain (if "
        "the chain it sent is complete, its root CA is missing from your CA store instead)"},
    [TA_PROBLEM_UNTRUSTED_ROOT] = {"untrusted-root",
        "the chain was sent up to its root CA, and that root is not in the configured CA store: add it to "
        "the CA file if it is meant to be trusted, or get the certificate issued under a trusted root",
        "the server sent its chain up to a root CA that is not in the configured CA store: add that root "
        "to the CA file if you trust it, or give the server a certificate from a trusted CA",
        "the client sent its chain up to a root CA that is not in the configured CA store: add that root "
        "to the CA file if the server should trust it, or give the client a certificate from the CA the "
        "server trusts"},
    [TA_PROBLEM_SELF_SIGNED] = {"self-signed",
        "the certificate is self-signed and not in the CA store: replace it with one issued by your CA, "
        "or add it to the CA file if it is meant to be trusted", NULL, NULL},
    [TA_PROBLEM_EXPIRED] = {"expired",
        "a certificate of the chain had expired at the verification time: renew it and install the new "
        "one (or check the clock of the machine that made the capture)", NULL, NULL},
    [TA_PROBLEM_NOT_YET_VALID] = {"not-yet-valid",
        "a certificate of the chain was not valid yet at the verification time: check the clocks of the "
        "machines involved, or wait until its start date", NULL, NULL},
    [TA_PROBLEM_HOSTNAME_MISMATCH] = {"hostname-mismatch",
        "the certificate does not name the host the client asked for (SNI): issue a certificate whose "
        "subject alternative names include that name, or connect using a name it lists", NULL, NULL},
    [TA_PROBLEM_WRONG_PURPOSE] = {"wrong-purpose",
        "the certificate's extended key usage does not allow this use (serverAuth for servers, "
        "clientAuth for clients): reissue it with the right usage",
        "the certificate is not allowed for TLS servers (its extended key usage lacks serverAuth): "
        "reissue it with serverAuth",
        "the certificate is not allowed for TLS clients (its extended key usage lacks clientAuth): "
        "reissue it with clientAuth"},
    [TA_PROBLEM_BAD_SIGNATURE] = {"bad-signature",
        "a signature in the chain does not verify: a certificate was altered or was not signed by the CA "
        "it names; reinstall the original certificate and chain", NULL, NULL},
    [TA_PROBLEM_SIGNER_NOT_CA] = {"signer-not-ca",
        "a certificate of the chain was signed by a certificate that is not a CA: get it issued by a "
        "real CA", NULL, NULL},
    [TA_PROBLEM_INSECURE_ALGORITHM] = {"insecure-algorithm",
        "the chain uses an insecure signature algorithm such as SHA-1 or MD5: reissue the certificate "
        "with SHA-256 or better", NULL, NULL},
    [TA_PROBLEM_REVOKED] = {"revoked",
        "a certificate of the chain was revoked by its CA (listed in the CRL): install a new "
        "certificate", NULL, NULL},
    [TA_PROBLEM_CONSTRAINTS_VIOLATION] = {"constraints-violation",
        "the chain breaks a limit set on a CA (path length, name constraints, or a key not allowed to "
        "sign certificates): get the certificate from a CA that is allowed to issue it", NULL, NULL},
    [TA_PROBLEM_UNKNOWN_CRITICAL_EXTENSION] = {"unknown-critical-extension",
        "a certificate has a critical extension the verifier does not understand: reissue it without "
        "that extension", NULL, NULL},
    [TA_PROBLEM_MALFORMED] = {"malformed",
        "a certificate could not be parsed: the certificate file where it is installed is corrupt or not "
        "X.509; reinstall it", NULL, NULL},
    [TA_PROBLEM_UNKNOWN_ALGORITHM] = {"unknown-algorithm",
        "a certificate's signature algorithm is unknown or has malformed parameters, so its signature "
        "cannot be checked: reissue it with ECDSA or RSA and SHA-256 or better", NULL, NULL},
    [TA_PROBLEM_WEAK_KEY] = {"weak-key",
        "a key of the chain is weaker than the verification profile allows (RSA below 2048 bits by "
        "default): reissue the certificate with a stronger key, or lower tlsauth.verify_profile for "
        "old captures", NULL, NULL},
    [TA_PROBLEM_NO_DIGITAL_SIGNATURE] = {"missing-digital-signature",
        "the certificate's key usage does not allow digitalSignature, which this handshake needed (to sign "
        "the CertificateVerify or the ServerKeyExchange): reissue it with digitalSignature",
        "the server certificate's key usage does not allow digitalSignature, which this handshake needed "
        "(TLS 1.3 CertificateVerify, or a TLS 1.2 (EC)DHE ServerKeyExchange): reissue it with it",
        "the client certificate's key usage does not allow digitalSignature, which a client needs to sign "
        "its CertificateVerify: reissue it with digitalSignature"},
    [TA_PROBLEM_NO_KEY_ENCIPHERMENT] = {"missing-key-encipherment",
        "the server certificate's key usage does not allow keyEncipherment, which RSA key transport needs: "
        "reissue it with keyEncipherment, or use an ECDHE cipher suite", NULL, NULL},
    [TA_PROBLEM_NO_KEY_AGREEMENT] = {"missing-key-agreement",
        "the server certificate's key usage does not allow keyAgreement, which a static (EC)DH cipher suite "
        "needs: reissue it with keyAgreement, or use an ECDHE cipher suite", NULL, NULL},
    [TA_PROBLEM_REVOCATION_UNKNOWN] = {"revocation-unknown",
        "no CRL of an issuer on the chain can show the certificate unrevoked at the verification time (past "
        "its next update, or unreadable): load a current CRL, or set tlsauth.crl_soft_fail", NULL, NULL},
    [TA_PROBLEM_VERIFIER_REJECTED] = {"verifier-rejected",
        "GnuTLS rejected the chain for a reason tlsauth has no name for (its words are in the reason): "
        "check the certificates with certtool --verify or openssl verify", NULL, NULL},
    [TA_PROBLEM_PROOF_FAILED] = {"proof-failed",
        "the peer presented this certificate but did not prove it holds its private key: its signature "
        "(CertificateVerify or ServerKeyExchange) does not verify with the certificate's public key",
        "the server presented this certificate but did not prove it holds its private key: its signature "
        "(CertificateVerify or ServerKeyExchange) does not verify with the certificate's public key",
        "the client presented this certificate but did not prove it holds its private key: its "
        "CertificateVerify does not verify with the certificate's public key"},
    [TA_PROBLEM_CHAIN_ORDER] = {"chain-order",
        "the chain was sent out of order or with unrelated certificates: list the certificate first, "
        "then each issuer in order, and remove the others",
        "the server sent its chain out of order or with unrelated certificates: configure the "
        "certificate first, then each issuer in order, and remove the others",
        "the client sent its chain out of order or with unrelated certificates: configure the "
        "certificate first, then each issuer in order, and remove the others"},
};

const char *ta_problem_token(ta_problem problem)
{
    return (unsigned)problem < TA_PROBLEM_COUNT ? PROBLEMS[problem].token : "";
}

const char *ta_problem_explanation(ta_problem problem)
{
    return (unsigned)problem < TA_PROBLEM_COUNT ? PROBLEMS[problem].generic : "";
}

const char *ta_problem_explanation_for(ta_problem problem, ta_purpose purpose)
{
    if ((unsigned)problem >= TA_PROBLEM_COUNT)
        return "";
    const char *s = purpose == TA_PURPOSE_CLIENT ? PROBLEMS[problem].client : PROBLEMS[problem].server;
    return s ? s : PROBLEMS[problem].generic;
}

const char *ta_key_use_text(ta_key_use use)
{
    switch (use) {
    case TA_KEY_USE_CERTIFICATE_VERIFY: return "sign the CertificateVerify (digitalSignature)";
    case TA_KEY_USE_SIGNED_KEY_EXCHANGE: return "sign the (EC)DHE ServerKeyExchange (digitalSignature)";
    case TA_KEY_USE_KEY_TRANSPORT: return "decrypt the premaster secret of RSA key transport (keyEncipherment)";
    case TA_KEY_USE_KEY_AGREEMENT: return "agree on the premaster secret with static (EC)DH (keyAgreement)";
    default: return "";
    }
}

const char *ta_verdict_token(ta_verdict verdict)
{
    return verdict == TA_VERDICT_TRUSTED ? "trusted" : verdict == TA_VERDICT_UNTRUSTED ? "untrusted" : "not-checked";
}

const char *ta_cert_role_token(ta_cert_role role)
{
    static const char *const tokens[] = {"leaf", "intermediate", "root-sent", "unrelated", "malformed",
                                         "trust-anchor"};
    return (unsigned)role < sizeof tokens / sizeof *tokens ? tokens[role] : "unknown";
}

const char *ta_signed_token(ta_signed s)
{
    return s == TA_SIGNED_YES ? "yes" : s == TA_SIGNED_NO ? "no" : "not-checked";
}

const char *ta_purpose_token(ta_purpose purpose)
{
    return purpose == TA_PURPOSE_CLIENT ? "client" : "server";
}

void ta__join_problems(ta_text *t, ta_problem_set problems)
{
    bool first = true;
    for (unsigned p = 0; p < TA_PROBLEM_COUNT; p++) {
        if (!(problems & TA_PROBLEM_BIT(p)))
            continue;
        ta__text_printf(t, "%s%s", first ? "" : ", ", PROBLEMS[p].token);
        first = false;
    }
}

void ta_problems_join(ta_problem_set problems, char *buf, size_t size)
{
    ta_text t;
    if (!buf || !size)
        return;
    ta__text_init(&t, buf, size);
    ta__join_problems(&t, problems);
}

/* ---- the sentences of a result ------------------------------------------------------------ */

/* store_dates: a copy of a trust anchor that ends the path: the store copy's dates are judged. */
void ta__validity_sentence(ta_cert_info *ci, int64_t t, bool store_dates)
{
    ta_text s;
    ta__text_init(&s, ci->validity, sizeof ci->validity);
    if (!ci->parsed)
        return;
    int64_t not_before = store_dates ? ci->anchor_not_before : ci->not_before;
    int64_t not_after = store_dates ? ci->anchor_not_after : ci->not_after;
    if (store_dates)
        ta__text_puts(&s, "as the trust anchor in your store: ");
    if (!ci->dates_known) {
        ta__text_puts(&s, "its validity dates could not be read");
    } else if (t < not_before) {
        ta__text_puts(&s, "not valid until ");
        ta__text_days(&s, not_before, t);
        ta__text_puts(&s, " after the verification time");
    } else if (t > not_after) {
        ta__text_puts(&s, "expired ");
        ta__text_days(&s, t, not_after);
        ta__text_puts(&s, " before the verification time");
    } else if (not_after == INT64_MAX) {
        ta__text_puts(&s, "valid, with no expiration date");
    } else {
        ta__text_puts(&s, "valid for another ");
        ta__text_days(&s, not_after, t);
    }
}

void ta__revocation_sentence(const ta_revocation *rv, const char *issuer_dn, int64_t t, bool soft_fail, char *buf,
                             size_t size)
{
    ta_text s;
    ta__text_init(&s, buf, size);
    const char *issuer = issuer_dn && issuer_dn[0] ? issuer_dn : "(unknown)";
    switch (rv->state) {
    case TA_CRL_NOT_CONFIGURED: return;
    case TA_CRL_NONE_COVERS:
        ta__text_puts(&s, "not checked: the CRL file holds no CRL of its issuer ");
        ta__text_puts(&s, issuer);
        return;
    case TA_CRL_UNVERIFIED:
        ta__text_puts(&s, "unknown: the CRL file names its issuer ");
        ta__text_puts(&s, issuer);
        ta__text_puts(&s, ", but that issuer's key verifies none of those CRLs");
        break;
    case TA_CRL_UNREADABLE:
        ta__text_puts(&s, "unknown: a CRL of its issuer could not be read whole");
        break;
    default:
        if (rv->revoked_at <= t) {
            ta__text_puts(&s, "revoked on ");
            ta__text_date(&s, rv->revoked_at);
            ta__text_puts(&s, ", before the verification time");
        } else if (rv->revoked_at != INT64_MAX) {
            ta__text_puts(&s, "not revoked at the verification time: its CA revoked it ");
            ta__text_days(&s, rv->revoked_at, t);
            ta__text_puts(&s, " later, on ");
            ta__text_date(&s, rv->revoked_at);
        } else if (t <= rv->next_update) {
            ta__text_puts(&s, "not revoked: not listed in its issuer's CRL of ");
            ta__text_date(&s, rv->this_update);
        } else {
            ta__text_puts(&s, "unknown: the newest CRL of its issuer has been stale since ");
            ta__text_date(&s, rv->next_update);
            ta__text_puts(&s, " (its next update), ");
            ta__text_days(&s, t, rv->next_update);
            ta__text_puts(&s, " before the verification time");
            break;
        }
        return;
    }
    if (soft_fail)
        ta__text_puts(&s, "; accepted because crl_soft_fail is on");
}

static void name_culprit(ta_text *s, const ta_chain_result *r, int entry, unsigned sent, const char *what)
{
    if (entry < 0)
        return;
    unsigned e = (unsigned)entry < sent ? (unsigned)entry : sent; /* the path's anchor moved to sent */
    ta__text_printf(s, "; %s: certificate %u (%s)", what, e + 1, r->certs[e].subject);
}

/* Which certificate: a token says what is wrong, not where. */
static void name_culprits(ta_text *s, const ta_chain_result *r, const ta_path *p, unsigned sent)
{
    if (!p)
        return;
    if (r->problems & TA_PROBLEM_BIT(TA_PROBLEM_BAD_SIGNATURE))
        name_culprit(s, r, p->bad_signature_at, sent, "signature not made by its issuer's key");
    if (r->problems & TA_PROBLEM_BIT(TA_PROBLEM_UNKNOWN_ALGORITHM))
        name_culprit(s, r, p->unknown_algorithm_at, sent, "signature algorithm unknown or malformed");
    if (r->problems & TA_PROBLEM_BIT(TA_PROBLEM_WEAK_KEY))
        name_culprit(s, r, p->weak_key_at, sent, "key too weak for the verification profile");
    const ta_problem_set key_usage = TA_PROBLEM_BIT(TA_PROBLEM_NO_DIGITAL_SIGNATURE) |
                                     TA_PROBLEM_BIT(TA_PROBLEM_NO_KEY_ENCIPHERMENT) |
                                     TA_PROBLEM_BIT(TA_PROBLEM_NO_KEY_AGREEMENT);
    if (r->problems & key_usage)
        ta__text_printf(s, "; the leaf had to %s, and its keyUsage allows only %s", ta_key_use_text(r->key_use),
                        r->certs[0].key_usage);
}

void ta__reason_no_certificate(ta_text *t)
{
    ta__text_puts(t, "no certificate was sent, so there is nothing to verify");
}

void ta__reason_store(ta_text *t, const char *store_error)
{
    ta__text_printf(t, "not checked: %s", store_error);
}

void ta__reason_sentence(ta_chain_result *r, const ta_path *p, unsigned sent, const ta_cert_info *anchor)
{
    size_t kept = strnlen(r->reason, sizeof r->reason - 1); /* keep what the untimed part said */
    ta_text s = {r->reason, sizeof r->reason, kept, false};
    r->reason[kept] = '\0';
    if (r->verdict == TA_VERDICT_TRUSTED) {
        s.len = 0;
        ta__text_puts(&s, "trusted: the chain leads to the trust anchor ");
        ta__text_puts(&s, anchor && anchor->subject[0] ? anchor->subject : "in the CA store");
        if (r->problems) {
            ta__text_puts(&s, "; warning: ");
            ta__join_problems(&s, r->problems);
        }
        if (r->problems & TA_PROBLEM_BIT(TA_PROBLEM_REVOCATION_UNKNOWN))
            ta__text_puts(&s, " (a stale CRL: accepted because crl_soft_fail is on)");
    } else if (r->verdict == TA_VERDICT_UNTRUSTED && (r->problems & ~TA_PROBLEMS_WARNINGS_FOR(r->crl_soft_fail))) {
        s.len = 0;
        ta__text_puts(&s, "not trusted: ");
        ta__join_problems(&s, r->problems);
        name_culprits(&s, r, p, sent);
        if (r->problems & TA_PROBLEM_BIT(TA_PROBLEM_VERIFIER_REJECTED)) {
            gnutls_datum_t text = {NULL, 0};
            if (r->gnutls_status == UINT_MAX)
                ta__text_puts(&s, " (GnuTLS could not verify the chain)");
            else if (gnutls_certificate_verification_status_print(r->gnutls_status, GNUTLS_CRT_X509, &text, 0) >= 0) {
                ta__text_puts(&s, " (GnuTLS: ");
                ta__text_put(&s, text.data, text.size);
                ta__text_puts(&s, ")");
            }
            gnutls_free(text.data);
        }
    }
    if (s.len == 0 && r->verdict == TA_VERDICT_UNTRUSTED)
        ta__text_puts(&s, "not trusted");
    if (r->truncated)
        ta__text_printf(&s, " (only the first %d of the %u certificates sent were analysed)",
                        TA_VERIFY_MAX_CERTS, r->sent_count);
}
