/* tlsauth handshake tracker. See include/tlsauth/tracker.h. */
#include "tlsauth/tracker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An encrypted TLS 1.3 alert: 2 bytes of alert, 1 of inner type, 16 of AEAD tag. */
#define TA_ENCRYPTED_ALERT_LEN 19

struct ta_conn {
    ta_chain_checker checker;
    void *checker_ctx;
    ta_handshake *hs[TA_MAX_HANDSHAKES_PER_CONN];
    unsigned hs_count;
    unsigned refused;
    uint32_t frame;
};

/* The notes of the frame being fed. One frame is fed at a time, so connections share it rather
 * than each carrying its own (there may be millions of connections). */
static _Thread_local ta_frame_result cur;

/* Every step as data: who sends it, which handshake type carries it, its history letter,
 * its public token, its label, and what it means for authentication. */
typedef struct step_info {
    ta_step step;
    ta_role role;
    int hs_type; /* -1: not a handshake message */
    char letter; /* Zeek ssl_history letter; upper case for the client, set by role */
    const char *token;
    const char *label;
    const char *meaning;
    const char *text; /* "label (meaning)", written once rather than formatted for every frame */
} step_info;

#define STEP(step, role, hs_type, letter, token, label, meaning) \
    {step, role, hs_type, letter, token, label, meaning, label " (" meaning ")"}
static const step_info STEPS[TA_STEP_COUNT] = {
    STEP(TA_STEP_NONE, TA_ROLE_UNKNOWN, -1, 0, "none", "nothing", ""),
    STEP(TA_STEP_CLIENT_HELLO, TA_CLIENT, TA_HS_CLIENT_HELLO, 'c', "client_hello", "ClientHello",
     "the client opens the handshake and names the server it wants"),
    STEP(TA_STEP_HELLO_RETRY_REQUEST, TA_SERVER, -1, 'j', "hello_retry_request", "HelloRetryRequest",
     "the server asks the client to say hello again with another key share"),
    STEP(TA_STEP_HELLO_VERIFY_REQUEST, TA_SERVER, TA_HS_HELLO_VERIFY_REQUEST, 'v', "hello_verify_request",
     "HelloVerifyRequest", "the DTLS server asks the client to say hello again with a cookie"),
    STEP(TA_STEP_SERVER_HELLO, TA_SERVER, TA_HS_SERVER_HELLO, 's', "server_hello", "ServerHello",
     "the server picks the version and cipher suite"),
    STEP(TA_STEP_ENCRYPTED_EXTENSIONS, TA_SERVER, TA_HS_ENCRYPTED_EXTENSIONS, 'o', "encrypted_extensions",
     "EncryptedExtensions", "the server confirms extensions, now encrypted"),
    STEP(TA_STEP_SERVER_CERTIFICATE, TA_SERVER, TA_HS_CERTIFICATE, 'x', "server_certificate",
     "server Certificate", "the server presents its certificate chain to prove who it is"),
    STEP(TA_STEP_CERTIFICATE_STATUS, TA_SERVER, TA_HS_CERTIFICATE_STATUS, 'u', "certificate_status",
     "CertificateStatus", "the server staples an OCSP response about its certificate"),
    STEP(TA_STEP_SERVER_KEY_EXCHANGE, TA_SERVER, TA_HS_SERVER_KEY_EXCHANGE, 'k', "server_key_exchange",
     "ServerKeyExchange", "the server sends its key share, signed with its certificate's key"),
    STEP(TA_STEP_CERTIFICATE_REQUEST, TA_SERVER, TA_HS_CERTIFICATE_REQUEST, 'r', "certificate_request",
     "CertificateRequest", "the server asks the client for a certificate: mutual TLS"),
    STEP(TA_STEP_SERVER_HELLO_DONE, TA_SERVER, TA_HS_SERVER_HELLO_DONE, 'n', "server_hello_done",
     "ServerHelloDone", "the server has finished its flight and waits for the client"),
    STEP(TA_STEP_SERVER_CERTIFICATE_VERIFY, TA_SERVER, TA_HS_CERTIFICATE_VERIFY, 'y',
     "server_certificate_verify", "server CertificateVerify",
     "the server proves it holds the private key of its certificate"),
    STEP(TA_STEP_SERVER_FINISHED, TA_SERVER, TA_HS_FINISHED, 'f', "server_finished", "server Finished",
     "the server confirms the handshake"),
    STEP(TA_STEP_CLIENT_CERTIFICATE, TA_CLIENT, TA_HS_CERTIFICATE, 'x', "client_certificate",
     "client Certificate", "the client answers the certificate request"),
    STEP(TA_STEP_CLIENT_KEY_EXCHANGE, TA_CLIENT, TA_HS_CLIENT_KEY_EXCHANGE, 'g', "client_key_exchange",
     "ClientKeyExchange", "the client sends its key share"),
    STEP(TA_STEP_CLIENT_CERTIFICATE_VERIFY, TA_CLIENT, TA_HS_CERTIFICATE_VERIFY, 'y',
     "client_certificate_verify", "client CertificateVerify",
     "the client proves it holds the private key of its certificate"),
    STEP(TA_STEP_CLIENT_FINISHED, TA_CLIENT, TA_HS_FINISHED, 'f', "client_finished", "client Finished",
     "the client confirms the handshake"),
    STEP(TA_STEP_NEW_SESSION_TICKET, TA_SERVER, TA_HS_NEW_SESSION_TICKET, 't', "new_session_ticket",
     "NewSessionTicket", "the server hands out a ticket for resuming later"),
    STEP(TA_STEP_CLIENT_CHANGE_CIPHER_SPEC, TA_CLIENT, -1, 'i', "client_change_cipher_spec",
     "client ChangeCipherSpec", "the client switches to encryption"),
    STEP(TA_STEP_SERVER_CHANGE_CIPHER_SPEC, TA_SERVER, -1, 'i', "server_change_cipher_spec",
     "server ChangeCipherSpec", "the server switches to encryption"),
    STEP(TA_STEP_SERVER_ENCRYPTED_HANDSHAKE, TA_SERVER, -1, 'q', "server_encrypted_handshake",
     "server encrypted handshake", "encrypted handshake messages from the server (no keys to read them)"),
    STEP(TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE, TA_CLIENT, -1, 'q', "client_encrypted_handshake",
     "client encrypted handshake", "encrypted handshake messages from the client (no keys to read them)"),
    STEP(TA_STEP_CLIENT_APPLICATION_DATA, TA_CLIENT, -1, 'd', "client_application_data",
     "client application data", "the client uses the connection"),
    STEP(TA_STEP_SERVER_APPLICATION_DATA, TA_SERVER, -1, 'd', "server_application_data",
     "server application data", "the server uses the connection"),
    STEP(TA_STEP_CLIENT_ALERT, TA_CLIENT, -1, 'l', "client_alert", "client Alert", "the client sends an alert"),
    STEP(TA_STEP_SERVER_ALERT, TA_SERVER, -1, 'l', "server_alert", "server Alert", "the server sends an alert"),
    STEP(TA_STEP_CLIENT_CLOSE, TA_CLIENT, -1, 0, "client_close", "client TCP close", "the client closes TCP"),
    STEP(TA_STEP_SERVER_CLOSE, TA_SERVER, -1, 0, "server_close", "server TCP close", "the server closes TCP"),
    STEP(TA_STEP_OTHER_HANDSHAKE, TA_ROLE_UNKNOWN, -1, 'z', "other_handshake", "other handshake message", ""),
    STEP(TA_STEP_UNCAPTURED_RECORD, TA_ROLE_UNKNOWN, -1, 0, "record_without_handshake", "TLS record",
     "of a connection whose handshake is not in the capture"),
};

