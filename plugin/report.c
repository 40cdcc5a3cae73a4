/* The report model (report.h: one typed row per handshake, filled once from the tracker's
 * handshake) and the text reports rendered from it: `-z tlsauth,handshakes[,filter]` (one aligned
 * row per handshake) and `-z tlsauth,summary[,filter]` (counts). Both read the "tlsauth" tap, which
 * carries one tlsauth_report_row per handshake on its summary frame. */
#include "report.h"
#include "taps.h"
#include "ws_compat.h"

#include <stdio.h>

#include <epan/stat_tap_ui.h>
#include <epan/to_str.h>
#include <epan/tap.h>

typedef enum report_kind { REPORT_HANDSHAKES, REPORT_SUMMARY } report_kind;

const char *const TLSAUTH_REPORT_HEADINGS[TLSAUTH_COL_COUNT] = {
    "Stream", "Client", "Server", "SNI", "Version", "Mode", "Server chain", "Client chain",
    "Outcome", "Dropped by / how", "Frames",
};
#define COL_COUNT TLSAUTH_COL_COUNT
#define COL_STREAM TLSAUTH_COL_STREAM
#define HEADINGS TLSAUTH_REPORT_HEADINGS

typedef struct report {
    report_kind kind;
    char *filter;
    tlsauth_report_rows collected;
} report;

static void report_reset(void *data)
{
    report *r = data;
    tlsauth_report_rows_reset(&r->collected);
}

/* ---- the model ---------------------------------------------------------------------------- */


tlsauth_report_hs *tlsauth_report_hs_new(const tlsauth_stream *st, const ta_handshake *hs)
{
    tlsauth_report_hs *row = g_new0(tlsauth_report_hs, 1);
    row->index = hs->index;
    /* A handshake that was not captured has no known client: the endpoints in the order seen. */
    row->client_known = hs->client_sender >= 0;
    if (st) {
        row->conn = st->id;
        int client = hs->client_sender < 0 ? 0 : hs->client_sender, server = !client;
        row->client_addr = address_to_str(NULL, &st->endpoint[client]);
        row->server_addr = address_to_str(NULL, &st->endpoint[server]);
        row->client_ipv6 = st->endpoint[client].type == AT_IPv6;
        row->server_ipv6 = st->endpoint[server].type == AT_IPv6;
        row->client_port = st->port[client];
        row->server_port = st->port[server];
    }
    row->version = hs->version;
    row->sni = g_strdup(hs->sni);
    row->post_handshake = hs->post_handshake;
    row->mode = ta_handshake_mode(hs);
    row->mode_inferred = ta_handshake_mode_inferred(hs);
    row->outcome = hs->outcome;
    row->drop_by = hs->drop_by;
    row->drop_how = hs->drop_how;
    row->drop_after = hs->drop_after;
    row->history = g_strdup(hs->history);
    char text[TA_EXPLANATION_MAX];
    ta_explain_outcome(hs, text, sizeof text);
    row->explanation = g_strdup(text);
    for (int role = TA_CLIENT; role <= TA_SERVER; role++) {
        const ta_chain_check *check = &hs->chain[role];
        row->chain[role] = (tlsauth_report_chain){
            .chain_len = role == TA_SERVER ? hs->server_chain_len : hs->client_chain_len,
            .checked = check->checked,
            .verdict = check->verdict,
            .problems = check->problems,
            .ocsp = role == TA_SERVER ? check->ocsp : -1,
            .issuer_listed = role == TA_CLIENT && check->checked ? check->issuer_listed : -1,
            .verify_time = check->verify_time,
            .proof = ta_handshake_proof(hs, (ta_role)role),
        };
        ta_explain_proof(hs, (ta_role)role, text, sizeof text);
        row->chain[role].proof_reason = g_strdup(text);
    }
    row->frame_client_hello = hs->frame_client_hello;
    row->frame_server_cert = hs->frame_server_cert;
    row->frame_cert_request = hs->frame_cert_request;
    row->frame_client_cert = hs->frame_client_cert;
    row->frame_drop = hs->frame_drop;
    row->frame_summary = hs->frame_summary;
    row->frame_first = hs->frame_first;
    row->frame_last = hs->frame_last;
    row->frame_resumed_from = hs->resumed_from ? hs->resumed_from->frame_client_hello : 0;
    return row;
}

