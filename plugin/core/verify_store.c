/* tlsauth trust store: the CA file, directory and system store loaded into a GnuTLS trust list
 * and an index of anchors for path building; the CRLs kept apart, judged per path (verify_crl.c).
 * Every file is read bounded, and a source that was named and did not load whole makes the store
 * unusable: chains are then not checked. See include/tlsauth/verify.h. */
#define _POSIX_C_SOURCE 200809L /* openat, fstatat, dirfd */
#include "verify_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

struct ta_store {
    gnutls_x509_trust_list_t list; /* what was loaded: the system store comes only this way */
    gnutls_x509_crt_t *anchor;     /* copies of the list's anchors, for path building */
    gnutls_datum_t *anchor_dn;     /* their subject names, as DER */
    unsigned anchor_count;
    gnutls_x509_crl_t *crl;        /* ours to judge at the verification time: never in the list */
    unsigned crl_count, crl_cap;
    unsigned anchors, crls;
    bool allow_sha1, accept_any_eku, crl_soft_fail, crl_configured;
    ta_verify_profile profile;
    bool named_failed; /* a CA file, CA directory or CRL file that was named did not load whole */
    uint64_t id; /* distinguishes stores in cache keys, even one reallocated at the same address */
    ta_text err;
    char error[TA_STORE_ERROR_MAX];
};

static atomic_uint_fast64_t next_store_id = 1;

static void store_error(ta_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void store_error(ta_store *s, const char *fmt, ...)
{
    if (s->err.len)
        ta__text_puts(&s->err, "; ");
    va_list ap;
    va_start(ap, fmt);
    ta__text_vprintf(&s->err, fmt, ap);
    va_end(ap);
}

typedef enum read_status { READ_OK, READ_ERRNO, READ_DIR, READ_NOT_REGULAR, READ_EMPTY, READ_TOO_BIG } read_status;

/* Reads a whole regular file of at most max bytes (NUL-terminated for convenience). O_NONBLOCK
 * so that a FIFO given as a file cannot hang the dissector. */
static read_status read_bounded(int dir, const char *path, size_t max, uint8_t **data, size_t *len, int *err)
{
    struct stat st;
    read_status rs = READ_OK;
    *data = NULL;
    *len = 0;
    int fd = openat(dir, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        *err = errno;
        return errno == EISDIR ? READ_DIR : READ_ERRNO;
    }
    if (fstat(fd, &st) < 0) {
        *err = errno;
        rs = READ_ERRNO;
    } else if (S_ISDIR(st.st_mode)) {
        rs = READ_DIR;
    } else if (!S_ISREG(st.st_mode)) {
        rs = READ_NOT_REGULAR;
    } else if (st.st_size == 0) {
        rs = READ_EMPTY;
    } else if ((uintmax_t)st.st_size > max) {
        rs = READ_TOO_BIG;
    } else {
        size_t want = (size_t)st.st_size, got = 0;
        uint8_t *buf = malloc(want + 1);
        if (!buf) {
            *err = ENOMEM;
            rs = READ_ERRNO;
        } else {
            while (got < want) { /* a file that shrinks meanwhile is read as it is */
                ssize_t r = read(fd, buf + got, want - got);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r < 0) {
                    *err = errno;
                    rs = READ_ERRNO;
                    break;
                }
                if (r == 0)
                    break;
                got += (size_t)r;
            }
            if (rs == READ_OK && got == 0)
                rs = READ_EMPTY;
            if (rs != READ_OK) {
                free(buf);
            } else {
                buf[got] = '\0';
                *data = buf;
                *len = got;
            }
        }
    }
    close(fd);
    return rs;
}

static const char *errno_text(int err)
{
    switch (err) {
    case ENOENT: return "no such file";
    case EACCES: case EPERM: return "permission denied";
    case ENOTDIR: return "a component of the path is not a directory";
    case ELOOP: return "too many levels of symbolic links";
    case ENAMETOOLONG: return "the name is too long";
    case ENOMEM: return "out of memory";
    default: return strerror(err);
    }
}

