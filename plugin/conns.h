/* The connections of the capture: one tracker per connection, found by its identity. */
#ifndef TLSAUTH_CONNS_H
#define TLSAUTH_CONNS_H

#include <epan/packet.h>

#include "tlsauth/tracker.h"

/* One connection carrying TLS. Lives until the capture file is closed. */
typedef struct tlsauth_stream {
    ta_conn *conn;
    ta_conn_id id;
    address endpoint[2];    /* endpoint[0] sent the first TLS record seen */
    guint32 port[2];
} tlsauth_stream;

/* Each capture file: made empty at its opening, freed at its closing. The verifier is given to
 * every connection made. */
void tlsauth_conns_init(const ta_verifier *verifier);
void tlsauth_conns_cleanup(void);
tlsauth_stream *tlsauth_conn_lookup(ta_conn_id id);
/* A new connection, its endpoints those of the frame that opened it. */
tlsauth_stream *tlsauth_conn_create(ta_conn_id id, const packet_info *pinfo);
/* 802.1X's EAP conversations have no stream number: each supplicant (by its link address) gets
 * one, in the order they appear. */
guint32 tlsauth_conns_link_number(const address *supplicant);
/* The endpoint that sent the frame: 0 or 1. */
int tlsauth_conn_sender(const tlsauth_stream *st, const packet_info *pinfo);
/* Every handshake of the capture so far, in no particular order. */
void tlsauth_foreach_handshake(void (*callback)(const tlsauth_stream *st, const ta_handshake *hs, void *data),
                               void *data);

#endif