void tlsauth_report_hs_free(gpointer data)
{
    tlsauth_report_hs *row = data;
    if (!row)
        return;
    wmem_free(NULL, row->client_addr);
    wmem_free(NULL, row->server_addr);
    g_free(row->sni);
    g_free(row->history);
    g_free(row->explanation);
    g_free(row->chain[TA_CLIENT].proof_reason);
    g_free(row->chain[TA_SERVER].proof_reason);
    g_free(row);
}

/* TCP streams first, then UDP ones, each by stream then handshake (rows given by pointer). */
static gint compare_rows(gconstpointer a, gconstpointer b)
{
    const tlsauth_report_hs *ra = *(const tlsauth_report_hs *const *)a, *rb = *(const tlsauth_report_hs *const *)b;
    if (ra->conn.transport != rb->conn.transport)
        return ra->conn.transport < rb->conn.transport ? -1 : 1;
    if (ra->conn.number != rb->conn.number)
        return ra->conn.number < rb->conn.number ? -1 : 1;
    return ra->index != rb->index ? (ra->index < rb->index ? -1 : 1) : 0;
}

/* "tcp 7/1": the identity reports de-duplicate by. */
static char *row_key(const tlsauth_report_hs *row)
{
    /* A TCP stream and a UDP one may share a number: the transport is part of the identity. */
    return g_strdup_printf("%s %u/%u", ta_transport_token(row->conn.transport), row->conn.number, row->index);
}

static char *chain_cell(const tlsauth_report_chain *chain)
{
    if (chain->chain_len < 0)
        return g_strdup("-");
    if (!chain->checked)
        return g_strdup_printf("%d cert%s", chain->chain_len, chain->chain_len == 1 ? "" : "s");
    char problems[200];
    ta_problems_join(chain->problems, problems, sizeof problems);
    return g_strdup_printf("%s%s%s%s", ta_verdict_token(chain->verdict), problems[0] ? " (" : "", problems,
                           problems[0] ? ")" : "");
}

char **tlsauth_report_hs_cells(const tlsauth_report_hs *row)
{
    char **cells = g_new0(char *, COL_COUNT + 1);
    char handshake[16] = "";
    if (row->index)
        g_snprintf(handshake, sizeof handshake, "#%u", row->index + 1);
    /* TCP streams are plain numbers, as tcp.stream says them; other transports are named. */
    const char *named = row->conn.transport == TA_TRANSPORT_TCP ? "" : ta_transport_token(row->conn.transport);
    cells[COL_STREAM] = g_strdup_printf("%s%s%u%s", named, named[0] ? " " : "", row->conn.number, handshake);
    cells[TLSAUTH_COL_CLIENT] = g_strdup_printf("%s:%u%s", row->client_addr, row->client_port,
                                                row->client_known ? "" : " (or server?)");
    cells[TLSAUTH_COL_SERVER] = g_strdup_printf("%s:%u", row->server_addr, row->server_port);
    cells[TLSAUTH_COL_SNI] = g_strdup(row->sni[0] ? row->sni : "-");
    cells[TLSAUTH_COL_VERSION] = g_strdup(ta_version_token(row->version));
    cells[TLSAUTH_COL_MODE] = g_strdup(ta_mode_token(row->mode));
    cells[TLSAUTH_COL_SERVER_CHAIN] = chain_cell(&row->chain[TA_SERVER]);
    cells[TLSAUTH_COL_CLIENT_CHAIN] = chain_cell(&row->chain[TA_CLIENT]);
    cells[TLSAUTH_COL_OUTCOME] = g_strdup(ta_outcome_token(row->outcome));
    cells[TLSAUTH_COL_DROP] = row->outcome == TA_OUTCOME_ABORTED
                        ? g_strdup_printf("%s / %s", ta_role_token(row->drop_by), ta_drop_how_token(row->drop_how))
                        : g_strdup("-");
    cells[TLSAUTH_COL_FRAMES] = g_strdup_printf("%u-%u", row->frame_client_hello ? row->frame_client_hello
                                                                                 : row->frame_first,
                                                row->frame_summary ? row->frame_summary : row->frame_last);
    return cells;
}

