/* `-z tlsauth,json[,filter]`: JSON Lines, one object per handshake, printed at the end of the run;
 * the same handshakes, order and de-duplication as `-z tlsauth,handshakes`, rendered from the
 * report model (report.h). Keys follow the documented field contract (README, "Reports").
 *
 * The per-certificate details come from a second tap, "tlsauth.chain", which carries each checked
 * chain in full on its Certificate frame (packet-tlsauth.c keeps the DER of those frames from the
 * first pass, only while this listener exists): a listener copies what it prints, keyed by
 * connection, handshake and role (the last chain of a role wins), and the handshakes join them
 * when drawn. */
#include "report_json.h"
#include "report.h"
#include "taps.h"
#include "ws_compat.h"

#include <stdio.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

/* ---- JSON text ------------------------------------------------------------------------------ */

/* A JSON string: quotes, backslashes and control characters escaped; bytes that are not UTF-8
 * become U+FFFD, so every line parses. NULL is null. */
static void json_string(GString *out, const char *s)
{
    if (!s) {
        g_string_append(out, "null");
        return;
    }
    g_string_append_c(out, '"');
    const char *end = s + strlen(s);
    while (s < end) {
        gunichar c = g_utf8_get_char_validated(s, end - s);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append(out, "\\ufffd");
            s++;
            continue;
        }
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", (char)c);
        else if (c < 0x20 || c == 0x7f)
            g_string_append_printf(out, "\\u%04x", (unsigned)c);
        else
            g_string_append_len(out, s, g_utf8_next_char(s) - s);
        s = g_utf8_next_char(s);
    }
    g_string_append_c(out, '"');
}

/* Empty texts are null too. */
static void json_text(GString *out, const char *s) { json_string(out, s && s[0] ? s : NULL); }

static void json_key(GString *out, gboolean *first, const char *key)
{
    g_string_append(out, *first ? "\"" : ",\"");
    g_string_append(out, key);
    g_string_append(out, "\":");
    *first = FALSE;
}

static void json_frame(GString *out, guint32 frame)
{
    if (frame)
        g_string_append_printf(out, "%u", frame);
    else
        g_string_append(out, "null");
}

static void json_bool(GString *out, gboolean b) { g_string_append(out, b ? "true" : "false"); }

/* "2026-01-01T00:00:00Z" */
static void json_time(GString *out, int64_t seconds)
{
    GDateTime *t = g_date_time_new_from_unix_utc(seconds);
    char *text = t ? g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
    json_string(out, text);
    g_free(text);
    if (t)
        g_date_time_unref(t);
}

/* ---- the chains, copied from the "tlsauth.chain" tap ----------------------------------------- */

typedef struct json_cert {
    unsigned position;
    ta_cert_role role;
    gboolean from_store, in_store, parsed, dates_known;
    int64_t not_before, not_after;
    ta_signed signed_by_next;
    char *subject, *issuer, *serial, *validity, *key, *sig_alg, *sha256, *san, *eku, *revocation;
} json_cert;

typedef struct json_chain {
    char *reason;
    char *hostname;           /* NULL when none was checked */
    ta_key_use key_use;
    unsigned sent;
    gboolean truncated;
    unsigned cert_count;
    json_cert *certs;
} json_chain;

static void json_chain_free(gpointer data)
{
    json_chain *chain = data;
    for (unsigned i = 0; i < chain->cert_count; i++) {
        json_cert *c = &chain->certs[i];
        char **texts[] = {&c->subject, &c->issuer, &c->serial, &c->validity, &c->key, &c->sig_alg, &c->sha256,
                          &c->san, &c->eku, &c->revocation};
        for (size_t t = 0; t < array_length(texts); t++)
            g_free(*texts[t]);
    }
    g_free(chain->certs);
    g_free(chain->reason);
    g_free(chain->hostname);
    g_free(chain);
}

static json_chain *json_chain_copy(const ta_chain_result *result)
{
    json_chain *chain = g_new0(json_chain, 1);
    chain->reason = g_strdup(result->reason);
    chain->hostname = result->hostname_checked ? g_strdup(result->hostname) : NULL;
    chain->key_use = result->key_use;
    chain->sent = result->sent_count;
    chain->truncated = result->truncated;
    chain->cert_count = MIN(result->cert_count, (unsigned)array_length(result->certs));
    chain->certs = g_new0(json_cert, chain->cert_count ? chain->cert_count : 1);
    for (unsigned i = 0; i < chain->cert_count; i++) {
        const ta_cert_info *in = &result->certs[i];
        json_cert *c = &chain->certs[i];
        *c = (json_cert){
            .position = in->position, .role = in->role, .from_store = in->from_store, .in_store = in->in_store,
            .parsed = in->parsed, .dates_known = in->parsed && in->dates_known, .not_before = in->not_before,
            .not_after = in->not_after, .signed_by_next = in->signed_by_next,
        };
        if (!in->parsed)
            continue;
        c->subject = g_strdup(in->subject);
        c->issuer = g_strdup(in->issuer);
        c->serial = g_strdup(in->serial);
        c->validity = g_strdup(in->validity);
        c->key = g_strdup(in->key);
        c->sig_alg = g_strdup(in->sig_alg);
        c->sha256 = g_strdup(in->sha256);
        c->san = g_strdup(in->san);
        c->eku = g_strdup(in->eku);
        c->revocation = g_strdup(in->revocation);
    }
    return chain;
}

