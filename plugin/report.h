/* The report model: one typed row per handshake, filled once from the tracker's handshake and its
 * connection, from which every report is rendered: the text table and counts (report.c), the GUI
 * tables (report_gui.c) and the JSON Lines output (report_json.c). */
#ifndef TLSAUTH_REPORT_H
#define TLSAUTH_REPORT_H

#include "conns.h"

/* One side's chain as the handshake summary knows it. */
typedef struct tlsauth_report_chain {
    int chain_len;            /* -1: no Certificate of that side seen */
    gboolean checked;         /* a non-empty chain was checked: verdict and problems mean something */
    ta_verdict verdict;
    ta_problem_set problems;
    int ocsp;                 /* server: a ta_ocsp_status, -1 when nothing was stapled */
    int issuer_listed;        /* client: 1, 0, or -1 when there was no list to compare with */
    int64_t verify_time;
    ta_proof proof;           /* whether that side proved it holds its key (ta_handshake_proof) */
    char *proof_reason;       /* ta_explain_proof's sentence; "" when there is no proof to tell */
} tlsauth_report_chain;

typedef struct tlsauth_report_hs {
    ta_conn_id conn;          /* the connection: transport and its number for it */
    unsigned index;           /* 0-based handshake of the connection */
    gboolean client_known;    /* FALSE: the handshake was not captured, endpoints in the order seen */
    char *client_addr, *server_addr;
    gboolean client_ipv6, server_ipv6;
    guint32 client_port, server_port;
    uint16_t version;
    char *sni;                /* "" when none */
    gboolean post_handshake;
    ta_mode mode;             /* as ta_handshake_mode() says */
    gboolean mode_inferred;
    ta_outcome outcome;
    ta_role drop_by;          /* meaningful when aborted */
    int drop_how;
    ta_step drop_after;
    char *history;
    char *explanation;
    tlsauth_report_chain chain[2]; /* indexed by ta_role */
    /* frame numbers, 0 when absent */
    guint32 frame_client_hello, frame_server_cert, frame_cert_request, frame_client_cert, frame_drop,
        frame_summary, frame_first, frame_last, frame_resumed_from;
} tlsauth_report_hs;

tlsauth_report_hs *tlsauth_report_hs_new(const tlsauth_stream *st, const ta_handshake *hs);
void tlsauth_report_hs_free(gpointer row);
/* The text table's cells: TLSAUTH_COL_COUNT strings, freed with g_strfreev(). */
char **tlsauth_report_hs_cells(const tlsauth_report_hs *row);
/* Calls add once per (section, key) the handshake counts in, for the summary. */
void tlsauth_report_hs_counts(const tlsauth_report_hs *row,
                              void (*add)(const char *section, const char *key, void *data), void *data);

/* The column headings of the text and GUI tables, in the order of the cells. */
typedef enum tlsauth_column {
    TLSAUTH_COL_STREAM, TLSAUTH_COL_CLIENT, TLSAUTH_COL_SERVER, TLSAUTH_COL_SNI, TLSAUTH_COL_VERSION,
    TLSAUTH_COL_MODE, TLSAUTH_COL_SERVER_CHAIN, TLSAUTH_COL_CLIENT_CHAIN, TLSAUTH_COL_OUTCOME, TLSAUTH_COL_DROP,
    TLSAUTH_COL_FRAMES, TLSAUTH_COL_COUNT
} tlsauth_column;
extern const char *const TLSAUTH_REPORT_HEADINGS[TLSAUTH_COL_COUNT];

/* The handshakes a report collects from the "tlsauth" tap: each once (by transport, stream and
 * index); at the end, unless filtered, also those that never reached an outcome (in a single
 * pass they were never on the tap), then sorted. */
typedef struct tlsauth_report_rows {
    GPtrArray *rows;        /* of tlsauth_report_hs */
    GHashTable *reported;   /* tlsauth_report_hs_key() of the rows */
} tlsauth_report_rows;
void tlsauth_report_rows_init(tlsauth_report_rows *rows);
void tlsauth_report_rows_reset(tlsauth_report_rows *rows);
void tlsauth_report_rows_free(tlsauth_report_rows *rows);
void tlsauth_report_rows_add(tlsauth_report_rows *rows, const tlsauth_stream *st, const ta_handshake *hs);
void tlsauth_report_rows_finish(tlsauth_report_rows *rows, gboolean filtered);

/* -z tlsauth,handshakes and -z tlsauth,summary, fed by the "tlsauth" tap (taps.h). */
void tlsauth_report_register(void);

#endif
