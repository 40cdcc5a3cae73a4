/* tlsauth chain verification: candidate paths (RFC 4158), GnuTLS over each, what its status
 * means, the leaf's fitness for the handshake, and the choice of a path at the verification
 * time. See include/tlsauth/verify.h; revocation is verify_crl.c, the store verify.c. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "verify_internal.h"

#include <limits.h>
#include <string.h>

#define PATH_EXPANSIONS_MAX 64 /* issuer candidates tried per chain, whatever the paths found */

/* ---- one link: did the issuer's key sign the subject? --------------------------------------- */

typedef struct link_check {
    ta_signed signed_by;
    bool unknown_algorithm; /* the subject's signature algorithm is unknown or malformed */
} link_check;

/* Names must chain and the signature verify; everything else (CA flag, key usage, strength,
 * dates) is the chain verification's. The same answer feeds the verdict and "signed by next". */
static link_check check_link(gnutls_x509_crt_t subject, gnutls_x509_crt_t issuer)
{
    const unsigned flags = CHAIN_VERIFY_FLAGS | GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_ALLOW_BROKEN |
                           GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_DISABLE_CRL_CHECKS |
                           GNUTLS_VERIFY_ALLOW_ANY_X509_V1_CA_CRT | GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS;
    link_check l = {TA_SIGNED_NOT_CHECKED, false};
    unsigned status = 0;
    if (!subject || !issuer)
        return l;
    if (!gnutls_x509_crt_check_issuer(subject, issuer)) {
        l.signed_by = TA_SIGNED_NO;
        return l;
    }
    if (gnutls_x509_crt_get_signature_algorithm(subject) <= 0) { /* GNUTLS_SIGN_UNKNOWN, or an error */
        l.unknown_algorithm = true;
        return l;
    }
    if (gnutls_x509_crt_verify(subject, &issuer, 1, flags, &status) < 0)
        return l;
    /* A bare INVALID: the signature or its data could not be read (an empty signature). Other
     * bits (a name constraint) do not stop GnuTLS from checking the signature itself. */
    bool failed = (status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)) || status == GNUTLS_CERT_INVALID;
    l.signed_by = failed ? TA_SIGNED_NO : TA_SIGNED_YES;
    return l;
}

/* ---- the chain as sent, and the anchors that may issue it ---------------------------------- */

typedef struct chain {
    unsigned n;                                        /* sent certificates analysed */
    gnutls_x509_crt_t crt[TA_VERIFY_MAX_CERTS];        /* NULL: not parsable */
    gnutls_x509_crt_t sent_anchor[TA_VERIFY_MAX_CERTS]; /* the store's copy when this one is an anchor */
    gnutls_x509_crt_t anchor[TA_VERIFY_MAX_ANCHORS];   /* the store's, at entries n.. of the result */
    unsigned anchor_count;
    /* CRL lookups by (certificate, issuer) entry: each path judges a certificate with its own issuer */
    ta_revocation crl[TA_VERIFY_MAX_CERTS][TA_VERIFY_MAX_CERTS + TA_VERIFY_MAX_ANCHORS];
    bool crl_known[TA_VERIFY_MAX_CERTS][TA_VERIFY_MAX_CERTS + TA_VERIFY_MAX_ANCHORS];
} chain;

static gnutls_x509_crt_t entry_crt(const chain *c, unsigned entry)
{
    return entry < c->n ? c->crt[entry] : c->anchor[entry - c->n];
}

/* The result entry of a store anchor, added (and described) on first use; -1 when full. */
static int anchor_entry(chain *c, ta_chain_result *r, gnutls_x509_crt_t a)
{
    for (unsigned k = 0; k < c->anchor_count; k++)
        if (c->anchor[k] == a)
            return (int)(c->n + k);
    if (c->anchor_count == TA_VERIFY_MAX_ANCHORS)
        return -1;
    unsigned entry = c->n + c->anchor_count;
    c->anchor[c->anchor_count++] = a;
    ta_cert_info *ci = &r->certs[entry];
    gnutls_datum_t der = {NULL, 0};
    memset(ci, 0, sizeof *ci);
    ta__describe_cert(a, ci);
    if (gnutls_x509_crt_export2(a, GNUTLS_X509_FMT_DER, &der) >= 0) {
        ci->der_len = der.size;
        ta__fingerprint(der.data, der.size, ci->sha256, sizeof ci->sha256);
    }
    gnutls_free(der.data);
    ci->role = TA_CERT_TRUST_ANCHOR;
    ci->position = entry;
    ci->from_store = ci->in_store = true;
    return (int)entry;
}

