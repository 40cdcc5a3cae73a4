/* tlsauth sessions: which handshake issued which session (a TLS 1.2 session id or ticket, a
 * TLS 1.3 ticket), capture-wide, so that a handshake resuming one is linked to it across
 * connections. See include/tlsauth/tracker.h. */
#include "tracker_internal.h"

#include <gnutls/crypto.h>
#include <stdlib.h>
#include <string.h>

/* Keys are digests of the kind and the identifier: fixed-size entries whatever the tickets'
 * size (up to 64 KB each), and a capture cannot aim identifiers at one slot. */
#define KEY_LEN 32

typedef struct slot {
    uint8_t key[KEY_LEN];
    const ta_handshake *hs; /* NULL: empty */
} slot;

struct ta_sessions {
    slot *slots;
    size_t mask, count;
};

ta_sessions *ta_sessions_new(void)
{
    return calloc(1, sizeof(ta_sessions));
}

void ta_sessions_free(ta_sessions *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s);
}

static bool session_key(char kind, const ta_der *id, uint8_t key[KEY_LEN])
{
    gnutls_hash_hd_t h;
    if (!id || !id->data || !id->len || gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
        return false;
    gnutls_hash(h, &kind, 1);
    gnutls_hash(h, id->data, id->len);
    gnutls_hash_deinit(h, key);
    return true;
}

/* Linear probing from the digest's first bytes; the table is at most half full. */
static slot *find(const ta_sessions *s, const uint8_t key[KEY_LEN])
{
    if (!s->slots)
        return NULL;
    size_t i;
    memcpy(&i, key, sizeof i);
    for (i &= s->mask;; i = (i + 1) & s->mask)
        if (!s->slots[i].hs || memcmp(s->slots[i].key, key, KEY_LEN) == 0)
            return &s->slots[i];
}

static bool grow(ta_sessions *s)
{
    size_t size = s->slots ? 2 * (s->mask + 1) : 64;
    slot *old = s->slots, *fresh = calloc(size, sizeof *fresh);
    size_t old_size = old ? s->mask + 1 : 0;
    if (!fresh)
        return false;
    s->slots = fresh;
    s->mask = size - 1;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].hs)
            *find(s, old[i].key) = old[i];
    free(old);
    return true;
}

void ta__sessions_issued(ta_sessions *s, char kind, const ta_der *id, const ta_handshake *hs)
{
    uint8_t key[KEY_LEN];
    if (!s || s->count >= TA_MAX_SESSIONS || !session_key(kind, id, key))
        return;
    if ((!s->slots || 2 * (s->count + 1) > s->mask + 1) && !grow(s))
        return;
    slot *at = find(s, key);
    if (at->hs) /* the first issuer wins: a resumed handshake echoing the id is not the origin */
        return;
    memcpy(at->key, key, KEY_LEN);
    at->hs = hs;
    s->count++;
}

const ta_handshake *ta__sessions_lookup(const ta_sessions *s, char kind, const ta_der *id)
{
    uint8_t key[KEY_LEN];
    if (!s || !session_key(kind, id, key))
        return NULL;
    const slot *at = find(s, key);
    return at ? at->hs : NULL;
}
