/* tlsauth: TLS Authentication Analysis, a Wireshark post-dissector.
 *
 * Table of contents:
 *   fields.c        the TLS/TCP fields consumed, turned into tracker events
 *   core/tracker.c  the handshake tracker (pure C): events in, verdicts out
 *   core/verify.c   the chain verifier (pure C over GnuTLS)
 *   validate.c      preferences, trust store, the chain checker the tracker calls
 *   render.c        tree items and expert infos
 *   render_chain.c  a chain's validation, certificate by certificate
 *   report.c        the -z reports, fed by the "tlsauth" tap
 *   this file       registration, per-connection state, first-pass analysis */
#include "tlsauth.h"
#include "ws_compat.h"

#include <epan/proto_data.h>
#include <epan/tap.h>

static int proto_tlsauth = -1;
static int tap_tlsauth = -1;
static int tap_chain = -1; /* [report JSON] the "tlsauth.chain" tap */
static dissector_handle_t tlsauth_handle;

/* stream key (see stream_key) -> tlsauth_stream; freed with the capture file. */
static GHashTable *streams;
/* The sessions servers issued, shared by the connections (resumptions link across them). */
static ta_sessions *sessions;

static void stream_free(gpointer data)
{
    tlsauth_stream *st = data;
    ta_conn_free(st->conn);
    free_address(&st->endpoint[0]);
    free_address(&st->endpoint[1]);
    g_free(st);
}

/* Wireshark's GUI decides whether to build trees for a new reading before it runs the init
 * routines: a capture read again because tlsauth was just enabled is read without a tree, hence
 * without analysis, and says so (a reload reads it with one). */
static gboolean analysis_missed;

static void tlsauth_init(void)
{
    /* Run as each capture is opened, after protocols were enabled or disabled. */
    tlsauth_fields_request(tlsauth_handle, proto_is_protocol_enabled(find_protocol_by_id(proto_tlsauth)));
    analysis_missed = FALSE;
    sessions = ta_sessions_new();
    streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stream_free);
}

static void tlsauth_cleanup(void)
{
    if (streams)
        g_hash_table_destroy(streams);
    streams = NULL;
    ta_sessions_free(sessions); /* after the connections whose handshakes it points to */
    sessions = NULL;
    tlsauth_validate_cleanup();
}

static gpointer stream_key(guint32 id, gboolean over_udp)
{
    return GSIZE_TO_POINTER(((gsize)id << 1 | (over_udp ? 1 : 0)) + 1);
}

static tlsauth_stream *stream_lookup(guint32 id, gboolean over_udp)
{
    return g_hash_table_lookup(streams, stream_key(id, over_udp));
}

static tlsauth_stream *stream_create(guint32 id, gboolean over_udp, packet_info *pinfo)
{
    tlsauth_stream *st = g_new0(tlsauth_stream, 1);
    st->conn = ta_conn_new(tlsauth_verifier(), sessions);
    st->id = id;
    st->over_udp = over_udp;
    copy_address(&st->endpoint[0], &pinfo->src);
    copy_address(&st->endpoint[1], &pinfo->dst);
    st->port[0] = pinfo->srcport;
    st->port[1] = pinfo->destport;
    g_hash_table_insert(streams, stream_key(id, over_udp), st);
    return st;
}

static int sender_of(const tlsauth_stream *st, const packet_info *pinfo)
{
    return addresses_equal(&pinfo->src, &st->endpoint[0]) && pinfo->srcport == st->port[0] ? 0 : 1;
}

/* A note as packed in a tlsauth_frame: its head and the steps it uses. */
static size_t packed_note_size(const ta_note *note)
{
    return offsetof(ta_note, steps) + MIN(note->step_count, TA_MAX_STEPS_PER_NOTE) * sizeof(ta_note_step);
}