/* ---- candidate paths ------------------------------------------------------------------------ */

typedef struct builder {
    ta_store *store;
    chain *c;
    ta_chain_result *r;
    uint8_t stack[TA_VERIFY_MAX_CERTS + 1];
    unsigned depth, expansions;
    bool on[TA_VERIFY_MAX_CERTS];
    bool use_anchors; /* false when the store cannot be used: paths among the sent ones only */
} builder;

static void record_path(builder *b, bool complete)
{
    if (b->r->path_count == TA_VERIFY_MAX_PATHS)
        return;
    ta_path *p = &b->r->paths[b->r->path_count++];
    p->bad_signature_at = p->unknown_algorithm_at = p->weak_key_at = -1;
    p->len = (uint8_t)b->depth;
    memcpy(p->cert, b->stack, b->depth);
    p->complete = complete;
}

static void push(builder *b, unsigned entry)
{
    b->stack[b->depth++] = (uint8_t)entry;
    if (entry < b->c->n)
        b->on[entry] = true;
}

static void pop(builder *b)
{
    unsigned entry = b->stack[--b->depth];
    if (entry < b->c->n)
        b->on[entry] = false;
}

/* Depth first from the leaf: the next certificate sent first (a proper chain reads as sent),
 * then the other ones sent, then the store's anchors. A path ends at the first anchor. */
static void extend(builder *b)
{
    chain *c = b->c;
    unsigned cur = b->stack[b->depth - 1];
    if (b->r->path_count == TA_VERIFY_MAX_PATHS || ++b->expansions > PATH_EXPANSIONS_MAX)
        return;
    if (c->sent_anchor[cur]) {
        record_path(b, true);
        return;
    }
    /* A self-signed certificate that is no anchor ends a path: it is a root nobody trusts, and
     * GnuTLS would drop it from the list rather than check it against another. */
    if (b->r->certs[cur].self_signed) {
        record_path(b, false);
        return;
    }
    bool extended = false;
    unsigned order[TA_VERIFY_MAX_CERTS], m = 0;
    if (cur + 1 < c->n)
        order[m++] = cur + 1;
    for (unsigned j = 1; j < c->n; j++)
        if (j != cur + 1)
            order[m++] = j;
    for (unsigned k = 0; k < m; k++) {
        unsigned j = order[k];
        if (b->on[j] || !c->crt[j] || !gnutls_x509_crt_check_issuer(c->crt[cur], c->crt[j]))
            continue;
        push(b, j);
        extend(b);
        pop(b);
        extended = true;
    }
    unsigned count = 0, named = 0;
    const gnutls_x509_crt_t *anchors = b->use_anchors ? ta__store_anchors(b->store, &count) : NULL;
    for (unsigned i = 0; i < count; i++)
        named += gnutls_x509_crt_check_issuer(c->crt[cur], anchors[i]) != 0;
    /* More anchors of that name than room to try: only those whose key signed it (a crowd of
     * same-named roots cannot hide the real one). */
    bool crowded = named > TA_VERIFY_MAX_ANCHORS - c->anchor_count;
    for (unsigned i = 0; i < count && named && b->r->path_count < TA_VERIFY_MAX_PATHS; i++) {
        if (!gnutls_x509_crt_check_issuer(c->crt[cur], anchors[i]) ||
            (crowded && check_link(c->crt[cur], anchors[i]).signed_by != TA_SIGNED_YES))
            continue;
        int entry = anchor_entry(c, b->r, anchors[i]);
        if (entry < 0)
            break;
        push(b, (unsigned)entry);
        record_path(b, true);
        pop(b);
        extended = true;
    }
    if (!extended)
        record_path(b, false);
}

/* ---- GnuTLS over one path, and what its status means ---------------------------------------- */

/* Bits whose meaning tlsauth knows: mapped to a token, or its own to judge (the dates). Any other
 * bit makes the chain untrusted as verifier-rejected: fail closed. */
