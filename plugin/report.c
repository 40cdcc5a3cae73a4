/* The reports: `-z tlsauth,handshakes[,filter]` (one aligned row per handshake) and
 * `-z tlsauth,summary[,filter]` (counts). Both read the "tlsauth" tap, which carries one
 * tlsauth_report_row per handshake on its summary frame. */
#include "tlsauth.h"
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
    GPtrArray *rows;        /* of char *[COL_COUNT] */
    GHashTable *counts;     /* "section\tkey" -> count */
    GHashTable *reported;   /* transport/stream/handshake already in rows */
} report;

static void report_reset(void *data)
{
    report *r = data;
    g_ptr_array_set_size(r->rows, 0);
    g_hash_table_remove_all(r->counts);
    g_hash_table_remove_all(r->reported);
}

static char *chain_cell(const ta_handshake *hs, ta_role role)
{
    int len = role == TA_SERVER ? hs->server_chain_len : hs->client_chain_len;
    const ta_chain_check *check = &hs->chain[role];
    if (len < 0)
        return g_strdup("-");
    if (!check->checked)
        return g_strdup_printf("%d cert%s", len, len == 1 ? "" : "s");
    char problems[200];
    ta_problems_join(check->problems, problems, sizeof problems);
    return g_strdup_printf("%s%s%s%s", ta_verdict_token(check->verdict), problems[0] ? " (" : "", problems,
                           problems[0] ? ")" : "");
}

static void count(const char *section, const char *key, void *data)
{
    report *r = data;
    char *name = g_strdup_printf("%s\t%s", section, key);
    gpointer old = g_hash_table_lookup(r->counts, name);
    g_hash_table_insert(r->counts, name, GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
}

void tlsauth_report_counts(const ta_handshake *hs, void (*add)(const char *section, const char *key, void *data),
                           void *data)
{
    add("Handshakes by mode", ta_mode_token(ta_handshake_mode(hs)), data);
    add("Handshakes by outcome", ta_outcome_token(hs->outcome), data);
    for (int role = TA_CLIENT; role <= TA_SERVER; role++) {
        const ta_chain_check *check = &hs->chain[role];
        if (!check->checked)
            continue;
        char *key = g_strdup_printf("%s chain %s", role == TA_SERVER ? "server" : "client",
                                    ta_verdict_token(check->verdict));
        add("Chains by verdict", key, data);
        g_free(key);
        for (int p = 0; p < TA_PROBLEM_COUNT; p++)
            if (check->problems & TA_PROBLEM_BIT(p)) {
                key = g_strdup_printf("%s (%s chain)", ta_problem_token((ta_problem)p),
                                      role == TA_SERVER ? "server" : "client");
                add("Problems", key, data);
                g_free(key);
            }
    }
    if (hs->outcome == TA_OUTCOME_ABORTED) {
        char *key = g_strdup_printf("%s by the %s", ta_drop_how_token(hs->drop_how), ta_role_token(hs->drop_by));
        add("Drops", key, data);
        g_free(key);
    }
}

char **tlsauth_report_cells(const tlsauth_stream *st, const ta_handshake *hs)
{
    char **row = g_new0(char *, COL_COUNT + 1);
    /* A handshake that was not captured has no known client: the endpoints in the order seen. */
    int client = hs->client_sender < 0 ? 0 : hs->client_sender, server = !client;
    char *client_addr = address_to_str(NULL, &st->endpoint[client]);
    char *server_addr = address_to_str(NULL, &st->endpoint[server]);
    char handshake[16] = "";
    if (hs->index)
        g_snprintf(handshake, sizeof handshake, "#%u", hs->index + 1);
    row[COL_STREAM] = g_strdup_printf("%s%u%s", st->over_udp ? "udp " : "", st->id, handshake);
    row[TLSAUTH_COL_CLIENT] = g_strdup_printf("%s:%u%s", client_addr, st->port[client],
                                              hs->client_sender < 0 ? " (or server?)" : "");
    row[TLSAUTH_COL_SERVER] = g_strdup_printf("%s:%u", server_addr, st->port[server]);
    wmem_free(NULL, client_addr);
    wmem_free(NULL, server_addr);
    row[TLSAUTH_COL_SNI] = g_strdup(hs->sni[0] ? hs->sni : "-");
    row[TLSAUTH_COL_VERSION] = g_strdup(ta_version_token(hs->version));
    row[TLSAUTH_COL_MODE] = g_strdup(ta_mode_token(ta_handshake_mode(hs)));
    row[TLSAUTH_COL_SERVER_CHAIN] = chain_cell(hs, TA_SERVER);
    row[TLSAUTH_COL_CLIENT_CHAIN] = chain_cell(hs, TA_CLIENT);
    row[TLSAUTH_COL_OUTCOME] = g_strdup(ta_outcome_token(hs->outcome));
    row[TLSAUTH_COL_DROP] = hs->outcome == TA_OUTCOME_ABORTED
                        ? g_strdup_printf("%s / %s", ta_role_token(hs->drop_by), ta_drop_how_token(hs->drop_how))
                        : g_strdup("-");
    row[TLSAUTH_COL_FRAMES] = g_strdup_printf("%u-%u", hs->frame_client_hello ? hs->frame_client_hello : hs->frame_first,
                                      hs->frame_summary ? hs->frame_summary : hs->frame_last);
    return row;
}

static void add_row(report *r, const tlsauth_stream *st, const ta_handshake *hs)
{
    /* A TCP stream and a UDP one may share a number: the transport is part of the identity. */
    char *key = g_strdup_printf("%s%u/%u", st->over_udp ? "udp " : "tcp ", st->id, hs->index);
    if (!g_hash_table_add(r->reported, key))
        return;
    if (r->kind == REPORT_SUMMARY)
        tlsauth_report_counts(hs, count, r);
    else
        g_ptr_array_add(r->rows, tlsauth_report_cells(st, hs));
}

static tap_packet_status report_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *tap_data, tap_flags_t flags _U_)
{
    const tlsauth_report_row *row = tap_data;
    add_row(data, row->stream, row->handshake);
    return TAP_PACKET_REDRAW;
}

