/* tlsauth revocation: the CRLs of crl_file, judged for each certificate of a path at the
 * verification time. GnuTLS would judge their freshness against the wall clock, and call a
 * certificate revoked even when it was revoked after the capture. See include/tlsauth/verify.h. */
#include "verify_internal.h"

#include <string.h>

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
