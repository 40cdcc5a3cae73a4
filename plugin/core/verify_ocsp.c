/* tlsauth verifier: stapled OCSP responses. See include/tlsauth/verify.h. */
#include "verify_internal.h"

#include <gnutls/ocsp.h>
#include <string.h>

#define MAX_SINGLE_RESPONSES 64

const char *ta_ocsp_status_token(ta_ocsp_status status)
{
    static const char *const tokens[] = {"good", "revoked", "unknown", "signature-invalid", "stale", "malformed"};
    return (unsigned)status < sizeof tokens / sizeof *tokens ? tokens[status] : "malformed";
}

static const char *response_status_name(int status)
{
    switch (status) {
    case GNUTLS_OCSP_RESP_MALFORMEDREQUEST: return "malformedRequest";
    case GNUTLS_OCSP_RESP_INTERNALERROR: return "internalError";
    case GNUTLS_OCSP_RESP_TRYLATER: return "tryLater";
    case GNUTLS_OCSP_RESP_SIGREQUIRED: return "sigRequired";
    case GNUTLS_OCSP_RESP_UNAUTHORIZED: return "unauthorized";
    default: return "an unknown status";
    }
}

static void describe_responder(gnutls_ocsp_resp_t resp, char *buf, size_t size)
{
    ta_text t;
    gnutls_datum_t d = {NULL, 0};
    ta__text_init(&t, buf, size);
    if (gnutls_ocsp_resp_get_responder2(resp, &d, 0) >= 0 && d.size) {
        ta__text_put(&t, d.data, d.size);
    } else {
        gnutls_free(d.data);
        d.data = NULL;
        d.size = 0;
        if (gnutls_ocsp_resp_get_responder_raw_id(resp, GNUTLS_OCSP_RESP_ID_KEY, &d) >= 0) {
            ta__text_puts(&t, "key ID ");
            for (unsigned i = 0; i < d.size && !t.cut; i++)
                ta__text_printf(&t, i ? ":%02X" : "%02X", d.data[i]);
        }
    }
    gnutls_free(d.data);
}

/* The leaf's issuer: a certificate sent with it, else an anchor of the store (a copy). */
static gnutls_x509_crt_t find_issuer(ta_store *store, gnutls_x509_crt_t leaf, const ta_der *chain, size_t count)
{
    gnutls_x509_crt_t issuer = NULL;
    for (size_t i = 1; i < count && i < TA_VERIFY_MAX_CERTS; i++) {
        gnutls_x509_crt_t c = ta__import_crt(&chain[i]);
        if (c && gnutls_x509_crt_check_issuer(leaf, c))
            return c;
        if (c)
            gnutls_x509_crt_deinit(c);
    }
    gnutls_x509_trust_list_t list = ta__store_list(store);
    if (list && gnutls_x509_trust_list_get_issuer(list, leaf, &issuer, GNUTLS_TL_GET_COPY) >= 0)
        return issuer;
    return NULL;
}

static void signature_problem(ta_text *t, unsigned verify)
{
    if (verify & GNUTLS_OCSP_VERIFY_SIGNER_NOT_FOUND)
        ta__text_puts(t, "the response is signed neither by the certificate's issuer nor by a responder "
                         "certificate included in it");
    else if (verify & GNUTLS_OCSP_VERIFY_SIGNER_KEYUSAGE_ERROR)
        ta__text_puts(t, "the responder certificate is not allowed to sign OCSP responses (no OCSPSigning usage)");
    else if (verify & GNUTLS_OCSP_VERIFY_INSECURE_ALGORITHM)
        ta__text_puts(t, "the response is signed with an insecure algorithm");
    else if (verify & GNUTLS_OCSP_VERIFY_SIGNATURE_FAILURE)
        ta__text_puts(t, "the response signature does not verify");
    else if (verify & GNUTLS_OCSP_VERIFY_UNTRUSTED_SIGNER)
        ta__text_puts(t, "the response is signed by a responder certificate that the certificate's issuer "
                         "did not issue: it cannot speak for that issuer");
    else
        ta__text_printf(t, "the response signature was rejected (GnuTLS status 0x%x)", verify);
}

