/* tlsauth revocation: the CRLs of crl_file, judged for each certificate of a path at the
 * verification time. GnuTLS would judge their freshness against the wall clock, and call a
 * certificate revoked even when it was revoked after the capture. See include/tlsauth/verify.h. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "verify_internal.h"

#include <string.h>
#include <time.h>

/* Serial numbers are at most 20 bytes (RFC 5280 4.1.2.2); hostile ones may be longer. */
#define SERIAL_MAX 1024

/* Whether cert's serial is listed, and when: false when the CRL could not be read whole. */
static bool listed_in(gnutls_x509_crl_t crl, const uint8_t *serial, size_t serial_len, ta_revocation *out)
{
    gnutls_x509_crl_iter_t iter = NULL;
    uint8_t listed[SERIAL_MAX];
    int r;
    for (;;) {
        size_t listed_len = sizeof listed;
        time_t when;
        if ((r = gnutls_x509_crl_iter_crt_serial(crl, &iter, listed, &listed_len, &when)) < 0)
            break;
        /* A revocation without a readable date is taken as always revoked: fail closed. */
        int64_t at = when == (time_t)-1 ? INT64_MIN : (int64_t)when;
        if (listed_len == serial_len && memcmp(listed, serial, serial_len) == 0 && at < out->revoked_at)
            out->revoked_at = at;
    }
    gnutls_x509_crl_iter_deinit(iter);
    return r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
}

/* What the CRLs of issuer say of cert (time-independent: the dates are kept for the timed part).
 * Only a CRL that names issuer and whose signature its key verifies counts. */
void ta__crl_lookup(const ta_store *store, gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, ta_revocation *out)
{
    unsigned count;
    const gnutls_x509_crl_t *crls = ta__store_crls(store, &count);
    const unsigned flags = CHAIN_VERIFY_FLAGS | (ta__store_allow_sha1(store) ? GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 : 0);
    /* GnuTLS judges a CRL's dates against the wall clock whatever the flags: they are ours. */
    const unsigned dated = GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE;
    uint8_t serial[SERIAL_MAX];
    size_t serial_len = sizeof serial;
    *out = (ta_revocation){ta__store_crl_configured(store) ? TA_CRL_NONE_COVERS : TA_CRL_NOT_CONFIGURED, 0, 0, INT64_MAX};
    if (out->state == TA_CRL_NOT_CONFIGURED || !cert || !issuer)
        return;
    bool serial_known = gnutls_x509_crt_get_serial(cert, serial, &serial_len) >= 0;
    for (unsigned i = 0; i < count; i++) {
        unsigned status = 0;
        if (!gnutls_x509_crl_check_issuer(crls[i], issuer))
            continue;
        if (gnutls_x509_crl_verify(crls[i], &issuer, 1, flags, &status) < 0 ||
            ((status & ~dated) && !((status & ~dated) == GNUTLS_CERT_INVALID && (status & dated)))) {
            if (out->state == TA_CRL_NONE_COVERS) /* a date bit comes with INVALID: that one is ours */
                out->state = TA_CRL_UNVERIFIED;
            continue;
        }
        if (!serial_known || !listed_in(crls[i], serial, serial_len, out)) {
            out->state = TA_CRL_UNREADABLE;
            return;
        }
        time_t this_update = gnutls_x509_crl_get_this_update(crls[i]);
        time_t next_update = gnutls_x509_crl_get_next_update(crls[i]);
        int64_t next = next_update == (time_t)-1 ? INT64_MAX : (int64_t)next_update; /* absent: never stale */
        bool first = out->state != TA_CRL_COVERED;
        if (first || (int64_t)this_update > out->this_update)
            out->this_update = this_update;
        if (first || next > out->next_update)
            out->next_update = next;
        out->state = TA_CRL_COVERED;
    }
}

ta_problem_set ta__revocation_at(const ta_revocation *rv, int64_t t)
{
    /* A CRL of the issuer that cannot be read or verified cannot show anything: fail closed. */
    if (rv->state == TA_CRL_UNREADABLE || rv->state == TA_CRL_UNVERIFIED)
        return TA_PROBLEM_BIT(TA_PROBLEM_REVOCATION_UNKNOWN);
    if (rv->state != TA_CRL_COVERED)
        return 0;
    if (rv->revoked_at <= t)
        return TA_PROBLEM_BIT(TA_PROBLEM_REVOKED);
    if (rv->revoked_at != INT64_MAX) /* revoked after t: it was not revoked then */
        return 0;
    return t > rv->next_update ? TA_PROBLEM_BIT(TA_PROBLEM_REVOCATION_UNKNOWN) : 0;
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
