/* tlsauth chain verifier: bounded text, tokens and sentences, certificate description, DER
 * helpers. See include/tlsauth/verify.h. The store is verify_store.c, the paths verify_chain.c,
 * what TLS asks of the leaf verify_policy.c, revocation verify_crl.c, the cache verify_cache.c,
 * stapled OCSP verify_ocsp.c. */
#define _POSIX_C_SOURCE 200809L /* strnlen, inet_ntop */
#include "verify_internal.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

/* ---- bounded text ------------------------------------------------------------------------ */

void ta__text_init(ta_text *t, char *buf, size_t size)
{
    t->buf = buf;
    t->size = size;
    t->len = 0;
    t->cut = false;
    if (size)
        buf[0] = '\0';
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid (overlong, surrogate, beyond U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) || (s[0] == 0xF0 && s[1] < 0x90) ||
        (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

static void text_cut(ta_text *t)
{
    t->cut = true;
    if (t->size < 4)
        return;
    while (t->len + 4 > t->size) { /* drop whole characters until "..." fits */
        do
            t->len--;
        while (t->len > 0 && ((unsigned char)t->buf[t->len] & 0xC0) == 0x80);
    }
    memcpy(t->buf + t->len, "...", 4);
    t->len += 3;
}

void ta__text_put(ta_text *t, const void *s, size_t n)
{
    const unsigned char *p = s;
    if (!t->size || !p)
        return;
    for (size_t i = 0; i < n && !t->cut;) {
        size_t len = utf8_len(p + i, n - i);
        const unsigned char *src = p + i;
        size_t src_len = len;
        if (len == 0 || (len == 1 && (p[i] < 0x20 || p[i] == 0x7F)) ||
            (len == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0)) { /* invalid, C0 or C1 control */
            src = (const unsigned char *)"?";
            src_len = 1;
            if (len == 0)
                len = 1;
        }
        if (t->len + src_len + 1 > t->size) {
            text_cut(t);
            break;
        }
        memcpy(t->buf + t->len, src, src_len);
        t->len += src_len;
        t->buf[t->len] = '\0';
        i += len;
    }
}

void ta__text_puts(ta_text *t, const char *s)
{
    if (s)
        ta__text_put(t, s, strlen(s));
}

void ta__text_vprintf(ta_text *t, const char *fmt, va_list ap)
{
    char tmp[1024];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0)
        return;
    ta__text_put(t, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void ta__text_printf(ta_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ta__text_vprintf(t, fmt, ap);
    va_end(ap);
}

void ta__text_days(ta_text *t, int64_t later, int64_t earlier)
{
    /* Times come from captures and preferences: any int64_t, so the difference may overflow. */
    int64_t seconds;
    if (__builtin_sub_overflow(later, earlier, &seconds))
        seconds = later > earlier ? INT64_MAX : INT64_MIN;
    int64_t days = seconds / DAY;
    if (days == 0)
        ta__text_puts(t, "less than a day");
    else
        ta__text_printf(t, "%lld day%s", (long long)days, days == 1 ? "" : "s");
}

static void set_text(char *buf, size_t size, const void *s, size_t n)
{
    ta_text t;
    ta__text_init(&t, buf, size);
    ta__text_put(&t, s, n);
}

static void hex(ta_text *t, const uint8_t *p, size_t n, bool colons)
{
    for (size_t i = 0; i < n && !t->cut; i++)
        ta__text_printf(t, colons && i ? ":%02X" : "%02X", p[i]);
}

/* ---- tokens and sentences ---------------------------------------------------------------- */

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

/* ---- certificate description ------------------------------------------------------------- */

gnutls_x509_crt_t ta__import_crt(const ta_der *der)
{
    gnutls_x509_crt_t crt;
    if (!der || !der->data || der->len == 0 || der->len > TA_DER_MAX)
        return NULL;
    if (gnutls_x509_crt_init(&crt) < 0)
        return NULL;
    gnutls_datum_t d = {(unsigned char *)der->data, (unsigned)der->len};
    if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
        gnutls_x509_crt_deinit(crt);
        return NULL;
    }
    return crt;
}

static void describe_dn(char *buf, size_t size, int (*get)(gnutls_x509_crt_t, gnutls_datum_t *, unsigned),
                        gnutls_x509_crt_t crt)
{
    gnutls_datum_t d = {NULL, 0};
    if (get(crt, &d, 0) >= 0)
        set_text(buf, size, d.data, d.size);
    gnutls_free(d.data);
}

static const char *curve_name(gnutls_ecc_curve_t curve)
{
    switch (curve) {
    case GNUTLS_ECC_CURVE_SECP192R1: return "P-192";
    case GNUTLS_ECC_CURVE_SECP224R1: return "P-224";
    case GNUTLS_ECC_CURVE_SECP256R1: return "P-256";
    case GNUTLS_ECC_CURVE_SECP384R1: return "P-384";
    case GNUTLS_ECC_CURVE_SECP521R1: return "P-521";
    default: {
        const char *name = gnutls_ecc_curve_get_name(curve);
        return name ? name : "unknown curve";
    }
    }
}

static void describe_key(gnutls_x509_crt_t crt, char *buf, size_t size)
{
    ta_text t;
    unsigned bits = 0;
    int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
    ta__text_init(&t, buf, size);
    switch (pk) {
    case GNUTLS_PK_RSA: ta__text_printf(&t, "RSA %u", bits); break;
    case GNUTLS_PK_RSA_PSS: ta__text_printf(&t, "RSA-PSS %u", bits); break;
    case GNUTLS_PK_DSA: ta__text_printf(&t, "DSA %u", bits); break;
    case GNUTLS_PK_ECDSA: {
        gnutls_ecc_curve_t curve;
        gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};
        if (gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) >= 0)
            ta__text_printf(&t, "EC %s", curve_name(curve));
        else
            ta__text_printf(&t, "EC %u", bits);
        gnutls_free(x.data);
        gnutls_free(y.data);
        break;
    }
    case GNUTLS_PK_EDDSA_ED25519: ta__text_puts(&t, "Ed25519"); break;
    case GNUTLS_PK_EDDSA_ED448: ta__text_puts(&t, "Ed448"); break;
    default: {
        const char *name = pk > 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
        if (name)
            ta__text_printf(&t, "%s %u", name, bits);
        else
            ta__text_puts(&t, "unknown");
    }
    }
}