static const step_info *step_info_of(ta_step step)
{
    return (step > TA_STEP_NONE && step < TA_STEP_COUNT) ? &STEPS[step] : &STEPS[TA_STEP_NONE];
}

static ta_step step_for_message(ta_role role, uint8_t hs_type)
{
    for (unsigned i = 1; i < TA_STEP_COUNT; i++)
        if (STEPS[i].hs_type == hs_type && STEPS[i].role == role)
            return STEPS[i].step;
    return TA_STEP_OTHER_HANDSHAKE;
}

static bool is_handshake_step(ta_step step)
{
    return step != TA_STEP_NONE && step < TA_STEP_CLIENT_APPLICATION_DATA;
}

static ta_step step_for_role(ta_role role, ta_step client_step, ta_step server_step)
{
    return role == TA_CLIENT ? client_step : server_step;
}

/* ---- tokens ---------------------------------------------------------------------------- */

const char *ta_mode_token(ta_mode mode)
{
    static const char *const tokens[] = {"unknown", "one-way", "mutual", "mutual-requested", "resumed"};
    return (unsigned)mode < sizeof tokens / sizeof *tokens ? tokens[mode] : "unknown";
}

const char *ta_outcome_token(ta_outcome outcome)
{
    static const char *const tokens[] = {"incomplete", "completed", "aborted"};
    return (unsigned)outcome < sizeof tokens / sizeof *tokens ? tokens[outcome] : "incomplete";
}

const char *ta_role_token(ta_role role)
{
    return role == TA_CLIENT ? "client" : role == TA_SERVER ? "server" : "unknown";
}

const char *ta_version_token(uint16_t version)
{
    switch (version) {
    case TA_VERSION_SSL3: return "SSLv3";
    case TA_VERSION_TLS10: return "TLSv1.0";
    case TA_VERSION_TLS11: return "TLSv1.1";
    case TA_VERSION_TLS12: return "TLSv1.2";
    case TA_VERSION_TLS13: return "TLSv1.3";
    case TA_VERSION_DTLS10: return "DTLSv1.0";
    case TA_VERSION_DTLS12: return "DTLSv1.2";
    case TA_VERSION_DTLS13: return "DTLSv1.3";
    default: return "unknown";
    }
}

typedef struct alert_info {
    int code;
    const char *name;
    const char *meaning;
} alert_info;

static const alert_info ALERTS[] = {
    {0, "close_notify", "the sender closes the connection"},
    {10, "unexpected_message", "a message arrived out of order"},
    {20, "bad_record_mac", "a record failed its integrity check"},
    {21, "decryption_failed", "a record could not be decrypted"},
    {22, "record_overflow", "a record was too long"},
    {30, "decompression_failure", "a record could not be decompressed"},
    {40, "handshake_failure", "no acceptable set of parameters (OpenSSL servers also send it for a "
                              "missing client certificate in TLS 1.2)"},
    {41, "no_certificate", "no certificate (SSLv3)"},
    {42, "bad_certificate", "the certificate was rejected (GnuTLS sends this for any chain failure)"},
    {43, "unsupported_certificate", "the certificate is of the wrong type or purpose (key usage)"},
    {44, "certificate_revoked", "the certificate was revoked by its issuer"},
    {45, "certificate_expired", "the certificate has expired or is not yet valid"},
    {46, "certificate_unknown", "the certificate was rejected for an unspecified reason"},
    {47, "illegal_parameter", "a field was out of range or inconsistent"},
    {48, "unknown_ca", "the chain does not lead to a CA the sender trusts"},
    {49, "access_denied", "the certificate was valid but access was denied by policy"},
    {50, "decode_error", "a message could not be decoded (GnuTLS servers send it in TLS 1.2 when "
                         "a required client certificate is missing)"},
    {51, "decrypt_error", "a signature or the Finished message did not verify"},
    {60, "export_restriction", "export restriction"},
    {70, "protocol_version", "the peer's protocol version is not supported"},
    {71, "insufficient_security", "the peer's parameters are too weak"},
    {80, "internal_error", "the sender hit an internal error"},
    {86, "inappropriate_fallback", "an inappropriate version fallback was detected"},
    {90, "user_canceled", "the sender cancelled the handshake"},
    {100, "no_renegotiation", "the sender refuses to renegotiate"},
    {109, "missing_extension", "a required extension is missing"},
    {110, "unsupported_extension", "an extension was not expected"},
    {111, "certificate_unobtainable", "the certificate could not be obtained"},
    {112, "unrecognized_name", "the server does not know the requested host name"},
    {113, "bad_certificate_status_response", "the stapled OCSP response was rejected"},
    {114, "bad_certificate_hash_value", "certificate hash mismatch"},
    {115, "unknown_psk_identity", "the pre-shared key identity is unknown"},
    {116, "certificate_required", "a client certificate is required"},
    {120, "no_application_protocol", "no common application protocol (ALPN)"},
};

static const alert_info *alert_info_of(int code)
{
    for (size_t i = 0; i < sizeof ALERTS / sizeof *ALERTS; i++)
        if (ALERTS[i].code == code)
            return &ALERTS[i];
    return NULL;
}

const char *ta_alert_token(int alert_desc)
{
    const alert_info *info = alert_info_of(alert_desc);
    return info ? info->name : "unassigned_alert";
}

const char *ta_drop_how_token(int drop_how)
{
    switch (drop_how) {
    case TA_DROP_NONE: return "";
    case TA_DROP_ENCRYPTED_ALERT: return "encrypted";
    case TA_DROP_FIN: return "fin";
    case TA_DROP_RST: return "rst";
    default: return ta_alert_token(drop_how);
    }
}

const char *ta_step_token(ta_step step) { return step_info_of(step)->token; }
const char *ta_step_label(ta_step step) { return step_info_of(step)->label; }
ta_role ta_step_role(ta_step step) { return step_info_of(step)->role; }

/* ---- connection and notes -------------------------------------------------------------- */

ta_conn *ta_conn_new(void)
{
    return calloc(1, sizeof(ta_conn));
}

void ta_conn_set_checker(ta_conn *conn, ta_chain_checker checker, void *ctx)
{
    conn->checker = checker;
    conn->checker_ctx = ctx;
}

/* Handshakes hold their SNI and story apart, sized to what they hold: most SNIs are short and
 * most stories far from TA_STORY_MAX, and a capture may hold millions of handshakes. */
static const char NO_SNI[] = "";

static void forget_sni(ta_handshake *hs)
{
    if (hs->sni != NO_SNI)
        free((char *)hs->sni);
    hs->sni = NO_SNI;
}

static void set_sni(ta_handshake *hs, const char *sni)
{
    size_t len = 0;
    while (len < TA_SNI_MAX && sni[len])
        len++;
    char *copy = len ? malloc(len + 1) : NULL;
    forget_sni(hs);
    if (copy) {
        memcpy(copy, sni, len);
        copy[len] = '\0';
        hs->sni = copy;
    }
}

static void free_handshake(ta_handshake *hs)
{
    forget_sni(hs);
    free(hs->story);
    free(hs);
}

