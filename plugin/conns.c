/* The connections of the capture, by identity, and the sessions their servers issued. */
#include "conns.h"

#include <epan/to_str.h>

/* ta_conn_id -> tlsauth_stream; freed with the capture file. */
static GHashTable *streams;
/* The sessions servers issued, shared by the connections (resumptions link across them). */
static ta_sessions *sessions;
static const ta_verifier *verifier;
/* 802.1X supplicant address (text) -> its conversation number + 1. */
static GHashTable *link_numbers;

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
    /* Two bits of transport; +1 keeps the key of TCP stream 0 from being NULL. */
    return GSIZE_TO_POINTER((((gsize)id.number << 2) | ((gsize)id.transport & 3)) + 1);
}

void tlsauth_conns_init(const ta_verifier *v)
{
    verifier = v;
    sessions = ta_sessions_new();
    streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stream_free);
    link_numbers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void tlsauth_conns_cleanup(void)
{
    if (streams)
        g_hash_table_destroy(streams);
    streams = NULL;
    if (link_numbers)
        g_hash_table_destroy(link_numbers);
    link_numbers = NULL;
    ta_sessions_free(sessions); /* after the connections whose handshakes it points to */
    sessions = NULL;
}

guint32 tlsauth_conns_link_number(const address *supplicant)
{
    if (!link_numbers)
        return 0;
    char *name = address_to_str(NULL, supplicant);
    gpointer number = g_hash_table_lookup(link_numbers, name);
    if (number) {
        wmem_free(NULL, name);
        return GPOINTER_TO_UINT(number) - 1;
    }
    guint32 next = g_hash_table_size(link_numbers);
    g_hash_table_insert(link_numbers, g_strdup(name), GUINT_TO_POINTER(next + 1));
    wmem_free(NULL, name);
    return next;
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
