/* tlsauth chain verifier: bounded text, certificate description, DER helpers. See
 * include/tlsauth/verify.h. The store is verify_store.c, the paths verify_chain.c, what TLS asks
 * of the leaf verify_policy.c, revocation verify_crl.c, every word verify_explain.c, the cache
 * verify_cache.c, stapled OCSP verify_ocsp.c. */
#define _POSIX_C_SOURCE 200809L /* strnlen, inet_ntop, gmtime_r */
#include "verify_internal.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

void ta__text_date(ta_text *t, int64_t when)
{
    struct tm tm;
    time_t tt = (time_t)when;
    if ((int64_t)tt == when && gmtime_r(&tt, &tm))
        ta__text_printf(t, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        ta__text_printf(t, "(time %lld)", (long long)when);
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

void ta_dn_text(const ta_der *dn, char *buf, size_t size)
{
    gnutls_datum_t in = {dn ? (unsigned char *)dn->data : NULL, dn ? (unsigned)dn->len : 0}, out = {NULL, 0};
    static const char UNREADABLE[] = "(a name that cannot be read)";
    if (dn && dn->data && dn->len && dn->len <= TA_DER_MAX && gnutls_x509_rdn_get2(&in, &out, 0) >= 0)
        set_text(buf, size, out.data, out.size);
    else
        set_text(buf, size, UNREADABLE, sizeof UNREADABLE - 1);
    gnutls_free(out.data);
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
