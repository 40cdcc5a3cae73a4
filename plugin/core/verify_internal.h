/* Shared between verify.c, verify_cache.c and verify_ocsp.c; not part of the public API. */
#ifndef TLSAUTH_VERIFY_INTERNAL_H
#define TLSAUTH_VERIFY_INTERNAL_H

#include "tlsauth/verify.h"

#include <stdarg.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* Bounded text: always NUL-terminated, valid UTF-8, control characters shown as '?', and
 * "..." at the end once something did not fit (after which appends are ignored). */
typedef struct ta_text {
    char *buf;
    size_t size, len;
    bool cut;
} ta_text;

void ta__text_init(ta_text *t, char *buf, size_t size);
void ta__text_put(ta_text *t, const void *s, size_t n);
void ta__text_puts(ta_text *t, const char *s);
void ta__text_printf(ta_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ta__text_vprintf(ta_text *t, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* "1 day", "3652 days", "less than a day" for a non-negative number of seconds. */
/* "N days" between two times (later - earlier), saturated instead of overflowing. */
void ta__text_days(ta_text *t, int64_t later, int64_t earlier);

/* "2026-02-01" (UTC). */
void ta__text_date(ta_text *t, int64_t when);
/* "unknown-issuer, expired" */
void ta__join_problems(ta_text *t, ta_problem_set problems);

/* Time is ours to check (see verify.h), and so is revocation (verify_crl.c). */
#define CHAIN_VERIFY_FLAGS (GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS)

/* The header of the DER TLV at p (tag, then a definite length of up to max_octets bytes):
 * false unless the whole TLV fits in n. */
bool ta__der_header(const uint8_t *p, size_t n, size_t max_octets, size_t *hdr, size_t *len);

/* A parsed certificate, or NULL for empty, oversized or unparsable DER. */
gnutls_x509_crt_t ta__import_crt(const ta_der *der);
void ta__describe_cert(gnutls_x509_crt_t crt, ta_cert_info *ci);
void ta__fingerprint(const uint8_t *p, size_t n, char *buf, size_t size);

gnutls_x509_trust_list_t ta__store_list(const ta_store *store); /* NULL without a store */
bool ta__store_allow_sha1(const ta_store *store);
bool ta__store_accept_any_eku(const ta_store *store);
bool ta__store_crl_soft_fail(const ta_store *store);
bool ta__store_crl_configured(const ta_store *store);
ta_verify_profile ta__store_profile(const ta_store *store);
uint64_t ta__store_id(const ta_store *store);
/* Every anchor (the store's own copies, valid as long as it is), and every CRL loaded. */
const gnutls_x509_crt_t *ta__store_anchors(const ta_store *store, unsigned *count);
const gnutls_x509_crl_t *ta__store_crls(const ta_store *store, unsigned *count);
/* The anchor crt is, by name and key (RFC 5280 6.1.1 (d)), or NULL. */
gnutls_x509_crt_t ta__store_anchor_of(const ta_store *store, gnutls_x509_crt_t crt);

/* verify_policy.c: the leaf's problems whatever the path (name, purpose, key usage); the
 * security level of a profile, and whether a key is below it (a key that cannot be sized is). */
ta_problem_set ta__leaf_problems(const ta_store *store, gnutls_x509_crt_t leaf, const char *host, bool host_bad,
                                 ta_purpose purpose, ta_key_use key_use);
gnutls_sec_param_t ta__profile_level(ta_verify_profile profile);
bool ta__weak_key(gnutls_x509_crt_t crt, gnutls_sec_param_t min);

/* ta_revocation.state */
enum {
    TA_CRL_NOT_CONFIGURED = 0,
    TA_CRL_NONE_COVERS,  /* no CRL names the issuer */
    TA_CRL_UNVERIFIED,   /* CRLs name the issuer, but its key verifies none of them: revocation unknown */
    TA_CRL_UNREADABLE,   /* a CRL of the issuer could not be read whole: revocation unknown */
    TA_CRL_COVERED,
};
/* What the store's CRLs say of cert with that issuer (verify_crl.c); issuer NULL: none known. */
void ta__crl_lookup(const ta_store *store, gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, ta_revocation *out);
/* revoked or revocation-unknown at t. */
ta_problem_set ta__revocation_at(const ta_revocation *rv, int64_t t);

/* verify_explain.c: the words. ci->validity at t (store_dates: the store copy's dates count);
 * the revocation sentence of a certificate whose issuer is issuer_dn; the reason of a result
 * that was not checked, and of one whose path p was chosen (anchor: its anchor, or NULL). */
void ta__validity_sentence(ta_cert_info *ci, int64_t t, bool store_dates);
void ta__revocation_sentence(const ta_revocation *rv, const char *issuer_dn, int64_t t, bool soft_fail, char *buf,
                             size_t size);
void ta__reason_no_certificate(ta_text *t);
void ta__reason_store(ta_text *t, const char *store_error);
void ta__reason_sentence(ta_chain_result *r, const ta_path *p, unsigned sent, const ta_cert_info *anchor);

/* The time-independent part of ta_verify_chain(), and the part that depends on time.
 * ta_verify_chain() is ta__verify_untimed() then ta__apply_time() on the same result. */
void ta__verify_untimed(ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                        ta_purpose purpose, ta_key_use key_use, ta_chain_result *out);
void ta__apply_time(ta_chain_result *r, int64_t verify_time);
/* The verdict and problems of an untimed result at time t, without touching it. */
void ta__timed_verdict(const ta_chain_result *r, int64_t t, ta_verdict *verdict, ta_problem_set *problems);

/* Serialises everything ta__verify_untimed() depends on into buf (when size allows) and returns
 * the length it needs; SIZE_MAX when the input is too large to be worth caching. */
size_t ta__verify_key(const ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                      ta_purpose purpose, ta_key_use key_use, uint8_t *buf, size_t size);
/* Bytes of an untimed result worth keeping: the certificates past cert_count are not. */
size_t ta__result_size(const ta_chain_result *r);

#endif