static void report_read(ta_store *s, const char *what, const char *path, read_status rs, int err)
{
    switch (rs) {
    case READ_OK: break;
    case READ_ERRNO: store_error(s, "%s %s: %s", what, path, errno_text(err)); break;
    case READ_DIR: store_error(s, "%s %s is a directory, not a file", what, path); break;
    case READ_NOT_REGULAR: store_error(s, "%s %s is not a regular file", what, path); break;
    case READ_EMPTY: store_error(s, "%s %s is empty", what, path); break;
    case READ_TOO_BIG:
        store_error(s, "%s %s is larger than %zu MiB: not loaded", what, path, TA_CA_FILE_MAX >> 20);
        break;
    }
}

static const uint8_t *find_bytes(const uint8_t *p, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (p[i] == (uint8_t)needle[0] && memcmp(p + i, needle, m) == 0)
            return p + i;
    return NULL;
}

/* Length of the DER TLV at p, 0 if it does not fit in n. */
static size_t der_tlv_len(const uint8_t *p, size_t n)
{
    size_t hdr, len;
    return ta__der_header(p, n, sizeof(size_t), &hdr, &len) ? hdr + len : 0;
}

typedef struct load_count {
    unsigned blocks, added, bad;
} load_count;

typedef enum object_kind { OBJ_CRT, OBJ_CRL } object_kind;

/* Adds one DER object to the store; the trust list owns it from then on (NO_DUPLICATES:
 * duplicates are freed by GnuTLS, and the list must be freed with all = 1). */
static void add_der(ta_store *s, object_kind kind, const uint8_t *p, size_t n, load_count *c)
{
    size_t tlv = der_tlv_len(p, n); /* "TRUSTED CERTIFICATE" appends OpenSSL data after the cert */
    gnutls_datum_t d = {(unsigned char *)p, (unsigned)(tlv ? tlv : n)};
    c->blocks++;
    if (n > UINT_MAX) {
        c->bad++;
        return;
    }
    if (kind == OBJ_CRT) {
        gnutls_x509_crt_t crt;
        if (gnutls_x509_crt_init(&crt) < 0)
            return;
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crt_deinit(crt);
            c->bad++;
            return;
        }
        int r = gnutls_x509_trust_list_add_cas(s->list, &crt, 1, GNUTLS_TL_NO_DUPLICATES);
        if (r > 0)
            c->added += (unsigned)r;
    } else {
        gnutls_x509_crl_t crl;
        if (gnutls_x509_crl_init(&crl) < 0)
            return;
        if (gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crl_deinit(crl);
            c->bad++;
            return;
        }
        if (s->crl_count == s->crl_cap) {
            unsigned cap = s->crl_cap ? 2 * s->crl_cap : 8;
            gnutls_x509_crl_t *bigger = realloc(s->crl, cap * sizeof *bigger);
            if (!bigger) {
                gnutls_x509_crl_deinit(crl);
                c->bad++;
                return;
            }
            s->crl = bigger;
            s->crl_cap = cap;
        }
        s->crl[s->crl_count++] = crl;
        c->added++;
        return;
    }
    /* Even when nothing was added (out of memory), GnuTLS may hold the object: never ours to free. */
}

/* Each PEM block with a wanted label, decoded on its own so one bad block does not hide the
 * others; a file without any PEM block is tried as one DER object. */
