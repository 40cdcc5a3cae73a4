/* What tlsauth puts on its taps, for the reports: "tlsauth" carries one handshake on its summary
 * frame; "tlsauth.chain", only while someone listens, one side's checked chain in full on the
 * frame that carried it. */
#ifndef TLSAUTH_TAPS_H
#define TLSAUTH_TAPS_H

#include <epan/packet.h>

#include "fields.h"
#include "frames.h"

#define TLSAUTH_TAP "tlsauth"
#define TLSAUTH_CHAIN_TAP "tlsauth.chain"

typedef struct tlsauth_report_row {
    const tlsauth_stream *stream;
    const ta_handshake *handshake;
} tlsauth_report_row;

/* Allocated in pinfo->pool. */
typedef struct tlsauth_chain_row {
    const tlsauth_stream *stream;
    unsigned hs_index;
    ta_role role;
    const ta_chain_result *result;
} tlsauth_chain_row;

void tlsauth_taps_register(void);
/* Every pass that runs taps. in: the frame's fields when the first pass read them, else NULL. */
void tlsauth_taps_queue(packet_info *pinfo, const tlsauth_frame *frame, const tlsauth_input *in);

#endif