void ta_conn_free(ta_conn *conn)
{
    if (!conn)
        return;
    for (unsigned i = 0; i < conn->hs_count; i++)
        free_handshake(conn->hs[i]);
    free(conn);
}

unsigned ta_conn_handshake_count(const ta_conn *conn) { return conn->hs_count; }
unsigned ta_conn_dropped_handshakes(const ta_conn *conn) { return conn->refused; }

void ta_conn_set_resumed_from(ta_conn *conn, unsigned index, const ta_handshake *origin)
{
    if (index < conn->hs_count && origin != conn->hs[index])
        conn->hs[index]->resumed_from = origin;
}

const ta_handshake *ta_conn_handshake(const ta_conn *conn, unsigned index)
{
    return index < conn->hs_count ? conn->hs[index] : NULL;
}

void ta_conn_begin_frame(ta_conn *conn, uint32_t frame)
{
    conn->frame = frame;
    cur.note_count = 0;
}

static ta_note *note_for(ta_conn *conn, const ta_handshake *hs)
{
    ta_frame_result *r = &cur;
    for (unsigned i = 0; i < r->note_count; i++)
        if (r->notes[i].hs_index == hs->index)
            return &r->notes[i];
    if (r->note_count == TA_MAX_NOTES_PER_FRAME)
        return NULL;
    ta_note *note = &r->notes[r->note_count++];
    memset(note, 0, sizeof *note);
    note->hs_index = (uint8_t)hs->index;
    return note;
}

static void add_remark(ta_conn *conn, const ta_handshake *hs, ta_remark remark)
{
    ta_note *note = note_for(conn, hs);
    if (note && note->remark_count < sizeof note->remarks / sizeof *note->remarks)
        note->remarks[note->remark_count++] = (uint8_t)remark;
}

static void append_history(ta_handshake *hs, ta_step step)
{
    const step_info *info = step_info_of(step);
    size_t len = strlen(hs->history);
    if (!info->letter || len >= TA_HISTORY_MAX)
        return;
    char letter = info->letter;
    if (info->role == TA_CLIENT)
        letter = (char)(letter - 'a' + 'A');
    /* Application data and encrypted flights are recorded once per run, not per record. */
    if ((step == TA_STEP_CLIENT_APPLICATION_DATA || step == TA_STEP_SERVER_APPLICATION_DATA ||
         step == TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE || step == TA_STEP_SERVER_ENCRYPTED_HANDSHAKE) &&
        len > 0 && hs->history[len - 1] == letter)
        return;
    hs->history[len] = letter;
    hs->history[len + 1] = '\0';
}

/* A step's detail as stored: a Certificate message may count more certificates than int16_t
 * holds (3-byte entries in a 16 MB message). */
static int16_t detail_of(int detail)
{
    return (int16_t)(detail > INT16_MAX ? INT16_MAX : detail < INT16_MIN ? INT16_MIN : detail);
}

/* The story keeps every handshake step, and the first application data of each side. */
static void append_story(ta_conn *conn, ta_handshake *hs, ta_step step, int detail)
{
    bool once = step == TA_STEP_CLIENT_APPLICATION_DATA || step == TA_STEP_SERVER_APPLICATION_DATA ||
                step == TA_STEP_UNCAPTURED_RECORD;
    bool once_per_frame = step == TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE || step == TA_STEP_SERVER_ENCRYPTED_HANDSHAKE;
    for (unsigned i = 0; (once || once_per_frame) && i < hs->story_len; i++)
        if (hs->story[i].step == step && (once || hs->story[i].frame == conn->frame))
            return;
    if (hs->story_len == hs->story_cap) {
        unsigned cap = hs->story_cap ? hs->story_cap * 2 : 16;
        cap = cap > TA_STORY_MAX ? TA_STORY_MAX : cap;
        ta_story_step *grown = cap > hs->story_cap ? realloc(hs->story, cap * sizeof *grown) : NULL;
        if (!grown) {
            hs->story_truncated = true;
            return;
        }
        hs->story = grown;
        hs->story_cap = cap;
    }
    hs->story[hs->story_len++] = (ta_story_step){conn->frame, (uint8_t)step, detail_of(detail)};
}

static void record_step_detail(ta_conn *conn, ta_handshake *hs, ta_step step, int detail)
{
    /* Once the outcome is known, application data is no longer part of the handshake: no note,
     * so the frames of a long transfer cost nothing to store or render. */
    if (hs->outcome != TA_OUTCOME_INCOMPLETE &&
        (step == TA_STEP_CLIENT_APPLICATION_DATA || step == TA_STEP_SERVER_APPLICATION_DATA)) {
        append_history(hs, step);
        return;
    }
    hs->frame_last = conn->frame;
    append_history(hs, step);
    append_story(conn, hs, step, detail);
    ta_note_step line = {(uint8_t)step, detail_of(detail)};
    if (is_handshake_step(step) && step != TA_STEP_CLIENT_CHANGE_CIPHER_SPEC &&
        step != TA_STEP_SERVER_CHANGE_CIPHER_SPEC)
        hs->last_step = step;
    ta_note *note = note_for(conn, hs);
    if (!note)
        return;
    /* A frame full of application data records says so once. */
    for (unsigned i = 0; i < note->step_count; i++)
        if (note->steps[i].step == step && !is_handshake_step(step))
            return;
    if (note->step_count < TA_MAX_STEPS_PER_NOTE)
        note->steps[note->step_count++] = line;
}

static void record_step(ta_conn *conn, ta_handshake *hs, ta_step step)
{
    record_step_detail(conn, hs, step, -1);
}

/* ---- classification -------------------------------------------------------------------- */

/* TLS 1.3 without keys: the signals in the encrypted record sizes. Servers that send one message
 * per record (OpenSSL, GnuTLS) send 4 records without a CertificateRequest and 5 with one. */
enum { SIGNAL_NONE = -1, SIGNAL_NO_CERTIFICATE = 0, SIGNAL_EMPTY_CERTIFICATE = 1, SIGNAL_CERTIFICATE = 2 };
#define EMPTY_CERTIFICATE_RECORD_LEN (4 + 1 + 3 + 1 + 16)

static int server_signal(const ta_handshake *hs)
{
    return hs->server_flight_records == 5 ? 1 : hs->server_flight_records == 4 ? 0 : SIGNAL_NONE;
}

static bool finished_sized(uint32_t length);

/* The client's flight up to its Finished: nothing else, an empty Certificate, or a Certificate
 * and CertificateVerify (or the same packed into the Finished's record). */
static int client_signal(const ta_handshake *hs)
{
    unsigned n = hs->client_flight_records;
    if (!hs->client_flight_complete || n == 0 || n > sizeof hs->client_flight_len / sizeof *hs->client_flight_len)
        return SIGNAL_NONE;
    uint32_t finished = hs->client_flight_len[n - 1], before = 0;
    for (unsigned i = 0; i + 1 < n; i++)
        before += hs->client_flight_len[i];
    if (n == 1)
        return finished_sized(finished) ? SIGNAL_NO_CERTIFICATE : SIGNAL_NONE;
    if (n == 2 && before == EMPTY_CERTIFICATE_RECORD_LEN)
        return SIGNAL_EMPTY_CERTIFICATE;
    return before >= 100 ? SIGNAL_CERTIFICATE : SIGNAL_NONE;
}