/* First pass: feed the frame's events to its connection's tracker and keep what they meant. */
static tlsauth_frame *analyse_frame(packet_info *pinfo, tlsauth_input *in)
{
    if (!in->has_stream || (in->event_count == 0 && !in->events_dropped))
        return NULL;
    tlsauth_stream *st = stream_lookup(in->stream, in->over_udp);
    if (!st) {
        if (!in->has_tls)
            return NULL; /* a TCP close on a connection that never carried TLS */
        st = stream_create(in->stream, in->over_udp, pinfo);
    }
    if (!st->conn)
        return NULL;
    int sender = sender_of(st, pinfo);
    ta_frame_result result;
    ta_conn_begin_frame(st->conn, pinfo->num, (int64_t)pinfo->abs_ts.secs, &result);
    for (unsigned i = 0; i < in->event_count; i++) {
        in->events[i].sender = sender;
        ta_conn_feed(st->conn, &in->events[i]);
    }
    unsigned count = ta_conn_end_frame(st->conn);
    if (count == 0 && !in->events_dropped)
        return NULL;
    size_t packed = 0;
    for (unsigned i = 0; i < count; i++)
        packed += packed_note_size(&result.notes[i]);
    tlsauth_frame *frame = wmem_alloc(wmem_file_scope(), sizeof *frame + packed);
    frame->stream = st;
    frame->note_count = count;
    frame->events_dropped = in->events_dropped;
    guint8 *next = frame->packed_notes;
    for (unsigned i = 0; i < count; i++) {
        memcpy(next, &result.notes[i], packed_note_size(&result.notes[i]));
        next += packed_note_size(&result.notes[i]);
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_tlsauth, 0, frame);
    return frame;
}

void tlsauth_frame_note(const tlsauth_frame *frame, unsigned index, ta_note *out)
{
    const guint8 *at = frame->packed_notes;
    memset(out, 0, sizeof *out);
    for (unsigned i = 0; i < frame->note_count; i++) {
        memcpy(out, at, offsetof(ta_note, steps)); /* the head: how many steps follow */
        if (i == index) {
            memcpy(out, at, packed_note_size(out));
            return;
        }
        at += packed_note_size(out);
    }
    memset(out, 0, sizeof *out);
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

/* The summary frame of a handshake (two-pass and GUI: also the last frame of one that never
 * ended) puts it on the tap, for the reports. */
static void queue_summaries(packet_info *pinfo, const tlsauth_frame *frame)
{
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, note.hs_index);
        if (!hs || !tlsauth_is_summary_frame(pinfo, hs, &note))
            continue;
        tlsauth_report_row *row = wmem_new(pinfo->pool, tlsauth_report_row);
        row->stream = frame->stream;
        row->handshake = hs;
        tap_queue_packet(tap_tlsauth, pinfo, row);
    }
}

static gboolean carries_certificate(const tlsauth_frame *frame)
{
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        for (unsigned j = 0; j < note.step_count; j++)
            if (note.steps[j].step == TA_STEP_SERVER_CERTIFICATE || note.steps[j].step == TA_STEP_CLIENT_CERTIFICATE)
                return TRUE;
    }
    return FALSE;
}

/* [report JSON, issue 16 point 3] The checked chains a Certificate frame carries, copied on the
 * first pass only while a "tlsauth.chain" listener exists (a two-pass run's second pass has no TLS
 * fields to read them from), and put on that tap in full on every pass that runs taps.
 * Certificate messages are matched with their steps in the order render.c matches them. */
typedef struct kept_chain {
    unsigned hs_index;
    ta_role role;
    unsigned count;
    ta_der *certs;
} kept_chain;
typedef struct kept_chains {
    unsigned count;
    kept_chain chain[TLSAUTH_MAX_CERTS];
} kept_chains;

static kept_chains *keep_chains(packet_info *pinfo, const tlsauth_frame *frame, const tlsauth_input *in)
{
    kept_chains *kept = wmem_new0(wmem_file_scope(), kept_chains);
    unsigned seen = 0;
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, note.hs_index);
        for (unsigned j = 0; j < note.step_count; j++) {
            ta_step s = note.steps[j].step;
            if (s != TA_STEP_SERVER_CERTIFICATE && s != TA_STEP_CLIENT_CERTIFICATE)
                continue;
            const ta_event *certificate = NULL;
            for (unsigned e = 0, n = seen++; e < in->event_count && !certificate; e++)
                if (in->events[e].kind == TA_EV_HANDSHAKE && in->events[e].hs_type == TA_HS_CERTIFICATE && n-- == 0)
                    certificate = &in->events[e];
            ta_role role = ta_step_role(s);
            if (!hs || !certificate || !certificate->certs || !certificate->certs_available ||
                !hs->chain[role].checked || kept->count == array_length(kept->chain))
                continue;
            kept_chain *chain = &kept->chain[kept->count++];
            *chain = (kept_chain){hs->index, role, certificate->certs_available,
                                  wmem_alloc_array(wmem_file_scope(), ta_der, certificate->certs_available)};
            for (unsigned c = 0; c < chain->count; c++)
                chain->certs[c] = (ta_der){wmem_memdup(wmem_file_scope(), certificate->certs[c].data,
                                                       certificate->certs[c].len),
                                           certificate->certs[c].len};
        }
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_tlsauth, 1, kept);
    return kept;
}

