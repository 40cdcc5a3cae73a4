/* Runs the chain verifier (include/tlsauth/verify.h) over certificate files, for the differential
 * tests (tests/differential/) and for trying a chain by hand.
 * Usage: verify_chain [--ca-file F] [--ca-dir D] [--crl F] [--system] [--time YYYY-MM-DD|@UNIX]
 *          [--host NAME] [--purpose server|client]
 *          [--use unknown|certificate-verify|signed-kx|key-transport|key-agreement]
 *          [--profile low|legacy|medium|high] [--allow-sha1] [--accept-any-eku] [--crl-soft-fail]
 *          CERTFILE...
 *   CERTFILE: the chain as sent, leaf first. A file holding PEM gives every CERTIFICATE block in
 *   it, in order; a file holding none is one DER entry of its raw bytes (empty or malformed ones
 *   included). Defaults: time 2030-01-01, purpose server, use unknown, profile medium, no store.
 * Output: "VERDICT<TAB>tokens,comma-joined or -<TAB>reason", then one line per certificate of
 * the result: "cert<TAB>N<TAB>role<TAB>signed_by_next<TAB>subject<TAB>revocation" (- when empty).
 * Exit 0 whatever the verdict, 2 on usage errors or unreadable CERTFILEs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsauth/verify.h"

enum { MAX_ENTRIES = 64 };
#define FILE_MAX ((size_t)64 << 20)

static const char USAGE[] =
    "usage: verify_chain [--ca-file F] [--ca-dir D] [--crl F] [--system] [--time YYYY-MM-DD|@UNIX]\n"
    "         [--host NAME] [--purpose server|client]\n"
    "         [--use unknown|certificate-verify|signed-kx|key-transport|key-agreement]\n"
    "         [--profile low|legacy|medium|high] [--allow-sha1] [--accept-any-eku] [--crl-soft-fail]\n"
    "         CERTFILE...\n";

static ta_der entries[MAX_ENTRIES];
static size_t entry_count;

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "verify_chain: %s%s%s\n%s", what, arg ? ": " : "", arg ? arg : "", USAGE);
    return 2;
}

/* Whole file into a fresh buffer (NUL-terminated, not counted); NULL when unreadable or too big. */
static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            if (cap >= FILE_MAX) {
                free(buf);
                buf = NULL;
                break;
            }
            cap *= 2;
            uint8_t *grown = realloc(buf, cap + 1);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

static int base64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 in [p, end) into out (room enough: 3/4 of the input); whitespace is skipped,
 * '=' ends it. Returns the length, or -1 on a character that is not base64. */
