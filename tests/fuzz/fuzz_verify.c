/* libFuzzer harness of the chain verifier (include/tlsauth/verify.h).
 *
 * Input: a 12-byte header, a host name, then DER objects one after the other, each as long as its
 * own DER header says (the rest of the input when it says more), so that real certificates
 * concatenated make a seed (tests/fuzz/make-corpus.sh):
 *
 *   byte 0      flags: bits 0-1 the store (CA + CRL, CA with allow_sha1, empty, none),
 *               bit 2 client purpose, bit 3 a stapled OCSP response follows the chain,
 *               bit 4 the verification time is bytes 3-10 (else 2026-06-01, inside the test PKI),
 *               bits 5-7 the key use (modulo 5: unknown, CertificateVerify, signed key exchange,
 *               key transport, key agreement)
 *   byte 1      certificates in the chain, modulo 13 (0..12: more than the 10 analysed)
 *   byte 2      CA names (of a CertificateRequest) after the chain and the OCSP response, modulo 5
 *   bytes 3-10  verification time, int64 little-endian (when bit 4)
 *   byte 11     host name length; then the host name (any bytes, NUL-terminated copy; none if 0)
 *
 * Each input runs ta_verify_chain, ta_verify_chain_cached twice (a miss then a hit, both equal
 * to the uncached result), ta_verify_verdict_cached (the same verdict), ta_issuer_listed and
 * ta_verify_ocsp, and checks the promises of verify.h on every string of the results, and that
 * a trusted chain is signed link by link. The stores are built once, from the committed test
 * PKI (captures/pki/ca.pem and crl.pem, paths compiled in); the second one with the lenient
 * preferences (SHA-1, anyExtendedKeyUsage, stale CRLs, the low profile). */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "tlsauth/verify.h"

#include <limits.h>

#include "fuzz_input.h"

#ifndef TLSAUTH_FUZZ_PKI
#error "define TLSAUTH_FUZZ_PKI as the folder of the test PKI (captures/pki)"
#endif

#define MAX_CHAIN 12
#define MAX_NAMES 4
#define DEFAULT_TIME 1780272000 /* 2026-06-01 */

static ta_store *stores[4];
static ta_verify_cache *cache;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const ta_store_config with_crl = {.ca_file = TLSAUTH_FUZZ_PKI "/ca.pem", .crl_file = TLSAUTH_FUZZ_PKI "/crl.pem"};
    const ta_store_config sha1 = {.ca_file = TLSAUTH_FUZZ_PKI "/ca.pem", .allow_sha1 = true, .accept_any_eku = true,
                                  .crl_soft_fail = true, .profile = TA_PROFILE_LOW};
    const ta_store_config empty = {0};
    stores[0] = ta_store_new(&with_crl);
    stores[1] = ta_store_new(&sha1);
    stores[2] = ta_store_new(&empty);
    stores[3] = NULL;
    if (!ta_store_usable(stores[0]) || !ta_store_usable(stores[1]) || ta_store_crl_count(stores[0]) == 0) {
        fprintf(stderr, "fuzz_verify: the test PKI in %s did not load: %s\n", TLSAUTH_FUZZ_PKI,
                ta_store_error(stores[0]));
        abort();
    }
    /* Small, so that eviction happens all the time. */
    cache = ta_verify_cache_new(8);
    return 0;
}

/* Length of the DER object at the head of the input: its header's, or the rest of the input. */
static size_t der_len(const fuzz_input *in)
{
    const uint8_t *p = in->p;
    size_t n = in->n;
    if (n < 2)
        return n;
    size_t len = p[1], hdr = 2;
    if (len & 0x80) {
        size_t k = len & 0x7F;
        if (k == 0 || k > 4 || n < 2 + k)
            return n;
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = len << 8 | p[2 + i];
        hdr += k;
    }
    return len <= n - hdr ? hdr + len : n;
}

static ta_der next_der(fuzz_input *in)
{
    size_t got;
    const uint8_t *p = fi_bytes(in, der_len(in), &got);
    return (ta_der){got ? fi_dup(p, got) : NULL, got};
}

