/* The reports in the Wireshark GUI: Statistics › TLS Authentication Handshakes and Summary
 * (also `wireshark -z tlsauth_table,handshakes`; Qt keeps two comma-separated parts as the name).
 * Same cells and counts as the tshark reports, rendered from the same report model (report.h),
 * shown as Wireshark table statistics. Wireshark 4.0 draws every such table with one dialog
 * (SimpleStatisticsDialog) that a plugin cannot tune: it opens at the size it remembers for the
 * title, else 587×459; rows have no double-click, no "Apply as Filter", no link to a frame. */
#include "report_gui.h"
#include "report.h"
#include "taps.h"

#include <epan/stat_tap_ui.h>

/* The handshake table's columns, in the report model's terms: the short ones first and the chain
 * verdicts, long with their problems, last, so that a dialog as wide as a laptop screen shows
 * mode, outcome, drop and frames without scrolling. The stream stays first: the dialog sorts by
 * the first column. */
static const tlsauth_column gui_columns[TLSAUTH_COL_COUNT] = {
    TLSAUTH_COL_STREAM, TLSAUTH_COL_CLIENT, TLSAUTH_COL_SERVER, TLSAUTH_COL_SNI, TLSAUTH_COL_VERSION,
    TLSAUTH_COL_MODE, TLSAUTH_COL_OUTCOME, TLSAUTH_COL_DROP, TLSAUTH_COL_FRAMES,
    TLSAUTH_COL_SERVER_CHAIN, TLSAUTH_COL_CLIENT_CHAIN,
};
/* Every column is text but the stream, so that the GUI sorts streams as numbers. */
static stat_tap_table_item handshake_fields[TLSAUTH_COL_COUNT];
static stat_tap_table_item summary_fields[] = {
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Section", "%s"},
    {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Value", "%s"},
    {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Handshakes", "%u"},
};

static tap_param filter_param[] = {{PARAM_FILTER, "filter", "Display filter", NULL, TRUE}};

static stat_tap_table *table_of(stat_tap_table_ui *ui, const char *name, guint num_fields)
{
    stat_tap_table *table = stat_tap_find_table(ui, name);
    if (table) {
        if (ui->stat_tap_reset_table_cb)
            ui->stat_tap_reset_table_cb(table);
        return table;
    }
    table = stat_tap_init_table(name, num_fields, 0, NULL);
    stat_tap_add_table(ui, table);
    return table;
}

static void handshakes_init(stat_tap_table_ui *ui)
{
    table_of(ui, "TLS handshakes", TLSAUTH_COL_COUNT);
}

static void summary_init(stat_tap_table_ui *ui)
{
    table_of(ui, "TLS handshake counts", array_length(summary_fields));
}

static stat_tap_table *first_table(void *tapdata)
{
    stat_data_t *stat = tapdata;
    return g_array_index(stat->stat_tap_data->tables, stat_tap_table *, 0);
}

static tap_packet_status handshakes_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                           const void *data, tap_flags_t flags _U_)
{
    const tlsauth_report_row *tapped = data;
    stat_tap_table *table = first_table(tapdata);
    tlsauth_report_hs *row = tlsauth_report_hs_new(tapped->stream, tapped->handshake);
    char **cells = tlsauth_report_hs_cells(row);
    stat_tap_table_item_type items[TLSAUTH_COL_COUNT];
    memset(items, 0, sizeof items);
    for (int i = 0; i < TLSAUTH_COL_COUNT; i++) {
        items[i].type = handshake_fields[i].type;
        if (gui_columns[i] == TLSAUTH_COL_STREAM)
            items[i].value.uint_value = row->conn.number;
        else
            items[i].value.string_value = g_strdup(cells[gui_columns[i]]);
    }
    g_strfreev(cells);
    tlsauth_report_hs_free(row);
    stat_tap_init_table_row(table, table->num_elements, TLSAUTH_COL_COUNT, items);
    return TAP_PACKET_REDRAW;
}

/* Adds one to the row of (section, value), creating it on first sight. */
static void count_in_table(const char *section, const char *value, void *data)
{
    stat_tap_table *table = data;
    for (guint i = 0; i < table->num_elements; i++) {
        stat_tap_table_item_type *s = stat_tap_get_field_data(table, i, 0);
        stat_tap_table_item_type *v = stat_tap_get_field_data(table, i, 1);
        if (!strcmp(s->value.string_value, section) && !strcmp(v->value.string_value, value)) {
            stat_tap_table_item_type *n = stat_tap_get_field_data(table, i, 2);
            n->value.uint_value++;
            stat_tap_set_field_data(table, i, 2, n);
            return;
        }
    }
    stat_tap_table_item_type items[3] = {
        {.type = TABLE_ITEM_STRING, .value.string_value = g_strdup(section)},
        {.type = TABLE_ITEM_STRING, .value.string_value = g_strdup(value)},
        {.type = TABLE_ITEM_UINT, .value.uint_value = 1},
    };
    stat_tap_init_table_row(table, table->num_elements, 3, items);
}

static tap_packet_status summary_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                        const void *data, tap_flags_t flags _U_)
{
    const tlsauth_report_row *tapped = data;
    tlsauth_report_hs *row = tlsauth_report_hs_new(tapped->stream, tapped->handshake);
    tlsauth_report_hs_counts(row, count_in_table, first_table(tapdata));
    tlsauth_report_hs_free(row);
    return TAP_PACKET_REDRAW;
}

