/* libFuzzer harness of the trust store loader (ta_store_new, include/tlsauth/verify.h).
 *
 * Input: byte 0 chooses how the rest is loaded (bits 0-1: as the CA file; as the CRL file next to
 * the test CA; as the only file of the CA directory; as both CA and CRL file. Bit 2: allow_sha1),
 * the rest is the file's content. Then the test PKI's server and client chains are verified
 * against the store, and the store's error text is checked (NUL-terminated, valid UTF-8, no
 * control characters).
 *
 * Files: one private folder made with mkdtemp() under $TMPDIR (or /tmp) when the process starts,
 * holding one file while an input runs, emptied after each input and removed at exit. Nothing is
 * written anywhere else. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, strnlen */
#include "tlsauth/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <unistd.h>

#include "fuzz_input.h"

#ifndef TLSAUTH_FUZZ_PKI
#error "define TLSAUTH_FUZZ_PKI as the folder of the test PKI (captures/pki)"
#endif

#define DEFAULT_TIME 1780272000 /* 2026-06-01 */
#define MAX_CHAIN 4

static char dir[4096], file[4200];
static ta_der server_chain[MAX_CHAIN], client_chain[MAX_CHAIN];
static size_t server_count, client_count;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void remove_dir(void)
{
    if (file[0])
        unlink(file);
    if (dir[0])
        rmdir(dir);
}

/* The certificates of a PEM file of the test PKI, as DER. */
static size_t load_chain(const char *path, ta_der *out)
{
    gnutls_datum_t pem = {NULL, 0};
    gnutls_x509_crt_t *crts = NULL;
    unsigned n = 0;
    if (gnutls_load_file(path, &pem) < 0 ||
        gnutls_x509_crt_list_import2(&crts, &n, &pem, GNUTLS_X509_FMT_PEM, 0) < 0 || n == 0) {
        fprintf(stderr, "fuzz_store: cannot load %s\n", path);
        abort();
    }
    size_t count = 0;
    for (unsigned i = 0; i < n; i++) {
        gnutls_datum_t der = {NULL, 0};
        if (count < MAX_CHAIN && gnutls_x509_crt_export2(crts[i], GNUTLS_X509_FMT_DER, &der) >= 0) {
            out[count].data = fi_dup(der.data, der.size);
            out[count++].len = der.size;
        }
        gnutls_free(der.data);
        gnutls_x509_crt_deinit(crts[i]);
    }
    gnutls_free(crts);
    gnutls_free(pem.data);
    return count;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 1024)
        tmp = "/tmp";
    snprintf(dir, sizeof dir, "%s/tlsauth-fuzz-store.XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "fuzz_store: mkdtemp %s: %s\n", dir, strerror(errno));
        abort();
    }
    snprintf(file, sizeof file, "%s/input", dir);
    atexit(remove_dir);
    server_count = load_chain(TLSAUTH_FUZZ_PKI "/server-chain.pem", server_chain);
    client_count = load_chain(TLSAUTH_FUZZ_PKI "/client-chain.pem", client_chain);
    return 0;
}

static void write_input(const uint8_t *p, size_t n)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "fuzz_store: %s: %s\n", file, strerror(errno));
        abort();
    }
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "fuzz_store: writing %s: %s\n", file, strerror(errno));
            abort();
        }
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

static void verify(ta_store *store, const ta_der *chain, size_t count, const char *host, ta_purpose purpose)
{
    static ta_chain_result r;
    ta_verify_chain(store, chain, count, host, purpose, TA_KEY_USE_UNKNOWN, DEFAULT_TIME, &r);
    FUZZ_CHECK((unsigned)r.verdict <= TA_VERDICT_UNTRUSTED);
    FUZZ_CHECK(r.verdict != TA_VERDICT_TRUSTED || ta_store_usable(store));
    fuzz_check_text(r.reason, sizeof r.reason);
    for (unsigned i = 0; i < r.cert_count; i++)
        fuzz_check_text(r.certs[i].subject, sizeof r.certs[i].subject);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint8_t mode = fi_u8(&in);
    write_input(in.p, in.n);
    ta_store_config cfg = {.allow_sha1 = mode & 4, .accept_any_eku = mode & 8, .crl_soft_fail = mode & 16,
                           .profile = (ta_verify_profile)(mode >> 5 & 3)};
    switch (mode & 3) {
    case 0: cfg.ca_file = file; break;
    case 1: cfg.ca_file = TLSAUTH_FUZZ_PKI "/ca.pem"; cfg.crl_file = file; break;
    case 2: cfg.ca_dir = dir; break;
    default: cfg.ca_file = file; cfg.crl_file = file; break;
    }
    ta_store *store = ta_store_new(&cfg);
    FUZZ_CHECK(store);
    const char *error = ta_store_error(store);
    FUZZ_CHECK(error);
    fuzz_check_text(error, TA_STORE_ERROR_MAX);
    /* Usable exactly when every source named loaded whole (no system store here): fail closed. */
    FUZZ_CHECK(ta_store_usable(store) == (ta_store_anchor_count(store) > 0 && error[0] == '\0'));
    verify(store, server_chain, server_count, "server.tlsauth.test", TA_PURPOSE_SERVER);
    verify(store, client_chain, client_count, NULL, TA_PURPOSE_CLIENT);
    ta_store_free(store);
    unlink(file);
    return 0;
}