/* "tcp 7/1/server" */
static char *chain_key(ta_conn_id conn, unsigned index, ta_role role)
{
    return g_strdup_printf("%s %u/%u/%s", ta_transport_token(conn.transport), conn.number, index,
                           role == TA_SERVER ? "server" : "client");
}

/* The listener of the chain tap: no filter (the handshakes' filter decides what is printed). */
typedef struct chain_listener {
    GHashTable *chains; /* chain_key -> json_chain */
} chain_listener;

static void chains_reset(void *data) { g_hash_table_remove_all(((chain_listener *)data)->chains); }

static tap_packet_status chains_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *tap_data, tap_flags_t flags _U_)
{
    chain_listener *l = data;
    const tlsauth_chain_row *row = tap_data;
    g_hash_table_replace(l->chains, chain_key(row->stream->id, row->hs_index, row->role),
                         json_chain_copy(row->result));
    return TAP_PACKET_DONT_REDRAW;
}

static void chains_finish(void *data)
{
    chain_listener *l = data;
    g_hash_table_destroy(l->chains);
    g_free(l);
}

/* ---- the handshakes ------------------------------------------------------------------------- */

typedef struct json_report {
    char *filter;
    tlsauth_report_rows collected;
    chain_listener *chains;   /* alive until the run ends: its own listener frees it */
} json_report;

static void json_reset(void *data)
{
    json_report *r = data;
    tlsauth_report_rows_reset(&r->collected);
}

static tap_packet_status json_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                     const void *tap_data, tap_flags_t flags _U_)
{
    const tlsauth_report_row *row = tap_data;
    tlsauth_report_rows_add(&((json_report *)data)->collected, row->stream, row->handshake);
    return TAP_PACKET_DONT_REDRAW;
}

static void endpoint(GString *out, const char *addr, gboolean ipv6, guint32 port)
{
    char *text = g_strdup_printf(ipv6 ? "[%s]:%u" : "%s:%u", addr ? addr : "", port);
    json_string(out, text);
    g_free(text);
}

static void print_cert(GString *out, const json_cert *c)
{
    gboolean first = TRUE;
    g_string_append_c(out, '{');
    json_key(out, &first, "position");
    g_string_append_printf(out, "%u", c->position + 1);
    json_key(out, &first, "role");
    json_string(out, ta_cert_role_token(c->role));
    json_key(out, &first, "parsed");
    json_bool(out, c->parsed);
    json_key(out, &first, "from_store");
    json_bool(out, c->from_store);
    const struct { const char *key; const char *value; } texts[] = {
        {"subject", c->subject}, {"issuer", c->issuer}, {"serial", c->serial}, {"sha256", c->sha256},
    };
    for (size_t i = 0; i < array_length(texts); i++) {
        json_key(out, &first, texts[i].key);
        json_text(out, texts[i].value);
    }
    json_key(out, &first, "not_before");
    if (c->dates_known)
        json_time(out, c->not_before);
    else
        g_string_append(out, "null");
    json_key(out, &first, "not_after");
    if (c->dates_known)
        json_time(out, c->not_after);
    else
        g_string_append(out, "null");
    const struct { const char *key; const char *value; } more[] = {
        {"validity", c->validity}, {"key", c->key}, {"sig_alg", c->sig_alg}, {"san", c->san}, {"eku", c->eku},
    };
    for (size_t i = 0; i < array_length(more); i++) {
        json_key(out, &first, more[i].key);
        json_text(out, more[i].value);
    }
    json_key(out, &first, "signed_by_next");
    json_string(out, c->parsed ? ta_signed_token(c->signed_by_next) : NULL);
    json_key(out, &first, "in_store");
    json_bool(out, c->in_store);
    json_key(out, &first, "revocation");
    json_text(out, c->revocation);
    g_string_append_c(out, '}');
}