static void check_result(const ta_chain_result *r, size_t count, ta_purpose purpose)
{
    FUZZ_CHECK((unsigned)r->verdict <= TA_VERDICT_UNTRUSTED);
    FUZZ_CHECK((r->problems & ~((1u << TA_PROBLEM_COUNT) - 1)) == 0);
    FUZZ_CHECK(r->purpose == purpose);
    FUZZ_CHECK(r->sent_count == count);
    FUZZ_CHECK(r->truncated == (count > TA_VERIFY_MAX_CERTS));
    FUZZ_CHECK(r->cert_count <= TA_VERIFY_MAX_CERTS + 1);
    FUZZ_CHECK(r->cert_count <= (count < TA_VERIFY_MAX_CERTS ? count : TA_VERIFY_MAX_CERTS) + 1);
    FUZZ_CHECK(r->verdict != TA_VERDICT_TRUSTED || (r->problems & ~TA_PROBLEMS_SOFT) == 0);
    FUZZ_CHECK(r->path_chosen <= r->path_count && r->path_count <= TA_VERIFY_MAX_PATHS);
    /* Fail closed: a trusted chain sent in order is signed link by link, as "signed by next" says. */
    bool in_order = !(r->problems & TA_PROBLEM_BIT(TA_PROBLEM_CHAIN_ORDER));
    for (unsigned i = 0; r->verdict == TA_VERDICT_TRUSTED && in_order && i + 1 < r->cert_count; i++)
        FUZZ_CHECK(!(r->certs[i].in_path && r->certs[i + 1].in_path) || r->certs[i].signed_by_next != TA_SIGNED_NO);
    fuzz_check_text(r->hostname, sizeof r->hostname);
    fuzz_check_text(r->reason, sizeof r->reason);
    for (unsigned i = 0; i < r->cert_count; i++) {
        const ta_cert_info *c = &r->certs[i];
        FUZZ_CHECK(c->position == i);
        FUZZ_CHECK((unsigned)c->role <= TA_CERT_TRUST_ANCHOR);
        FUZZ_CHECK((unsigned)c->signed_by_next <= TA_SIGNED_NO);
        FUZZ_CHECK(!c->from_store || c->role == TA_CERT_TRUST_ANCHOR);
        fuzz_check_text(c->subject, sizeof c->subject);
        fuzz_check_text(c->issuer, sizeof c->issuer);
        fuzz_check_text(c->serial, sizeof c->serial);
        fuzz_check_text(c->validity, sizeof c->validity);
        fuzz_check_text(c->key, sizeof c->key);
        fuzz_check_text(c->sig_alg, sizeof c->sig_alg);
        fuzz_check_text(c->sha256, sizeof c->sha256);
        fuzz_check_text(c->san, sizeof c->san);
        fuzz_check_text(c->eku, sizeof c->eku);
        fuzz_check_text(c->revocation, sizeof c->revocation);
        FUZZ_CHECK(ta_cert_role_token(c->role) && ta_signed_token(c->signed_by_next));
    }
    for (int p = 0; p < TA_PROBLEM_COUNT; p++)
        FUZZ_CHECK(ta_problem_token((ta_problem)p)[0] && ta_problem_explanation_for((ta_problem)p, purpose)[0]);
    char joined[24];
    ta_problems_join(r->problems, joined, sizeof joined);
    fuzz_check_text(joined, sizeof joined);
    FUZZ_CHECK(ta_verdict_token(r->verdict)[0]);
}

