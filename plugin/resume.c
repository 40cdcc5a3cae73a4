/* Which handshake issued which session: resumed handshakes are linked to the full handshake
 * whose session they resume, across connections ("resumed from frame 12: mutual, client alice"). */
#include "tlsauth.h"

#define MAX_SESSIONS 65536 /* bounded: a capture of many full handshakes stops being remembered */

static GHashTable *sessions; /* GBytes (kind + identifier) -> const ta_handshake * */

void tlsauth_resume_init(void)
{
    sessions = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
}

void tlsauth_resume_cleanup(void)
{
    if (sessions)
        g_hash_table_destroy(sessions);
    sessions = NULL;
}

static GBytes *session_key(const tlsauth_session_id *id)
{
    GByteArray *key = g_byte_array_sized_new((guint)id->bytes.len + 1);
    guint8 kind = (guint8)id->kind;
    g_byte_array_append(key, &kind, 1);
    g_byte_array_append(key, id->bytes.data, (guint)id->bytes.len);
    return g_byte_array_free_to_bytes(key);
}

void tlsauth_resume_issued(const tlsauth_session_id *id, const ta_handshake *hs)
{
    if (!sessions || !id->bytes.len || g_hash_table_size(sessions) >= MAX_SESSIONS)
        return;
    GBytes *key = session_key(id);
    /* The first issuer wins: a resumed handshake echoing the id is not the origin. */
    if (g_hash_table_contains(sessions, key))
        g_bytes_unref(key);
    else
        g_hash_table_insert(sessions, key, (gpointer)hs);
}

const ta_handshake *tlsauth_resume_lookup(const tlsauth_session_id *id)
{
    if (!sessions || !id->bytes.len)
        return NULL;
    GBytes *key = session_key(id);
    const ta_handshake *origin = g_hash_table_lookup(sessions, key);
    g_bytes_unref(key);
    return origin;
}