void ta_verify_ocsp(ta_store *store, const ta_der *ocsp_response, const ta_der *chain, size_t count,
                    int64_t verify_time, ta_ocsp_result *out)
{
    gnutls_ocsp_resp_t resp = NULL;
    gnutls_x509_crt_t leaf = NULL, issuer = NULL;
    ta_text why;
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    ta__text_init(&why, out->reason, sizeof out->reason);
    out->status = TA_OCSP_MALFORMED;

    if (!ocsp_response || !ocsp_response->data || ocsp_response->len == 0 || ocsp_response->len > TA_DER_MAX) {
        ta__text_puts(&why, "the stapled OCSP response is empty or too large");
        return;
    }
    gnutls_datum_t d = {(unsigned char *)ocsp_response->data, (unsigned)ocsp_response->len};
    if (gnutls_ocsp_resp_init(&resp) < 0) {
        ta__text_puts(&why, "out of memory");
        return;
    }
    if (gnutls_ocsp_resp_import(resp, &d) < 0) {
        ta__text_puts(&why, "the stapled OCSP response could not be parsed");
        goto done;
    }
    int rs = gnutls_ocsp_resp_get_status(resp);
    if (rs != GNUTLS_OCSP_RESP_SUCCESSFUL) {
        ta__text_printf(&why, "the responder answered %s instead of a certificate status", response_status_name(rs));
        goto done;
    }
    describe_responder(resp, out->responder, sizeof out->responder);

    leaf = chain && count ? ta__import_crt(&chain[0]) : NULL;
    if (!leaf) {
        out->status = TA_OCSP_UNKNOWN;
        ta__text_puts(&why, "no parsable certificate was sent, so the response cannot be matched to one");
        goto done;
    }
    unsigned cert_status = 0;
    time_t this_update = -1, next_update = -1, revoked_at = -1;
    int found = -1;
    for (unsigned i = 0; i < MAX_SINGLE_RESPONSES && found < 0; i++) {
        unsigned reason = 0;
        int r = gnutls_ocsp_resp_get_single(resp, i, NULL, NULL, NULL, NULL, &cert_status, &this_update,
                                            &next_update, &revoked_at, &reason);
        if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            break;
        if (r < 0) {
            ta__text_puts(&why, "a response in the stapled OCSP data could not be parsed");
            goto done;
        }
        if (gnutls_ocsp_resp_check_crt(resp, i, leaf) == 0)
            found = (int)i;
    }
    if (found < 0) {
        out->status = TA_OCSP_UNKNOWN;
        ta__text_puts(&why, "the stapled response is about another certificate: it says nothing about this one");
        goto done;
    }
    out->this_update = this_update == (time_t)-1 ? 0 : (int64_t)this_update;
    out->next_update = next_update == (time_t)-1 ? 0 : (int64_t)next_update;
    out->revocation_time = cert_status == GNUTLS_OCSP_CERT_REVOKED && revoked_at != (time_t)-1 ? revoked_at : 0;

    issuer = find_issuer(store, leaf, chain, count);
    if (!issuer) {
        out->status = TA_OCSP_SIGNATURE_INVALID;
        ta__text_puts(&why, "the response signature cannot be checked: the certificate's issuer was neither "
                            "sent nor found in the CA store");
        goto done;
    }
    /* Dates are ours to judge (a delegated responder certificate is checked against GnuTLS's
     * clock otherwise); SHA-1 as the store says. */
    unsigned verify = 0, flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                                 (ta__store_allow_sha1(store) ? GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 : 0);
    int r = gnutls_ocsp_resp_verify_direct(resp, issuer, &verify, flags);
    verify &= ~(unsigned)(GNUTLS_OCSP_VERIFY_CERT_NOT_ACTIVATED | GNUTLS_OCSP_VERIFY_CERT_EXPIRED);
    if (r < 0 || verify) {
        out->status = TA_OCSP_SIGNATURE_INVALID;
        if (r < 0)
            ta__text_printf(&why, "the response signature could not be checked: %s", gnutls_strerror(r));
        else
            signature_problem(&why, verify);
        goto done;
    }

    /* A revocation stays true however old the news; anything else needs a fresh response. */
    if (cert_status == GNUTLS_OCSP_CERT_REVOKED) {
        out->status = TA_OCSP_REVOKED;
        ta__text_puts(&why, "the responder says the certificate is revoked");
        if (out->revocation_time && out->revocation_time <= verify_time) {
            ta__text_puts(&why, ", since ");
            ta__text_days(&why, verify_time, out->revocation_time);
            ta__text_puts(&why, " before the verification time");
        }
    } else if (this_update == (time_t)-1 || this_update > verify_time) {
        out->status = TA_OCSP_STALE;
        if (this_update == (time_t)-1) {
            ta__text_puts(&why, "the response has no readable production time (thisUpdate)");
        } else {
            ta__text_puts(&why, "the response was produced ");
            ta__text_days(&why, this_update, verify_time);
            ta__text_puts(&why, " after the verification time: check the clocks");
        }
    } else if (next_update != (time_t)-1 && verify_time > next_update) {
        out->status = TA_OCSP_STALE;
        ta__text_puts(&why, "the response had expired ");
        ta__text_days(&why, verify_time, next_update);
        ta__text_puts(&why, " before the verification time (nextUpdate): the server must refresh its staple");
    } else if (cert_status == GNUTLS_OCSP_CERT_GOOD) {
        out->status = TA_OCSP_GOOD;
        ta__text_puts(&why, "the responder says the certificate is good");
    } else {
        out->status = TA_OCSP_UNKNOWN;
        ta__text_puts(&why, "the responder does not know this certificate");
    }

done:
    if (issuer)
        gnutls_x509_crt_deinit(issuer);
    if (leaf)
        gnutls_x509_crt_deinit(leaf);
    gnutls_ocsp_resp_deinit(resp);
}