static const struct {
    unsigned flag;
    ta_problem problem;
} STATUS_MAP[] = {
    {GNUTLS_CERT_REVOKED, TA_PROBLEM_REVOKED},
    {GNUTLS_CERT_SIGNER_NOT_CA, TA_PROBLEM_SIGNER_NOT_CA},
    {GNUTLS_CERT_INSECURE_ALGORITHM, TA_PROBLEM_INSECURE_ALGORITHM},
    {GNUTLS_CERT_SIGNATURE_FAILURE, TA_PROBLEM_BAD_SIGNATURE},
    {GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, TA_PROBLEM_CONSTRAINTS_VIOLATION},
    {GNUTLS_CERT_PURPOSE_MISMATCH, TA_PROBLEM_WRONG_PURPOSE},
    {GNUTLS_CERT_UNEXPECTED_OWNER, TA_PROBLEM_HOSTNAME_MISMATCH},
    {GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, TA_PROBLEM_UNKNOWN_CRITICAL_EXTENSION},
};
#define STATUS_OURS (GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)

static unsigned run_gnutls(const ta_store *s, const chain *c, const ta_path *p, ta_purpose purpose, int *err)
{
    gnutls_x509_crt_t list[TA_VERIFY_MAX_CERTS], anchor = NULL;
    unsigned n = 0, status = 0;
    for (unsigned k = 0; k < p->len; k++) {
        if (p->cert[k] < c->n)
            list[n++] = c->crt[p->cert[k]];
        else
            anchor = c->anchor[p->cert[k] - c->n];
    }
    if (p->complete && !anchor) { /* it ends at a certificate sent that is an anchor: the store's copy */
        anchor = c->sent_anchor[p->cert[p->len - 1]];
        if (n > 1) /* a pinned leaf stays: GnuTLS checks it against its copy */
            n--;
    }
    /* A list of this path's anchor alone: GnuTLS would pick its own among same-named ones. */
    gnutls_x509_trust_list_t one;
    if ((*err = gnutls_x509_trust_list_init(&one, 1)) < 0)
        return 0;
    if (anchor && gnutls_x509_trust_list_add_cas(one, &anchor, 1, 0) != 1) {
        gnutls_x509_trust_list_deinit(one, 0);
        *err = GNUTLS_E_MEMORY_ERROR;
        return 0;
    }
    gnutls_typed_vdata_st vd = {GNUTLS_DT_KEY_PURPOSE_OID,
                                (unsigned char *)(purpose == TA_PURPOSE_CLIENT ? GNUTLS_KP_TLS_WWW_CLIENT
                                                                               : GNUTLS_KP_TLS_WWW_SERVER),
                                0};
    unsigned flags = CHAIN_VERIFY_FLAGS | GNUTLS_VERIFY_DISABLE_CRL_CHECKS |
                     (ta__store_allow_sha1(s) ? GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 : 0);
    /* No GNUTLS_DT_DNS_HOSTNAME: the host name is checked once per chain, also without a store. */
    *err = gnutls_x509_trust_list_verify_crt2(one, list, n, &vd, 1, flags, &status, NULL);
    gnutls_x509_trust_list_deinit(one, 0); /* 0: the anchor is the store's */
    return status;
}

/* The path's time-independent problems: GnuTLS's status read with the links checked one by one,
 * the strength of every key on it, and its revocation data looked up. */
