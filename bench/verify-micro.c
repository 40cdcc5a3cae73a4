/* Micro-benchmark of tlsauth's chain verifier against GnuTLS alone, on the same chain and CA.
 *
 *   (a) GnuTLS alone: DER in, verdict out (import the certificates, then
 *       gnutls_x509_trust_list_verify_crt2 with host name and purpose), and verify only
 *       (certificates imported once), to show what parsing costs;
 *   (b) ta_verify_chain: DER in, full diagnosis out (target: <= 1.5 x (a) DER in);
 *   (c) ta_verify_chain_cached, every call a hit.
 *
 * Build and run (run-bench.sh does this; needs build/libtlsauth_core.a from scripts/build.sh):
 *   cc -O2 -Iinclude bench/verify-micro.c build/libtlsauth_core.a $(pkg-config --cflags --libs gnutls) \
 *      -o /tmp/verify-micro && /tmp/verify-micro captures/pki
 * Usage: verify-micro PKI_DIR   (reads server.pem, intermediate-ca.pem, ca.pem) */
#define _POSIX_C_SOURCE 200809L
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlsauth/verify.h"

#define HOST "server.tlsauth.test"
#define ROUNDS 7          /* best of: other processes may share the CPUs */
#define ROUND_SECONDS 0.2 /* per round and variant */

static void die(const char *what, int err)
{
    fprintf(stderr, "verify-micro: %s: %s\n", what, err ? gnutls_strerror(err) : "failed");
    exit(1);
}

/* CPU time of this thread, not wall time: the ratio must not depend on what else runs. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One PEM certificate file -> DER (owned by the caller, never freed: a benchmark). */
static ta_der load_der(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gnutls_datum_t pem, der;
    int err = gnutls_load_file(path, &pem);
    if (err < 0)
        die(path, err);
    if ((err = gnutls_pem_base64_decode2("CERTIFICATE", &pem, &der)) < 0)
        die(path, err);
    return (ta_der){der.data, der.size};
}

static ta_der chain[2];
static gnutls_x509_trust_list_t gnutls_list;
static gnutls_x509_crt_t parsed[2];
static ta_store *store;
static ta_verify_cache *cache;
static ta_chain_result result; /* large: not on the stack */
static time_t verify_time;

static gnutls_typed_vdata_st vdata[] = {
    {.type = GNUTLS_DT_DNS_HOSTNAME, .data = (unsigned char *)HOST},
    {.type = GNUTLS_DT_KEY_PURPOSE_OID, .data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER},
};

static unsigned gnutls_verify(gnutls_x509_crt_t *crts)
{
    unsigned status = ~0u;
    int err = gnutls_x509_trust_list_verify_crt2(gnutls_list, crts, 2, vdata, 2, 0, &status, NULL);
    if (err < 0)
        die("gnutls_x509_trust_list_verify_crt2", err);
    return status;
}

static unsigned run_gnutls_der(void)
{
    gnutls_x509_crt_t crts[2];
    for (int i = 0; i < 2; i++) {
        gnutls_datum_t d = {(unsigned char *)chain[i].data, (unsigned)chain[i].len};
        if (gnutls_x509_crt_init(&crts[i]) < 0 || gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER) < 0)
            die("import", 0);
    }
    unsigned status = gnutls_verify(crts);
    gnutls_x509_crt_deinit(crts[0]);
    gnutls_x509_crt_deinit(crts[1]);
    return status;
}

static unsigned run_gnutls_parsed(void) { return gnutls_verify(parsed); }

static unsigned run_tlsauth(void)
{
    ta_verify_chain(store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, verify_time, &result);
    return result.verdict == TA_VERDICT_TRUSTED ? 0 : 1;
}

static unsigned run_cached(void)
{
    bool hit = false;
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, verify_time, &result, &hit);
    if (!hit)
        die("ta_verify_chain_cached: expected a hit", 0);
    return result.verdict == TA_VERDICT_TRUSTED ? 0 : 1;
}

/* Microseconds per call over one round of ~ROUND_SECONDS. Every call must succeed (status 0):
 * a benchmark of a failing verification would measure the wrong path. */
static double round_us(const char *name, unsigned (*fn)(void))
{
    long calls = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 16; i++)
            if (fn() != 0)
                die(name, 0);
        calls += 16;
    } while ((elapsed = now() - start) < ROUND_SECONDS);
    return elapsed / calls * 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: verify-micro PKI_DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    verify_time = time(NULL);
    chain[0] = load_der(dir, "server.pem");
    chain[1] = load_der(dir, "intermediate-ca.pem");

    char ca[4096];
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    int err;
    if ((err = gnutls_x509_trust_list_init(&gnutls_list, 0)) < 0)
        die("trust list", err);
    if ((err = gnutls_x509_trust_list_add_trust_file(gnutls_list, ca, NULL, GNUTLS_X509_FMT_PEM, 0, 0)) != 1)
        die("ca.pem: expected one CA", err < 0 ? err : 0);
    for (int i = 0; i < 2; i++) {
        gnutls_datum_t d = {(unsigned char *)chain[i].data, (unsigned)chain[i].len};
        if (gnutls_x509_crt_init(&parsed[i]) < 0 || gnutls_x509_crt_import(parsed[i], &d, GNUTLS_X509_FMT_DER) < 0)
            die("import", 0);
    }

    store = ta_store_new(&(ta_store_config){.ca_file = ca});
    if (!store || !ta_store_usable(store))
        die(store ? ta_store_error(store) : "ta_store_new", 0);
    cache = ta_verify_cache_new(0);
    bool hit;
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, verify_time, &result, &hit);

    /* Rounds interleaved, best of each kept: load from other processes hits all variants alike. */
    static const struct { const char *name; unsigned (*fn)(void); } V[] = {
        {"gnutls DER in", run_gnutls_der}, {"gnutls parsed", run_gnutls_parsed},
        {"ta_verify_chain", run_tlsauth}, {"ta_verify_chain_cached", run_cached}};
    double best[4] = {1e9, 1e9, 1e9, 1e9};
    for (int r = 0; r < ROUNDS; r++)
        for (int v = 0; v < 4; v++) {
            double us = round_us(V[v].name, V[v].fn);
            best[v] = us < best[v] ? us : best[v];
        }
    double der = best[0], pre = best[1], ta = best[2], hitus = best[3];
    printf("chain: server.pem + intermediate-ca.pem, CA ca.pem, host " HOST ", GnuTLS %s; "
           "thread CPU time per call, best of %d rounds\n", gnutls_check_version(NULL), ROUNDS);
    printf("%-48s %9.2f us/call\n", "(a) GnuTLS alone, DER in (import + verify_crt2)", der);
    printf("%-48s %9.2f us/call\n", "(a') GnuTLS verify_crt2 only (pre-parsed)", pre);
    printf("%-48s %9.2f us/call  = %.2fx (a)  [target <= 1.5x] %s\n", "(b) ta_verify_chain", ta, ta / der,
           ta / der <= 1.5 ? "met" : "MISSED");
    printf("%-48s %9.2f us/call  = %.3fx (b)\n", "(c) ta_verify_chain_cached, hit", hitus, hitus / ta);

    ta_verify_cache_free(cache);
    ta_store_free(store);
    gnutls_x509_crt_deinit(parsed[0]);
    gnutls_x509_crt_deinit(parsed[1]);
    gnutls_x509_trust_list_deinit(gnutls_list, 1);
    return 0;
}
