/* The connections of the capture, by identity, and the sessions their servers issued. */
#include "conns.h"

/* ta_conn_id -> tlsauth_stream; freed with the capture file. */
static GHashTable *streams;
/* The sessions servers issued, shared by the connections (resumptions link across them). */
static ta_sessions *sessions;
static const ta_verifier *verifier;

static void stream_free(gpointer data)
{
    tlsauth_stream *st = data;
    ta_conn_free(st->conn);
    free_address(&st->endpoint[0]);
    free_address(&st->endpoint[1]);
    g_free(st);
}

static gpointer key_of(ta_conn_id id)
{
    return GSIZE_TO_POINTER((((gsize)id.number << 1) | (id.transport == TA_TRANSPORT_UDP ? 1 : 0)) + 1);
}

void tlsauth_conns_init(const ta_verifier *v)
{
    verifier = v;
    sessions = ta_sessions_new();
    streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stream_free);
}

void tlsauth_conns_cleanup(void)
{
    if (streams)
        g_hash_table_destroy(streams);
    streams = NULL;
    ta_sessions_free(sessions); /* after the connections whose handshakes it points to */
    sessions = NULL;
}

tlsauth_stream *tlsauth_conn_lookup(ta_conn_id id)
{
    return streams ? g_hash_table_lookup(streams, key_of(id)) : NULL;
}

tlsauth_stream *tlsauth_conn_create(ta_conn_id id, const packet_info *pinfo)
{
    if (!streams)
        return NULL;
    tlsauth_stream *st = g_new0(tlsauth_stream, 1);
    st->conn = ta_conn_new(id, verifier, sessions);
    st->id = id;
    copy_address(&st->endpoint[0], &pinfo->src);
    copy_address(&st->endpoint[1], &pinfo->dst);
    st->port[0] = pinfo->srcport;
    st->port[1] = pinfo->destport;
    g_hash_table_insert(streams, key_of(id), st);
    return st;
}

int tlsauth_conn_sender(const tlsauth_stream *st, const packet_info *pinfo)
{
    return addresses_equal(&pinfo->src, &st->endpoint[0]) && pinfo->srcport == st->port[0] ? 0 : 1;
}

void tlsauth_foreach_handshake(void (*callback)(const tlsauth_stream *st, const ta_handshake *hs, void *data),
                               void *data)
{
    if (!streams)
        return;
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, streams);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        const tlsauth_stream *st = value;
        for (unsigned i = 0; i < ta_conn_handshake_count(st->conn); i++)
            callback(st, ta_conn_handshake(st->conn, i), data);
    }
}