static void table_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_,
                            stat_tap_table_item_type *item)
{
    if (item->type == TABLE_ITEM_STRING)
        g_free((char *)item->value.string_value);
}

/* Rows are made per handshake, so a reset empties the table. */
static void table_reset(stat_tap_table *table)
{
    for (guint i = 0; i < table->num_elements; i++) {
        for (guint c = 0; c < table->num_fields; c++)
            table_free_item(table, i, c, stat_tap_get_field_data(table, i, c));
        g_free(table->elements[i]);
    }
    table->num_elements = 0;
}

/* The dialog sizes its columns to their contents and only then shows the sort arrow in the
 * first column's header, over the start of this right-aligned heading: without the leading
 * spaces, which the arrow covers, it read "tream". (Copy, Save as and tshark's
 * -z tlsauth_table,handshakes show the spaces too.) */
#define STREAM_HEADING "    Stream"

void tlsauth_report_gui_register(void)
{
    for (int i = 0; i < TLSAUTH_COL_COUNT; i++) {
        gboolean stream = gui_columns[i] == TLSAUTH_COL_STREAM;
        handshake_fields[i] = (stat_tap_table_item){stream ? TABLE_ITEM_UINT : TABLE_ITEM_STRING,
                                                    stream ? TAP_ALIGN_RIGHT : TAP_ALIGN_LEFT,
                                                    stream ? STREAM_HEADING : TLSAUTH_REPORT_HEADINGS[gui_columns[i]],
                                                    stream ? "%u" : "%s"};
    }
    static stat_tap_table_ui handshakes = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "TLS Authentication Handshakes", TLSAUTH_TAP, "tlsauth_table,handshakes",
        handshakes_init, handshakes_packet, table_reset, table_free_item, NULL,
        array_length(handshake_fields), handshake_fields, array_length(filter_param), filter_param, NULL, 0};
    static stat_tap_table_ui summary = {
        REGISTER_PACKET_STAT_GROUP_UNSORTED, "TLS Authentication Summary", TLSAUTH_TAP, "tlsauth_table,summary",
        summary_init, summary_packet, table_reset, table_free_item, NULL,
        array_length(summary_fields), summary_fields, array_length(filter_param), filter_param, NULL, 0};
    register_stat_tap_table_ui(&handshakes);
    register_stat_tap_table_ui(&summary);
}