void tlsauth_report_hs_counts(const tlsauth_report_hs *row,
                              void (*add)(const char *section, const char *key, void *data), void *data)
{
    add("Handshakes by mode", ta_mode_token(row->mode), data);
    add("Handshakes by outcome", ta_outcome_token(row->outcome), data);
    for (int role = TA_CLIENT; role <= TA_SERVER; role++) {
        const tlsauth_report_chain *chain = &row->chain[role];
        const char *proof = ta_proof_status_token((ta_proof_status)chain->proof.status);
        if (proof) {
            char *key = g_strdup_printf("%s %s", role == TA_SERVER ? "server" : "client", proof);
            add("Proofs of key possession", key, data);
            g_free(key);
        }
        if (!chain->checked)
            continue;
        char *key = g_strdup_printf("%s chain %s", role == TA_SERVER ? "server" : "client",
                                    ta_verdict_token(chain->verdict));
        add("Chains by verdict", key, data);
        g_free(key);
        for (int p = 0; p < TA_PROBLEM_COUNT; p++)
            if (chain->problems & TA_PROBLEM_BIT(p)) {
                key = g_strdup_printf("%s (%s chain)", ta_problem_token((ta_problem)p),
                                      role == TA_SERVER ? "server" : "client");
                add("Problems", key, data);
                g_free(key);
            }
    }
    if (row->outcome == TA_OUTCOME_ABORTED) {
        char *key = g_strdup_printf("%s by the %s", ta_drop_how_token(row->drop_how), ta_role_token(row->drop_by));
        add("Drops", key, data);
        g_free(key);
    }
}

void tlsauth_report_rows_init(tlsauth_report_rows *rows)
{
    rows->rows = g_ptr_array_new_with_free_func(tlsauth_report_hs_free);
    rows->reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void tlsauth_report_rows_reset(tlsauth_report_rows *rows)
{
    g_ptr_array_set_size(rows->rows, 0);
    g_hash_table_remove_all(rows->reported);
}

void tlsauth_report_rows_free(tlsauth_report_rows *rows)
{
    g_ptr_array_free(rows->rows, TRUE);
    g_hash_table_destroy(rows->reported);
}

void tlsauth_report_rows_add(tlsauth_report_rows *rows, const tlsauth_stream *st, const ta_handshake *hs)
{
    tlsauth_report_hs *row = tlsauth_report_hs_new(st, hs);
    if (g_hash_table_add(rows->reported, row_key(row)))
        g_ptr_array_add(rows->rows, row);
    else
        tlsauth_report_hs_free(row);
}

static void add_unfinished(const tlsauth_stream *st, const ta_handshake *hs, void *rows)
{
    if (hs->outcome == TA_OUTCOME_INCOMPLETE)
        tlsauth_report_rows_add(rows, st, hs);
}

void tlsauth_report_rows_finish(tlsauth_report_rows *rows, gboolean filtered)
{
    if (!filtered)
        tlsauth_foreach_handshake(add_unfinished, rows);
    g_ptr_array_sort(rows->rows, compare_rows);
}

/* ---- the text reports --------------------------------------------------------------------- */

static void count(const char *section, const char *key, void *data)
{
    GHashTable *counts = data;
    char *name = g_strdup_printf("%s\t%s", section, key);
    gpointer old = g_hash_table_lookup(counts, name);
    g_hash_table_insert(counts, name, GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
}

static tap_packet_status report_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *tap_data, tap_flags_t flags _U_)
{
    const tlsauth_report_row *row = tap_data;
    tlsauth_report_rows_add(&((report *)data)->collected, row->stream, row->handshake);
    return TAP_PACKET_REDRAW;
}

static void print_rule(size_t width)
{
    for (size_t i = 0; i < width; i++)
        putchar('=');
    putchar('\n');
}

static void draw_handshakes(report *r)
{
    GPtrArray *rows = r->collected.rows, *cells = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add(cells, tlsauth_report_hs_cells(g_ptr_array_index(rows, i)));
    size_t width[COL_COUNT], total = 0;
    for (int c = 0; c < COL_COUNT; c++) {
        width[c] = strlen(HEADINGS[c]);
        for (guint i = 0; i < cells->len; i++)
            width[c] = MAX(width[c], g_utf8_strlen(((char **)g_ptr_array_index(cells, i))[c], -1));
        total += width[c] + 2;
    }
    printf("\n");
    print_rule(total);
    printf("TLS Authentication Analysis: handshakes%s%s\n", r->filter ? ", filter: " : "", r->filter ? r->filter : "");
    print_rule(total);
    for (int c = 0; c < COL_COUNT; c++)
        printf("%-*s%s", c + 1 < COL_COUNT ? (int)width[c] : 0, HEADINGS[c], c + 1 < COL_COUNT ? "  " : "\n");
    for (guint i = 0; i < cells->len; i++) {
        char **row = g_ptr_array_index(cells, i);
        for (int c = 0; c < COL_COUNT; c++) {
            /* Pad by characters, not bytes: SNIs and addresses may be UTF-8. */
            size_t pad = width[c] - (size_t)g_utf8_strlen(row[c], -1);
            printf("%s%*s%s", row[c], c + 1 < COL_COUNT ? (int)pad : 0, "", c + 1 < COL_COUNT ? "  " : "\n");
        }
    }
    printf("%u handshake%s\n", cells->len, cells->len == 1 ? "" : "s");
    print_rule(total);
    g_ptr_array_free(cells, TRUE);
}

static void draw_summary(report *r)
{
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < r->collected.rows->len; i++)
        tlsauth_report_hs_counts(g_ptr_array_index(r->collected.rows, i), count, counts);
    GList *keys = g_list_sort(g_hash_table_get_keys(counts), (GCompareFunc)g_strcmp0);
    printf("\n");
    print_rule(72);
    printf("TLS Authentication Analysis: summary%s%s\n", r->filter ? ", filter: " : "", r->filter ? r->filter : "");
    print_rule(72);
    char *section = NULL;
    for (GList *k = keys; k; k = k->next) {
        const char *name = k->data;
        const char *tab = strchr(name, '\t');
        if (!section || strncmp(section, name, (size_t)(tab - name)) != 0 || section[tab - name]) {
            g_free(section);
            section = g_strndup(name, (gsize)(tab - name));
            printf("%s:\n", section);
        }
        printf("  %-52s %8u\n", tab + 1, GPOINTER_TO_UINT(g_hash_table_lookup(counts, name)));
    }
    if (!keys)
        printf("No TLS handshake.\n");
    g_free(section);
    g_list_free(keys);
    g_hash_table_destroy(counts);
    print_rule(72);
}