/* As tlsauth.server.proof and its subtree; null when the side has no certificate to prove. */
static void print_proof(GString *out, const tlsauth_report_chain *chain)
{
    const char *status = ta_proof_status_token((ta_proof_status)chain->proof.status);
    if (!status) {
        g_string_append(out, "null");
        return;
    }
    char unnamed[16];
    const char *scheme = chain->proof.scheme ? ta_signature_scheme_text(chain->proof.scheme, unnamed, sizeof unnamed)
                                             : NULL;
    gboolean first = TRUE;
    g_string_append_c(out, '{');
    json_key(out, &first, "status");
    json_string(out, status);
    json_key(out, &first, "scheme");
    json_string(out, scheme);
    json_key(out, &first, "frame");
    json_frame(out, chain->proof.frame);
    json_key(out, &first, "reason");
    json_text(out, chain->proof_reason);
    g_string_append_c(out, '}');
}

static void print_chain(GString *out, const json_report *r, const tlsauth_report_hs *row, ta_role role)
{
    const tlsauth_report_chain *chain = &row->chain[role];
    if (chain->chain_len < 0) {
        g_string_append(out, "null");
        return;
    }
    char *key = chain_key(row->conn, row->index, role);
    const json_chain *detail = r->chains ? g_hash_table_lookup(r->chains->chains, key) : NULL;
    g_free(key);
    gboolean first = TRUE;
    g_string_append_c(out, '{');
    json_key(out, &first, "chain_len");
    g_string_append_printf(out, "%d", chain->chain_len);
    json_key(out, &first, "verdict");
    json_string(out, chain->checked ? ta_verdict_token(chain->verdict) : NULL);
    json_key(out, &first, "problems");
    g_string_append_c(out, '[');
    gboolean first_problem = TRUE;
    for (int p = 0; chain->checked && p < TA_PROBLEM_COUNT; p++)
        if (chain->problems & TA_PROBLEM_BIT(p)) {
            if (!first_problem)
                g_string_append_c(out, ',');
            json_string(out, ta_problem_token((ta_problem)p));
            first_problem = FALSE;
        }
    g_string_append_c(out, ']');
    json_key(out, &first, "ocsp");
    json_string(out, chain->ocsp >= 0 ? ta_ocsp_status_token((ta_ocsp_status)chain->ocsp) : NULL);
    json_key(out, &first, "issuer_listed");
    g_string_append(out, chain->issuer_listed < 0 ? "null" : chain->issuer_listed ? "true" : "false");
    json_key(out, &first, "verify_time");
    if (chain->checked)
        json_time(out, chain->verify_time);
    else
        g_string_append(out, "null");
    json_key(out, &first, "reason");
    json_text(out, detail ? detail->reason : NULL);
    json_key(out, &first, "hostname");
    json_text(out, detail ? detail->hostname : NULL);
    json_key(out, &first, "key_use");
    json_text(out, detail && detail->key_use != TA_KEY_USE_UNKNOWN ? ta_key_use_text(detail->key_use) : NULL);
    json_key(out, &first, "sent");
    if (detail)
        g_string_append_printf(out, "%u", detail->sent);
    else
        g_string_append(out, "null");
    json_key(out, &first, "truncated");
    json_bool(out, detail && detail->truncated);
    json_key(out, &first, "certificates");
    if (!detail) {
        g_string_append(out, "null");
    } else {
        g_string_append_c(out, '[');
        for (unsigned i = 0; i < detail->cert_count; i++) {
            if (i)
                g_string_append_c(out, ',');
            print_cert(out, &detail->certs[i]);
        }
        g_string_append_c(out, ']');
    }
    g_string_append_c(out, '}');
}