/* Unknown whenever the signals disagree or say nothing. */
static ta_mode infer_mode(const ta_handshake *hs)
{
    int server = server_signal(hs), client = client_signal(hs);
    if (client != SIGNAL_NONE && server != SIGNAL_NONE && (client == SIGNAL_NO_CERTIFICATE) != (server == 0))
        return TA_MODE_UNKNOWN;
    switch (client) {
    case SIGNAL_CERTIFICATE: return TA_MODE_MUTUAL;
    case SIGNAL_EMPTY_CERTIFICATE: return TA_MODE_MUTUAL_REQUESTED;
    case SIGNAL_NO_CERTIFICATE: return TA_MODE_ONE_WAY;
    default: return server == 1 ? TA_MODE_MUTUAL_REQUESTED : server == 0 ? TA_MODE_ONE_WAY : TA_MODE_UNKNOWN;
    }
}

static ta_mode classify(const ta_handshake *hs)
{
    if (hs->resumed && hs->server_chain_len < 0 && hs->client_chain_len < 0)
        return TA_MODE_RESUMED;
    if (hs->client_chain_len > 0)
        return TA_MODE_MUTUAL;
    if (hs->cert_requested)
        return TA_MODE_MUTUAL_REQUESTED;
    if (hs->server_chain_len >= 0)
        return TA_MODE_ONE_WAY;
    return hs->encrypted && !hs->resumed ? infer_mode(hs) : TA_MODE_UNKNOWN;
}

/* TLS 1.3 and DTLS 1.3 share the handshake shape that matters here. */
ta_mode ta_handshake_mode(const ta_handshake *hs)
{
    return hs->outcome == TA_OUTCOME_INCOMPLETE ? classify(hs) : hs->mode;
}

static bool is_v13(uint16_t version) { return version == TA_VERSION_TLS13 || version == TA_VERSION_DTLS13; }

static bool handshake_finished(const ta_handshake *hs)
{
    return hs->client_finished && (hs->server_finished || is_v13(hs->version));
}

static ta_drop_reason reason_for_drop(const ta_handshake *hs, ta_role by, bool closed_without_alert)
{
    if (by == TA_CLIENT) {
        if (hs->server_chain_len >= 0 && !hs->client_finished)
            return TA_REASON_CLIENT_REJECTED_SERVER_CERT;
        if (hs->encrypted && !hs->client_finished)
            return TA_REASON_ENCRYPTED_ABORT;
    } else {
        if (hs->client_chain_len > 0)
            return TA_REASON_SERVER_REJECTED_CLIENT_CERT;
        if (hs->cert_requested && (hs->client_chain_len == 0 || hs->client_finished))
            return TA_REASON_SERVER_GOT_NO_CLIENT_CERT;
        if (hs->encrypted && hs->client_finished && !hs->app_data[TA_SERVER])
            return TA_REASON_ENCRYPTED_ABORT;
        if (!hs->frame_server_hello)
            return TA_REASON_REFUSED_HELLO;
    }
    if (handshake_finished(hs) && closed_without_alert)
        return TA_REASON_HUNG_UP_UNUSED;
    return TA_REASON_OTHER;
}

static void decide(ta_conn *conn, ta_handshake *hs, ta_outcome outcome)
{
    if (hs->outcome != TA_OUTCOME_INCOMPLETE)
        return;
    hs->outcome = outcome;
    hs->mode = classify(hs);
    hs->mode_inferred = hs->encrypted && hs->mode != TA_MODE_UNKNOWN && hs->mode != TA_MODE_RESUMED;
    hs->frame_summary = conn->frame;
    ta_note *note = note_for(conn, hs);
    if (note)
        note->is_summary = true;
    if (outcome == TA_OUTCOME_ABORTED) {
        add_remark(conn, hs, TA_REMARK_DROP);
        return;
    }
    static const ta_remark established[] = {
        [TA_MODE_UNKNOWN] = TA_REMARK_ESTABLISHED_UNKNOWN,
        [TA_MODE_ONE_WAY] = TA_REMARK_ESTABLISHED_ONE_WAY,
        [TA_MODE_MUTUAL] = TA_REMARK_ESTABLISHED_MUTUAL,
        [TA_MODE_MUTUAL_REQUESTED] = TA_REMARK_ESTABLISHED_MUTUAL,
        [TA_MODE_RESUMED] = TA_REMARK_ESTABLISHED_RESUMED,
    };
    add_remark(conn, hs, established[hs->mode]);
}

/* A side stops: a fatal alert, or a close (close_notify, an alert nobody can read, FIN, RST). */
static void side_stops(ta_conn *conn, ta_handshake *hs, ta_role by, int how, bool fatal,
                       uint32_t frame)
{
    if (hs->outcome != TA_OUTCOME_INCOMPLETE)
        return;
    if (!fatal && hs->app_data[by]) {
        decide(conn, hs, TA_OUTCOME_COMPLETED); /* a normal end after using the connection */
        return;
    }
    hs->drop_by = by;
    hs->drop_how = how;
    hs->drop_after = hs->last_step;
    hs->frame_drop = frame;
    hs->drop_reason = reason_for_drop(hs, by, !fatal);
    decide(conn, hs, TA_OUTCOME_ABORTED);
}

/* TLS 1.3 without keys: a lone short record followed by a close was an alert after all. */
static void settle_pending_alerts(ta_conn *conn, ta_handshake *hs)
{
    ta_role first = hs->pending_alert_frame[TA_CLIENT] &&
                            (!hs->pending_alert_frame[TA_SERVER] ||
                             hs->pending_alert_frame[TA_CLIENT] <= hs->pending_alert_frame[TA_SERVER])
                        ? TA_CLIENT
                        : TA_SERVER;
    ta_role order[2] = {first, first == TA_CLIENT ? TA_SERVER : TA_CLIENT};
    for (int i = 0; i < 2; i++) {
        uint32_t frame = hs->pending_alert_frame[order[i]];
        hs->pending_alert_frame[order[i]] = 0;
        if (frame)
            side_stops(conn, hs, order[i], TA_DROP_ENCRYPTED_ALERT, false, frame);
    }
}

static void app_data(ta_conn *conn, ta_handshake *hs, ta_role role)
{
    record_step(conn, hs, step_for_role(role, TA_STEP_CLIENT_APPLICATION_DATA,
                                        TA_STEP_SERVER_APPLICATION_DATA));
    hs->app_data[role] = true;
    if (hs->app_data[TA_CLIENT] && hs->app_data[TA_SERVER])
        decide(conn, hs, TA_OUTCOME_COMPLETED);
}

/* ---- events ---------------------------------------------------------------------------- */