static void describe_sig(gnutls_x509_crt_t crt, char *buf, size_t size)
{
    int sig = gnutls_x509_crt_get_signature_algorithm(crt);
    const char *name = sig > 0 ? gnutls_sign_get_name((gnutls_sign_algorithm_t)sig) : NULL;
    char oid[128];
    size_t oid_size = sizeof oid;
    if (name)
        set_text(buf, size, name, strlen(name));
    else if (gnutls_x509_crt_get_signature_oid(crt, oid, &oid_size) >= 0)
        set_text(buf, size, oid, strnlen(oid, sizeof oid));
    else
        set_text(buf, size, "unknown", 7);
}

static void describe_san(gnutls_x509_crt_t crt, char *buf, size_t size)
{
    ta_text t;
    ta__text_init(&t, buf, size);
    for (unsigned seq = 0; seq < 256 && !t.cut; seq++) {
        char name[512], ip[INET6_ADDRSTRLEN];
        size_t len = sizeof name - 1;
        unsigned type = 0, critical = 0;
        int r = gnutls_x509_crt_get_subject_alt_name2(crt, seq, name, &len, &type, &critical);
        if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE || (r < 0 && r != GNUTLS_E_SHORT_MEMORY_BUFFER))
            break;
        if (t.len)
            ta__text_puts(&t, ", ");
        if (r == GNUTLS_E_SHORT_MEMORY_BUFFER) {
            ta__text_puts(&t, "(a name too long to show)");
            continue;
        }
        switch (r) {
        case GNUTLS_SAN_DNSNAME: ta__text_puts(&t, "DNS:"); ta__text_put(&t, name, len); break;
        case GNUTLS_SAN_RFC822NAME: ta__text_puts(&t, "email:"); ta__text_put(&t, name, len); break;
        case GNUTLS_SAN_URI: ta__text_puts(&t, "URI:"); ta__text_put(&t, name, len); break;
        case GNUTLS_SAN_DN: ta__text_puts(&t, "DirName:"); ta__text_put(&t, name, len); break;
        case GNUTLS_SAN_IPADDRESS:
            if ((len == 4 && inet_ntop(AF_INET, name, ip, sizeof ip)) ||
                (len == 16 && inet_ntop(AF_INET6, name, ip, sizeof ip)))
                ta__text_printf(&t, "IP:%s", ip);
            else
                ta__text_puts(&t, "IP:(invalid)");
            break;
        default: ta__text_puts(&t, "othername"); break;
        }
    }
}