static long base64_decode(const uint8_t *p, const uint8_t *end, uint8_t *out)
{
    unsigned acc = 0, bits = 0;
    long n = 0;
    for (; p < end; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        if (*p == '=')
            break;
        int v = base64_value(*p);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return n;
}

static const uint8_t *find(const uint8_t *hay, const uint8_t *end, const char *needle)
{
    size_t len = strlen(needle);
    for (; hay + len <= end; hay++)
        if (memcmp(hay, needle, len) == 0)
            return hay;
    return NULL;
}

static const char *add_entry(const uint8_t *data, size_t len)
{
    if (entry_count == MAX_ENTRIES)
        return "more than 64 certificates";
    entries[entry_count].data = data;
    entries[entry_count].len = len;
    entry_count++;
    return NULL;
}

/* Adds PATH's certificates to entries; NULL, or why not. Each entry's buffer is its own, freed
 * by free_entries(). */
static const char *add_file(const char *path)
{
    static const char BEGIN[] = "-----BEGIN CERTIFICATE-----", END[] = "-----END CERTIFICATE-----";
    size_t len;
    uint8_t *data = read_all(path, &len);
    if (!data)
        return "cannot read it (missing, unreadable or larger than 64 MiB)";
    const uint8_t *end = data + len, *p = find(data, end, BEGIN);
    const char *why = NULL;
    if (!p) {
        why = add_entry(data, len);
        if (why)
            free(data);
        return why;
    }
    while (p && !why) {
        const uint8_t *body = p + strlen(BEGIN), *stop = find(body, end, END);
        if (!stop) {
            why = "a PEM CERTIFICATE block has no END line";
            break;
        }
        uint8_t *der = malloc((size_t)(stop - body) / 4 * 3 + 3);
        long n = der ? base64_decode(body, stop, der) : -1;
        why = n < 0 ? "a PEM CERTIFICATE block is not base64" : add_entry(der, (size_t)n);
        if (why)
            free(der);
        p = find(stop, end, BEGIN);
    }
    free(data);
    return why;
}

static void free_entries(void)
{
    for (size_t i = 0; i < entry_count; i++)
        free((void *)entries[i].data);
    entry_count = 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static int parse_time(const char *s, int64_t *out)
{
    char *end;
    if (s[0] == '@') {
        long long v = strtoll(s + 1, &end, 10);
        if (end == s + 1 || *end)
            return -1;
        *out = v;
        return 0;
    }
    int y, m, d;
    char extra;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || strlen(s) != 10 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return -1;
    *out = (int64_t)days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
    return 0;
}

/* Index of word in the NULL-terminated list, or -1. */
static int choose(const char *word, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(word, list[i]) == 0)
            return i;
    return -1;
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

int main(int argc, char **argv)
{
    static const char *const purposes[] = {"server", "client", NULL};
    static const ta_purpose purpose_of[] = {TA_PURPOSE_SERVER, TA_PURPOSE_CLIENT};
    static const char *const uses[] = {"unknown", "certificate-verify", "signed-kx", "key-transport",
                                       "key-agreement", NULL};
    static const ta_key_use use_of[] = {TA_KEY_USE_UNKNOWN, TA_KEY_USE_CERTIFICATE_VERIFY,
                                        TA_KEY_USE_SIGNED_KEY_EXCHANGE, TA_KEY_USE_KEY_TRANSPORT,
                                        TA_KEY_USE_KEY_AGREEMENT};
    static const char *const profiles[] = {"low", "legacy", "medium", "high", NULL};
    static const ta_verify_profile profile_of[] = {TA_PROFILE_LOW, TA_PROFILE_LEGACY, TA_PROFILE_MEDIUM,
                                                   TA_PROFILE_HIGH};
    ta_store_config cfg = {.profile = TA_PROFILE_MEDIUM};
    const char *host = NULL;
    ta_purpose purpose = TA_PURPOSE_SERVER;
    ta_key_use use = TA_KEY_USE_UNKNOWN;
    int64_t when = (int64_t)days_from_civil(2030, 1, 1) * 86400;

    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(opt, "--system") == 0) {
            cfg.use_system_ca = true;
            continue;
        }
        if (strcmp(opt, "--allow-sha1") == 0) {
            cfg.allow_sha1 = true;
            continue;
        }
        if (strcmp(opt, "--accept-any-eku") == 0) {
            cfg.accept_any_eku = true;
            continue;
        }
        if (strcmp(opt, "--crl-soft-fail") == 0) {
            cfg.crl_soft_fail = true;
            continue;
        }
        static const char *const with_value[] = {"--ca-file", "--ca-dir", "--crl", "--time", "--host",
                                                 "--purpose", "--use", "--profile", NULL};
        int which = choose(opt, with_value);
        if (which < 0)
            return usage_error("unknown option", opt);
        if (i + 1 >= argc)
            return usage_error("missing value after", opt);
        const char *v = argv[++i];
        int k = 0;
        switch (which) {
        case 0: cfg.ca_file = v; break;
        case 1: cfg.ca_dir = v; break;
        case 2: cfg.crl_file = v; break;
        case 3:
            if (parse_time(v, &when) != 0)
                return usage_error("--time wants YYYY-MM-DD or @UNIX", v);
            break;
        case 4: host = v; break;
        case 5:
            if ((k = choose(v, purposes)) < 0)
                return usage_error("--purpose wants server or client", v);
            purpose = purpose_of[k];
            break;
        case 6:
            if ((k = choose(v, uses)) < 0)
                return usage_error("unknown --use", v);
            use = use_of[k];
            break;
        default:
            if ((k = choose(v, profiles)) < 0)
                return usage_error("unknown --profile", v);
            cfg.profile = profile_of[k];
            break;
        }
    }
    if (i >= argc)
        return usage_error("no CERTFILE", NULL);
    for (; i < argc; i++) {
        const char *why = add_file(argv[i]);
        if (why) {
            fprintf(stderr, "verify_chain: %s: %s\n", argv[i], why);
            free_entries();
            return 2;
        }
    }

    ta_store *store = ta_store_new(&cfg);
    if (!store) {
        fprintf(stderr, "verify_chain: out of memory\n");
        free_entries();
        return 1;
    }
    if (ta_store_error(store)[0])
        fprintf(stderr, "verify_chain: store: %s\n", ta_store_error(store));
    static ta_chain_result r;
    ta_verify_chain(store, entries, entry_count, host, purpose, use, when, &r);

    char joined[1024], tokens[1024];
    ta_problems_join(r.problems, joined, sizeof joined);
    size_t n = 0;
    for (const char *p = joined; *p && n + 1 < sizeof tokens; p++)
        if (*p != ' ')
            tokens[n++] = *p; /* "a, b" -> "a,b": tokens hold no spaces */
    tokens[n] = 0;
    printf("%s\t%s\t%s\n", ta_verdict_token(r.verdict), or_dash(tokens), r.reason);
    for (unsigned c = 0; c < r.cert_count && c < sizeof r.certs / sizeof r.certs[0]; c++) {
        const ta_cert_info *ci = &r.certs[c];
        printf("cert\t%u\t%s\t%s\t%s\t%s\n", c, ta_cert_role_token(ci->role), ta_signed_token(ci->signed_by_next),
               or_dash(ci->subject), or_dash(ci->revocation));
    }
    ta_store_free(store);
    free_entries();
    return fflush(stdout) == 0 ? 0 : 1;
}
