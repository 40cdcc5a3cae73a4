/* Wireshark glue of tlsauth: what the glue files share. */
#ifndef TLSAUTH_GLUE_H
#define TLSAUTH_GLUE_H

#include <epan/packet.h>

#include "tlsauth/hello.h"
#include "tlsauth/tracker.h"

#define TLSAUTH_MAX_CA_NAMES 16

/* One TCP connection carrying TLS. Lives until the capture file is closed. */
typedef struct tlsauth_stream {
    ta_conn *conn;
    guint32 id;             /* tcp.stream, or udp.stream for DTLS */
    gboolean over_udp;
    address endpoint[2];    /* endpoint[0] sent the first TLS record seen */
    guint32 port[2];
} tlsauth_stream;

/* What the first pass worked out for one frame; later passes only render it. Kept for every
 * frame of a handshake, so its notes are packed (each without its unused step slots): read one
 * with tlsauth_frame_note(). */
typedef struct tlsauth_frame {
    tlsauth_stream *stream;
    unsigned note_count;
    unsigned events_dropped; /* records beyond the per-frame bound */
    guint8 packed_notes[];
} tlsauth_frame;
void tlsauth_frame_note(const tlsauth_frame *frame, unsigned index, ta_note *out);

/* fields.c: the TLS and TCP fields tlsauth consumes, turned into tracker events. */
#define TLSAUTH_MAX_EVENTS 64
#define TLSAUTH_MAX_HELLOS 4
#define TLSAUTH_MAX_CERTS 32 /* per frame; TA_VERIFY_MAX_CERTS are analysed per chain */
#define TLSAUTH_MAX_OCSP 4

typedef struct tlsauth_input {
    gboolean has_stream;
    guint32 stream;
    gboolean over_udp;      /* DTLS */
    gboolean has_tls;
    ta_event events[TLSAUTH_MAX_EVENTS];
    unsigned event_count;
    unsigned events_dropped;
    ta_hello_info hellos[TLSAUTH_MAX_HELLOS];
    unsigned hello_count;
    ta_der certs[TLSAUTH_MAX_CERTS];       /* the events' certificates point in here */
    unsigned cert_count;
    ta_der ca_names[TLSAUTH_MAX_CA_NAMES]; /* DER names of the CertificateRequests (their events point here) */
    unsigned ca_name_count;
    ta_der ocsp[TLSAUTH_MAX_OCSP];         /* stapled OCSP responses */
    unsigned ocsp_count;
} tlsauth_input;

void tlsauth_fields_prepare(void);
void tlsauth_fields_request(dissector_handle_t handle, gboolean enabled);
void tlsauth_fields_extract(proto_tree *tree, tlsauth_input *in);

/* validate.c: preferences, trust store and chain checks. */
void tlsauth_validate_register(int proto);
void tlsauth_validate_cleanup(void);
/* The verifier the tracker is given with each connection. */
const ta_verifier *tlsauth_verifier(void);
/* The full result for rendering; cached, so calling it again on later passes is cheap. */
void tlsauth_chain_result(const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                          int64_t verify_time, ta_chain_result *out);
const char *tlsauth_hostname_for(const ta_handshake *hs, ta_role role);
const char *tlsauth_store_problem(void); /* "" when the CA store loaded cleanly */
gboolean tlsauth_verify_time_is_now(void);

/* What the "tlsauth" tap carries: one handshake, on its summary frame. */
typedef struct tlsauth_report_row {
    const tlsauth_stream *stream;
    const ta_handshake *handshake;
} tlsauth_report_row;

/* [report JSON, issue 16 point 3] What the "tlsauth.chain" tap carries, on the frame of a
 * Certificate and only while someone listens: one side's checked chain of one handshake, in
 * full (allocated in pinfo->pool). */
typedef struct tlsauth_chain_row {
    const tlsauth_stream *stream;
    unsigned hs_index;
    ta_role role;
    const ta_chain_result *result;
} tlsauth_chain_row;
/* [end report JSON] */

/* packet-tlsauth.c: every handshake of the capture so far, in no particular order. */
void tlsauth_foreach_handshake(void (*callback)(const tlsauth_stream *st, const ta_handshake *hs, void *data),
                               void *data);

/* report.c: -z tlsauth,handshakes and -z tlsauth,summary; report_gui.c: the same in the GUI. */
typedef enum tlsauth_column {
    TLSAUTH_COL_STREAM, TLSAUTH_COL_CLIENT, TLSAUTH_COL_SERVER, TLSAUTH_COL_SNI, TLSAUTH_COL_VERSION,
    TLSAUTH_COL_MODE, TLSAUTH_COL_SERVER_CHAIN, TLSAUTH_COL_CLIENT_CHAIN, TLSAUTH_COL_OUTCOME, TLSAUTH_COL_DROP,
    TLSAUTH_COL_FRAMES, TLSAUTH_COL_COUNT
} tlsauth_column;
extern const char *const TLSAUTH_REPORT_HEADINGS[TLSAUTH_COL_COUNT];
/* One row of the handshakes report: TLSAUTH_COL_COUNT strings, freed with g_strfreev(). */
char **tlsauth_report_cells(const tlsauth_stream *st, const ta_handshake *hs);
/* Calls count once per (section, key) the handshake counts in, for the summary report. */
void tlsauth_report_counts(const ta_handshake *hs, void (*count)(const char *section, const char *key, void *data),
                           void *data);
void tlsauth_report_register(void);
void tlsauth_report_gui_register(void);

/* render_chain.c: a chain's validation, certificate by certificate. */
void tlsauth_render_chain_register(int proto);
void tlsauth_render_chain_verdict(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs, ta_role role);
void tlsauth_render_ocsp_status(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs);
void tlsauth_render_ocsp(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs);
void tlsauth_render_chain(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs,
                          ta_role role, const ta_event *certificate);

/* render.c: fields, subtrees and expert items. */
void tlsauth_render_register(int proto);
/* The notice of a capture read without a tree, so without analysis (see analysis_missed). */
void tlsauth_render_missed(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb);
/* Whether anyone will see a field (a tree on display, or a filter, column or -e naming it),
 * and whether anyone listens to expert infos: text is formatted only then. */
gboolean tlsauth_shown(proto_tree *tree, int hf);
gboolean tlsauth_experts_wanted(proto_tree *tree);
/* A generated text field; nothing when the text is empty. */
void tlsauth_add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value);
gboolean tlsauth_is_summary_frame(const packet_info *pinfo, const ta_handshake *hs, const ta_note *note);
void tlsauth_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tlsauth_frame *frame,
                    const tlsauth_input *in);

#endif
