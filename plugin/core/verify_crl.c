/* tlsauth revocation: the CRLs of crl_file, judged for each certificate of a path at the
 * verification time. GnuTLS would judge their freshness against the wall clock, and call a
 * certificate revoked even when it was revoked after the capture. See include/tlsauth/verify.h. */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "verify_internal.h"

#include <string.h>
#include <time.h>

/* What the CRLs of issuer say of cert (time-independent: the dates are kept for the timed part).
 * Only a CRL that names issuer and whose signature its key verifies counts. */
void ta__crl_lookup(const ta_store *store, gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, ta_cert_info *ci)
{
    unsigned count;
    const gnutls_x509_crl_t *crls = ta__store_crls(store, &count);
    const unsigned flags = CHAIN_VERIFY_FLAGS | (ta__store_allow_sha1(store) ? GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 : 0);
    uint8_t serial[64];
    size_t serial_len = sizeof serial;
    ci->crl_state = ta__store_crl_configured(store) ? TA_CRL_NONE_COVERS : TA_CRL_NOT_CONFIGURED;
    ci->crl_this_update = ci->crl_next_update = 0;
    ci->revoked_at = INT64_MAX;
    if (!cert || !issuer || gnutls_x509_crt_get_serial(cert, serial, &serial_len) < 0)
        return;
    /* GnuTLS judges a CRL's dates against the wall clock whatever the flags: they are ours. */
    const unsigned dated = GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE;
    for (unsigned i = 0; i < count; i++) {
        unsigned status = 0;
        if (!gnutls_x509_crl_check_issuer(crls[i], issuer) ||
            gnutls_x509_crl_verify(crls[i], &issuer, 1, flags, &status) < 0)
            continue;
        unsigned rest = status & ~dated; /* a date bit comes with INVALID: that one is ours too */
        if (rest && !(rest == GNUTLS_CERT_INVALID && (status & dated)))
            continue;
        time_t this_update = gnutls_x509_crl_get_this_update(crls[i]);
        time_t next_update = gnutls_x509_crl_get_next_update(crls[i]);
        int64_t next = next_update == (time_t)-1 ? INT64_MAX : (int64_t)next_update; /* absent: never stale */
        if (ci->crl_state != TA_CRL_COVERED || (int64_t)this_update > ci->crl_this_update)
            ci->crl_this_update = this_update;
        if (ci->crl_state != TA_CRL_COVERED || next > ci->crl_next_update)
            ci->crl_next_update = next;
        ci->crl_state = TA_CRL_COVERED;
        gnutls_x509_crl_iter_t iter = NULL;
        for (;;) {
            uint8_t listed[64];
            size_t listed_len = sizeof listed;
            time_t when;
            if (gnutls_x509_crl_iter_crt_serial(crls[i], &iter, listed, &listed_len, &when) < 0)
                break;
            /* A revocation without a readable date is taken as always revoked: fail closed. */
            int64_t at = when == (time_t)-1 ? INT64_MIN : (int64_t)when;
            if (listed_len == serial_len && memcmp(listed, serial, serial_len) == 0 && at < ci->revoked_at)
                ci->revoked_at = at;
        }
        gnutls_x509_crl_iter_deinit(iter);
    }
}

ta_problem_set ta__revocation_at(const ta_cert_info *ci, int64_t t)
{
    if (ci->crl_state != TA_CRL_COVERED)
        return 0;
    if (ci->revoked_at <= t)
        return TA_PROBLEM_BIT(TA_PROBLEM_REVOKED);
    if (ci->revoked_at != INT64_MAX) /* revoked after t: it was not revoked then */
        return 0;
    return t > ci->crl_next_update ? TA_PROBLEM_BIT(TA_PROBLEM_REVOCATION_UNKNOWN) : 0;
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

void ta__revocation_sentence(ta_cert_info *ci, int64_t t, bool soft_fail)
{
    ta_text s;
    ta__text_init(&s, ci->revocation, sizeof ci->revocation);
    switch (ci->crl_state) {
    case TA_CRL_NOT_CONFIGURED: return;
    case TA_CRL_NONE_COVERS:
        ta__text_puts(&s, "not checked: the CRL file holds no CRL of its issuer ");
        ta__text_puts(&s, ci->issuer[0] ? ci->issuer : "(unknown)");
        return;
    default: break;
    }
    if (ci->revoked_at <= t) {
        ta__text_puts(&s, "revoked on ");
        ta__text_date(&s, ci->revoked_at);
        ta__text_puts(&s, ", before the verification time");
    } else if (ci->revoked_at != INT64_MAX) {
        ta__text_puts(&s, "not revoked at the verification time: its CA revoked it ");
        ta__text_days(&s, ci->revoked_at, t);
        ta__text_puts(&s, " later, on ");
        ta__text_date(&s, ci->revoked_at);
    } else if (t > ci->crl_next_update) {
        ta__text_puts(&s, "unknown: the newest CRL of its issuer has been stale since ");
        ta__text_date(&s, ci->crl_next_update);
        ta__text_puts(&s, " (its next update), ");
        ta__text_days(&s, t, ci->crl_next_update);
        ta__text_puts(&s, soft_fail ? " before the verification time; accepted because crl_soft_fail is on"
                                    : " before the verification time");
    } else {
        ta__text_puts(&s, "not revoked: not listed in its issuer's CRL of ");
        ta__text_date(&s, ci->crl_this_update);
    }
}
