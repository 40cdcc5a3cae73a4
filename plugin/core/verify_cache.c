/* tlsauth verifier cache: LRU of time-independent results. See include/tlsauth/verify.h. */
#include "verify_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX_ENTRIES ((size_t)1 << 16)

typedef struct entry {
    struct entry *newer, *older; /* LRU list */
    struct entry *next;          /* bucket chain */
    uint64_t hash;
    size_t key_len;
    uint8_t *key;           /* compared in full on a hit: a digest match alone is not enough */
    ta_chain_result result; /* before ta__apply_time(); only its first cert_count certificates
                             * are allocated, and the key follows them */
} entry;

struct ta_verify_cache {
    size_t max, count, bucket_mask;
    entry **buckets;
    entry *newest, *oldest;
    uint64_t seed;      /* random: a capture cannot aim its chains at one bucket */
    uint8_t *key;       /* the key being looked up, kept between lookups: a hit allocates nothing */
    size_t key_size;
    ta_chain_result *scratch; /* where a miss is verified before its entry is made (30 KB, made once) */
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
    if (gnutls_rnd(GNUTLS_RND_NONCE, &c->seed, sizeof c->seed) < 0)
        c->seed = (uint64_t)(uintptr_t)c ^ 0x6a09e667f3bcc908u;
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
    free(c->key);
    free(c->scratch);
    free(c);
}

size_t ta_verify_cache_count(const ta_verify_cache *c) { return c ? c->count : 0; }

/* A seeded 64-bit hash, 8 bytes per step (xxHash's constants): much cheaper than a digest, and
 * enough here, as a hit also compares the whole key. */
static uint64_t hash_key(uint64_t seed, const uint8_t *p, size_t n)
{
    const uint64_t k1 = 0x9E3779B185EBCA87u, k2 = 0xC2B2AE3D27D4EB4Fu;
    uint64_t h = seed ^ (n * k1), w;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h ^= w * k2;
        h = (h << 31 | h >> 33) * k1;
    }
    for (; n; p++, n--)
        h = (h ^ *p) * k1;
    h ^= h >> 33;
    h *= k2;
    h ^= h >> 29;
    return h;
}

static size_t bucket_of(const ta_verify_cache *c, uint64_t hash) { return (size_t)hash & c->bucket_mask; }

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
    entry *e = c->oldest, **link = &c->buckets[bucket_of(c, e->hash)];
    while (*link != e)
        link = &(*link)->next;
    *link = e->next;
    lru_unlink(c, e);
    free(e);
    c->count--;
}

/* The key of the chain in c->key, growing it as needed; false when it is too big to keep. */
static bool build_key(ta_verify_cache *c, ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                      ta_purpose purpose, ta_key_use key_use, size_t *key_len)
{
    *key_len = ta__verify_key(store, certs, count, hostname, purpose, key_use, NULL, 0);
    if (*key_len > TA_VERIFY_CACHE_KEY_MAX)
        return false;
    if (*key_len > c->key_size) {
        uint8_t *bigger = realloc(c->key, *key_len);
        if (!bigger)
            return false;
        c->key = bigger;
        c->key_size = *key_len;
    }
    ta__verify_key(store, certs, count, hostname, purpose, key_use, c->key, *key_len);
    return true;
}

/* The time-independent result for the chain: the cache's own copy (no copy made on a hit), or
 * *scratch when the chain cannot be cached. */
static const ta_chain_result *untimed_result(ta_verify_cache *c, ta_store *store, const ta_der *certs,
                                             size_t count, const char *hostname, ta_purpose purpose,
                                             ta_key_use key_use, ta_chain_result *scratch, bool *hit)
{
    size_t key_len;
    uint64_t hash = 0;
    *hit = false;
    bool keep = c && build_key(c, store, certs, count, hostname, purpose, key_use, &key_len);
    if (keep) {
        hash = hash_key(c->seed, c->key, key_len);
        for (entry *e = c->buckets[bucket_of(c, hash)]; e; e = e->next) {
            if (e->hash == hash && e->key_len == key_len && memcmp(e->key, c->key, key_len) == 0) {
                lru_unlink(c, e);
                lru_push(c, e);
                *hit = true;
                return &e->result;
            }
        }
    }
    ta__verify_untimed(store, certs, count, hostname, purpose, key_use, scratch);
    if (!keep)
        return scratch;
    /* Sized to what the result holds: most chains are two certificates of the fourteen it can. */
    size_t result_size = ta__result_size(scratch);
    entry *fresh = malloc(offsetof(entry, result) + result_size + key_len);
    if (!fresh) /* no memory: not kept */
        return scratch;
    memcpy(&fresh->result, scratch, result_size);
    fresh->key = (uint8_t *)&fresh->result + result_size;
    memcpy(fresh->key, c->key, key_len);
    fresh->hash = hash;
    fresh->key_len = key_len;
    if (c->count >= c->max)
        evict_oldest(c);
    size_t b = bucket_of(c, fresh->hash);
    fresh->next = c->buckets[b];
    c->buckets[b] = fresh;
    lru_push(c, fresh);
    c->count++;
    return &fresh->result;
}

void ta_verify_chain_cached(ta_verify_cache *c, ta_store *store, const ta_der *certs, size_t count,
                            const char *hostname, ta_purpose purpose, ta_key_use key_use, int64_t verify_time,
                            ta_chain_result *out, bool *hit)
{
    bool was_hit;
    if (!out)
        return;
    const ta_chain_result *untimed = untimed_result(c, store, certs, count, hostname, purpose, key_use, out, &was_hit);
    if (untimed != out) /* the certificates it holds only: a whole result is 30 KB, two certificates 4 KB */
        memcpy(out, untimed, ta__result_size(untimed));
    ta__apply_time(out, verify_time);
    if (hit)
        *hit = was_hit;
}

void ta_verify_verdict_cached(ta_verify_cache *c, ta_store *store, const ta_der *certs, size_t count,
                              const char *hostname, ta_purpose purpose, ta_key_use key_use, int64_t verify_time,
                              ta_verdict *verdict, ta_problem_set *problems, char *leaf_subject,
                              size_t leaf_size)
{
    ta_chain_result *scratch = c ? c->scratch : NULL, *own = NULL;
    if (!scratch) {
        scratch = own = malloc(sizeof *scratch);
        if (!scratch) { /* no memory: nothing can be said of the chain */
            *verdict = TA_VERDICT_NOT_CHECKED;
            *problems = 0;
            if (leaf_subject && leaf_size)
                leaf_subject[0] = '\0';
            return;
        }
        if (c) { /* the cache keeps it for the next miss */
            c->scratch = own;
            own = NULL;
        }
    }
    bool hit;
    const ta_chain_result *r = untimed_result(c, store, certs, count, hostname, purpose, key_use, scratch, &hit);
    ta__timed_verdict(r, verify_time, verdict, problems);
    if (leaf_subject && leaf_size) {
        ta_text t; /* cuts at a character boundary, as every text of the verifier */
        ta__text_init(&t, leaf_subject, leaf_size);
        if (r->cert_count && r->certs[0].parsed)
            ta__text_puts(&t, r->certs[0].subject);
    }
    free(own);
}
