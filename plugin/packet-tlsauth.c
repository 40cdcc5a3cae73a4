/* tlsauth: TLS Authentication Analysis, a Wireshark post-dissector. Registration, and what each
 * frame goes through. Every other module only looks down (README, Layout):
 *
 *   packet-tlsauth.c  registration; first-pass analysis; later passes render what it kept
 *   render.c          the tlsauth subtree and expert infos  -> render_chain.c, tree.c, frames.c
 *   render_chain.c    a chain's validation, certificate by certificate  -> tree.c, validate.c
 *   report*.c         the reports (-z, GUI, JSON) from one model, fed by taps.c  -> conns.c
 *   taps.c            what the reports listen to  -> frames.c, validate.c
 *   frames.c          what the first pass kept of each frame  -> conns.c, fields.c
 *   conns.c           the connections, each with its tracker (core/tracker*.c)
 *   fields.c          the TLS/TCP fields consumed, turned into the tracker's events
 *   validate.c        preferences, trust store, the verifier the tracker is given (core/verify*.c)
 *   tree.c            whether anyone reads what would be written */
#include "conns.h"
#include "fields.h"
#include "frames.h"
#include "render.h"
#include "render_chain.h"
#include "report.h"
#include "report_gui.h"
#include "report_json.h"
#include "taps.h"
#include "tree.h"
#include "validate.h"
#include "ws_compat.h"

static int proto_tlsauth = -1;
static dissector_handle_t tlsauth_handle;

/* Wireshark's GUI decides whether to build trees for a new reading before it runs the init
 * routines: a capture read again because tlsauth was just enabled is read without a tree, hence
 * without analysis, and says so (a reload reads it with one). */
static gboolean analysis_missed;

static void tlsauth_init(void)
{
    /* Run as each capture is opened, after protocols were enabled or disabled. */
    tlsauth_fields_request(tlsauth_handle, proto_is_protocol_enabled(find_protocol_by_id(proto_tlsauth)));
    analysis_missed = FALSE;
    tlsauth_conns_init(tlsauth_verifier());
}

static void tlsauth_cleanup(void)
{
    tlsauth_conns_cleanup();
    tlsauth_validate_cleanup();
}

/* First pass: feed the frame's events to its connection's tracker and keep what they meant. */
static tlsauth_frame *analyse_frame(packet_info *pinfo, tlsauth_input *in)
{
    if (in->eap && !in->has_stream) {
        in->conn.number = tlsauth_conns_link_number(in->eap_from_client ? &pinfo->dl_src : &pinfo->dl_dst);
        in->has_stream = TRUE;
    }
    if (!in->has_stream || (in->event_count == 0 && !in->events_dropped))
        return NULL;
    tlsauth_stream *st = tlsauth_conn_lookup(in->conn);
    if (!st) {
        if (!in->has_tls)
            return NULL; /* a TCP close on a connection that never carried TLS */
        st = tlsauth_conn_create(in->conn, pinfo);
    }
    if (!st || !st->conn)
        return NULL;
    int sender = tlsauth_conn_sender(st, pinfo);
    ta_frame_result result;
    ta_conn_begin_frame(st->conn, pinfo->num, (int64_t)pinfo->abs_ts.secs, &result);
    for (unsigned i = 0; i < in->event_count; i++) {
        in->events[i].sender = sender;
        ta_conn_feed(st->conn, &in->events[i]);
    }
    if (in->events_dropped)
        ta_conn_lost_events(st->conn);
    unsigned count = ta_conn_end_frame(st->conn);
    tlsauth_frame *frame = tlsauth_frame_keep(pinfo, st, &result, count, in->events_dropped);
    if (frame && tlsauth_frame_carries_certificate(frame))
        tlsauth_frame_keep_reasons(frame, in);
    return frame;
}

static int dissect_tlsauth(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    /* Large (it points at a frame's certificates): static, as dissection is single-threaded. */
    static tlsauth_input in;
    tlsauth_frame *frame = tlsauth_frame_of(pinfo);
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
    tlsauth_taps_queue(pinfo, frame, extracted ? &in : NULL);
    /* A tree built for other fields (tshark's summary lines, -2's first pass, filters on other
     * protocols) would only take tlsauth's items to drop them. Without a tree, the expert infos
     * still go to a listener: the GUI's Expert Information dialog dissects again without one. */
    if (!(tlsauth_shown(tree, proto_tlsauth) || tlsauth_experts_wanted(tree)))
        return tvb_captured_length(tvb);
    /* Later passes read the certificates again to show their validation in detail. */
    if (!extracted && tlsauth_frame_carries_certificate(frame)) {
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
    tlsauth_tree_register(proto_tlsauth);
    tlsauth_frames_register(proto_tlsauth);
    tlsauth_render_register(proto_tlsauth);
    tlsauth_render_chain_register(proto_tlsauth);
    tlsauth_validate_register(proto_tlsauth);
    tlsauth_handle = create_dissector_handle(dissect_tlsauth, proto_tlsauth);
    register_postdissector(tlsauth_handle);
    tlsauth_taps_register();
    tlsauth_report_register();
    tlsauth_report_gui_register();
    tlsauth_report_json_register();
    register_init_routine(tlsauth_init);
    register_cleanup_routine(tlsauth_cleanup);
}

void proto_reg_handoff_tlsauth(void)
{
    tlsauth_fields_prepare();
}