static const char *eku_name(const char *oid)
{
    static const char *const names[][2] = {
        {GNUTLS_KP_TLS_WWW_SERVER, "serverAuth"}, {GNUTLS_KP_TLS_WWW_CLIENT, "clientAuth"},
        {GNUTLS_KP_CODE_SIGNING, "codeSigning"}, {GNUTLS_KP_EMAIL_PROTECTION, "emailProtection"},
        {GNUTLS_KP_TIME_STAMPING, "timeStamping"}, {GNUTLS_KP_OCSP_SIGNING, "OCSPSigning"},
        {GNUTLS_KP_ANY, "anyExtendedKeyUsage"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(oid, names[i][0]) == 0)
            return names[i][1];
    return oid;
}

static void describe_eku(gnutls_x509_crt_t crt, char *buf, size_t size)
{
    ta_text t;
    ta__text_init(&t, buf, size);
    for (unsigned i = 0; i < 64 && !t.cut; i++) {
        char oid[128];
        size_t len = sizeof oid;
        unsigned critical = 0;
        int r = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &len, &critical);
        if (r == GNUTLS_E_SHORT_MEMORY_BUFFER)
            continue;
        if (r < 0)
            break;
        ta__text_printf(&t, "%s%s", i ? ", " : "", eku_name(oid));
    }
}

/* RFC 5280 4.2.1.3 names, in the order of the bits. */
static void describe_key_usage(gnutls_x509_crt_t crt, char *buf, size_t size)
{
    static const struct {
        unsigned bit;
        const char *name;
    } USAGES[] = {
        {GNUTLS_KEY_DIGITAL_SIGNATURE, "digitalSignature"}, {GNUTLS_KEY_NON_REPUDIATION, "nonRepudiation"},
        {GNUTLS_KEY_KEY_ENCIPHERMENT, "keyEncipherment"},   {GNUTLS_KEY_DATA_ENCIPHERMENT, "dataEncipherment"},
        {GNUTLS_KEY_KEY_AGREEMENT, "keyAgreement"},         {GNUTLS_KEY_KEY_CERT_SIGN, "keyCertSign"},
        {GNUTLS_KEY_CRL_SIGN, "cRLSign"},                   {GNUTLS_KEY_ENCIPHER_ONLY, "encipherOnly"},
        {GNUTLS_KEY_DECIPHER_ONLY, "decipherOnly"},
    };
    unsigned usage = 0, critical = 0;
    ta_text t;
    ta__text_init(&t, buf, size);
    int r = gnutls_x509_crt_get_key_usage(crt, &usage, &critical);
    if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return;
    if (r < 0) {
        ta__text_puts(&t, "(cannot be read: allows nothing)");
        return;
    }
    for (size_t i = 0; i < sizeof USAGES / sizeof *USAGES; i++)
        if (usage & USAGES[i].bit)
            ta__text_printf(&t, "%s%s", t.len ? ", " : "", USAGES[i].name);
    if (!t.len)
        ta__text_puts(&t, "(none)");
}

void ta__fingerprint(const uint8_t *p, size_t n, char *buf, size_t size)
{
    uint8_t digest[32];
    ta_text t;
    ta__text_init(&t, buf, size);
    if (p && n && n <= TA_DER_MAX && gnutls_hash_fast(GNUTLS_DIG_SHA256, p, n, digest) >= 0)
        hex(&t, digest, sizeof digest, true);
}