static const uint8_t HRR_RANDOM[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

static uint16_t hello_version(const ta_hello *hello)
{
    return hello->supported_version_max ? hello->supported_version_max : hello->legacy_version;
}

static ta_handshake *new_handshake(ta_conn *conn, int client_sender)
{
    if (conn->hs_count == TA_MAX_HANDSHAKES_PER_CONN) {
        conn->refused++;
        return NULL;
    }
    ta_handshake *hs = calloc(1, sizeof *hs);
    if (!hs)
        return NULL;
    hs->index = conn->hs_count;
    hs->sni = NO_SNI;
    hs->client_sender = client_sender;
    hs->drop_by = TA_ROLE_UNKNOWN;
    hs->drop_how = TA_DROP_NONE;
    hs->server_chain_len = -1;
    hs->client_chain_len = -1;
    for (int role = TA_CLIENT; role <= TA_SERVER; role++) {
        hs->chain[role].issuer_listed = -1;
        hs->chain[role].ocsp = -1;
    }
    hs->frame_first = conn->frame;
    conn->hs[conn->hs_count++] = hs;
    return hs;
}

/* TLS 1.3 post-handshake authentication is a second authentication on the connection: it gets
 * a handshake of its own, with its own verdicts. */
static ta_handshake *start_post_handshake_auth(ta_conn *conn, ta_handshake *done)
{
    ta_handshake *pha = new_handshake(conn, done->client_sender);
    if (!pha) {
        add_remark(conn, done, TA_REMARK_TOO_MANY_HANDSHAKES);
        return done;
    }
    pha->post_handshake = true;
    pha->version = done->version;
    pha->cipher_suite = done->cipher_suite;
    pha->client_finished = false;
    pha->server_finished = true;
    pha->frame_server_hello = done->frame_server_hello;
    set_sni(pha, done->sni);
    return pha;
}

static ta_handshake *current(ta_conn *conn)
{
    return conn->hs_count ? conn->hs[conn->hs_count - 1] : NULL;
}

static void on_client_hello(ta_conn *conn, ta_handshake *hs, const ta_event *ev)
{
    /* A second ClientHello belongs to the same handshake after a HelloRetryRequest, or when it
     * repeats one nobody answered; otherwise it starts a new handshake (renegotiation). */
    bool same = hs && hs->client_sender == ev->sender &&
                (hs->hello_retry ? !hs->frame_server_hello || hs->last_step == TA_STEP_HELLO_RETRY_REQUEST
                                 : hs->last_step == TA_STEP_CLIENT_HELLO ||
                                       hs->last_step == TA_STEP_HELLO_VERIFY_REQUEST);
    if (!same) {
        hs = new_handshake(conn, ev->sender);
        if (!hs) {
            ta_handshake *last = current(conn);
            if (last)
                add_remark(conn, last, TA_REMARK_TOO_MANY_HANDSHAKES);
            return;
        }
    }
    if (!hs->frame_client_hello)
        hs->frame_client_hello = conn->frame;
    const ta_hello *hello = ev->hello;
    if (hello) {
        hs->version = hello_version(hello);
        if (hello->sni)
            set_sni(hs, hello->sni);
        hs->session_id_len = hello->session_id && hello->session_id_len <= sizeof hs->session_id
                                 ? hello->session_id_len
                                 : 0;
        if (hs->session_id_len)
            memcpy(hs->session_id, hello->session_id, hs->session_id_len);
        /* TLS 1.3 clients send a random legacy session id for middleboxes: only a ticket or a
         * PSK signals resumption there. */
        hs->offered_resumption = hello->ext_session_ticket || hello->ext_pre_shared_key ||
                                 (hs->session_id_len && !is_v13(hs->version));
        hs->post_handshake_auth_offered = hello->ext_post_handshake_auth;
        hs->status_requested = hello->ext_status_request;
    }
    record_step(conn, hs, TA_STEP_CLIENT_HELLO);
}

static void on_server_hello(ta_conn *conn, ta_handshake *hs, const ta_event *ev)
{
    const ta_hello *hello = ev->hello;
    if (hello && hello->random && !memcmp(hello->random, HRR_RANDOM, sizeof HRR_RANDOM)) {
        hs->hello_retry = true;
        record_step(conn, hs, TA_STEP_HELLO_RETRY_REQUEST);
        return;
    }
    hs->frame_server_hello = conn->frame;
    if (hello) {
        hs->version = hello_version(hello);
        hs->cipher_suite = hello->cipher_suite;
        if (is_v13(hs->version))
            hs->resumed = hello->ext_pre_shared_key;
        else
            hs->resumed = hello->session_id && hs->session_id_len &&
                          hello->session_id_len == hs->session_id_len &&
                          !memcmp(hello->session_id, hs->session_id, hs->session_id_len);
    }
    record_step(conn, hs, TA_STEP_SERVER_HELLO);
}

static void check_chain(ta_conn *conn, ta_handshake *hs, ta_role role, const ta_event *ev)
{
    bool certificates = ev->hs_type == TA_HS_CERTIFICATE && ev->cert_count > 0;
    if (!conn->checker || (!certificates && !ev->ocsp_response))
        return;
    ta_chain_check *check = &hs->chain[role];
    if (certificates) {
        memset(check, 0, sizeof *check);
        check->issuer_listed = -1;
        check->ocsp = -1;
    }
    conn->checker(conn->checker_ctx, hs, role, ev, check);
    if (check->ocsp == TA_OCSP_REVOKED) {
        check->problems |= TA_PROBLEM_BIT(TA_PROBLEM_REVOKED);
        check->verdict = TA_VERDICT_UNTRUSTED;
    }
    check->checked = check->checked || certificates;
}

static void on_handshake(ta_conn *conn, ta_handshake *hs, ta_role role, const ta_event *ev)
{
    ta_step step = step_for_message(role, ev->hs_type);
    switch (step) {
    case TA_STEP_SERVER_CERTIFICATE:
        hs->server_chain_len = ev->cert_count;
        if (!hs->frame_server_cert)
            hs->frame_server_cert = conn->frame;
        check_chain(conn, hs, role, ev);
        break;
    case TA_STEP_CLIENT_CERTIFICATE:
        hs->client_chain_len = ev->cert_count;
        if (!hs->frame_client_cert)
            hs->frame_client_cert = conn->frame;
        check_chain(conn, hs, role, ev);
        break;
    case TA_STEP_CERTIFICATE_STATUS:
        check_chain(conn, hs, role, ev);
        break;
    case TA_STEP_CERTIFICATE_REQUEST:
        hs->cert_requested = true;
        if (!hs->frame_cert_request)
            hs->frame_cert_request = conn->frame;
        break;
    case TA_STEP_SERVER_FINISHED:
        hs->server_finished = true;
        break;
    case TA_STEP_CLIENT_FINISHED:
        hs->client_finished = true;
        hs->client_flight_complete = true; /* read, not guessed: what follows is data */
        break;
    default:
        break;
    }
    record_step_detail(conn, hs, step, ev->cert_count);
}

/* A TLS 1.3 Finished record: 4 bytes of header, a SHA-256 or SHA-384 MAC, the inner type, the tag. */
static bool finished_sized(uint32_t length) { return length == 4 + 32 + 1 + 16 || length == 4 + 48 + 1 + 16; }

/* TLS 1.3 records that cannot be decrypted: only their direction, order and size remain. */
static void on_opaque_record(ta_conn *conn, ta_handshake *hs, ta_role role, const ta_event *ev)
{
    if (!is_v13(hs->version) || !hs->frame_server_hello) {
        app_data(conn, hs, role);
        return;
    }
    bool short_record = ev->record_length == TA_ENCRYPTED_ALERT_LEN;
    /* A short record followed by a longer one was data; two alerts in a row keep the first. */
    if (!short_record)
        hs->pending_alert_frame[role] = 0;
    else if (hs->pending_alert_frame[role])
        return;
    if (role == TA_SERVER && !hs->frame_client_flight) {
        hs->encrypted = hs->encrypted || !hs->server_finished;
        if (hs->server_flight_records < UINT8_MAX)
            hs->server_flight_records++;
        record_step(conn, hs, TA_STEP_SERVER_ENCRYPTED_HANDSHAKE);
        return;
    }
    if (role == TA_CLIENT && !hs->client_flight_complete && !(short_record && !hs->frame_client_flight)) {
        /* The client's flight is its first encrypted frame, up to a Finished-sized record. */
        hs->frame_client_flight = conn->frame;
        hs->client_finished = true;
        hs->client_flight_complete = finished_sized(ev->record_length);
        if (hs->client_flight_records < sizeof hs->client_flight_len / sizeof *hs->client_flight_len)
            hs->client_flight_len[hs->client_flight_records] = ev->record_length;
        if (hs->client_flight_records < UINT8_MAX)
            hs->client_flight_records++;
        record_step(conn, hs, TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE);
        return;
    }
    if (short_record) {
        hs->pending_alert_frame[role] = conn->frame;
        return;
    }
    /* After the client's flight the server's first records are usually NewSessionTicket:
     * count server records as data only once the client has used the connection. */
    if (role == TA_SERVER && !hs->app_data[TA_CLIENT]) {
        record_step(conn, hs, TA_STEP_SERVER_ENCRYPTED_HANDSHAKE);
        return;
    }
    app_data(conn, hs, role);
}

static void on_change_cipher_spec(ta_conn *conn, ta_handshake *hs, ta_role role)
{
    hs->change_cipher_spec[role] = true;
    /* A TLS 1.2 server that changes cipher before any certificate or ServerHelloDone is
     * resuming a session (session id or ticket). */
    if (role == TA_SERVER && !is_v13(hs->version) && hs->server_chain_len < 0 &&
        hs->last_step != TA_STEP_SERVER_HELLO_DONE && hs->frame_server_hello && !hs->client_finished)
        hs->resumed = true;
    record_step(conn, hs, step_for_role(role, TA_STEP_CLIENT_CHANGE_CIPHER_SPEC,
                                        TA_STEP_SERVER_CHANGE_CIPHER_SPEC));
}

/* TLS <= 1.2 renegotiation without keys: the new handshake is encrypted under the old one's
 * keys. It is a handshake of its own, whose messages nobody can read. */
static ta_handshake *start_encrypted_renegotiation(ta_conn *conn, ta_handshake *done)
{
    ta_handshake *again = new_handshake(conn, done->client_sender);
    if (!again) {
        add_remark(conn, done, TA_REMARK_TOO_MANY_HANDSHAKES);
        return done;
    }
    again->version = done->version;
    again->cipher_suite = done->cipher_suite;
    again->encrypted = true;
    again->frame_server_hello = done->frame_server_hello;
    set_sni(again, done->sni);
    return again;
}

static void on_encrypted_handshake(ta_conn *conn, ta_handshake *hs, ta_role role)
{
    if (!is_v13(hs->version)) {
        bool *finished = role == TA_CLIENT ? &hs->client_finished : &hs->server_finished;
        /* Without keys, the record after a side's ChangeCipherSpec is its Finished; one more
         * handshake record after a finished handshake opens a renegotiation. */
        if (hs->change_cipher_spec[role] && !*finished)
            *finished = true;
        else if (*finished && handshake_finished(hs))
            hs = start_encrypted_renegotiation(conn, hs);
    }
    record_step(conn, hs, step_for_role(role, TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE,
                                        TA_STEP_SERVER_ENCRYPTED_HANDSHAKE));
}

static void on_alert(ta_conn *conn, ta_handshake *hs, ta_role role, const ta_event *ev)
{
    record_step_detail(conn, hs, step_for_role(role, TA_STEP_CLIENT_ALERT, TA_STEP_SERVER_ALERT), ev->alert_desc);
    bool closure = ev->alert_desc == TA_ALERT_CLOSE_NOTIFY || ev->alert_desc == TA_ALERT_USER_CANCELED;
    if (!closure && ev->alert_level == 1) {
        add_remark(conn, hs, TA_REMARK_WARNING_ALERT); /* e.g. unrecognized_name: not a drop */
        return;
    }
    side_stops(conn, hs, role, ev->alert_desc, !closure, conn->frame);
}

void ta_conn_feed(ta_conn *conn, const ta_event *ev)
{
    if (!conn || !ev || (ev->sender != 0 && ev->sender != 1))
        return;
    ta_handshake *hs = current(conn);
    if (ev->kind == TA_EV_HANDSHAKE && ev->hs_type == TA_HS_CLIENT_HELLO) {
        on_client_hello(conn, hs, ev);
        return;
    }
    if ((!hs || hs->not_captured) && ev->kind == TA_EV_HANDSHAKE && ev->hs_type == TA_HS_SERVER_HELLO)
        hs = new_handshake(conn, !ev->sender); /* the ClientHello was not captured */
    if (hs && ev->kind == TA_EV_HANDSHAKE && ev->hs_type == TA_HS_CERTIFICATE_REQUEST &&
        is_v13(hs->version) && hs->client_finished && ev->sender != hs->client_sender)
        hs = start_post_handshake_auth(conn, hs);
    if (!hs) {
        /* The capture began mid-connection: one handshake stands for it, and the direction
         * is never guessed. FIN and RST alone say nothing about TLS. */
        if (ev->kind == TA_EV_FIN || ev->kind == TA_EV_RST || !(hs = new_handshake(conn, -1)))
            return;
        hs->not_captured = true;
    }
    if (hs->not_captured) {
        record_step(conn, hs, TA_STEP_UNCAPTURED_RECORD);
        return;
    }
    ta_role role = ev->sender == hs->client_sender ? TA_CLIENT : TA_SERVER;
    switch (ev->kind) {
    case TA_EV_HANDSHAKE:
        if (ev->hs_type == TA_HS_SERVER_HELLO && role == TA_SERVER)
            on_server_hello(conn, hs, ev);
        else
            on_handshake(conn, hs, role, ev);
        break;
    case TA_EV_ENCRYPTED_HANDSHAKE:
        on_encrypted_handshake(conn, hs, role);
        break;
    case TA_EV_CHANGE_CIPHER_SPEC:
        on_change_cipher_spec(conn, hs, role);
        break;
    case TA_EV_ALERT:
        on_alert(conn, hs, role, ev);
        break;
    case TA_EV_ENCRYPTED_ALERT:
        record_step_detail(conn, hs, step_for_role(role, TA_STEP_CLIENT_ALERT, TA_STEP_SERVER_ALERT),
                           TA_DROP_ENCRYPTED_ALERT);
        side_stops(conn, hs, role, TA_DROP_ENCRYPTED_ALERT, false, conn->frame);
        break;
    case TA_EV_APP_DATA:
        app_data(conn, hs, role);
        break;
    case TA_EV_OPAQUE_RECORD:
        on_opaque_record(conn, hs, role, ev);
        break;
    case TA_EV_FIN:
    case TA_EV_RST:
        settle_pending_alerts(conn, hs);
        record_step_detail(conn, hs, step_for_role(role, TA_STEP_CLIENT_CLOSE, TA_STEP_SERVER_CLOSE),
                           ev->kind == TA_EV_FIN ? TA_DROP_FIN : TA_DROP_RST);
        side_stops(conn, hs, role, ev->kind == TA_EV_FIN ? TA_DROP_FIN : TA_DROP_RST, false,
                   conn->frame);
        break;
    }
}

unsigned ta_conn_end_frame(ta_conn *conn, ta_frame_result *out)
{
    for (unsigned i = 0; i < cur.note_count; i++) {
        ta_note *note = &cur.notes[i];
        ta_handshake *hs = conn->hs[note->hs_index];
        if (hs->frame_client_flight == conn->frame)
            hs->client_flight_complete = true; /* a flight is one frame at most */
        note->mode_so_far = (uint8_t)(hs->outcome == TA_OUTCOME_INCOMPLETE ? classify(hs) : hs->mode);
    }
    if (out)
        *out = cur;
    unsigned count = cur.note_count;
    cur.note_count = 0;
    return count;
}

/* ---- explanations ---------------------------------------------------------------------- */

static const char *side_name(ta_role role) { return role == TA_CLIENT ? "client" : "server"; }

static void describe_how(const ta_handshake *hs, char *buf, size_t size)
{
    switch (hs->drop_how) {
    case TA_DROP_FIN: snprintf(buf, size, "a TCP FIN and no alert"); break;
    case TA_DROP_RST: snprintf(buf, size, "a TCP RST and no alert"); break;
    case TA_DROP_ENCRYPTED_ALERT: snprintf(buf, size, "an encrypted alert"); break;
    default: {
        const alert_info *info = alert_info_of(hs->drop_how);
        if (info)
            snprintf(buf, size, "alert %s (%s)", info->name, info->meaning);
        else
            snprintf(buf, size, "alert %d", hs->drop_how);
    }
    }
}

static ta_purpose purpose_of(ta_role chain_role)
{
    return chain_role == TA_SERVER ? TA_PURPOSE_SERVER : TA_PURPOSE_CLIENT;
}

/* The first problem that makes a chain untrusted (warnings last). */
static ta_problem main_problem(ta_problem_set problems)
{
    for (int pass = 0; pass < 2; pass++)
        for (int p = 0; p < TA_PROBLEM_COUNT; p++)
            if ((problems & TA_PROBLEM_BIT(p)) && (pass == 1 || !(TA_PROBLEMS_SOFT & TA_PROBLEM_BIT(p))))
                return (ta_problem)p;
    return TA_PROBLEM_COUNT;
}

/* How tlsauth's own validation of a chain relates to what a peer did with it. */
static void append_chain_opinion(const ta_handshake *hs, ta_role chain_role, bool rejected, char *buf,
                                 size_t size)
{
    const ta_chain_check *check = &hs->chain[chain_role];
    size_t len = strlen(buf);
    if (!check->checked || len + 1 >= size)
        return;
    const char *peer = chain_role == TA_SERVER ? "client" : "server";
    const char *whose = chain_role == TA_SERVER ? "server's" : "client's";
    char problems[160];
    ta_problems_join(check->problems, problems, sizeof problems);
    ta_problem first = main_problem(check->problems);
    const char *why = first < TA_PROBLEM_COUNT ? ta_problem_explanation_for(first, purpose_of(chain_role)) : "";
    if (check->verdict == TA_VERDICT_UNTRUSTED)
        snprintf(buf + len, size - len,
                 rejected ? " tlsauth agrees: the %s chain is untrusted by your CA store (%s): %s."
                          : " Note: tlsauth finds the %s chain untrusted by your CA store (%s): %s.",
                 whose, problems, why);
    else if (check->verdict == TA_VERDICT_TRUSTED && rejected)
        snprintf(buf + len, size - len,
                 " The %s chain is trusted by your CA store, so tlsauth disagrees: the %s trusts a different "
                 "set of CAs, or checks something else (revocation, a pinned key, a policy).",
                 whose, peer);
    else if (check->verdict == TA_VERDICT_NOT_CHECKED && rejected)
        snprintf(buf + len, size - len,
                 " tlsauth could not validate the %s chain: no CA store is configured, or one that was named "
                 "could not be loaded (tlsauth.chain.reason says which).",
                 whose);
    len = strlen(buf);
    if (chain_role == TA_CLIENT && rejected && check->issuer_listed == 0 && len + 1 < size)
        snprintf(buf + len, size - len,
                 " The client certificate's issuer is not among the CA names the server listed in its "
                 "CertificateRequest: this alone explains the server's rejection.");
}

void ta_explain_drop(const ta_handshake *hs, char *buf, size_t size)
{
    char how[200];
    describe_how(hs, how, sizeof how);
    const char *by = side_name(hs->drop_by);
    bool silent = hs->drop_how == TA_DROP_FIN || hs->drop_how == TA_DROP_RST;
    switch (hs->drop_reason) {
    case TA_REASON_CLIENT_REJECTED_SERVER_CERT:
        if (!silent)
            snprintf(buf, size, "The client rejected the server's certificate (frame %u) with %s, in frame %u.",
                     hs->frame_server_cert, how, hs->frame_drop);
        else
            snprintf(buf, size,
                     "The client closed the connection in frame %u right after the server's Certificate "
                     "(frame %u) with %s: most likely the client did not trust the chain.",
                     hs->frame_drop, hs->frame_server_cert, how);
        break;
    case TA_REASON_SERVER_GOT_NO_CLIENT_CERT:
        if (hs->client_chain_len == 0)
            snprintf(buf, size,
                     "The server required a client certificate (CertificateRequest in frame %u) and the "
                     "client sent an empty Certificate (frame %u): the server dropped the handshake in "
                     "frame %u with %s.",
                     hs->frame_cert_request, hs->frame_client_cert, hs->frame_drop, how);
        else
            snprintf(buf, size,
                     "The server required a client certificate (CertificateRequest in frame %u) and the "
                     "client sent none: the server dropped the handshake in frame %u with %s.",
                     hs->frame_cert_request, hs->frame_drop, how);
        break;
    case TA_REASON_SERVER_REJECTED_CLIENT_CERT:
        snprintf(buf, size,
                 "The server rejected the client's certificate (frame %u, chain of %d) with %s, in frame %u.",
                 hs->frame_client_cert, hs->client_chain_len, how, hs->frame_drop);
        break;
    case TA_REASON_HUNG_UP_UNUSED:
        snprintf(buf, size,
                 "The %s completed the handshake and then hung up in frame %u (%s) without sending any "
                 "application data: it did not want to use the connection. A client that checks the host "
                 "name only after the handshake (as curl does) behaves like this when the name does not "
                 "match the server's certificate.",
                 by, hs->frame_drop, how);
        break;
    case TA_REASON_REFUSED_HELLO:
        snprintf(buf, size,
                 "The server refused the ClientHello (frame %u) with %s in frame %u, before any "
                 "certificate was exchanged: no common version or cipher suite, or a policy refusal.",
                 hs->frame_client_hello, how, hs->frame_drop);
        break;
    case TA_REASON_ENCRYPTED_ABORT:
        snprintf(buf, size,
                 "The %s aborted the encrypted TLS 1.3 handshake with %s in frame %u, after the %s's "
                 "encrypted flight. %s Supply the TLS key log (-o tls.keylog_file:FILE) to see %s.",
                 by, how, hs->frame_drop, side_name(hs->drop_by == TA_CLIENT ? TA_SERVER : TA_CLIENT),
                 hs->drop_by == TA_CLIENT
                     ? "A client usually does this when it rejects the server's certificate."
                     : "A server usually does this when the client's certificate is missing or rejected.",
                 hs->drop_how == TA_DROP_ENCRYPTED_ALERT ? "the alert and the certificates" : "the certificates");
        break;
    default:
        snprintf(buf, size, "The %s dropped the handshake in frame %u with %s, after the %s.", by,
                 hs->frame_drop, how, ta_step_label(hs->drop_after));
        break;
    }
    if (hs->drop_reason == TA_REASON_CLIENT_REJECTED_SERVER_CERT)
        append_chain_opinion(hs, TA_SERVER, true, buf, size);
    else if (hs->drop_reason == TA_REASON_SERVER_REJECTED_CLIENT_CERT)
        append_chain_opinion(hs, TA_CLIENT, true, buf, size);
}

/* "a chain of 2 (frame 6)", or that the capture lacks it (a lost packet or DTLS fragment). */
static const char *server_chain_text(const ta_handshake *hs, char *buf, size_t size)
{
    if (hs->frame_server_cert)
        snprintf(buf, size, "a chain of %d (frame %u)", hs->server_chain_len, hs->frame_server_cert);
    else
        snprintf(buf, size, "a Certificate that is not in the capture");
    return buf;
}

void ta_explain_established(const ta_handshake *hs, char *buf, size_t size)
{
    char server_chain[64];
    if (hs->mode_inferred) {
        snprintf(buf, size,
                 "TLS established; the handshake is encrypted (TLS 1.3 without keys) and its mode, %s, is "
                 "inferred from record sizes, not read.",
                 ta_mode_token(hs->mode));
        return;
    }
    switch (hs->mode) {
    case TA_MODE_MUTUAL:
        if (hs->post_handshake)
            snprintf(buf, size,
                     "Post-handshake authentication succeeded: after the handshake the server asked for a "
                     "client certificate (frame %u) and the client presented a chain of %d (frame %u).",
                     hs->frame_cert_request, hs->client_chain_len, hs->frame_client_cert);
        else
            snprintf(buf, size, "Mutual TLS established: the server presented %s and the client a chain of %d (frame %u).",
                     server_chain_text(hs, server_chain, sizeof server_chain), hs->client_chain_len,
                     hs->frame_client_cert);
        break;
    case TA_MODE_MUTUAL_REQUESTED:
        snprintf(buf, size,
                 "TLS established although the client sent no certificate for the server's request "
                 "(frame %u): the server accepted an anonymous client.",
                 hs->frame_cert_request);
        break;
    case TA_MODE_ONE_WAY:
        snprintf(buf, size, "One-way TLS established: only the server proved who it is, with %s.",
                 server_chain_text(hs, server_chain, sizeof server_chain));
        break;
    case TA_MODE_RESUMED:
        if (hs->resumed_from) {
            const ta_handshake *from = hs->resumed_from;
            const char *client = from->chain[TA_CLIENT].leaf_subject;
            snprintf(buf, size,
                     "Resumed TLS session established: no certificates were exchanged; it resumed the session "
                     "of the handshake in frame %u: %s%s%s.",
                     from->frame_client_hello, ta_mode_token(from->mode), client[0] ? ", client " : "", client);
        } else {
            snprintf(buf, size,
                     "Resumed TLS session established: no certificates were exchanged; authentication "
                     "happened in the original handshake, which tlsauth could not find (not in the capture, or "
                     "its ticket was encrypted: TLS 1.3 without keys).");
        }
        break;
    default:
        snprintf(buf, size,
                 "TLS established, but the handshake is encrypted (TLS 1.3, or a renegotiation) and nothing visible says "
                 "whether the client presented a certificate: mode unknown. Supply the key log with "
                 "-o tls.keylog_file:FILE (or inject it with editcap --inject-secrets) to decide.");
        break;
    }
    append_chain_opinion(hs, TA_SERVER, false, buf, size);
    append_chain_opinion(hs, TA_CLIENT, false, buf, size);
}

void ta_explain_incomplete(const ta_handshake *hs, char *buf, size_t size)
{
    if (hs->not_captured)
        snprintf(buf, size,
                 "The handshake of this connection is not in the capture (it began before the capture "
                 "started, frames %u to %u): tlsauth cannot tell which side is the client, nor how they "
                 "authenticated.",
                 hs->frame_first, hs->frame_last);
    else
        snprintf(buf, size, "The capture ends before this handshake's outcome is known (last frame %u, after the %s).",
                 hs->frame_last, ta_step_label(hs->last_step));
}

void ta_explain_inference(const ta_handshake *hs, char *buf, size_t size)
{
    if (!is_v13(hs->version)) {
        snprintf(buf, size,
                 "This renegotiation is encrypted under the first handshake's keys: without the key log "
                 "(-o tls.keylog_file:FILE), tlsauth sees neither its certificates nor whether a client "
                 "certificate was requested.");
        return;
    }
    static const char *const SERVER[] = {"4 records (no CertificateRequest when one message goes per record)",
                                         "5 records (a CertificateRequest when one message goes per record)"};
    static const char *const CLIENT[] = {"only a Finished: no Certificate at all",
                                         "an empty Certificate (25 bytes) and a Finished",
                                         "a Certificate and a CertificateVerify before the Finished"};
    int server = server_signal(hs), client = client_signal(hs);
    char server_text[120], client_text[120];
    if (server == SIGNAL_NONE)
        snprintf(server_text, sizeof server_text, "%u records, which says nothing", hs->server_flight_records);
    else
        snprintf(server_text, sizeof server_text, "%s", SERVER[server]);
    if (client == SIGNAL_NONE)
        snprintf(client_text, sizeof client_text, "%s",
                 hs->client_flight_records ? "of sizes that say nothing" : "not seen");
    else
        snprintf(client_text, sizeof client_text, "%s", CLIENT[client]);
    ta_mode mode = infer_mode(hs);
    snprintf(buf, size,
             "%s The server's encrypted flight had %s; the client's flight was %s.%s Confirm with the TLS key "
             "log (-o tls.keylog_file:FILE).",
             mode == TA_MODE_UNKNOWN ? "Record sizes do not decide the mode (or disagree): left unknown."
                                     : "Mode inferred from the encrypted record sizes, not read.",
             server_text, client_text,
             hs->post_handshake_auth_offered ? " The client offered post-handshake authentication: a "
                                               "certificate may also be requested later, unseen without keys."
                                             : "");
}

const char *ta_explain_story_step(const ta_story_step *line, char *buf, size_t size)
{
    const step_info *info = step_info_of(line->step);
    switch (line->step) {
    case TA_STEP_SERVER_CERTIFICATE:
    case TA_STEP_CLIENT_CERTIFICATE:
        if (line->detail == 0)
            snprintf(buf, size, "%s: empty (no certificate to offer)", info->label);
        else
            snprintf(buf, size, "%s: chain of %d (%s)", info->label, line->detail, info->meaning);
        break;
    case TA_STEP_CLIENT_ALERT:
    case TA_STEP_SERVER_ALERT: {
        const alert_info *alert = line->detail < 256 ? alert_info_of(line->detail) : NULL;
        if (alert)
            snprintf(buf, size, "%s: %s (%s)", info->label, alert->name, alert->meaning);
        else
            snprintf(buf, size, "%s: %s", info->label,
                     line->detail == TA_DROP_ENCRYPTED_ALERT ? "encrypted, cannot be read without keys"
                                                             : "unassigned alert");
        break;
    }
    case TA_STEP_CLIENT_CLOSE:
    case TA_STEP_SERVER_CLOSE:
        snprintf(buf, size, "%s (%s)", info->label, line->detail == TA_DROP_RST ? "RST" : "FIN");
        break;
    default:
        return info->meaning[0] ? info->text : info->label;
    }
    return buf;
}