static void judge_path(builder *b, ta_path *p, ta_purpose purpose)
{
    chain *c = b->c;
    ta_chain_result *r = b->r;
    int err = 0;
    unsigned status = run_gnutls(b->store, c, p, purpose, &err);
    p->gnutls_status = err < 0 ? UINT_MAX : status;
    ta_problem_set found = 0; /* what GnuTLS's status means */
    for (size_t i = 0; i < sizeof STATUS_MAP / sizeof *STATUS_MAP; i++)
        if (status & STATUS_MAP[i].flag)
            found |= TA_PROBLEM_BIT(STATUS_MAP[i].problem);
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
        unsigned top = p->cert[p->len - 1];
        if (p->len == 1 && r->certs[0].self_signed) {
            found |= TA_PROBLEM_BIT(TA_PROBLEM_SELF_SIGNED);
        } else if (r->certs[top].self_signed) {
            found |= TA_PROBLEM_BIT(TA_PROBLEM_UNTRUSTED_ROOT); /* its issuer is known: itself */
        } else {
            found |= TA_PROBLEM_BIT(TA_PROBLEM_UNKNOWN_ISSUER) | TA_PROBLEM_BIT(TA_PROBLEM_MISSING_INTERMEDIATE);
        }
    }
    /* A non-CA signer also lacks keyCertSign, which GnuTLS reports as a constraint failure:
     * one root cause, one token (the fix for signer-not-ca fixes both). */
    if (status & GNUTLS_CERT_SIGNER_NOT_CA)
        found &= ~TA_PROBLEM_BIT(TA_PROBLEM_CONSTRAINTS_VIOLATION);
    if (status) {
        /* GnuTLS stops at the first failure, and reports some (an unknown algorithm, an empty
         * signature) as a bare INVALID or as the wrong failure: check every link. */
        ta_problem_set links = 0;
        for (unsigned k = 0; k + 1 < p->len; k++) {
            link_check l = check_link(entry_crt(c, p->cert[k]), entry_crt(c, p->cert[k + 1]));
            if (l.unknown_algorithm) {
                links |= TA_PROBLEM_BIT(TA_PROBLEM_UNKNOWN_ALGORITHM);
                if (p->unknown_algorithm_at < 0)
                    p->unknown_algorithm_at = (int8_t)p->cert[k];
            } else if (l.signed_by == TA_SIGNED_NO) {
                links |= TA_PROBLEM_BIT(TA_PROBLEM_BAD_SIGNATURE);
                if (p->bad_signature_at < 0)
                    p->bad_signature_at = (int8_t)p->cert[k];
            }
        }
        /* A CA's limits say nothing of a certificate it did not sign (RFC 5280 6.1.3 (a)(1)). */
        if (links)
            found &= ~(TA_PROBLEM_BIT(TA_PROBLEM_SIGNER_NOT_CA) | TA_PROBLEM_BIT(TA_PROBLEM_CONSTRAINTS_VIOLATION));
        found |= links;
    }
    unsigned known = STATUS_OURS;
    for (size_t i = 0; i < sizeof STATUS_MAP / sizeof *STATUS_MAP; i++)
        known |= STATUS_MAP[i].flag;
    if (err < 0 || (status & ~known) || ((status & GNUTLS_CERT_INVALID) && !found))
        found |= TA_PROBLEM_BIT(TA_PROBLEM_VERIFIER_REJECTED);
    p->problems |= found;

    gnutls_sec_param_t min = ta__profile_level(ta__store_profile(b->store));
    for (unsigned k = 0; k < p->len; k++) {
        unsigned e = p->cert[k];
        gnutls_x509_crt_t crt = entry_crt(c, e);
        if (ta__weak_key(crt, min)) {
            p->problems |= TA_PROBLEM_BIT(TA_PROBLEM_WEAK_KEY);
            if (p->weak_key_at < 0)
                p->weak_key_at = (int8_t)e;
        }
        /* Every certificate but the anchor, with the issuer this path gives it. */
        bool anchor = e >= c->n || (p->complete && k + 1 == p->len);
        if (anchor)
            continue;
        unsigned issuer = k + 1 < p->len ? p->cert[k + 1] : e; /* e: no issuer known */
        if (!c->crl_known[e][issuer]) {
            c->crl_known[e][issuer] = true;
            ta__crl_lookup(b->store, crt, issuer == e ? NULL : entry_crt(c, issuer), &c->crl[e][issuer]);
        }
        p->revocation[k] = c->crl[e][issuer];
    }
    /* An insecure-algorithm that the weak key alone explains is the weak key. */
    if ((p->problems & TA_PROBLEM_BIT(TA_PROBLEM_WEAK_KEY)) && (p->problems & TA_PROBLEM_BIT(TA_PROBLEM_INSECURE_ALGORITHM))) {
        bool weak_signature = false;
        unsigned sign_flags = ta__store_allow_sha1(b->store) ? 0 : GNUTLS_SIGN_FLAG_SECURE_FOR_CERTS;
        for (unsigned k = 0; k + 1 < p->len; k++) {
            int sig = gnutls_x509_crt_get_signature_algorithm(entry_crt(c, p->cert[k]));
            weak_signature |= sig <= 0 || !gnutls_sign_is_secure2((gnutls_sign_algorithm_t)sig, sign_flags);
        }
        if (!weak_signature)
            p->problems &= ~TA_PROBLEM_BIT(TA_PROBLEM_INSECURE_ALGORITHM);
    }
}

/* ---- the untimed verification ----------------------------------------------------------------- */

/* The name to check, or NULL when there is none. *bad: it cannot match anything (not printable
 * ASCII, or longer than a DNS name can be). A trailing dot (absolute name) is dropped. */
