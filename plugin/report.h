/* The report model: one typed row per handshake, filled once from the tracker's handshake and its
 * connection, from which every report is rendered: the text table and counts (report.c), the GUI
 * tables (report_gui.c) and the JSON Lines output (report_json.c). */
#ifndef TLSAUTH_REPORT_H
#define TLSAUTH_REPORT_H

#include "tlsauth.h"

/* One side's chain as the handshake summary knows it. */
typedef struct tlsauth_report_chain {
    int chain_len;            /* -1: no Certificate of that side seen */
    gboolean checked;         /* a non-empty chain was checked: verdict and problems mean something */
    ta_verdict verdict;
    ta_problem_set problems;
    int ocsp;                 /* server: a ta_ocsp_status, -1 when nothing was stapled */
    int issuer_listed;        /* client: 1, 0, or -1 when there was no list to compare with */
    int64_t verify_time;
} tlsauth_report_chain;

typedef struct tlsauth_report_hs {
    gboolean over_udp;        /* the connection: transport and stream id */
    guint32 stream;
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
/* TCP streams first, then UDP ones, each by stream then handshake (a GCompareFunc on pointers to rows). */
gint tlsauth_report_hs_compare(gconstpointer a, gconstpointer b);
/* "tcp 7/1": transport, stream and 0-based handshake index, the identity reports de-duplicate by. */
char *tlsauth_report_hs_key(const tlsauth_report_hs *row);
/* The text table's cells: TLSAUTH_COL_COUNT strings, freed with g_strfreev(). */
char **tlsauth_report_hs_cells(const tlsauth_report_hs *row);
/* Calls add once per (section, key) the handshake counts in, for the summary. */
void tlsauth_report_hs_counts(const tlsauth_report_hs *row,
                              void (*add)(const char *section, const char *key, void *data), void *data);

/* report_json.c: -z tlsauth,json[,filter]. */
void tlsauth_report_json_register(void);

#endif