static void print_handshake(GString *out, const json_report *r, const tlsauth_report_hs *row)
{
    gboolean first = TRUE;
    g_string_append_c(out, '{');
    json_key(out, &first, "connection");
    g_string_append_printf(out, "{\"transport\":\"%s\",\"stream\":%u}", ta_transport_token(row->conn.transport),
                           row->conn.number);
    json_key(out, &first, "handshake");
    g_string_append_printf(out, "%u", row->index + 1);
    json_key(out, &first, "client");
    endpoint(out, row->client_addr, row->client_ipv6, row->client_port);
    json_key(out, &first, "server");
    endpoint(out, row->server_addr, row->server_ipv6, row->server_port);
    json_key(out, &first, "client_known");
    json_bool(out, row->client_known);
    json_key(out, &first, "version");
    json_string(out, ta_version_token(row->version));
    json_key(out, &first, "sni");
    json_text(out, row->sni);
    json_key(out, &first, "post_handshake");
    json_bool(out, row->post_handshake);
    json_key(out, &first, "mode");
    json_string(out, ta_mode_token(row->mode));
    json_key(out, &first, "mode_inferred");
    json_bool(out, row->mode_inferred);
    json_key(out, &first, "outcome");
    json_string(out, ta_outcome_token(row->outcome));
    json_key(out, &first, "drop");
    if (row->outcome == TA_OUTCOME_ABORTED) {
        gboolean first_drop = TRUE;
        g_string_append_c(out, '{');
        json_key(out, &first_drop, "by");
        json_string(out, ta_role_token(row->drop_by));
        json_key(out, &first_drop, "alert");
        json_string(out, ta_drop_how_token(row->drop_how));
        json_key(out, &first_drop, "after");
        json_text(out, ta_step_token(row->drop_after));
        g_string_append_c(out, '}');
    } else {
        g_string_append(out, "null");
    }
    json_key(out, &first, "history");
    json_text(out, row->history);
    json_key(out, &first, "explanation");
    json_text(out, row->explanation);
    json_key(out, &first, "frame");
    const struct { const char *key; guint32 frame; } frames[] = {
        {"client_hello", row->frame_client_hello}, {"server_certificate", row->frame_server_cert},
        {"certificate_request", row->frame_cert_request}, {"client_certificate", row->frame_client_cert},
        {"drop", row->frame_drop}, {"summary", row->frame_summary}, {"resumed_from", row->frame_resumed_from},
        {"first", row->frame_first}, {"last", row->frame_last},
    };
    gboolean first_frame = TRUE;
    g_string_append_c(out, '{');
    for (size_t i = 0; i < array_length(frames); i++) {
        json_key(out, &first_frame, frames[i].key);
        json_frame(out, frames[i].frame);
    }
    g_string_append_c(out, '}');
    json_key(out, &first, "server_chain");
    print_chain(out, r, row, TA_SERVER);
    json_key(out, &first, "client_chain");
    print_chain(out, r, row, TA_CLIENT);
    json_key(out, &first, "server_proof");
    print_proof(out, &row->chain[TA_SERVER]);
    json_key(out, &first, "client_proof");
    print_proof(out, &row->chain[TA_CLIENT]);
    g_string_append(out, "}\n");
}

static void json_draw(void *data)
{
    json_report *r = data;
    tlsauth_report_rows_finish(&r->collected, r->filter != NULL);
    GString *out = g_string_sized_new(4096);
    for (guint i = 0; i < r->collected.rows->len; i++) {
        g_string_truncate(out, 0);
        print_handshake(out, r, g_ptr_array_index(r->collected.rows, i));
        fwrite(out->str, 1, out->len, stdout);
    }
    g_string_free(out, TRUE);
    fflush(stdout);
}

static void json_finish(void *data)
{
    json_report *r = data;
    tlsauth_report_rows_free(&r->collected);
    g_free(r->filter);
    g_free(r);
}

static TA_TAP_INIT_RESULT json_init(const char *opt_arg, void *userdata _U_)
{
    json_report *r = g_new0(json_report, 1);
    const char *rest = opt_arg + strlen("tlsauth,json");
    r->filter = rest[0] == ',' && rest[1] ? g_strdup(rest + 1) : NULL;
    tlsauth_report_rows_init(&r->collected);
    GString *error = register_tap_listener(TLSAUTH_TAP, r, r->filter, TL_REQUIRES_NOTHING, json_reset, json_packet,
                                           json_draw, json_finish);
    if (error) {
        fprintf(stderr, "tshark: tlsauth json report: %s\n", error->str);
        g_string_free(error, TRUE);
        json_finish(r);
        TA_TAP_INIT_DONE(FALSE);
    }
    /* The chains come with their certificates (kept from the first pass): no tree needed. */
    chain_listener *chains = g_new0(chain_listener, 1);
    chains->chains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, json_chain_free);
    error = register_tap_listener(TLSAUTH_CHAIN_TAP, chains, NULL, TL_REQUIRES_NOTHING, chains_reset,
                                  chains_packet, NULL, chains_finish);
    if (error) {
        /* The handshakes are still printed, without certificates. */
        fprintf(stderr, "tshark: tlsauth json report (certificates): %s\n", error->str);
        g_string_free(error, TRUE);
        chains_finish(chains);
    } else {
        r->chains = chains;
    }
    TA_TAP_INIT_DONE(TRUE);
}

void tlsauth_report_json_register(void)
{
    static tap_param filter_param[] = {{PARAM_FILTER, "filter", "Display filter", NULL, TRUE}};
    static stat_tap_ui json = {REGISTER_PACKET_STAT_GROUP_UNSORTED, "TLS Authentication/JSON", "tlsauth,json",
                               json_init, 1, filter_param};
    register_stat_tap_ui(&json, NULL);
}