static void add_objects(ta_store *s, object_kind kind, const uint8_t *data, size_t len, load_count *c)
{
    static const char *const crt_labels[] = {"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", NULL};
    static const char *const crl_labels[] = {"X509 CRL", NULL};
    const char *const *labels = kind == OBJ_CRT ? crt_labels : crl_labels;
    size_t pos = 0;
    bool any_pem = false;
    for (;;) {
        const uint8_t *begin = find_bytes(data + pos, len - pos, "-----BEGIN ");
        if (!begin)
            break;
        any_pem = true;
        const uint8_t *label = begin + 11, *end = data + len;
        const uint8_t *dash = find_bytes(label, (size_t)(end - label), "-----");
        if (!dash || dash - label > 64) {
            pos = (size_t)(label - data);
            continue;
        }
        char name[80], end_marker[96];
        size_t label_len = (size_t)(dash - label);
        memcpy(name, label, label_len);
        name[label_len] = '\0';
        snprintf(end_marker, sizeof end_marker, "-----END %s-----", name);
        const uint8_t *stop = find_bytes(dash, (size_t)(end - dash), end_marker);
        const uint8_t *after = stop ? stop + strlen(end_marker) : end;
        bool wanted = false;
        for (unsigned i = 0; labels[i]; i++)
            wanted |= strcmp(name, labels[i]) == 0;
        if (wanted) {
            gnutls_datum_t pem = {(unsigned char *)begin, (unsigned)(after - begin)}, der = {NULL, 0};
            if (stop && gnutls_pem_base64_decode2(name, &pem, &der) >= 0) {
                add_der(s, kind, der.data, der.size, c);
                gnutls_free(der.data);
            } else {
                c->blocks++;
                c->bad++;
            }
        }
        pos = (size_t)(after - data);
    }
    if (!any_pem)
        add_der(s, kind, data, len, c);
}

static void load_file(ta_store *s, object_kind kind, const char *path)
{
    const char *what = kind == OBJ_CRT ? "CA file" : "CRL file";
    const char *noun = kind == OBJ_CRT ? "certificate" : "CRL";
    uint8_t *data;
    size_t len;
    int err = 0;
    read_status rs = read_bounded(AT_FDCWD, path, TA_CA_FILE_MAX, &data, &len, &err);
    if (rs != READ_OK) {
        s->named_failed = true;
        report_read(s, what, path, rs, err);
        if (rs == READ_DIR && kind == OBJ_CRT)
            ta__text_puts(&s->err, " (give it as the CA directory instead)");
        return;
    }
    load_count c = {0, 0, 0};
    add_objects(s, kind, data, len, &c);
    free(data);
    /* A bundle of which a part did not load is not the store that was named: fail closed. */
    s->named_failed |= c.blocks == 0 || c.bad > 0;
    if (c.blocks == 0 || c.bad == c.blocks)
        store_error(s, "%s %s holds no %s", what, path, noun);
    else if (c.bad)
        store_error(s, "%s %s: %u of %u %ss could not be parsed", what, path, c.bad, c.blocks, noun);
    if (kind == OBJ_CRT)
        s->anchors += c.added;
    else
        s->crls += c.added;
}

static void load_dir(ta_store *s, const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        int err = errno;
        s->named_failed = true;
        if (err == ENOENT)
            store_error(s, "CA directory %s: no such directory", path);
        else if (err == ENOTDIR)
            store_error(s, "CA directory %s is not a directory", path);
        else
            store_error(s, "CA directory %s: %s", path, errno_text(err));
        return;
    }
    load_count c = {0, 0, 0};
    size_t budget = TA_CA_FILE_MAX;
    unsigned files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if (fstatat(dirfd(d), e->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
            continue; /* dangling links and subdirectories: not ours to judge */
        if (++files > TA_CA_DIR_MAX_FILES) {
            s->named_failed = true;
            store_error(s, "CA directory %s has more than %d files: the rest were skipped", path,
                        TA_CA_DIR_MAX_FILES);
            break;
        }
        uint8_t *data;
        size_t len;
        int err = 0;
        read_status rs = read_bounded(dirfd(d), e->d_name, budget, &data, &len, &err);
        if (rs == READ_TOO_BIG) {
            s->named_failed = true;
            store_error(s, "CA directory %s holds more than %zu MiB: the rest was skipped", path,
                        TA_CA_FILE_MAX >> 20);
            break;
        }
        if (rs != READ_OK)
            continue;
        budget -= len;
        add_objects(s, OBJ_CRT, data, len, &c);
        free(data);
    }
    closedir(d);
    /* Other files may sit beside the certificates (a README, hash links): only an empty one fails. */
    if (c.added == 0) {
        s->named_failed = true;
        store_error(s, "CA directory %s holds no certificate", path);
    }
    s->anchors += c.added;
}