/* The same result field by field (the cache must not change a verdict). */
static void check_same(const ta_chain_result *a, const ta_chain_result *b)
{
    FUZZ_CHECK(a->verdict == b->verdict && a->problems == b->problems && a->cert_count == b->cert_count);
    FUZZ_CHECK(a->gnutls_status == b->gnutls_status && a->truncated == b->truncated);
    FUZZ_CHECK(strcmp(a->reason, b->reason) == 0 && strcmp(a->hostname, b->hostname) == 0);
    for (unsigned i = 0; i < a->cert_count; i++) {
        FUZZ_CHECK(a->certs[i].role == b->certs[i].role && a->certs[i].in_path == b->certs[i].in_path);
        FUZZ_CHECK(strcmp(a->certs[i].validity, b->certs[i].validity) == 0);
        FUZZ_CHECK(strcmp(a->certs[i].sha256, b->certs[i].sha256) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ta_chain_result plain, miss, hit; /* about 18 KB each */
    fuzz_input in = {data, size};
    uint8_t flags = fi_u8(&in);
    size_t count = fi_u8(&in) % (MAX_CHAIN + 1);
    size_t name_count = fi_u8(&in) % (MAX_NAMES + 1);
    int64_t t = (int64_t)fi_u64(&in);
    if (!(flags & 16))
        t = DEFAULT_TIME;
    ta_store *store = stores[flags & 3];
    ta_purpose purpose = flags & 4 ? TA_PURPOSE_CLIENT : TA_PURPOSE_SERVER;
    ta_key_use use = (ta_key_use)((flags >> 5) % 5);
    size_t host_len = fi_u8(&in);
    char *host = host_len ? fi_string(&in, host_len) : NULL;

    ta_der certs[MAX_CHAIN], names[MAX_NAMES], ocsp = {NULL, 0};
    for (size_t i = 0; i < count; i++)
        certs[i] = next_der(&in);
    if (flags & 8)
        ocsp = next_der(&in);
    for (size_t i = 0; i < name_count; i++)
        names[i] = next_der(&in);

    ta_verify_chain(store, certs, count, host, purpose, use, t, &plain);
    check_result(&plain, count, purpose);

    bool was_hit = true;
    ta_verify_chain_cached(cache, store, certs, count, host, purpose, use, t, &miss, &was_hit);
    check_result(&miss, count, purpose);
    check_same(&plain, &miss);
    ta_verify_chain_cached(cache, store, certs, count, host, purpose, use, t, &hit, &was_hit);
    check_result(&hit, count, purpose);
    check_same(&plain, &hit);
    FUZZ_CHECK(was_hit || size > TA_VERIFY_CACHE_KEY_MAX - 1024); /* the second call is a hit */
    FUZZ_CHECK(ta_verify_cache_count(cache) <= 8);

    /* The verdict alone, as the first pass takes it: the same verdict, problems and leaf subject
     * (in the plugin's 96-byte buffer, and in a tiny one). */
    const char *leaf = plain.cert_count && plain.certs[0].parsed ? plain.certs[0].subject : "";
    for (int i = 0; i < 2; i++) {
        ta_verdict verdict = (ta_verdict)-1;
        ta_problem_set problems = ~0u;
        char subject[96], tiny[5];
        ta_verify_verdict_cached(cache, store, certs, count, host, purpose, use, t, &verdict, &problems,
                                 i ? tiny : subject, i ? sizeof tiny : sizeof subject);
        FUZZ_CHECK(verdict == plain.verdict && problems == plain.problems);
        fuzz_check_text(i ? tiny : subject, i ? sizeof tiny : sizeof subject);
        /* Whole, or cut at a character boundary and marked with "..." like every text of the verifier. */
        const char *got = i ? tiny : subject;
        size_t got_len = strlen(got);
        bool cut = got_len >= 3 && strcmp(got + got_len - 3, "...") == 0 && strcmp(got, leaf) != 0;
        FUZZ_CHECK(cut ? strncmp(got, leaf, got_len - 3) == 0 : strcmp(got, leaf) == 0);
    }
    ta_verify_verdict_cached(cache, store, certs, count, host, purpose, use, t, &(ta_verdict){0}, &(ta_problem_set){0},
                             NULL, 0);

    (void)ta_issuer_listed(certs, count, names, name_count);
    (void)ta_issuer_listed(certs, count, NULL, 0);

    if (flags & 8) {
        ta_ocsp_result r;
        ta_verify_ocsp(store, &ocsp, certs, count, t, &r);
        FUZZ_CHECK((unsigned)r.status <= TA_OCSP_MALFORMED);
        FUZZ_CHECK(ta_ocsp_status_token(r.status)[0]);
        fuzz_check_text(r.responder, sizeof r.responder);
        fuzz_check_text(r.reason, sizeof r.reason);
    }

    for (size_t i = 0; i < count; i++)
        free((void *)certs[i].data);
    for (size_t i = 0; i < name_count; i++)
        free((void *)names[i].data);
    free((void *)ocsp.data);
    free(host);
    return 0;
}