static void report_draw(void *data)
{
    report *r = data;
    tlsauth_report_rows_finish(&r->collected, r->filter != NULL);
    if (r->kind == REPORT_HANDSHAKES)
        draw_handshakes(r);
    else
        draw_summary(r);
}

static void report_finish(void *data)
{
    report *r = data;
    tlsauth_report_rows_free(&r->collected);
    g_free(r->filter);
    g_free(r);
}

static TA_TAP_INIT_RESULT report_init(const char *opt_arg, void *userdata)
{
    report *r = g_new0(report, 1);
    r->kind = (report_kind)GPOINTER_TO_INT(userdata);
    const char *prefix = r->kind == REPORT_HANDSHAKES ? "tlsauth,handshakes" : "tlsauth,summary";
    const char *rest = opt_arg + strlen(prefix);
    r->filter = rest[0] == ',' && rest[1] ? g_strdup(rest + 1) : NULL;
    tlsauth_report_rows_init(&r->collected);
    GString *error = register_tap_listener(TLSAUTH_TAP, r, r->filter, TL_REQUIRES_NOTHING, report_reset,
                                           report_packet, report_draw, report_finish);
    if (error) {
        fprintf(stderr, "tshark: tlsauth report: %s\n", error->str);
        g_string_free(error, TRUE);
        report_finish(r);
        TA_TAP_INIT_DONE(FALSE);
    }
    TA_TAP_INIT_DONE(TRUE);
}

void tlsauth_report_register(void)
{
    static tap_param filter_param[] = {{PARAM_FILTER, "filter", "Display filter", NULL, TRUE}};
    static stat_tap_ui handshakes = {REGISTER_PACKET_STAT_GROUP_UNSORTED, "TLS Authentication/Handshakes",
                                     "tlsauth,handshakes", report_init, 1, filter_param};
    static stat_tap_ui summary = {REGISTER_PACKET_STAT_GROUP_UNSORTED, "TLS Authentication/Summary",
                                  "tlsauth,summary", report_init, 1, filter_param};
    register_stat_tap_ui(&handshakes, GINT_TO_POINTER(REPORT_HANDSHAKES));
    register_stat_tap_ui(&summary, GINT_TO_POINTER(REPORT_SUMMARY));
}