static const char *normalize_host(const char *hostname, ta_purpose purpose, char buf[TA_HOSTNAME_MAX], bool *bad)
{
    *bad = false;
    if (purpose != TA_PURPOSE_SERVER || !hostname || !*hostname)
        return NULL;
    size_t n = strnlen(hostname, TA_HOSTNAME_MAX);
    if (n == TA_HOSTNAME_MAX) {
        *bad = true;
        n--;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)hostname[i] <= 0x20 || (unsigned char)hostname[i] >= 0x7F)
            *bad = true;
    memcpy(buf, hostname, n);
    buf[n] = '\0';
    if (n > 1 && buf[n - 1] == '.')
        buf[n - 1] = '\0';
    return buf;
}

static unsigned analysed_count(const ta_der *certs, size_t count)
{
    if (!certs)
        return 0;
    return count > TA_VERIFY_MAX_CERTS ? TA_VERIFY_MAX_CERTS : (unsigned)count;
}

static void put_key(uint8_t *buf, size_t size, size_t *at, const void *p, size_t n)
{
    if (buf && n && *at <= size && n <= size - *at)
        memcpy(buf + *at, p, n);
    *at += n;
}

size_t ta__verify_key(const ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                      ta_purpose purpose, ta_key_use key_use, uint8_t *buf, size_t size)
{
    char host_buf[TA_HOSTNAME_MAX];
    bool bad;
    purpose = purpose == TA_PURPOSE_CLIENT ? TA_PURPOSE_CLIENT : TA_PURPOSE_SERVER;
    const char *host = normalize_host(hostname, purpose, host_buf, &bad);
    unsigned n = analysed_count(certs, count);
    uint64_t id = ta__store_id(store), sent = certs ? (uint64_t)count : 0;
    uint8_t flags[3] = {(uint8_t)purpose, (uint8_t)(host ? (bad ? 2 : 1) : 0), (uint8_t)key_use};
    uint16_t host_len = host ? (uint16_t)strlen(host) : 0;
    size_t at = 0;
    for (unsigned i = 0; i < n; i++)
        if (certs[i].len > TA_DER_MAX)
            return SIZE_MAX;
    put_key(buf, size, &at, &id, sizeof id);
    put_key(buf, size, &at, flags, sizeof flags);
    put_key(buf, size, &at, &host_len, sizeof host_len);
    put_key(buf, size, &at, host ? host : "", host_len);
    put_key(buf, size, &at, &sent, sizeof sent);
    for (unsigned i = 0; i < n; i++) {
        uint64_t len = certs[i].data ? certs[i].len : 0; /* NULL data reads as empty */
        put_key(buf, size, &at, &len, sizeof len);
        put_key(buf, size, &at, certs[i].data, (size_t)len);
    }
    return at;
}

size_t ta__result_size(const ta_chain_result *r)
{
    return offsetof(ta_chain_result, certs) + r->cert_count * sizeof r->certs[0];
}

/* Whether entry issuer signed entry subject: known already when GnuTLS verified a path with that
 * link without a complaint (one signature verification saved per link, most chains all). */
static ta_signed link_signed(const chain *c, const ta_chain_result *r, unsigned subject, unsigned issuer)
{
    for (unsigned k = 0; k < r->path_count; k++) {
        const ta_path *p = &r->paths[k];
        if (p->gnutls_status != 0)
            continue;
        for (unsigned j = 0; j + 1 < p->len; j++)
            if (p->cert[j] == subject && p->cert[j + 1] == issuer)
                return TA_SIGNED_YES;
    }
    return check_link(entry_crt(c, subject), entry_crt(c, issuer)).signed_by;
}


