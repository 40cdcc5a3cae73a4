/* tlsauth's taps (see taps.h). */
#include "taps.h"
#include "validate.h"

#include <epan/tap.h>

static int tap_summary = -1;
static int tap_chain = -1;

void tlsauth_taps_register(void)
{
    tap_summary = register_tap(TLSAUTH_TAP);
    tap_chain = register_tap(TLSAUTH_CHAIN_TAP);
}

/* The summary frame of a handshake (two-pass and GUI: also the last frame of one that never
 * ended) puts it on the tap. */
static void queue_summaries(packet_info *pinfo, const tlsauth_frame *frame)
{
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, note.hs_index);
        if (!hs || !tlsauth_is_summary_frame(pinfo, hs, &note))
            continue;
        tlsauth_report_row *row = wmem_new(pinfo->pool, tlsauth_report_row);
        *row = (tlsauth_report_row){frame->stream, hs};
        tap_queue_packet(tap_summary, pinfo, row);
    }
}

/* The chains are copied on the first pass only while a listener exists (a two-pass run's second
 * pass has no TLS fields to read them from), and verified again (cached) on every pass. */
static void queue_chains(packet_info *pinfo, const tlsauth_frame *frame, const tlsauth_kept_chains *kept)
{
    for (unsigned i = 0; kept && i < kept->count; i++) {
        const tlsauth_kept_chain *chain = &kept->chain[i];
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

void tlsauth_taps_queue(packet_info *pinfo, const tlsauth_frame *frame, const tlsauth_input *in)
{
    queue_summaries(pinfo, frame);
    if (have_tap_listener(tap_chain) && tlsauth_frame_carries_certificate(frame))
        queue_chains(pinfo, frame, in ? tlsauth_frame_keep_chains(pinfo, frame, in) : tlsauth_frame_chains(pinfo));
}