/* Copies of every anchor, for path building: GnuTLS's list answers one issuer per name, and a
 * renewed or cross-signed root shares its name with another. */
static void index_anchors(ta_store *s)
{
    gnutls_x509_trust_list_iter_t iter = NULL;
    gnutls_x509_crt_t crt;
    unsigned cap = 0;
    while (gnutls_x509_trust_list_iter_get_ca(s->list, &iter, &crt) == 0) {
        if (s->anchor_count == TA_STORE_MAX_ANCHORS) {
            gnutls_x509_crt_deinit(crt);
            gnutls_x509_trust_list_iter_deinit(iter);
            store_error(s, "more than %d trust anchors: only the first %d are used to build paths",
                        TA_STORE_MAX_ANCHORS, TA_STORE_MAX_ANCHORS);
            return;
        }
        gnutls_datum_t dn = {NULL, 0};
        if (s->anchor_count == cap) {
            cap = cap ? 2 * cap : 64;
            gnutls_x509_crt_t *bigger = realloc(s->anchor, cap * sizeof *bigger);
            if (bigger)
                s->anchor = bigger;
            gnutls_datum_t *bigger_dn = realloc(s->anchor_dn, cap * sizeof *bigger_dn);
            if (bigger_dn)
                s->anchor_dn = bigger_dn;
            if (!bigger || !bigger_dn)
                cap = s->anchor_count; /* try again next time; this one is lost below */
        }
        if (s->anchor_count == cap || gnutls_x509_crt_get_raw_dn(crt, &dn) < 0) {
            gnutls_x509_crt_deinit(crt);
            gnutls_x509_trust_list_iter_deinit(iter);
            store_error(s, "out of memory while indexing the trust anchors");
            s->named_failed = true;
            return;
        }
        s->anchor_dn[s->anchor_count] = dn;
        s->anchor[s->anchor_count++] = crt;
    }
}

ta_store *ta_store_new(const ta_store_config *cfg)
{
    ta_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    ta__text_init(&s->err, s->error, sizeof s->error);
    s->id = atomic_fetch_add(&next_store_id, 1);
    if (gnutls_x509_trust_list_init(&s->list, 0) < 0) {
        free(s);
        return NULL;
    }
    const ta_store_config none = {0};
    if (!cfg)
        cfg = &none;
    s->allow_sha1 = cfg->allow_sha1;
    s->accept_any_eku = cfg->accept_any_eku;
    s->crl_soft_fail = cfg->crl_soft_fail;
    s->profile = cfg->profile;
    bool configured = false;
    if (cfg->ca_file && *cfg->ca_file) {
        configured = true;
        load_file(s, OBJ_CRT, cfg->ca_file);
    }
    if (cfg->ca_dir && *cfg->ca_dir) {
        configured = true;
        load_dir(s, cfg->ca_dir);
    }
    if (cfg->use_system_ca) {
        configured = true;
        int r = gnutls_x509_trust_list_add_system_trust(s->list, GNUTLS_TL_NO_DUPLICATES, 0);
        if (r < 0)
            store_error(s, "system CA store: %s", gnutls_strerror(r));
        else if (r == 0)
            store_error(s, "system CA store holds no certificate");
        else
            s->anchors += (unsigned)r;
    }
    if (!configured)
        store_error(s, "no trust anchor configured: set a CA file or directory, or use the system CAs");
    else if (s->anchors == 0 && s->err.len == 0)
        store_error(s, "no trust anchor could be loaded");
    index_anchors(s);
    /* Judged per chain, at the verification time, against the issuer on its path (verify_crl.c). */
    if (cfg->crl_file && *cfg->crl_file) {
        s->crl_configured = true;
        load_file(s, OBJ_CRL, cfg->crl_file);
    }
    return s;
}

