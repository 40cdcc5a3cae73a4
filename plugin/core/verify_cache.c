/* tlsauth verifier cache: LRU of time-independent results. See include/tlsauth/verify.h. */
#include "verify_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX_ENTRIES ((size_t)1 << 16)

typedef struct entry {
    struct entry *newer, *older; /* LRU list */
    struct entry *next;          /* bucket chain */
    uint8_t digest[32];
    size_t key_len;
    ta_chain_result result; /* before ta__apply_time() */
    uint8_t key[];          /* compared in full on a hit: a digest match alone is not enough */
} entry;

struct ta_verify_cache {
    size_t max, count, bucket_mask;
    entry **buckets;
    entry *newest, *oldest;
};

ta_verify_cache *ta_verify_cache_new(size_t max_entries)
{
    ta_verify_cache *c = calloc(1, sizeof *c);
    size_t buckets = 16;
    if (!c)
        return NULL;
    c->max = max_entries == 0 ? TA_VERIFY_CACHE_DEFAULT
             : max_entries > CACHE_MAX_ENTRIES ? CACHE_MAX_ENTRIES : max_entries;
    while (buckets < c->max)
        buckets <<= 1;
    c->bucket_mask = buckets - 1;
    c->buckets = calloc(buckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    return c;
}

void ta_verify_cache_clear(ta_verify_cache *c)
{
    if (!c)
        return;
    for (entry *e = c->newest, *older; e; e = older) {
        older = e->older;
        free(e);
    }
    memset(c->buckets, 0, (c->bucket_mask + 1) * sizeof *c->buckets);
    c->newest = c->oldest = NULL;
    c->count = 0;
}

void ta_verify_cache_free(ta_verify_cache *c)
{
    if (!c)
        return;
    ta_verify_cache_clear(c);
    free(c->buckets);
    free(c);
}

size_t ta_verify_cache_count(const ta_verify_cache *c) { return c ? c->count : 0; }

static size_t bucket_of(const ta_verify_cache *c, const uint8_t digest[32])
{
    size_t h;
    memcpy(&h, digest, sizeof h);
    return h & c->bucket_mask;
}

static void lru_unlink(ta_verify_cache *c, entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push(ta_verify_cache *c, entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static void evict_oldest(ta_verify_cache *c)
{
    entry *e = c->oldest, **link = &c->buckets[bucket_of(c, e->digest)];
    while (*link != e)
        link = &(*link)->next;
    *link = e->next;
    lru_unlink(c, e);
    free(e);
    c->count--;
}

/* The time-independent result for the chain: the cache's own copy (no copy made on a hit), or
 * *scratch when the chain cannot be cached. */
static const ta_chain_result *untimed_result(ta_verify_cache *c, ta_store *store, const ta_der *certs,
                                             size_t count, const char *hostname, ta_purpose purpose,
                                             ta_chain_result *scratch, bool *hit)
{
    uint8_t digest[32];
    size_t key_len = ta__verify_key(store, certs, count, hostname, purpose, NULL, 0);
    entry *fresh = NULL;
    *hit = false;
    if (c && key_len <= TA_VERIFY_CACHE_KEY_MAX)
        fresh = malloc(sizeof *fresh + key_len);
    if (fresh) {
        ta__verify_key(store, certs, count, hostname, purpose, fresh->key, key_len);
        if (gnutls_hash_fast(GNUTLS_DIG_SHA256, fresh->key, key_len, digest) < 0) {
            free(fresh);
            fresh = NULL;
        }
    }
    if (!fresh) { /* too big to keep, or no memory: just verify */
        ta__verify_untimed(store, certs, count, hostname, purpose, scratch);
        return scratch;
    }
    size_t b = bucket_of(c, digest);
    for (entry *e = c->buckets[b]; e; e = e->next) {
        if (e->key_len == key_len && memcmp(e->digest, digest, sizeof digest) == 0 &&
            memcmp(e->key, fresh->key, key_len) == 0) {
            free(fresh);
            lru_unlink(c, e);
            lru_push(c, e);
            *hit = true;
            return &e->result;
        }
    }
    ta__verify_untimed(store, certs, count, hostname, purpose, &fresh->result);
    if (c->count >= c->max)
        evict_oldest(c);
    memcpy(fresh->digest, digest, sizeof digest);
    fresh->key_len = key_len;
    fresh->next = c->buckets[b];
    c->buckets[b] = fresh;
    lru_push(c, fresh);
    c->count++;
    return &fresh->result;
}

void ta_verify_chain_cached(ta_verify_cache *c, ta_store *store, const ta_der *certs, size_t count,
                            const char *hostname, ta_purpose purpose, int64_t verify_time,
                            ta_chain_result *out, bool *hit)
{
    bool was_hit;
    if (!out)
        return;
    const ta_chain_result *untimed = untimed_result(c, store, certs, count, hostname, purpose, out, &was_hit);
    if (untimed != out)
        *out = *untimed;
    ta__apply_time(out, verify_time);
    if (hit)
        *hit = was_hit;
}

void ta_verify_verdict_cached(ta_verify_cache *c, ta_store *store, const ta_der *certs, size_t count,
                              const char *hostname, ta_purpose purpose, int64_t verify_time,
                              ta_verdict *verdict, ta_problem_set *problems, char *leaf_subject,
                              size_t leaf_size)
{
    static _Thread_local ta_chain_result scratch;
    bool hit;
    const ta_chain_result *r = untimed_result(c, store, certs, count, hostname, purpose, &scratch, &hit);
    ta__timed_verdict(r, verify_time, verdict, problems);
    if (leaf_subject && leaf_size) {
        ta_text t; /* cuts at a character boundary, as every text of the verifier */
        ta__text_init(&t, leaf_subject, leaf_size);
        if (r->cert_count && r->certs[0].parsed)
            ta__text_puts(&t, r->certs[0].subject);
    }
}