void ta__verify_untimed(ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                        ta_purpose purpose, ta_key_use key_use, ta_chain_result *out)
{
    chain c;
    char host_buf[TA_HOSTNAME_MAX];
    bool host_bad;
    memset(out, 0, offsetof(ta_chain_result, certs));
    memset(&c, 0, sizeof c);
    ta_text reason;
    ta__text_init(&reason, out->reason, sizeof out->reason);
    out->purpose = purpose = purpose == TA_PURPOSE_CLIENT ? TA_PURPOSE_CLIENT : TA_PURPOSE_SERVER;
    out->key_use = key_use;
    out->crl_soft_fail = ta__store_crl_soft_fail(store);
    if (!certs)
        count = 0;
    out->sent_count = count > UINT_MAX ? UINT_MAX : (unsigned)count;
    out->truncated = count > TA_VERIFY_MAX_CERTS;
    c.n = analysed_count(certs, count);
    const char *host = normalize_host(hostname, purpose, host_buf, &host_bad);
    if (host) {
        out->hostname_checked = true;
        ta__text_init(&reason, out->hostname, sizeof out->hostname);
        ta__text_puts(&reason, host);
        ta__text_init(&reason, out->reason, sizeof out->reason);
    }
    if (c.n == 0) {
        out->verdict = TA_VERDICT_NOT_CHECKED;
        ta__reason_no_certificate(&reason);
        return;
    }

    bool usable = ta_store_usable(store);
    ta_problem_set base = 0;
    for (unsigned i = 0; i < c.n; i++) {
        ta_cert_info *ci = &out->certs[i];
        memset(ci, 0, sizeof *ci);
        ci->position = i;
        ci->der_len = certs[i].data ? certs[i].len : 0;
        ta__fingerprint(certs[i].data, certs[i].len, ci->sha256, sizeof ci->sha256);
        c.crt[i] = ta__import_crt(&certs[i]);
        if (!c.crt[i]) {
            base |= TA_PROBLEM_BIT(TA_PROBLEM_MALFORMED);
            continue;
        }
        ta__describe_cert(c.crt[i], ci);
        c.sent_anchor[i] = usable ? ta__store_anchor_of(store, c.crt[i]) : NULL;
        ci->in_store = c.sent_anchor[i] != NULL;
        if (ci->in_store && !gnutls_x509_crt_equals(c.sent_anchor[i], c.crt[i])) {
            time_t nb = gnutls_x509_crt_get_activation_time(c.sent_anchor[i]);
            time_t na = gnutls_x509_crt_get_expiration_time(c.sent_anchor[i]);
            ci->anchor_copy = true;
            ci->anchor_not_before = nb == (time_t)-1 ? INT64_MAX : (int64_t)nb; /* unreadable: never valid */
            ci->anchor_not_after = na == (time_t)-1 ? INT64_MAX : (int64_t)na;
        }
    }
    out->cert_count = c.n;

    if (!c.crt[0]) {
        out->verdict = TA_VERDICT_UNTRUSTED;
        out->problems = base;
        for (unsigned i = 0; i < c.n; i++)
            out->certs[i].role = i == 0 ? TA_CERT_LEAF : c.crt[i] ? TA_CERT_UNRELATED : TA_CERT_MALFORMED;
    } else {
        base |= ta__leaf_problems(store, c.crt[0], host, host_bad, purpose, key_use);
        /* Never a verdict against another store than the one named: without it, the paths among
         * the certificates sent still give roles and dates, and the verdict waits for the store. */
        builder b = {.store = store, .c = &c, .r = out, .use_anchors = usable};
        push(&b, 0);
        extend(&b);
        for (unsigned k = 0; k < out->path_count; k++) {
            out->paths[k].problems = base;
            if (usable)
                judge_path(&b, &out->paths[k], purpose);
        }
        out->cert_count = c.n + c.anchor_count;
        if (usable) {
            out->verdict = TA_VERDICT_TRUSTED; /* for now: the path and the dates decide (ta__apply_time) */
        } else {
            out->verdict = TA_VERDICT_NOT_CHECKED;
            ta__reason_store(&reason, ta_store_error(store));
        }
    }

    /* Positional: whether each one sent is signed by the one after it, the same check as the
     * verdict's. The last one's answer depends on the anchor chosen (signs_last_sent). */
    for (unsigned i = 0; i + 1 < c.n; i++)
        out->certs[i].signed_by_next = link_signed(&c, out, i, i + 1);
    for (unsigned k = 0; k < c.anchor_count; k++)
        out->certs[c.n + k].signs_last_sent = link_signed(&c, out, c.n - 1, c.n + k);

    for (unsigned i = 0; i < c.n; i++)
        if (c.crt[i])
            gnutls_x509_crt_deinit(c.crt[i]);
}

/* ---- the verification time ---------------------------------------------------------------------- */

/* as_anchor: it ends the path as a trust anchor, and what counts is the store copy's dates. */
static ta_problem_set dated_problems(const ta_cert_info *ci, int64_t t, bool as_anchor)
{
    ta_problem_set dated = 0;
    if (!ci->parsed || !ci->dates_known)
        return 0;
    bool store_dates = as_anchor && ci->anchor_copy;
    if (t < (store_dates ? ci->anchor_not_before : ci->not_before))
        dated |= TA_PROBLEM_BIT(TA_PROBLEM_NOT_YET_VALID);
    if (t > (store_dates ? ci->anchor_not_after : ci->not_after))
        dated |= TA_PROBLEM_BIT(TA_PROBLEM_EXPIRED);
    return dated;
}