void ta_store_free(ta_store *store)
{
    if (!store)
        return;
    gnutls_x509_trust_list_deinit(store->list, 1);
    for (unsigned i = 0; i < store->anchor_count; i++) {
        gnutls_x509_crt_deinit(store->anchor[i]);
        gnutls_free(store->anchor_dn[i].data);
    }
    free(store->anchor);
    free(store->anchor_dn);
    for (unsigned i = 0; i < store->crl_count; i++)
        gnutls_x509_crl_deinit(store->crl[i]);
    free(store->crl);
    free(store);
}

bool ta_store_usable(const ta_store *store) { return store && store->anchors > 0 && !store->named_failed; }
unsigned ta_store_anchor_count(const ta_store *store) { return store ? store->anchors : 0; }
unsigned ta_store_crl_count(const ta_store *store) { return store ? store->crls : 0; }
const char *ta_store_error(const ta_store *store) { return store ? store->error : "no CA store"; }
gnutls_x509_trust_list_t ta__store_list(const ta_store *store) { return store ? store->list : NULL; }
bool ta__store_allow_sha1(const ta_store *store) { return store && store->allow_sha1; }

const gnutls_x509_crt_t *ta__store_anchors(const ta_store *store, unsigned *count)
{
    *count = store ? store->anchor_count : 0;
    return store ? store->anchor : NULL;
}

/* RFC 5280 6.1.1 (d): a trust anchor is a name and a key. The certificate sent need not be the
 * store's own copy: a root re-issued with new dates, or cross-signed by an older root, is it too. */
gnutls_x509_crt_t ta__store_anchor_of(const ta_store *store, gnutls_x509_crt_t crt)
{
    gnutls_datum_t dn = {NULL, 0};
    gnutls_x509_crt_t same_key = NULL;
    if (!store || !crt || gnutls_x509_crt_get_raw_dn(crt, &dn) < 0)
        return NULL;
    for (unsigned i = 0; i < store->anchor_count; i++) {
        if (store->anchor_dn[i].size != dn.size || memcmp(store->anchor_dn[i].data, dn.data, dn.size) != 0)
            continue;
        if (gnutls_x509_crt_equals(store->anchor[i], crt)) { /* the copy itself is preferred */
            gnutls_free(dn.data);
            return store->anchor[i];
        }
        uint8_t a[64], b[64];
        size_t a_len = sizeof a, b_len = sizeof b;
        if (!same_key && gnutls_x509_crt_get_key_id(store->anchor[i], GNUTLS_KEYID_USE_SHA256, a, &a_len) >= 0 &&
            gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, b, &b_len) >= 0 && a_len == b_len &&
            memcmp(a, b, a_len) == 0)
            same_key = store->anchor[i];
    }
    gnutls_free(dn.data);
    return same_key;
}

const gnutls_x509_crl_t *ta__store_crls(const ta_store *store, unsigned *count)
{
    *count = store ? store->crl_count : 0;
    return store ? store->crl : NULL;
}

bool ta__store_crl_configured(const ta_store *store) { return store && store->crl_configured; }
bool ta__store_accept_any_eku(const ta_store *store) { return store && store->accept_any_eku; }
bool ta__store_crl_soft_fail(const ta_store *store) { return store && store->crl_soft_fail; }
ta_verify_profile ta__store_profile(const ta_store *store) { return store ? store->profile : TA_PROFILE_MEDIUM; }
uint64_t ta__store_id(const ta_store *store) { return store ? store->id : 0; }