void ta__describe_cert(gnutls_x509_crt_t crt, ta_cert_info *ci)
{
    uint8_t serial[64];
    size_t serial_len = sizeof serial;
    ta_text t;
    ci->parsed = true;
    describe_dn(ci->subject, sizeof ci->subject, gnutls_x509_crt_get_dn3, crt);
    describe_dn(ci->issuer, sizeof ci->issuer, gnutls_x509_crt_get_issuer_dn3, crt);
    ta__text_init(&t, ci->serial, sizeof ci->serial);
    int r = gnutls_x509_crt_get_serial(crt, serial, &serial_len);
    if (r >= 0) {
        size_t skip = 0;
        while (skip + 1 < serial_len && serial[skip] == 0)
            skip++;
        hex(&t, serial + skip, serial_len - skip, false);
    } else if (r == GNUTLS_E_SHORT_MEMORY_BUFFER) {
        ta__text_puts(&t, "(longer than 64 bytes)");
    }
    /* (time_t)-1 as notAfter is GnuTLS for 99991231235959Z: no well-defined expiration date. */
    time_t nb = gnutls_x509_crt_get_activation_time(crt), na = gnutls_x509_crt_get_expiration_time(crt);
    ci->dates_known = nb != (time_t)-1;
    ci->not_before = nb;
    ci->not_after = na == (time_t)-1 ? INT64_MAX : (int64_t)na;
    describe_key(crt, ci->key, sizeof ci->key);
    describe_sig(crt, ci->sig_alg, sizeof ci->sig_alg);
    describe_san(crt, ci->san, sizeof ci->san);
    describe_eku(crt, ci->eku, sizeof ci->eku);
    describe_key_usage(crt, ci->key_usage, sizeof ci->key_usage);
    ci->self_signed = gnutls_x509_crt_check_issuer(crt, crt) != 0;
}

/* The header of the DER TLV at p (tag, then a definite length of up to max_octets bytes):
 * false unless the whole TLV fits in n. */
bool ta__der_header(const uint8_t *p, size_t n, size_t max_octets, size_t *hdr, size_t *len)
{
    if (n < 2)
        return false;
    *len = p[1];
    *hdr = 2;
    if (*len & 0x80) {
        size_t k = *len & 0x7F;
        if (k == 0 || k > max_octets || n < 2 + k)
            return false;
        *len = 0;
        for (size_t i = 0; i < k; i++)
            *len = (*len << 8) | p[2 + i];
        *hdr += k;
    }
    return *len <= n - *hdr;
}

/* One DER element of a window: its tag, and the whole element (header included) and its content.
 * Single-byte tags and lengths of up to 4 bytes, which is all a certificate's first fields use. */
typedef struct der_window {
    const uint8_t *at;
    size_t left;
} der_window;

static bool der_next(der_window *w, uint8_t *tag, der_window *element, der_window *content)
{
    size_t header, len;
    if (!ta__der_header(w->at, w->left, 4, &header, &len))
        return false;
    *tag = w->at[0];
    if (element)
        *element = (der_window){w->at, header + len};
    if (content)
        *content = (der_window){w->at + header, len};
    w->at += header + len;
    w->left -= header + len;
    return true;
}

/* The issuer Name of a certificate as DER, found by walking the first fields of the
 * TBSCertificate (RFC 5280 section 4.1) instead of parsing it all: this runs for every client
 * chain of a CertificateRequest'ed handshake. */
static bool der_issuer(const ta_der *cert, der_window *issuer)
{
    der_window w = {cert->data, cert->data ? cert->len : 0}, certificate, tbs;
    uint8_t tag;
    if (!der_next(&w, &tag, NULL, &certificate) || tag != 0x30 ||
        !der_next(&certificate, &tag, NULL, &tbs) || tag != 0x30 || !der_next(&tbs, &tag, NULL, NULL))
        return false;
    if (tag == 0xA0 && !der_next(&tbs, &tag, NULL, NULL)) /* [0] version, then the serial number */
        return false;
    if (tag != 0x02 || !der_next(&tbs, &tag, NULL, NULL) || tag != 0x30) /* signature algorithm */
        return false;
    return der_next(&tbs, &tag, issuer, NULL) && tag == 0x30;
}

static bool issuer_in(const ta_der *cert, const ta_der *ca_names, size_t name_count)
{
    der_window dn;
    if (!der_issuer(cert, &dn))
        return false;
    for (size_t i = 0; i < name_count; i++)
        if (ca_names[i].data && ca_names[i].len == dn.left && memcmp(ca_names[i].data, dn.at, dn.left) == 0)
            return true;
    return false;
}

bool ta_issuer_listed(const ta_der *certs, size_t count, const ta_der *ca_names, size_t name_count)
{
    if (!certs || !ca_names)
        return false;
    /* A client picks a chain that leads to a CA the server named: any link of it counts. */
    for (size_t i = 0; i < count && i < TA_VERIFY_MAX_CERTS; i++)
        if (issuer_in(&certs[i], ca_names, name_count))
            return true;
    return false;
}