/* The sent certificates analysed: entries before the first anchor from the store. */
static unsigned sent_entries(const ta_chain_result *r)
{
    unsigned n = r->sent_count < TA_VERIFY_MAX_CERTS ? r->sent_count : TA_VERIFY_MAX_CERTS;
    return n < r->cert_count ? n : r->cert_count;
}

/* Certificates sent after the path's last one that go on certifying it (a root sent after an
 * intermediate that is an anchor): off the path, but where a chain sent in order has them. */
static void mark_beyond(const ta_chain_result *r, const ta_path *p, unsigned sent, bool beyond[TA_VERIFY_MAX_CERTS])
{
    unsigned last = 0;
    for (unsigned k = 0; k < p->len; k++)
        if (p->cert[k] < sent)
            last = p->cert[k];
    memset(beyond, 0, TA_VERIFY_MAX_CERTS * sizeof *beyond);
    for (unsigned cur = last; p->complete && cur + 1 < sent && r->certs[cur + 1].parsed &&
                              r->certs[cur].signed_by_next == TA_SIGNED_YES && !r->certs[cur].self_signed;
         cur++)
        beyond[cur + 1] = true;
}

/* RFC 5246 7.4.2: the sender's certificate first, then each one certifying the one before: the
 * path is the certificates sent in order, and every other one sent comes after it, certifying
 * it. Entries that cannot be parsed are malformed, not out of order. */
static bool sent_in_order(const ta_chain_result *r, const ta_path *p, unsigned sent)
{
    bool on[TA_VERIFY_MAX_CERTS] = {false}, beyond[TA_VERIFY_MAX_CERTS];
    unsigned expected = 0;
    for (unsigned k = 0; k < p->len && p->cert[k] < sent; k++) {
        while (expected < sent && !r->certs[expected].parsed)
            expected++;
        if (p->cert[k] != expected++)
            return false;
        on[p->cert[k]] = true;
    }
    mark_beyond(r, p, sent, beyond);
    for (unsigned i = 0; i < sent; i++)
        if (r->certs[i].parsed && !on[i] && !beyond[i])
            return false;
    return true;
}

/* Everything wrong with path p at time t: its own problems, every date on it, and the
 * revocation of every certificate on it but the anchor; and whether it was sent in order. */
static ta_problem_set path_problems_at(const ta_chain_result *r, const ta_path *p, int64_t t)
{
    ta_problem_set problems = p->problems;
    if (!sent_in_order(r, p, sent_entries(r)))
        problems |= TA_PROBLEM_BIT(TA_PROBLEM_CHAIN_ORDER);
    for (unsigned k = 0; k < p->len; k++) {
        bool anchor = p->complete && k + 1 == p->len;
        problems |= dated_problems(&r->certs[p->cert[k]], t, anchor);
        if (!anchor)
            problems |= ta__revocation_at(&p->revocation[k], t);
    }
    return problems;
}

/* How bad a path is: each fatal problem counts, and a certificate its issuer did not sign counts
 * most, as such a path is no path at all (an impostor sent beside the real issuer). */
static unsigned badness(ta_problem_set problems, bool soft_fail)
{
    const ta_problem_set not_a_path = TA_PROBLEM_BIT(TA_PROBLEM_BAD_SIGNATURE) | TA_PROBLEM_BIT(TA_PROBLEM_UNKNOWN_ALGORITHM);
    return (unsigned)__builtin_popcount(problems & ~TA_PROBLEMS_WARNINGS_FOR(soft_fail)) +
           (problems & not_a_path ? TA_PROBLEM_COUNT : 0);
}

/* The best path at t (RFC 4158): a valid one if any, otherwise the one with the fewest problems;
 * among equals, the first found (the one closest to the chain as sent). */
static unsigned choose_path(const ta_chain_result *r, int64_t t, ta_problem_set *problems)
{
    unsigned best = 0;
    ta_problem_set best_problems = 0;
    for (unsigned k = 0; k < r->path_count && k < TA_VERIFY_MAX_PATHS; k++) {
        ta_problem_set p = path_problems_at(r, &r->paths[k], t);
        if (k == 0 || badness(p, r->crl_soft_fail) < badness(best_problems, r->crl_soft_fail)) {
            best = k;
            best_problems = p;
        }
    }
    *problems = best_problems;
    return best;
}

