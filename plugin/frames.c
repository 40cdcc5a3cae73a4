/* What the first pass kept of each frame (see frames.h). */
#include "frames.h"
#include "validate.h"

#include <epan/proto_data.h>

enum { KEY_NOTES = 0, KEY_CHAINS = 1 }; /* the frame's data, by key under tlsauth's protocol */

static int proto = -1;

void tlsauth_frames_register(int proto_id) { proto = proto_id; }

/* A note as packed in a tlsauth_frame: its head and the steps it uses. */
static size_t packed_note_size(const ta_note *note)
{
    return offsetof(ta_note, steps) + MIN(note->step_count, TA_MAX_STEPS_PER_NOTE) * sizeof(ta_note_step);
}

tlsauth_frame *tlsauth_frame_keep(packet_info *pinfo, tlsauth_stream *st, const ta_frame_result *result,
                                  unsigned count, unsigned events_dropped)
{
    if (count == 0 && !events_dropped)
        return NULL;
    size_t packed = 0;
    for (unsigned i = 0; i < count; i++)
        packed += packed_note_size(&result->notes[i]);
    tlsauth_frame *frame = wmem_alloc(wmem_file_scope(), sizeof *frame + packed);
    frame->stream = st;
    frame->note_count = count;
    frame->events_dropped = events_dropped;
    frame->reasons = NULL;
    frame->reason_count = 0;
    guint8 *next = frame->packed_notes;
    for (unsigned i = 0; i < count; i++) {
        memcpy(next, &result->notes[i], packed_note_size(&result->notes[i]));
        next += packed_note_size(&result->notes[i]);
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto, KEY_NOTES, frame);
    return frame;
}

tlsauth_frame *tlsauth_frame_of(const packet_info *pinfo)
{
    return p_get_proto_data(wmem_file_scope(), (packet_info *)pinfo, proto, KEY_NOTES);
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

gboolean tlsauth_is_summary_frame(const packet_info *pinfo, const ta_handshake *hs, const ta_note *note)
{
    return note->is_summary || (PINFO_FD_VISITED(pinfo) && hs->outcome == TA_OUTCOME_INCOMPLETE &&
                                hs->frame_last == pinfo->num);
}

static gboolean is_certificate_step(ta_step step)
{
    return step == TA_STEP_SERVER_CERTIFICATE || step == TA_STEP_CLIENT_CERTIFICATE;
}

gboolean tlsauth_frame_carries_certificate(const tlsauth_frame *frame)
{
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        for (unsigned j = 0; j < note.step_count; j++)
            if (is_certificate_step(note.steps[j].step))
                return TRUE;
    }
    return FALSE;
}

/* Calls each(frame's handshake, role, message, step number) for the Certificate steps of the
 * frame, matched with the frame's Certificate messages in order, as render.c matches them. */
static void foreach_certificate(const tlsauth_frame *frame, const tlsauth_input *in,
                                void (*each)(const ta_handshake *hs, ta_role role, const ta_event *message,
                                             unsigned n, void *data),
                                void *data)
{
    unsigned seen = 0;
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, note.hs_index);
        for (unsigned j = 0; j < note.step_count; j++)
            if (is_certificate_step(note.steps[j].step)) {
                unsigned n = seen++;
                const ta_event *message = tlsauth_fields_certificate(in, n);
                ta_role role = ta_step_role(note.steps[j].step);
                if (hs && message && message->certs && message->certs_available && hs->chain[role].checked)
                    each(hs, role, message, n, data);
            }
    }
}

static void keep_reason(const ta_handshake *hs, ta_role role, const ta_event *message, unsigned n, void *data)
{
    tlsauth_frame *frame = data;
    static ta_chain_result result; /* large; dissection is single-threaded */
    if (n >= frame->reason_count)
        return;
    tlsauth_chain_result(hs, role, message->certs, message->certs_available, hs->chain[role].verify_time, &result);
    frame->reasons[n] = wmem_strdup(wmem_file_scope(), result.reason);
}

void tlsauth_frame_keep_reasons(tlsauth_frame *frame, const tlsauth_input *in)
{
    unsigned steps = 0;
    for (unsigned i = 0; i < frame->note_count; i++) {
        ta_note note;
        tlsauth_frame_note(frame, i, &note);
        for (unsigned j = 0; j < note.step_count; j++)
            steps += is_certificate_step(note.steps[j].step);
    }
    if (!steps)
        return;
    frame->reasons = wmem_alloc0_array(wmem_file_scope(), const char *, steps);
    frame->reason_count = steps;
    foreach_certificate(frame, in, keep_reason, frame);
}

const char *tlsauth_frame_reason(const tlsauth_frame *frame, unsigned n)
{
    return n < frame->reason_count ? frame->reasons[n] : NULL;
}

static void keep_chain(const ta_handshake *hs, ta_role role, const ta_event *message, unsigned n _U_, void *data)
{
    tlsauth_kept_chains *kept = data;
    if (kept->count == array_length(kept->chain))
        return;
    tlsauth_kept_chain *chain = &kept->chain[kept->count++];
    *chain = (tlsauth_kept_chain){hs->index, role, message->certs_available,
                                  wmem_alloc_array(wmem_file_scope(), ta_der, message->certs_available)};
    for (unsigned c = 0; c < chain->count; c++)
        chain->certs[c] = (ta_der){wmem_memdup(wmem_file_scope(), message->certs[c].data, message->certs[c].len),
                                   message->certs[c].len};
}

tlsauth_kept_chains *tlsauth_frame_keep_chains(packet_info *pinfo, const tlsauth_frame *frame, const tlsauth_input *in)
{
    tlsauth_kept_chains *kept = wmem_new0(wmem_file_scope(), tlsauth_kept_chains);
    foreach_certificate(frame, in, keep_chain, kept);
    p_add_proto_data(wmem_file_scope(), pinfo, proto, KEY_CHAINS, kept);
    return kept;
}

const tlsauth_kept_chains *tlsauth_frame_chains(const packet_info *pinfo)
{
    return p_get_proto_data(wmem_file_scope(), (packet_info *)pinfo, proto, KEY_CHAINS);
}