/* Single pass: handshakes that never reached an outcome were never on the tap. */
static void add_unreported(const tlsauth_stream *st, const ta_handshake *hs, void *data)
{
    report *r = data;
    if (!r->filter && hs->outcome == TA_OUTCOME_INCOMPLETE)
        add_row(r, st, hs);
}

static gint compare_rows(gconstpointer a, gconstpointer b)
{
    char *const *ra = *(char **const *)a, *const *rb = *(char **const *)b;
    /* TCP streams first, then UDP ones, each in stream order. */
    gboolean ua = g_str_has_prefix(ra[COL_STREAM], "udp "), ub = g_str_has_prefix(rb[COL_STREAM], "udp ");
    guint sa = (guint)g_ascii_strtoull(ra[COL_STREAM] + (ua ? 4 : 0), NULL, 10);
    guint sb = (guint)g_ascii_strtoull(rb[COL_STREAM] + (ub ? 4 : 0), NULL, 10);
    if (ua != ub)
        return ua ? 1 : -1;
    return sa != sb ? (sa < sb ? -1 : 1) : g_strcmp0(ra[COL_STREAM], rb[COL_STREAM]);
}

static void print_rule(size_t width)
{
    for (size_t i = 0; i < width; i++)
        putchar('=');
    putchar('\n');
}

static void draw_handshakes(report *r)
{
    g_ptr_array_sort(r->rows, compare_rows);
    size_t width[COL_COUNT], total = 0;
    for (int c = 0; c < COL_COUNT; c++) {
        width[c] = strlen(HEADINGS[c]);
        for (guint i = 0; i < r->rows->len; i++)
            width[c] = MAX(width[c], g_utf8_strlen(((char **)g_ptr_array_index(r->rows, i))[c], -1));
        total += width[c] + 2;
    }
    printf("\n");
    print_rule(total);
    printf("TLS Authentication Analysis: handshakes%s%s\n", r->filter ? ", filter: " : "", r->filter ? r->filter : "");
    print_rule(total);
    for (int c = 0; c < COL_COUNT; c++)
        printf("%-*s%s", c + 1 < COL_COUNT ? (int)width[c] : 0, HEADINGS[c], c + 1 < COL_COUNT ? "  " : "\n");
    for (guint i = 0; i < r->rows->len; i++) {
        char **row = g_ptr_array_index(r->rows, i);
        for (int c = 0; c < COL_COUNT; c++) {
            /* Pad by characters, not bytes: SNIs and addresses may be UTF-8. */
            size_t pad = width[c] - (size_t)g_utf8_strlen(row[c], -1);
            printf("%s%*s%s", row[c], c + 1 < COL_COUNT ? (int)pad : 0, "", c + 1 < COL_COUNT ? "  " : "\n");
        }
    }
    printf("%u handshake%s\n", r->rows->len, r->rows->len == 1 ? "" : "s");
    print_rule(total);
}

static void draw_summary(report *r)
{
    GList *keys = g_list_sort(g_hash_table_get_keys(r->counts), (GCompareFunc)g_strcmp0);
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
        printf("  %-52s %8u\n", tab + 1, GPOINTER_TO_UINT(g_hash_table_lookup(r->counts, name)));
    }
    if (!keys)
        printf("No TLS handshake.\n");
    g_free(section);
    g_list_free(keys);
    print_rule(72);
}

static void report_draw(void *data)
{
    report *r = data;
    tlsauth_foreach_handshake(add_unreported, r);
    if (r->kind == REPORT_HANDSHAKES)
        draw_handshakes(r);
    else
        draw_summary(r);
}

static void report_finish(void *data)
{
    report *r = data;
    g_ptr_array_free(r->rows, TRUE);
    g_hash_table_destroy(r->counts);
    g_hash_table_destroy(r->reported);
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
    r->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    r->counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GString *error = register_tap_listener("tlsauth", r, r->filter, TL_REQUIRES_NOTHING, report_reset,
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
    tlsauth_report_gui_register();
}
