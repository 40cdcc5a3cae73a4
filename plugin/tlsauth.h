/* Wireshark glue of tlsauth: what the glue files share. */
#ifndef TLSAUTH_GLUE_H
#define TLSAUTH_GLUE_H

#include <epan/packet.h>

#include "tlsauth/tracker.h"

/* One TCP connection carrying TLS. Lives until the capture file is closed. */
typedef struct tlsauth_stream {
    ta_conn *conn;
    guint32 id;             /* tcp.stream */
    address endpoint[2];    /* endpoint[0] sent the first TLS record seen */
    guint32 port[2];
} tlsauth_stream;

/* What the first pass worked out for one frame; later passes only render it. */
typedef struct tlsauth_frame {
    tlsauth_stream *stream;
    unsigned note_count;
    unsigned events_dropped; /* records beyond the per-frame bound */
    ta_note notes[];
} tlsauth_frame;

/* fields.c: the TLS and TCP fields tlsauth consumes, turned into tracker events. */
#define TLSAUTH_MAX_EVENTS 64
#define TLSAUTH_MAX_HELLOS 4

typedef struct tlsauth_input {
    gboolean has_stream;
    guint32 stream;
    gboolean has_tls;
    ta_event events[TLSAUTH_MAX_EVENTS];
    unsigned event_count;
    unsigned events_dropped;
    ta_hello hellos[TLSAUTH_MAX_HELLOS];
    unsigned hello_count;
} tlsauth_input;

void tlsauth_fields_want(dissector_handle_t handle);
void tlsauth_fields_extract(proto_tree *tree, tlsauth_input *in);

/* render.c: fields, subtrees and expert items. */
void tlsauth_render_register(int proto);
void tlsauth_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tlsauth_frame *frame);

#endif