void ta__timed_verdict(const ta_chain_result *r, int64_t t, ta_verdict *verdict, ta_problem_set *problems)
{
    if (r->path_count == 0) { /* not checked, or a leaf that cannot be parsed: nothing timed */
        *verdict = r->verdict;
        *problems = r->problems;
        return;
    }
    choose_path(r, t, problems);
    *verdict = r->verdict == TA_VERDICT_NOT_CHECKED                          ? TA_VERDICT_NOT_CHECKED
               : *problems & ~TA_PROBLEMS_WARNINGS_FOR(r->crl_soft_fail) ? TA_VERDICT_UNTRUSTED
                                                                         : TA_VERDICT_TRUSTED;
}

/* Roles and in_path from the chosen path; certificates sent after its end that go on certifying
 * it (a root sent after an intermediate that is an anchor) keep their role, off the path. The
 * anchor of the path moves to entry sent and the other anchors tried are dropped. */
static void lay_out_path(ta_chain_result *r, const ta_path *p, unsigned sent)
{
    bool on[TA_VERIFY_MAX_CERTS] = {false}, beyond[TA_VERIFY_MAX_CERTS];
    for (unsigned k = 0; k < p->len; k++)
        if (p->cert[k] < sent)
            on[p->cert[k]] = true;
    mark_beyond(r, p, sent, beyond);
    for (unsigned i = 0; i < sent; i++) {
        ta_cert_info *ci = &r->certs[i];
        ci->in_path = on[i];
        ci->role = i == 0                  ? TA_CERT_LEAF
                   : !ci->parsed           ? TA_CERT_MALFORMED
                   : !on[i] && !beyond[i]  ? TA_CERT_UNRELATED
                   : ci->self_signed       ? TA_CERT_ROOT_SENT
                                           : TA_CERT_INTERMEDIATE;
    }
    unsigned end = p->cert[p->len - 1];
    r->cert_count = sent;
    if (end >= sent) {
        if (end != sent)
            r->certs[sent] = r->certs[end];
        r->certs[sent].position = sent;
        r->certs[sent].in_path = true;
        r->certs[sent - 1].signed_by_next = r->certs[sent].signs_last_sent;
        r->cert_count = sent + 1;
    }
}


void ta__apply_time(ta_chain_result *r, int64_t t)
{
    unsigned sent = sent_entries(r);
    const ta_path *p = NULL;
    if (r->path_count) {
        r->path_chosen = choose_path(r, t, &r->problems);
        p = &r->paths[r->path_chosen];
        r->gnutls_status = p->gnutls_status;
        lay_out_path(r, p, sent);
        if (r->verdict != TA_VERDICT_NOT_CHECKED)
            r->verdict = r->problems & ~TA_PROBLEMS_WARNINGS_FOR(r->crl_soft_fail) ? TA_VERDICT_UNTRUSTED
                                                                                   : TA_VERDICT_TRUSTED;
    }
    const ta_cert_info *anchor = NULL;
    for (unsigned i = 0; i < r->cert_count && i < TA_VERIFY_MAX_CERTS + TA_VERIFY_MAX_ANCHORS; i++) {
        ta_cert_info *ci = &r->certs[i];
        bool path_anchor = i >= sent || (p && p->complete && p->cert[p->len - 1] == i);
        ta__validity_sentence(ci, t, path_anchor && ci->anchor_copy);
        ci->revocation[0] = '\0';
        if (ci->in_path && ci->in_store && !anchor)
            anchor = ci;
    }
    /* Revocation as the chosen path judged it, with the issuer it gives each certificate. */
    for (unsigned k = 0; p && k < p->len; k++)
        if (!(p->complete && k + 1 == p->len) && p->cert[k] < sent) {
            ta_cert_info *ci = &r->certs[p->cert[k]];
            ta__revocation_sentence(&p->revocation[k], ci->issuer, t, r->crl_soft_fail, ci->revocation,
                                    sizeof ci->revocation);
        }

    ta__reason_sentence(r, p, sent, anchor);
}

void ta_verify_chain(ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                     ta_purpose purpose, ta_key_use key_use, int64_t verify_time, ta_chain_result *out)
{
    if (!out)
        return;
    ta__verify_untimed(store, certs, count, hostname, purpose, key_use, out);
    ta__apply_time(out, verify_time);
}