static void queue_chains(packet_info *pinfo, const tlsauth_frame *frame, const kept_chains *kept)
{
    for (unsigned i = 0; kept && i < kept->count; i++) {
        const kept_chain *chain = &kept->chain[i];
        const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, chain->hs_index);
        if (!hs)
            continue;
        ta_chain_result *result = wmem_new0(pinfo->pool, ta_chain_result);
        tlsauth_chain_result(hs, chain->role, chain->certs, chain->count, hs->chain[chain->role].verify_time,
                             result);
        tlsauth_chain_row *row = wmem_new(pinfo->pool, tlsauth_chain_row);
        *row = (tlsauth_chain_row){frame->stream, chain->hs_index, chain->role, result};
        tap_queue_packet(tap_chain, pinfo, row);
    }
}
/* [end report JSON] */

static int dissect_tlsauth(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    /* Large (it points at a frame's certificates): static, as dissection is single-threaded. */
    static tlsauth_input in;
    tlsauth_frame *frame = p_get_proto_data(wmem_file_scope(), pinfo, proto_tlsauth, 0);
    gboolean extracted = FALSE;
    if (!frame && !PINFO_FD_VISITED(pinfo)) {
        if (!tree) /* enabled, its fields wanted: a tree is always built, unless decided before */
            analysis_missed = TRUE;
        tlsauth_fields_extract(tree, &in);
        extracted = TRUE;
        frame = analyse_frame(pinfo, &in);
    }
    if (!frame) {
        if (analysis_missed && PINFO_FD_VISITED(pinfo) && tlsauth_shown(tree, proto_tlsauth))
            tlsauth_render_missed(tree, pinfo, tvb);
        return 0;
    }
    queue_summaries(pinfo, frame);
    /* [report JSON] Chains for a listener, on every pass that runs taps (before the return below). */
    if (have_tap_listener(tap_chain) && carries_certificate(frame))
        queue_chains(pinfo, frame,
                     extracted ? keep_chains(pinfo, frame, &in)
                               : p_get_proto_data(wmem_file_scope(), pinfo, proto_tlsauth, 1));
    /* A tree built for other fields (tshark's summary lines, -2's first pass, filters on other
     * protocols) would only take tlsauth's items to drop them. */
    if (!tree || !(tlsauth_shown(tree, proto_tlsauth) || tlsauth_experts_wanted(tree)))
        return tvb_captured_length(tvb);
    /* Later passes read the certificates again to show their validation in detail. */
    if (!extracted && carries_certificate(frame)) {
        tlsauth_fields_extract(tree, &in);
        extracted = TRUE;
    }
    tlsauth_render(tree, pinfo, tvb, frame, extracted ? &in : NULL);
    return tvb_captured_length(tvb);
}

void proto_register_tlsauth(void);
void proto_reg_handoff_tlsauth(void);

void proto_register_tlsauth(void)
{
    proto_tlsauth = proto_register_protocol("TLS Authentication Analysis", "TLSAUTH", "tlsauth");
    tlsauth_render_register(proto_tlsauth);
    tlsauth_render_chain_register(proto_tlsauth);
    tlsauth_validate_register(proto_tlsauth);
    tlsauth_handle = create_dissector_handle(dissect_tlsauth, proto_tlsauth);
    register_postdissector(tlsauth_handle);
    tap_tlsauth = register_tap("tlsauth");
    tap_chain = register_tap("tlsauth.chain"); /* [report JSON] */
    tlsauth_report_register();
    register_init_routine(tlsauth_init);
    register_cleanup_routine(tlsauth_cleanup);
}

void proto_reg_handoff_tlsauth(void)
{
    tlsauth_fields_prepare();
}
