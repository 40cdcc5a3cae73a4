/* Unit tests of the chain verifier over the PKI that make-verify-fixtures.sh generates.
 * Expectations are written from how each fixture was made (see that script): every
 * certificate is valid 2020-01-01 .. 2040-01-01 unless its name says otherwise, and the
 * verification time is 2030-01-01 unless a test says so.
 * Usage: test_verify FIXTURE_DIR */
#include "tlsauth/verify.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define T2020 INT64_C(1577836800) /* 2020-01-01T00:00:00Z */
#define T2030 INT64_C(1893456000)
#define T2040 INT64_C(2208988800)
#define T2041 INT64_C(2240611200)
#define T2019 INT64_C(1559347200) /* 2019-06-01 */
#define DAY 86400
#define HOST "server.tlsauth.test"
#define P(x) TA_PROBLEM_BIT(TA_PROBLEM_##x)

/* ---- fixtures ----------------------------------------------------------------------------- */

static const char *fixture_dir = "verify-fixtures";

static const char *path_of(const char *name)
{
    static char bufs[4][1024];
    static unsigned next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", fixture_dir, name);
    return b;
}

static uint8_t *slurp(const char *name, size_t *len)
{
    FILE *f = fopen(path_of(name), "rb");
    uint8_t *buf = NULL;
    *len = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        buf = malloc(n > 0 ? (size_t)n : 1);
        if (buf && n > 0 && fread(buf, 1, (size_t)n, f) == (size_t)n)
            *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

static const char *const CERT_NAMES[] = {"root", "inter", "server", "client", "expired", "future",
                                         "wrongeku", "selfsigned", "notca", "revoked", "ocsp", "rogue",
                                         "rogueleaf", "subca", "subleaf", "critext", "sha1", "rootleaf"};
#define NCERTS (sizeof CERT_NAMES / sizeof *CERT_NAMES)
static ta_der certs_der[NCERTS];

static ta_der D(const char *name)
{
    for (size_t i = 0; i < NCERTS; i++)
        if (strcmp(CERT_NAMES[i], name) == 0)
            return certs_der[i];
    fprintf(stderr, "no fixture %s\n", name);
    exit(2);
}

static bool load_fixtures(void)
{
    char file[64];
    for (size_t i = 0; i < NCERTS; i++) {
        snprintf(file, sizeof file, "%s.der", CERT_NAMES[i]);
        certs_der[i].data = slurp(file, &certs_der[i].len);
        if (!certs_der[i].data || !certs_der[i].len) {
            fprintf(stderr, "cannot read %s: run make-verify-fixtures.sh first\n", path_of(file));
            return false;
        }
    }
    return true;
}

static void free_fixtures(void)
{
    for (size_t i = 0; i < NCERTS; i++)
        free((void *)certs_der[i].data);
}

static ta_store *store_with(const char *ca_file, const char *crl_file, bool allow_sha1)
{
    ta_store_config cfg = {.ca_file = ca_file ? path_of(ca_file) : NULL,
                           .crl_file = crl_file ? path_of(crl_file) : NULL,
                           .allow_sha1 = allow_sha1};
    return ta_store_new(&cfg);
}

/* Fixture names to a chain, NULL-terminated. */
static size_t chain_of(const char *const *names, ta_der *out)
{
    size_t n = 0;
    while (names[n] && n < 8) {
        out[n] = D(names[n]);
        n++;
    }
    return n;
}

/* ---- chains, table-driven ------------------------------------------------------------------- */

typedef struct chain_case {
    const char *name;
    const char *certs[8];
    const char *hostname;
    ta_purpose purpose;
    int64_t time;
    ta_verdict verdict;
    ta_problem_set problems; /* exactly */
} chain_case;

static const char LONG_HOST[] =
    "a123456789.b123456789.c123456789.d123456789.e123456789.f123456789.g123456789.h123456789."
    "a123456789.b123456789.c123456789.d123456789.e123456789.f123456789.g123456789.h123456789."
    "a123456789.b123456789.c123456789.d123456789.e123456789.f123456789.g123456789.h123456789."
    "server.tlsauth.test";

static const chain_case CHAINS[] = {
    {"full chain", {"server", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED, 0},
    {"full chain with root", {"server", "inter", "root"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED, 0},
    {"leaf only", {"server"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(UNKNOWN_ISSUER) | P(MISSING_INTERMEDIATE)},
    {"out of order", {"server", "root", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED, P(CHAIN_ORDER)},
    {"unrelated extra", {"server", "inter", "rogue"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED,
     P(CHAIN_ORDER)},
    {"duplicate intermediate", {"server", "inter", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED,
     P(CHAIN_ORDER)},
    {"leaf not first", {"inter", "server"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(HOSTNAME_MISMATCH) | P(CHAIN_ORDER)},
    {"no SNI", {"server", "inter"}, NULL, TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED, 0},
    {"empty SNI", {"server", "inter"}, "", TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED, 0},
    {"IP address", {"server", "inter"}, "127.0.0.1", TA_PURPOSE_SERVER, T2030, TA_VERDICT_TRUSTED, 0},
    {"case and trailing dot", {"server", "inter"}, "SERVER.TLSauth.test.", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_TRUSTED, 0},
    {"hostname mismatch", {"server", "inter"}, "other.tlsauth.test", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(HOSTNAME_MISMATCH)},
    {"hostname wildcard text", {"server", "inter"}, "*.tlsauth.test", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(HOSTNAME_MISMATCH)},
    {"hostname with control byte", {"server", "inter"}, HOST "\x01", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(HOSTNAME_MISMATCH)},
    {"hostname not ASCII", {"server", "inter"}, "s\xc3\xa9rver.tlsauth.test", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(HOSTNAME_MISMATCH)},
    {"hostname invalid UTF-8", {"server", "inter"}, "\xff\xfe\x80", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(HOSTNAME_MISMATCH)},
    {"hostname too long", {"server", "inter"}, LONG_HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(HOSTNAME_MISMATCH)},
    {"client chain", {"client", "inter"}, NULL, TA_PURPOSE_CLIENT, T2030, TA_VERDICT_TRUSTED, 0},
    {"client ignores SNI", {"client", "inter"}, "whatever.test", TA_PURPOSE_CLIENT, T2030, TA_VERDICT_TRUSTED, 0},
    {"client cert as server", {"client", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(WRONG_PURPOSE) | P(HOSTNAME_MISMATCH)},
    {"server cert as client", {"server", "inter"}, NULL, TA_PURPOSE_CLIENT, T2030, TA_VERDICT_UNTRUSTED,
     P(WRONG_PURPOSE)},
    {"wrong EKU", {"wrongeku", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED, P(WRONG_PURPOSE)},
    {"expired", {"expired", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED, P(EXPIRED)},
    {"expired and wrong name", {"expired", "inter"}, "other.tlsauth.test", TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(EXPIRED) | P(HOSTNAME_MISMATCH)},
    {"not yet valid", {"future", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED, P(NOT_YET_VALID)},
    {"chain expired later", {"server", "inter"}, HOST, TA_PURPOSE_SERVER, T2041, TA_VERDICT_UNTRUSTED, P(EXPIRED)},
    {"chain not valid before", {"server", "inter"}, HOST, TA_PURPOSE_SERVER, T2019, TA_VERDICT_UNTRUSTED,
     P(NOT_YET_VALID)},
    {"last second", {"server", "inter"}, HOST, TA_PURPOSE_SERVER, T2040, TA_VERDICT_TRUSTED, 0},
    {"self-signed leaf", {"selfsigned"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED, P(SELF_SIGNED)},
    {"signed by a non-CA", {"notca", "rootleaf"}, HOST, TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(SIGNER_NOT_CA)},
    {"SHA-1 signature", {"sha1", "inter"}, "sha1.tlsauth.test", TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(INSECURE_ALGORITHM)},
    {"revoked", {"revoked", "inter"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED, P(REVOKED)},
    {"revoked and wrong purpose", {"revoked", "inter"}, HOST, TA_PURPOSE_CLIENT, T2030,
     TA_VERDICT_UNTRUSTED, P(REVOKED) | P(WRONG_PURPOSE)},
    {"untrusted root sent", {"rogueleaf", "rogue"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(UNTRUSTED_ROOT)},
    {"untrusted leaf alone", {"rogueleaf"}, HOST, TA_PURPOSE_SERVER, T2030, TA_VERDICT_UNTRUSTED,
     P(UNKNOWN_ISSUER) | P(MISSING_INTERMEDIATE)},
    {"path length exceeded", {"subleaf", "subca", "inter"}, HOST, TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(CONSTRAINTS_VIOLATION)},
    {"unknown critical extension", {"critext", "inter"}, HOST, TA_PURPOSE_SERVER, T2030,
     TA_VERDICT_UNTRUSTED, P(UNKNOWN_CRITICAL_EXTENSION)},
};

static void test_chain_table(void)
{
    ta_store *store = store_with("root.pem", "crl.pem", false);
    static ta_chain_result r;
    for (size_t i = 0; i < sizeof CHAINS / sizeof *CHAINS; i++) {
        const chain_case *c = &CHAINS[i];
        ta_der chain[8];
        char got[256], want[256];
        current_test = c->name;
        size_t n = chain_of(c->certs, chain);
        ta_verify_chain(store, chain, n, c->hostname, c->purpose, TA_KEY_USE_UNKNOWN, c->time, &r);
        CHECK_STR(ta_verdict_token(r.verdict), ta_verdict_token(c->verdict));
        ta_problems_join(r.problems, got, sizeof got);
        ta_problems_join(c->problems, want, sizeof want);
        CHECK_STR(got, want);
        CHECK(r.sent_count == n);
        CHECK(r.reason[0] != '\0');
    }
    ta_store_free(store);
}

/* ---- details of one result ------------------------------------------------------------------- */

static void test_details(void)
{
    ta_store *store = store_with("root.pem", "crl.pem", false);
    static ta_chain_result r;
    ta_der chain[] = {D("server"), D("inter")};
    size_t len;
    char *sha = (char *)slurp("server.sha256", &len);
    current_test = "details of a trusted chain";
    ta_verify_chain(store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_TRUSTED);
    CHECK(r.cert_count == 3);
    CHECK(r.hostname_checked);
    CHECK_STR(r.hostname, HOST);
    CHECK_STR(r.reason, "trusted: the chain leads to the trust anchor CN=tlsauth Verify Root CA");
    const ta_cert_info *leaf = &r.certs[0], *mid = &r.certs[1], *top = &r.certs[2];
    CHECK(leaf->position == 0 && leaf->role == TA_CERT_LEAF && leaf->parsed && leaf->in_path && !leaf->from_store);
    CHECK_STR(leaf->subject, "CN=server.tlsauth.test");
    CHECK_STR(leaf->issuer, "CN=tlsauth Verify Intermediate CA");
    CHECK_STR(leaf->serial, "03");
    CHECK(leaf->not_before == T2020 && leaf->not_after == T2040);
    CHECK_STR(leaf->validity, "valid for another 3652 days");
    CHECK_STR(leaf->key, "RSA 2048");
    CHECK_STR(leaf->sig_alg, "ECDSA-SHA256");
    CHECK_STR(leaf->san, "DNS:server.tlsauth.test, IP:127.0.0.1");
    CHECK_STR(leaf->eku, "serverAuth");
    CHECK_STR(ta_signed_token(leaf->signed_by_next), "yes");
    CHECK(sha && len > 95 && strncmp(leaf->sha256, sha, 95) == 0 && strlen(leaf->sha256) == 95);
    CHECK(leaf->der_len == D("server").len);
    CHECK_STR(ta_cert_role_token(mid->role), "intermediate");
    CHECK(mid->signed_by_next == TA_SIGNED_YES && !mid->in_store && !mid->self_signed);
    CHECK_STR(mid->key, "EC P-256");
    CHECK_STR(mid->eku, "");
    CHECK_STR(ta_cert_role_token(top->role), "trust-anchor");
    CHECK(top->from_store && top->in_store && top->in_path && top->self_signed && top->position == 2);
    CHECK_STR(top->subject, "CN=tlsauth Verify Root CA");
    CHECK(top->signed_by_next == TA_SIGNED_NOT_CHECKED);
    CHECK(strlen(top->sha256) == 95);

    current_test = "validity sentences";
    ta_der expired[] = {D("expired"), D("inter")}, future[] = {D("future"), D("inter")};
    ta_verify_chain(store, expired, 2, NULL, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK_STR(r.certs[0].validity, "expired 3287 days before the verification time");
    CHECK_STR(r.reason, "not trusted: expired");
    ta_verify_chain(store, future, 2, NULL, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK_STR(r.certs[0].validity, "not valid until 1826 days after the verification time");
    ta_verify_chain(store, chain, 2, NULL, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2040 - DAY, &r);
    CHECK_STR(r.certs[0].validity, "valid for another 1 day");
    ta_verify_chain(store, chain, 2, NULL, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2040 + 60, &r);
    CHECK_STR(r.certs[0].validity, "expired less than a day before the verification time");
    CHECK(r.problems == P(EXPIRED));

    current_test = "roles out of order";
    ta_der odd[] = {D("server"), D("root"), D("inter"), D("rogue")};
    ta_verify_chain(store, odd, 4, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.cert_count == 4); /* the root was sent: no extra anchor entry */
    CHECK_STR(ta_cert_role_token(r.certs[1].role), "root-sent");
    CHECK(r.certs[1].in_store && r.certs[1].in_path);
    CHECK_STR(ta_cert_role_token(r.certs[2].role), "intermediate");
    CHECK_STR(ta_cert_role_token(r.certs[3].role), "unrelated");
    CHECK(!r.certs[3].in_path);
    CHECK(r.certs[0].signed_by_next == TA_SIGNED_NO);  /* by the root: no */
    CHECK(r.certs[1].signed_by_next == TA_SIGNED_NO);  /* root by inter: no */
    CHECK(r.certs[2].signed_by_next == TA_SIGNED_NO);  /* inter by rogue: no */
    CHECK(r.certs[3].signed_by_next == TA_SIGNED_NOT_CHECKED);
    CHECK_HAS(r.reason, "warning: chain-order");

    current_test = "client certificate details";
    ta_der client[] = {D("client"), D("inter")};
    ta_verify_chain(store, client, 2, NULL, TA_PURPOSE_CLIENT, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK_STR(r.certs[0].eku, "clientAuth");
    CHECK_STR(r.certs[0].san, "");
    CHECK(!r.hostname_checked);
    CHECK_STR(ta_purpose_token(r.purpose), "client");

    current_test = "SHA-1 details";
    ta_der sha1[] = {D("sha1"), D("inter")};
    ta_verify_chain(store, sha1, 2, "sha1.tlsauth.test", TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK_STR(r.certs[0].sig_alg, "ECDSA-SHA1");
    CHECK(r.certs[0].signed_by_next == TA_SIGNED_YES); /* weak, but genuinely signed */
    CHECK_STR(r.certs[0].serial, "11");
    free(sha);
    ta_store_free(store);
}

/* ---- broken certificates --------------------------------------------------------------------- */

static void test_malformed(void)
{
    ta_store *store = store_with("root.pem", NULL, false);
    static ta_chain_result r;
    ta_der server = D("server"), inter = D("inter");
    uint8_t random_bytes[777];
    srand(42);
    for (size_t i = 0; i < sizeof random_bytes; i++)
        random_bytes[i] = (uint8_t)rand();

    current_test = "random bytes";
    ta_der c1[] = {{random_bytes, sizeof random_bytes}, inter};
    ta_verify_chain(store, c1, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_UNTRUSTED && r.problems == P(MALFORMED));
    CHECK(!r.certs[0].parsed && r.certs[0].role == TA_CERT_LEAF && r.certs[0].subject[0] == '\0');
    CHECK(strlen(r.certs[0].sha256) == 95); /* still identifiable */
    CHECK_STR(r.reason, "not trusted: malformed");

    current_test = "truncated leaf";
    ta_der c2[] = {{server.data, server.len / 2}, inter};
    ta_verify_chain(store, c2, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_UNTRUSTED && (r.problems & P(MALFORMED)));

    current_test = "empty and NULL entries";
    ta_der c3[] = {{NULL, 5}, {server.data, 0}};
    ta_verify_chain(store, c3, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_UNTRUSTED && r.problems == P(MALFORMED));
    CHECK(r.certs[0].der_len == 0 && r.certs[0].sha256[0] == '\0');
    CHECK_STR(ta_cert_role_token(r.certs[1].role), "malformed");

    current_test = "malformed intermediate";
    ta_der c4[] = {server, {random_bytes, 100}};
    ta_verify_chain(store, c4, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.problems == (P(MALFORMED) | P(UNKNOWN_ISSUER) | P(MISSING_INTERMEDIATE)));
    CHECK(r.certs[1].role == TA_CERT_MALFORMED && r.certs[0].signed_by_next == TA_SIGNED_NOT_CHECKED);

    current_test = "bad signature";
    uint8_t *tampered = malloc(server.len);
    memcpy(tampered, server.data, server.len);
    tampered[server.len - 1] ^= 0x01; /* inside the signature value */
    ta_der c5[] = {{tampered, server.len}, inter};
    ta_verify_chain(store, c5, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_UNTRUSTED && r.problems == P(BAD_SIGNATURE));
    CHECK(r.certs[0].signed_by_next == TA_SIGNED_NO);
    free(tampered);

    current_test = "oversized DER is not read";
    size_t big_len = TA_DER_MAX + 1;
    uint8_t *big = calloc(1, big_len);
    ta_der c6[] = {{big, big_len}};
    ta_verify_chain(store, c6, 1, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.problems == P(MALFORMED) && r.certs[0].sha256[0] == '\0');
    free(big);

    current_test = "no certificate";
    ta_verify_chain(store, NULL, 0, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_NOT_CHECKED && r.cert_count == 0);
    CHECK_HAS(r.reason, "no certificate was sent");
    ta_verify_chain(store, NULL, 5, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_NOT_CHECKED && r.sent_count == 0);
    ta_verify_chain(store, &server, 0, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_NOT_CHECKED);

    current_test = "more than the bound";
    ta_der many[1000];
    many[0] = server;
    for (size_t i = 1; i < 1000; i++)
        many[i] = inter;
    ta_verify_chain(store, many, 1000, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.truncated && r.sent_count == 1000 && r.cert_count == TA_VERIFY_MAX_CERTS + 1);
    CHECK(r.verdict == TA_VERDICT_TRUSTED && r.problems == P(CHAIN_ORDER)); /* duplicates */
    CHECK_HAS(r.reason, "only the first 10 of the 1000 certificates sent were analysed");

    current_test = "hostile mutations";
    uint8_t *mutant = malloc(server.len);
    unsigned outcomes[3] = {0, 0, 0};
    for (int round = 0; round < 300; round++) {
        memcpy(mutant, server.data, server.len);
        for (int k = 0; k < 1 + round % 4; k++)
            mutant[(size_t)rand() % server.len] = (uint8_t)rand();
        size_t len = round % 5 == 0 ? (size_t)rand() % server.len : server.len;
        ta_der c[] = {{mutant, len}, inter};
        ta_verify_chain(store, c, 2, round % 2 ? HOST : NULL, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
        outcomes[r.verdict]++;
        CHECK(r.reason[0] && strlen(r.reason) < sizeof r.reason);
    }
    CHECK(outcomes[TA_VERDICT_UNTRUSTED] > 0);
    free(mutant);

    current_test = "hostile lengths";
    for (size_t len = 0; len < sizeof random_bytes; len += 37) {
        ta_der c[] = {{random_bytes, len}, {random_bytes + len / 2, len / 2}};
        ta_verify_chain(store, c, 2, "\xff\xff", TA_PURPOSE_CLIENT, TA_KEY_USE_UNKNOWN, INT64_MIN, &r);
        CHECK(r.verdict != TA_VERDICT_TRUSTED);
    }
    ta_store_free(store);
}

/* ---- stores ---------------------------------------------------------------------------------- */

typedef struct store_case {
    const char *name;
    const char *ca_file, *ca_dir, *crl_file; /* fixture names; a leading '/' means as is */
    bool usable;
    unsigned anchors, crls;
    const char *error; /* substring, "" for none */
} store_case;

static const char *fixture_or_abs(const char *name)
{
    return !name ? NULL : name[0] == '/' ? name : path_of(name);
}

static const store_case STORES[] = {
    {"CA file", "root.pem", NULL, NULL, true, 1, 0, ""},
    {"CA file in DER", "root-ca.der", NULL, NULL, true, 1, 0, ""},
    {"CA bundle", "bundle.pem", NULL, NULL, true, 2, 0, ""},
    /* Fail closed: a bundle of which a part did not load is not the store that was named. */
    {"CA file with junk", "mixed.pem", NULL, NULL, false, 1, 0, "mixed.pem: 1 of 2 certificates could not be parsed"},
    {"missing CA file", "/nonexistent/ca.pem", NULL, NULL, false, 0, 0, "CA file /nonexistent/ca.pem: no such file"},
    {"empty CA file", "empty.pem", NULL, NULL, false, 0, 0, "empty.pem is empty"},
    {"garbage CA file", "garbage.pem", NULL, NULL, false, 0, 0, "garbage.pem holds no certificate"},
    {"bad PEM CA file", "badpem.pem", NULL, NULL, false, 0, 0, "badpem.pem holds no certificate"},
    {"huge CA file", "huge.pem", NULL, NULL, false, 0, 0, "huge.pem is larger than 64 MiB: not loaded"},
    {"directory as CA file", "cadir", NULL, NULL, false, 0, 0, "cadir is a directory, not a file"},
    {"device as CA file", "/dev/null", NULL, NULL, false, 0, 0, "CA file /dev/null is not a regular file"},
    {"CA directory", NULL, "cadir", NULL, true, 1, 0, ""},
    {"empty CA directory", NULL, "emptydir", NULL, false, 0, 0, "emptydir holds no certificate"},
    {"missing CA directory", NULL, "/nonexistent/dir", NULL, false, 0, 0,
     "CA directory /nonexistent/dir: no such directory"},
    {"file as CA directory", NULL, "root.pem", NULL, false, 0, 0, "root.pem is not a directory"},
    {"nothing configured", NULL, NULL, NULL, false, 0, 0, "no trust anchor configured"},
    {"CRL", "root.pem", NULL, "crl.pem", true, 1, 1, ""},
    {"bad CRL", "root.pem", NULL, "badcrl.pem", false, 1, 0, "CRL file"},
    {"missing CRL", "root.pem", NULL, "/nonexistent/crl.pem", false, 1, 0,
     "CRL file /nonexistent/crl.pem: no such file"},
    {"certificate as CRL", "root.pem", NULL, "root.pem", false, 1, 0, "root.pem holds no CRL"},
    {"two problems", "empty.pem", NULL, "badcrl.pem", false, 0, 0, "is empty; CRL file"},
};

static void test_stores(void)
{
    static ta_chain_result r;
    ta_der chain[] = {D("server"), D("inter")};
    for (size_t i = 0; i < sizeof STORES / sizeof *STORES; i++) {
        const store_case *c = &STORES[i];
        ta_store_config cfg = {.ca_file = fixture_or_abs(c->ca_file), .ca_dir = fixture_or_abs(c->ca_dir),
                               .crl_file = fixture_or_abs(c->crl_file)};
        current_test = c->name;
        ta_store *s = ta_store_new(&cfg);
        CHECK(s != NULL);
        CHECK(ta_store_usable(s) == c->usable);
        CHECK(ta_store_anchor_count(s) == c->anchors);
        CHECK(ta_store_crl_count(s) == c->crls);
        if (c->error[0])
            CHECK_HAS(ta_store_error(s), c->error);
        else
            CHECK_STR(ta_store_error(s), "");
        ta_verify_chain(s, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
        /* A source that was named and did not load leaves every verdict open, the reason first. */
        CHECK(r.verdict == (c->usable ? TA_VERDICT_TRUSTED : TA_VERDICT_NOT_CHECKED));
        if (!c->usable) {
            CHECK_HAS(r.reason, "not checked: ");
            CHECK_HAS(r.reason, ta_store_error(s));
        }
        ta_store_free(s);
    }

    current_test = "NULL config";
    ta_store *s = ta_store_new(NULL);
    CHECK(!ta_store_usable(s));
    CHECK_HAS(ta_store_error(s), "no trust anchor configured");
    ta_store_free(s);
    ta_store_free(NULL);

    current_test = "no anchor: what can still be judged";
    s = store_with("garbage.pem", NULL, false);
    ta_verify_chain(s, chain, 2, "other.tlsauth.test", TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2041, &r);
    CHECK(r.verdict == TA_VERDICT_NOT_CHECKED);
    CHECK(r.problems == (P(HOSTNAME_MISMATCH) | P(EXPIRED)));
    CHECK_HAS(r.reason, "not checked: CA file ");
    CHECK_HAS(r.reason, "garbage.pem holds no certificate");
    CHECK(r.cert_count == 2 && r.certs[0].signed_by_next == TA_SIGNED_YES);
    ta_store_free(s);

    current_test = "NULL store";
    ta_verify_chain(NULL, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_NOT_CHECKED);
    CHECK_STR(r.reason, "not checked: no CA store");
    CHECK_STR(ta_store_error(NULL), "no CA store");

    current_test = "allow SHA-1";
    s = store_with("root.pem", NULL, true);
    ta_der sha1[] = {D("sha1"), D("inter")};
    ta_verify_chain(s, sha1, 2, "sha1.tlsauth.test", TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_TRUSTED && r.problems == 0);
    ta_store_free(s);

    current_test = "intermediate in the store";
    s = store_with("bundle.pem", NULL, false);
    ta_verify_chain(s, chain, 1, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_TRUSTED && r.problems == 0);
    CHECK(r.cert_count == 2 && r.certs[1].from_store);
    CHECK_STR(r.certs[1].subject, "CN=tlsauth Verify Intermediate CA");
    CHECK(r.certs[0].signed_by_next == TA_SIGNED_YES);
    ta_verify_chain(s, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.cert_count == 2 && r.certs[1].in_store && !r.certs[1].from_store);
    ta_store_free(s);

    current_test = "pinned self-signed leaf";
    s = store_with("selfsigned.pem", NULL, false);
    ta_der pinned[] = {D("selfsigned")};
    ta_verify_chain(s, pinned, 1, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict == TA_VERDICT_TRUSTED && r.certs[0].in_store && r.cert_count == 1);
    ta_store_free(s);

    current_test = "system CAs";
    ta_store_config sys = {.use_system_ca = true};
    s = ta_store_new(&sys);
    CHECK(s != NULL);
    CHECK(ta_store_usable(s) == (ta_store_anchor_count(s) > 0));
    ta_verify_chain(s, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(r.verdict != TA_VERDICT_TRUSTED); /* our test root is not a system CA */
    ta_store_free(s);
}

/* ---- CertificateRequest CA names ------------------------------------------------------------- */

static ta_der raw_subject(const char *name, gnutls_datum_t *keep)
{
    gnutls_x509_crt_t crt;
    ta_der der = D(name);
    gnutls_datum_t d = {(unsigned char *)der.data, (unsigned)der.len};
    gnutls_x509_crt_init(&crt);
    gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
    gnutls_x509_crt_get_raw_dn(crt, keep);
    gnutls_x509_crt_deinit(crt);
    return (ta_der){keep->data, keep->size};
}

static void test_issuer_listed(void)
{
    gnutls_datum_t inter_dn, root_dn;
    current_test = "issuer listed";
    ta_der names[] = {raw_subject("root", &root_dn), raw_subject("inter", &inter_dn)};
    ta_der leaf = D("server"), client = D("client"), rogue = D("rogueleaf");
    ta_der client_chain[] = {D("client"), D("inter")};
    CHECK(ta_issuer_listed(&leaf, 1, names, 2));
    CHECK(ta_issuer_listed(&client, 1, &names[1], 1));
    CHECK(!ta_issuer_listed(&leaf, 1, names, 1));  /* only the root listed, the leaf alone */
    CHECK(ta_issuer_listed(client_chain, 2, names, 1)); /* the root listed, the chain leads there */
    CHECK(!ta_issuer_listed(&rogue, 1, names, 2));
    CHECK(!ta_issuer_listed(&leaf, 1, names, 0));
    CHECK(!ta_issuer_listed(&leaf, 1, NULL, 2));
    ta_der cut = {inter_dn.data, inter_dn.size - 1}, junk = {(const uint8_t *)"junk", 4};
    CHECK(!ta_issuer_listed(&leaf, 1, &cut, 1));
    CHECK(!ta_issuer_listed(&junk, 1, names, 2));
    CHECK(!ta_issuer_listed(NULL, 2, names, 2));
    gnutls_free(inter_dn.data);
    gnutls_free(root_dn.data);
    /* Every fixture: its issuer as GnuTLS reads it is found, and no cut of it reads past the cut. */
    for (size_t i = 0; i < NCERTS; i++) {
        gnutls_x509_crt_t crt;
        gnutls_datum_t der = {(unsigned char *)certs_der[i].data, (unsigned)certs_der[i].len}, issuer = {NULL, 0};
        gnutls_x509_crt_init(&crt);
        gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER);
        CHECK(gnutls_x509_crt_get_raw_issuer_dn(crt, &issuer) >= 0);
        ta_der listed = {issuer.data, issuer.size};
        CHECK(ta_issuer_listed(&certs_der[i], 1, &listed, 1));
        for (size_t len = 0; len < certs_der[i].len; len += 7) {
            uint8_t *copy = malloc(len ? len : 1);
            memcpy(copy, certs_der[i].data, len);
            ta_der cut_cert = {copy, len};
            ta_issuer_listed(&cut_cert, 1, &listed, 1);
            free(copy);
        }
        gnutls_free(issuer.data);
        gnutls_x509_crt_deinit(crt);
    }
}

/* ---- OCSP ------------------------------------------------------------------------------------ */

typedef struct ocsp_case {
    const char *name;
    const char *response;
    const char *certs[4];
    const char *ca_file; /* NULL: no store */
    int64_t offset;      /* added to the response's thisUpdate for the verification time */
    ta_ocsp_status status;
    const char *reason;  /* substring */
} ocsp_case;

static const ocsp_case OCSP[] = {
    {"good, delegated responder", "ocsp-good.der", {"server", "inter"}, "root.pem", 3600, TA_OCSP_GOOD, "good"},
    {"good, issuer from the store", "ocsp-good.der", {"server"}, "bundle.pem", 3600, TA_OCSP_GOOD, "good"},
    {"issuer nowhere", "ocsp-good.der", {"server"}, "root.pem", 3600, TA_OCSP_SIGNATURE_INVALID,
     "neither sent nor found"},
    {"issuer nowhere, no store", "ocsp-good.der", {"server"}, NULL, 3600, TA_OCSP_SIGNATURE_INVALID,
     "neither sent nor found"},
    {"issuer sent, no store", "ocsp-good.der", {"server", "inter"}, NULL, 3600, TA_OCSP_GOOD, "good"},
    {"produced in the future", "ocsp-good.der", {"server", "inter"}, "root.pem", -2 * DAY, TA_OCSP_STALE,
     "produced 2 days after the verification time"},
    {"past nextUpdate", "ocsp-good.der", {"server", "inter"}, "root.pem", 10 * DAY, TA_OCSP_STALE,
     "expired 3 days before"},
    {"revoked, signed by the issuer", "ocsp-revoked.der", {"revoked", "inter"}, "root.pem", 3600,
     TA_OCSP_REVOKED, "revoked"},
    {"revoked stays revoked", "ocsp-revoked.der", {"revoked", "inter"}, "root.pem", 400 * DAY, TA_OCSP_REVOKED,
     "revoked"},
    {"unknown to the responder", "ocsp-unknown.der", {"client", "inter"}, "root.pem", 3600, TA_OCSP_UNKNOWN,
     "does not know"},
    {"about another certificate", "ocsp-good.der", {"client", "inter"}, "root.pem", 3600, TA_OCSP_UNKNOWN,
     "another certificate"},
    {"signed by a stranger", "ocsp-rogue.der", {"server", "inter"}, "root.pem", 3600, TA_OCSP_SIGNATURE_INVALID,
     "did not issue"},
    {"no certificate", "ocsp-good.der", {NULL}, "root.pem", 3600, TA_OCSP_UNKNOWN, "no parsable certificate"},
};

static void test_ocsp(void)
{
    static ta_ocsp_result r;
    size_t len;
    uint8_t *good = slurp("ocsp-good.der", &len);
    ta_der good_der = {good, len}, chain[] = {D("server"), D("inter")};

    /* thisUpdate is when the fixtures were made: read it, then test around it. */
    current_test = "OCSP times";
    ta_verify_ocsp(NULL, &good_der, chain, 2, (int64_t)time(NULL), &r);
    int64_t this_update = r.this_update;
    CHECK(this_update > T2020);
    CHECK(r.next_update == this_update + 7 * DAY);
    CHECK_STR(r.responder, "CN=tlsauth Verify OCSP Responder");

    for (size_t i = 0; i < sizeof OCSP / sizeof *OCSP; i++) {
        const ocsp_case *c = &OCSP[i];
        ta_der certs[4];
        current_test = c->name;
        size_t n = chain_of(c->certs, certs);
        uint8_t *resp = slurp(c->response, &len);
        ta_der resp_der = {resp, len};
        ta_store *s = c->ca_file ? store_with(c->ca_file, NULL, false) : NULL;
        ta_verify_ocsp(s, &resp_der, certs, n, this_update + c->offset, &r);
        CHECK_STR(ta_ocsp_status_token(r.status), ta_ocsp_status_token(c->status));
        CHECK_HAS(r.reason, c->reason);
        ta_store_free(s);
        free(resp);
    }

    current_test = "OCSP revocation time";
    uint8_t *revoked = slurp("ocsp-revoked.der", &len);
    ta_der revoked_der = {revoked, len}, rchain[] = {D("revoked"), D("inter")};
    ta_verify_ocsp(NULL, &revoked_der, rchain, 2, this_update, &r);
    CHECK(r.status == TA_OCSP_REVOKED && r.revocation_time == INT64_C(1735689600)); /* 2025-01-01 */
    CHECK_STR(r.responder, "CN=tlsauth Verify Intermediate CA");
    free(revoked);

    current_test = "OCSP malformed";
    static const uint8_t try_later[] = {0x30, 0x03, 0x0A, 0x01, 0x03}; /* OCSPResponse{tryLater} */
    ta_der bad[] = {{try_later, sizeof try_later}, {good, len / 2}, {good, 0}, {NULL, 10},
                    {(const uint8_t *)"garbage", 7}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ta_verify_ocsp(NULL, &bad[i], chain, 2, this_update, &r);
        CHECK_STR(ta_ocsp_status_token(r.status), "malformed");
    }
    ta_verify_ocsp(NULL, &bad[0], chain, 2, this_update, &r);
    CHECK_HAS(r.reason, "tryLater");
    ta_verify_ocsp(NULL, NULL, chain, 2, this_update, &r);
    CHECK(r.status == TA_OCSP_MALFORMED);
    ta_verify_ocsp(NULL, &good_der, NULL, 3, this_update, &r);
    CHECK(r.status == TA_OCSP_UNKNOWN);
    ta_der junk_leaf[] = {{(const uint8_t *)"x", 1}};
    ta_verify_ocsp(NULL, &good_der, junk_leaf, 1, this_update, &r);
    CHECK(r.status == TA_OCSP_UNKNOWN);

    current_test = "OCSP mutations";
    uint8_t *mutant = malloc(len);
    srand(7);
    for (int round = 0; round < 200; round++) {
        memcpy(mutant, good, len);
        mutant[(size_t)rand() % len] ^= (uint8_t)(1 + rand() % 255);
        ta_der m = {mutant, len};
        ta_verify_ocsp(NULL, &m, chain, 2, this_update + 3600, &r);
        CHECK(r.reason[0] != '\0');
    }
    free(mutant);
    free(good);
}

/* ---- cache ----------------------------------------------------------------------------------- */

static void check_same(const ta_chain_result *a, const ta_chain_result *b)
{
    CHECK(a->verdict == b->verdict);
    CHECK(a->problems == b->problems);
    CHECK_STR(a->reason, b->reason);
    CHECK(a->cert_count == b->cert_count);
    for (unsigned i = 0; i < a->cert_count && i < b->cert_count; i++) {
        CHECK_STR(a->certs[i].validity, b->certs[i].validity);
        CHECK_STR(a->certs[i].sha256, b->certs[i].sha256);
        CHECK(a->certs[i].signed_by_next == b->certs[i].signed_by_next);
    }
}

static void test_cache(void)
{
    ta_store *store = store_with("root.pem", "crl.pem", false);
    ta_verify_cache *cache = ta_verify_cache_new(0);
    static ta_chain_result r, direct;
    ta_der chain[] = {D("server"), D("inter")};
    bool hit = true;

    current_test = "cache miss then hit";
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && ta_verify_cache_count(cache) == 1 && r.verdict == TA_VERDICT_TRUSTED);
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(hit && ta_verify_cache_count(cache) == 1);
    ta_verify_chain(store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &direct);
    check_same(&r, &direct);

    current_test = "cache hit at other times";
    static const int64_t times[] = {T2041, T2019, T2040, T2040 + 1, T2030 + 123 * DAY};
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, times[i], &r, &hit);
        ta_verify_chain(store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, times[i], &direct);
        CHECK(hit);
        check_same(&r, &direct);
        /* The verdict-only path agrees with the full result, without a new entry. */
        ta_verdict verdict;
        ta_problem_set problems;
        char leaf[96];
        ta_verify_verdict_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, times[i], &verdict, &problems,
                                 leaf, sizeof leaf);
        CHECK(verdict == direct.verdict && problems == direct.problems);
        CHECK_STR(leaf, direct.certs[0].subject);
        CHECK(ta_verify_cache_count(cache) == 1);
    }
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2041, &r, &hit);
    CHECK(hit && r.verdict == TA_VERDICT_UNTRUSTED && r.problems == P(EXPIRED));
    CHECK_STR(r.certs[0].validity, "expired 366 days before the verification time");
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(hit && r.verdict == TA_VERDICT_TRUSTED && r.problems == 0); /* the hit was not altered */

    current_test = "cache key parts";
    ta_verify_chain_cached(cache, store, chain, 2, "other.tlsauth.test", TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.problems == P(HOSTNAME_MISMATCH));
    ta_verify_chain_cached(cache, store, chain, 2, NULL, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit);
    ta_verify_chain_cached(cache, store, chain, 2, NULL, TA_PURPOSE_CLIENT, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.problems == P(WRONG_PURPOSE));
    ta_verify_chain_cached(cache, store, chain, 1, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && (r.problems & P(MISSING_INTERMEDIATE)));
    ta_verify_chain_cached(cache, store, chain, 2, HOST ".", TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(hit); /* the same name, written absolute */
    ta_store *other = store_with("garbage.pem", NULL, false);
    ta_verify_chain_cached(cache, other, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.verdict == TA_VERDICT_NOT_CHECKED);
    ta_store_free(other);
    uint8_t *copy = malloc(chain[0].len);
    memcpy(copy, chain[0].data, chain[0].len);
    copy[chain[0].len - 1] ^= 1;
    ta_der tampered[] = {{copy, chain[0].len}, chain[1]};
    ta_verify_chain_cached(cache, store, tampered, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.problems == P(BAD_SIGNATURE));
    free(copy);

    current_test = "cache clear";
    CHECK(ta_verify_cache_count(cache) == 7);
    ta_verify_cache_clear(cache);
    CHECK(ta_verify_cache_count(cache) == 0);
    ta_verify_chain_cached(cache, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.verdict == TA_VERDICT_TRUSTED);
    ta_verify_cache_free(cache);

    current_test = "cache bound and LRU";
    cache = ta_verify_cache_new(3);
    const char *hosts[] = {"h1.test", "h2.test", "h3.test", "h4.test"};
    for (int i = 0; i < 3; i++)
        ta_verify_chain_cached(cache, store, chain, 2, hosts[i], TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(ta_verify_cache_count(cache) == 3);
    ta_verify_chain_cached(cache, store, chain, 2, hosts[0], TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(hit); /* h1 is now the most recent; h2 the oldest */
    ta_verify_chain_cached(cache, store, chain, 2, hosts[3], TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && ta_verify_cache_count(cache) == 3);
    ta_verify_chain_cached(cache, store, chain, 2, hosts[0], TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(hit);
    ta_verify_chain_cached(cache, store, chain, 2, hosts[1], TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit); /* evicted; re-added, evicting h3 */
    ta_verify_chain_cached(cache, store, chain, 2, hosts[2], TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && ta_verify_cache_count(cache) == 3);
    for (int i = 0; i < 100; i++) {
        char host[32];
        snprintf(host, sizeof host, "n%d.test", i);
        ta_verify_chain_cached(cache, store, chain, 2, host, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    }
    CHECK(ta_verify_cache_count(cache) == 3);

    current_test = "too big to cache";
    size_t big_len = TA_VERIFY_CACHE_KEY_MAX + 1;
    uint8_t *big = calloc(1, big_len);
    ta_der bigc[] = {{big, big_len}};
    ta_verify_chain_cached(cache, store, bigc, 1, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    ta_verify_chain_cached(cache, store, bigc, 1, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.problems == P(MALFORMED));
    free(big);

    current_test = "cache without cache";
    ta_verify_chain_cached(NULL, store, chain, 2, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, &hit);
    CHECK(!hit && r.verdict == TA_VERDICT_TRUSTED);
    ta_verify_chain_cached(cache, store, NULL, 0, HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r, NULL);
    CHECK(r.verdict == TA_VERDICT_NOT_CHECKED);
    ta_verify_cache_free(cache);
    ta_verify_cache_free(NULL);
    ta_store_free(store);
}

/* ---- tokens ---------------------------------------------------------------------------------- */

static void test_tokens(void)
{
    static const char *const expected[TA_PROBLEM_COUNT] = {
        "unknown-issuer", "missing-intermediate", "untrusted-root", "self-signed", "expired", "not-yet-valid",
        "hostname-mismatch", "wrong-purpose", "bad-signature", "signer-not-ca", "insecure-algorithm",
        "revoked", "constraints-violation", "unknown-critical-extension", "malformed", "chain-order",
        "unknown-algorithm", "weak-key", "missing-digital-signature", "missing-key-encipherment",
        "missing-key-agreement", "revocation-unknown", "verifier-rejected",
        "proof-failed"};
    current_test = "tokens";
    for (unsigned p = 0; p < TA_PROBLEM_COUNT; p++) {
        CHECK_STR(ta_problem_token((ta_problem)p), expected[p]);
        CHECK(strlen(ta_problem_explanation((ta_problem)p)) > 40);
        CHECK(strchr(ta_problem_explanation_for((ta_problem)p, TA_PURPOSE_CLIENT), ':') != NULL);
    }
    CHECK_STR(ta_problem_token(TA_PROBLEM_COUNT), "");
    CHECK_STR(ta_problem_explanation((ta_problem)99), "");
    CHECK_HAS(ta_problem_explanation_for(TA_PROBLEM_MISSING_INTERMEDIATE, TA_PURPOSE_SERVER),
              "the server did not send its intermediate CA: configure the full chain on the server");
    CHECK_HAS(ta_problem_explanation_for(TA_PROBLEM_MISSING_INTERMEDIATE, TA_PURPOSE_CLIENT), "the client");
    CHECK_HAS(ta_problem_explanation_for(TA_PROBLEM_WRONG_PURPOSE, TA_PURPOSE_CLIENT), "clientAuth");
    CHECK_STR(ta_verdict_token(TA_VERDICT_NOT_CHECKED), "not-checked");
    CHECK_STR(ta_verdict_token(TA_VERDICT_UNTRUSTED), "untrusted");
    CHECK_STR(ta_ocsp_status_token(TA_OCSP_SIGNATURE_INVALID), "signature-invalid");
    CHECK_STR(ta_ocsp_status_token(TA_OCSP_STALE), "stale");
    CHECK_STR(ta_signed_token(TA_SIGNED_NOT_CHECKED), "not-checked");

    current_test = "problem lists";
    char buf[300], small[20];
    ta_problems_join(P(EXPIRED) | P(HOSTNAME_MISMATCH), buf, sizeof buf);
    CHECK_STR(buf, "expired, hostname-mismatch");
    ta_problems_join(0, buf, sizeof buf);
    CHECK_STR(buf, "");
    ta_problems_join(0xFFFFFFFFu, small, sizeof small);
    CHECK(strlen(small) == sizeof small - 1);
    CHECK_STR(small + strlen(small) - 3, "...");
    ta_problems_join(P(EXPIRED), NULL, 0); /* no crash */

    current_test = "hostname shown as text";
    ta_store *store = store_with("root.pem", NULL, false);
    static ta_chain_result r;
    ta_der chain[] = {D("server"), D("inter")};
    ta_verify_chain(store, chain, 2, "caf\xc3\xa9\x01\xff.test", TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK_STR(r.hostname, "caf\xc3\xa9??.test");
    ta_verify_chain(store, chain, 2, LONG_HOST, TA_PURPOSE_SERVER, TA_KEY_USE_UNKNOWN, T2030, &r);
    CHECK(strlen(r.hostname) == TA_HOSTNAME_MAX - 1);
    ta_store_free(store);
}

/* What the handshake needs the leaf's key for, from the IANA registry's key exchange of each
 * suite (RFC 5246 7.4.2, RFC 8422 2, RFC 4279 4, RFC 8446 4.4.3). */
static void test_key_use(void)
{
    static const struct {
        ta_purpose purpose;
        uint16_t version, suite;
        ta_key_use use;
    } CASES[] = {
        {TA_PURPOSE_SERVER, 0x0304, 0x1301, TA_KEY_USE_CERTIFICATE_VERIFY}, /* TLS 1.3 */
        {TA_PURPOSE_SERVER, 0xFEFC, 0x1302, TA_KEY_USE_CERTIFICATE_VERIFY}, /* DTLS 1.3 */
        {TA_PURPOSE_CLIENT, 0x0303, 0x009C, TA_KEY_USE_CERTIFICATE_VERIFY}, /* a client signs whatever the suite */
        {TA_PURPOSE_SERVER, 0x0303, 0xC02F, TA_KEY_USE_SIGNED_KEY_EXCHANGE}, /* ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0xC02B, TA_KEY_USE_SIGNED_KEY_EXCHANGE}, /* ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0x009E, TA_KEY_USE_SIGNED_KEY_EXCHANGE}, /* DHE_RSA_WITH_AES_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0xFEFD, 0xC02F, TA_KEY_USE_SIGNED_KEY_EXCHANGE}, /* DTLS 1.2 */
        {TA_PURPOSE_SERVER, 0x0303, 0x009C, TA_KEY_USE_KEY_TRANSPORT},       /* RSA_WITH_AES_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0x0301, 0x002F, TA_KEY_USE_KEY_TRANSPORT},       /* RSA_WITH_AES_128_CBC_SHA, TLS 1.0 */
        {TA_PURPOSE_SERVER, 0x0303, 0x00AC, TA_KEY_USE_KEY_TRANSPORT},       /* RSA_PSK_WITH_AES_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0xC02D, TA_KEY_USE_KEY_AGREEMENT},       /* ECDH_ECDSA_WITH_AES_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0x0031, TA_KEY_USE_KEY_AGREEMENT},       /* DH_RSA_WITH_AES_128_CBC_SHA */
        /* Suites GnuTLS does not implement (RFC 4162, 5932, 6209, 6367) */
        {TA_PURPOSE_SERVER, 0x0303, 0xC050, TA_KEY_USE_KEY_TRANSPORT},       /* RSA_WITH_ARIA_128_GCM_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0xC03C, TA_KEY_USE_KEY_TRANSPORT},       /* RSA_WITH_ARIA_128_CBC_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0x0096, TA_KEY_USE_KEY_TRANSPORT},       /* RSA_WITH_SEED_CBC_SHA */
        {TA_PURPOSE_SERVER, 0x0303, 0xC061, TA_KEY_USE_SIGNED_KEY_EXCHANGE}, /* ECDHE_RSA_WITH_ARIA_256_GCM_SHA384 */
        {TA_PURPOSE_SERVER, 0x0303, 0x009A, TA_KEY_USE_SIGNED_KEY_EXCHANGE}, /* DHE_RSA_WITH_SEED_CBC_SHA */
        {TA_PURPOSE_SERVER, 0x0303, 0x0042, TA_KEY_USE_KEY_AGREEMENT},       /* DH_DSS_WITH_CAMELLIA_128_CBC_SHA */
        {TA_PURPOSE_SERVER, 0x0303, 0xC074, TA_KEY_USE_KEY_AGREEMENT},       /* ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0xC046, TA_KEY_USE_UNKNOWN},             /* DH_anon_WITH_ARIA_128_CBC_SHA256 */
        {TA_PURPOSE_SERVER, 0x0303, 0x00A8, TA_KEY_USE_UNKNOWN},             /* PSK_WITH_AES_128_GCM_SHA256: no certificate */
        {TA_PURPOSE_SERVER, 0x0303, 0x0000, TA_KEY_USE_UNKNOWN},
        {TA_PURPOSE_SERVER, 0x0303, 0xFFFF, TA_KEY_USE_UNKNOWN},
    };
    current_test = "key use";
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++)
        CHECK(ta_key_use_for(CASES[i].purpose, CASES[i].version, CASES[i].suite) == CASES[i].use);
    CHECK_HAS(ta_key_use_text(TA_KEY_USE_KEY_TRANSPORT), "keyEncipherment");
    CHECK_HAS(ta_key_use_text(TA_KEY_USE_SIGNED_KEY_EXCHANGE), "digitalSignature");
    CHECK_STR(ta_key_use_text(TA_KEY_USE_UNKNOWN), "");
}

int main(int argc, char **argv)
{
    if (argc > 1)
        fixture_dir = argv[1];
    if (!load_fixtures())
        return 2;
    test_chain_table();
    test_details();
    test_malformed();
    test_stores();
    test_issuer_listed();
    test_ocsp();
    test_cache();
    test_tokens();
    test_key_use();
    free_fixtures();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
