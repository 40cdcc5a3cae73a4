/* What the first pass kept of each frame, for the passes that only render: the notes the
 * tracker wrote for it, and (only while a listener wants them) the chains it carried. */
#ifndef TLSAUTH_FRAMES_H
#define TLSAUTH_FRAMES_H

#include <epan/packet.h>

#include "conns.h"
#include "fields.h"

/* Kept for every frame of a handshake, so its notes are packed (each without its unused step
 * slots): read one with tlsauth_frame_note(). */
typedef struct tlsauth_frame {
    tlsauth_stream *stream;
    unsigned note_count;
    unsigned events_dropped; /* records beyond the per-frame bound */
    /* The reason of each checked chain the frame carries, in the order of its Certificate steps
     * (NULL for one not checked): later passes may not have the certificates to say it again
     * (tshark 4.4's second pass gives a post-dissector no fields it did not ask for again). */
    const char **reasons;
    unsigned reason_count;
    guint8 packed_notes[];
} tlsauth_frame;

/* Once, at registration: the protocol the frames' data is filed under. */
void tlsauth_frames_register(int proto);
/* Keeps what the tracker wrote for the frame (count notes of result); NULL when nothing. */
tlsauth_frame *tlsauth_frame_keep(packet_info *pinfo, tlsauth_stream *st, const ta_frame_result *result,
                                  unsigned count, unsigned events_dropped);
tlsauth_frame *tlsauth_frame_of(const packet_info *pinfo);
/* First pass: keeps the reasons of the chains the frame's Certificate messages carry. */
void tlsauth_frame_keep_reasons(tlsauth_frame *frame, const tlsauth_input *in);
/* The reason of the frame's n-th Certificate step, or NULL. */
const char *tlsauth_frame_reason(const tlsauth_frame *frame, unsigned n);
void tlsauth_frame_note(const tlsauth_frame *frame, unsigned index, ta_note *out);
/* The frame that sums a handshake up: where its outcome became known, or (two-pass and GUI) the
 * last frame of one that never ended. */
gboolean tlsauth_is_summary_frame(const packet_info *pinfo, const ta_handshake *hs, const ta_note *note);
gboolean tlsauth_frame_carries_certificate(const tlsauth_frame *frame);

/* The checked chains of a Certificate frame, copied: a two-pass run's second pass has no TLS
 * fields to read them from. */
typedef struct tlsauth_kept_chain {
    unsigned hs_index;
    ta_role role;
    unsigned count;
    ta_der *certs;
} tlsauth_kept_chain;
typedef struct tlsauth_kept_chains {
    unsigned count;
    tlsauth_kept_chain chain[TA_MAX_NOTES_PER_FRAME * 2];
} tlsauth_kept_chains;
/* in: the frame's fields, as the first pass read them. */
tlsauth_kept_chains *tlsauth_frame_keep_chains(packet_info *pinfo, const tlsauth_frame *frame, const tlsauth_input *in);
const tlsauth_kept_chains *tlsauth_frame_chains(const packet_info *pinfo);

#endif
