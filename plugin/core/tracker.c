/* tlsauth handshake tracker: the state machine, events in, notes and verdicts out. See
 * include/tlsauth/tracker.h; the steps as data and the tokens are tracker_steps.c, the words
 * tracker_explain.c. */
#include "tracker_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An encrypted TLS 1.3 alert: 2 bytes of alert, 1 of inner type, 16 of AEAD tag. */
#define TA_ENCRYPTED_ALERT_LEN 19

struct ta_conn {
    ta_conn_id id;
    ta_chains chains;
    ta_sessions *sessions;
    const ta_handshake *resume_candidate; /* issuer of a session the latest ClientHello offered */
    bool psk_external_offered;            /* the latest ClientHello offered external PSKs only */
    ta_handshake *hs[TA_MAX_HANDSHAKES_PER_CONN];
    unsigned hs_count;
    unsigned refused;
    uint32_t frame;
    int64_t frame_time;
    ta_frame_result *out; /* the notes of the frame being fed, the caller's; NULL: not kept */
};

static bool is_handshake_step(ta_step step)
{
    return step != TA_STEP_NONE && step < TA_STEP_CLIENT_APPLICATION_DATA;
}

static ta_step step_for_role(ta_role role, ta_step client_step, ta_step server_step)
{
    return role == TA_CLIENT ? client_step : server_step;
}


/* ---- connection and notes -------------------------------------------------------------- */

ta_conn *ta_conn_new(ta_conn_id id, const ta_verifier *verifier, ta_sessions *sessions)
{
    ta_conn *conn = calloc(1, sizeof(ta_conn));
    if (!conn)
        return NULL;
    conn->id = id;
    if (verifier)
        conn->chains.verifier = *verifier;
    conn->sessions = sessions;
    return conn;
}

ta_conn_id ta_conn_identity(const ta_conn *conn) { return conn->id; }

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
    ta__proof_free(hs);
    ta__der_list_clear(&hs->ca_names);
    free(hs->story);
    free(hs);
}

void ta_conn_free(ta_conn *conn)
{
    if (!conn)
        return;
    for (unsigned i = 0; i < conn->hs_count; i++)
        free_handshake(conn->hs[i]);
    ta__chains_free(&conn->chains);
    free(conn);
}

unsigned ta_conn_handshake_count(const ta_conn *conn) { return conn->hs_count; }
unsigned ta_conn_dropped_handshakes(const ta_conn *conn) { return conn->refused; }


const ta_handshake *ta_conn_handshake(const ta_conn *conn, unsigned index)
{
    return index < conn->hs_count ? conn->hs[index] : NULL;
}

void ta_conn_begin_frame(ta_conn *conn, uint32_t frame, int64_t frame_time, ta_frame_result *out)
{
    conn->frame = frame;
    conn->frame_time = frame_time;
    conn->out = out;
    if (out)
        out->note_count = 0;
}

static ta_note *note_for(ta_conn *conn, const ta_handshake *hs)
{
    ta_frame_result *r = conn->out;
    if (!r)
        return NULL;
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
    const step_info *info = ta__step_info(step);
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

/* The mode as far as the handshake went; *inferred: only from encrypted record sizes, not read. */
static ta_mode classify_how(const ta_handshake *hs, bool *inferred)
{
    *inferred = false;
    if (hs->resumed && hs->server_chain_len < 0 && hs->client_chain_len < 0)
        return TA_MODE_RESUMED;
    if (hs->psk && hs->server_chain_len < 0 && hs->client_chain_len < 0)
        return TA_MODE_PSK;
    if (hs->client_chain_len > 0)
        return TA_MODE_MUTUAL;
    if (hs->cert_requested)
        return TA_MODE_MUTUAL_REQUESTED;
    if (hs->server_chain_len >= 0)
        return TA_MODE_ONE_WAY;
    if (!hs->encrypted || hs->resumed)
        return TA_MODE_UNKNOWN;
    ta_mode mode = ta__infer_mode(hs);
    *inferred = mode != TA_MODE_UNKNOWN;
    return mode;
}

static ta_mode classify(const ta_handshake *hs)
{
    bool inferred;
    return classify_how(hs, &inferred);
}

/* TLS 1.3 and DTLS 1.3 share the handshake shape that matters here. */
ta_mode ta_handshake_mode(const ta_handshake *hs)
{
    return hs->outcome == TA_OUTCOME_INCOMPLETE ? classify(hs) : hs->mode;
}


bool ta_handshake_mode_inferred(const ta_handshake *hs)
{
    if (hs->outcome != TA_OUTCOME_INCOMPLETE)
        return hs->mode_inferred;
    bool inferred;
    classify_how(hs, &inferred);
    return inferred;
}

static bool handshake_finished(const ta_handshake *hs)
{
    return hs->client_finished && (hs->server_finished || ta__is_v13(hs->version));
}

static ta_drop_reason reason_for_drop(const ta_handshake *hs, ta_role by, bool closed_without_alert)
{
    if (ta__alert_judges_no_certificate(hs->drop_how))
        return TA_REASON_OTHER;
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
    hs->mode = classify_how(hs, &hs->mode_inferred); /* a PSK read from the ServerHello is not inferred */
    hs->frame_summary = conn->frame;
    ta__proof_settled(hs);
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
        [TA_MODE_PSK] = TA_REMARK_ESTABLISHED_PSK,
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

/* Both sides used the connection: each accepted the other. In a full TLS <= 1.2 handshake the
 * server's Finished, after the client's flight, already says the server accepted it, so the
 * client's data is enough. (TLS 1.3 servers may still reject after their Finished.) */
static void app_data(ta_conn *conn, ta_handshake *hs, ta_role role)
{
    record_step(conn, hs, step_for_role(role, TA_STEP_CLIENT_APPLICATION_DATA,
                                        TA_STEP_SERVER_APPLICATION_DATA));
    hs->app_data[role] = true;
    if ((hs->app_data[TA_CLIENT] && hs->app_data[TA_SERVER]) ||
        (role == TA_CLIENT && hs->server_finished_last && !ta__is_v13(hs->version)))
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

static ta_handshake *current(ta_conn *conn)
{
    return conn->hs_count ? conn->hs[conn->hs_count - 1] : NULL;
}

/* A new handshake on the connection ends the one before it: completed when both Finished
 * messages were exchanged (renegotiation and post-handshake authentication need them). */
static const ta_handshake *settle_previous(ta_conn *conn)
{
    ta_handshake *prev = current(conn);
    if (!prev || prev->not_captured)
        return NULL;
    if (prev->outcome == TA_OUTCOME_INCOMPLETE && handshake_finished(prev))
        decide(conn, prev, TA_OUTCOME_COMPLETED);
    return prev->outcome == TA_OUTCOME_COMPLETED ? prev : NULL;
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
    hs->renegotiates = settle_previous(conn);
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
    ta__proof_post_handshake(pha, done);
    return pha;
}

/* The issuer of the first session a ClientHello offers that a server issued earlier. */
static void offered_sessions(ta_conn *conn, const ta_hello *hello)
{
    const ta_der session_id = {hello->session_id, hello->session_id_len};
    const ta_handshake *origin = ta__sessions_lookup(conn->sessions, 'i', &session_id);
    if (!origin)
        origin = ta__sessions_lookup(conn->sessions, 't', &hello->ticket);
    for (unsigned i = 0; !origin && hello->psk_identities && i < hello->psk_identity_count; i++)
        origin = ta__sessions_lookup(conn->sessions, 't', &hello->psk_identities[i]);
    conn->resume_candidate = origin;
}

/* A ClientHello split over records shows nothing readable in the records before the one that
 * completes it, which look like a record of a connection whose handshake was not captured: one
 * such record right before the ClientHello was its beginning. */
static bool began_this_hello(const ta_handshake *hs)
{
    return hs && hs->not_captured && hs->index == 0 && hs->frame_first == hs->frame_last && hs->story_len == 1 &&
           !hs->history[0];
}

static void on_client_hello(ta_conn *conn, ta_handshake *hs, const ta_event *ev)
{
    conn->resume_candidate = NULL; /* a new hello offers its own sessions, if any */
    bool began = began_this_hello(hs);
    if (began) {
        hs->not_captured = false;
        hs->client_sender = ev->sender;
        hs->story_len = 0;
        hs->last_step = TA_STEP_NONE;
    }
    /* A second ClientHello belongs to the same handshake after a HelloRetryRequest, or when it
     * repeats one nobody answered; otherwise it starts a new handshake (renegotiation). */
    bool same = began || (hs && hs->client_sender == ev->sender &&
                (hs->hello_retry ? !hs->frame_server_hello || hs->last_step == TA_STEP_HELLO_RETRY_REQUEST
                                 : hs->last_step == TA_STEP_CLIENT_HELLO ||
                                       hs->last_step == TA_STEP_HELLO_VERIFY_REQUEST));
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
                                 (hs->session_id_len && !ta__is_v13(hs->version));
        hs->post_handshake_auth_offered = hello->ext_post_handshake_auth;
        hs->status_requested = hello->ext_status_request;
        offered_sessions(conn, hello);
        conn->psk_external_offered = hello->ext_pre_shared_key && hello->psk_external;
    }
    record_step(conn, hs, TA_STEP_CLIENT_HELLO);
    ta__proof_message(&conn->chains, hs, TA_CLIENT, ev, conn->frame);
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
        /* TLS 1.3: a PSK the server issued is a resumption; one configured out of band is an
         * authentication of its own. TLS 1.2: the suite says whether a PSK authenticates. */
        if (ta__is_v13(hs->version)) {
            hs->psk = hello->ext_pre_shared_key && conn->psk_external_offered && !conn->resume_candidate;
            hs->resumed = hello->ext_pre_shared_key && !hs->psk;
        } else {
            hs->psk = ta__psk_only_suite(hello->cipher_suite);
            hs->resumed = hello->session_id && hs->session_id_len &&
                          hello->session_id_len == hs->session_id_len &&
                          !memcmp(hello->session_id, hs->session_id, hs->session_id_len);
        }
        const ta_der session_id = {hello->session_id, hello->session_id_len};
        ta__sessions_issued(conn->sessions, 'i', &session_id, hs);
    }
    if (hs->resumed && conn->resume_candidate && conn->resume_candidate != hs)
        hs->resumed_from = conn->resume_candidate;
    conn->resume_candidate = NULL;
    record_step(conn, hs, TA_STEP_SERVER_HELLO);
}

static void on_handshake(ta_conn *conn, ta_handshake *hs, ta_role role, const ta_event *ev)
{
    ta_step step = ta__step_for_message(role, ev->hs_type);
    switch (step) {
    case TA_STEP_SERVER_CERTIFICATE:
        hs->server_chain_len = ev->cert_count;
        if (!hs->frame_server_cert)
            hs->frame_server_cert = conn->frame;
        ta__chains_certificate(&conn->chains, hs, role, ev, conn->frame_time);
        break;
    case TA_STEP_CLIENT_CERTIFICATE:
        hs->client_chain_len = ev->cert_count;
        if (!hs->frame_client_cert)
            hs->frame_client_cert = conn->frame;
        ta__chains_certificate(&conn->chains, hs, role, ev, conn->frame_time);
        break;
    case TA_STEP_CERTIFICATE_STATUS:
        ta__chains_status(&conn->chains, hs, ev, conn->frame_time);
        break;
    case TA_STEP_CERTIFICATE_REQUEST:
        hs->cert_requested = true;
        if (!hs->frame_cert_request)
            hs->frame_cert_request = conn->frame;
        ta__chains_request(hs, ev);
        break;
    case TA_STEP_SERVER_HELLO_DONE:
        ta__chains_flight_done(&conn->chains);
        break;
    case TA_STEP_NEW_SESSION_TICKET:
        ta__sessions_issued(conn->sessions, 't', &ev->ticket, hs);
        break;
    case TA_STEP_SERVER_FINISHED:
        hs->server_finished = true;
        hs->server_finished_last = hs->client_finished;
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


/* TLS 1.3 records that cannot be decrypted: only their direction, order and size remain. */
static void on_opaque_record(ta_conn *conn, ta_handshake *hs, ta_role role, const ta_event *ev)
{
    if (!ta__is_v13(hs->version) || !hs->frame_server_hello) {
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
        hs->client_flight_complete = ta__finished_sized(ev->record_length);
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
    if (role == TA_SERVER && !ta__is_v13(hs->version) && hs->server_chain_len < 0 &&
        hs->last_step != TA_STEP_SERVER_HELLO_DONE && hs->frame_server_hello && !hs->client_finished)
        hs->resumed = true;
    ta__proof_change_cipher_spec(hs, role, conn->frame);
    /* detail 1: TLS 1.3's, a no-op for middleboxes (encryption began after the ServerHello) */
    record_step_detail(conn, hs, step_for_role(role, TA_STEP_CLIENT_CHANGE_CIPHER_SPEC,
                                               TA_STEP_SERVER_CHANGE_CIPHER_SPEC), ta__is_v13(hs->version));
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
    if (!ta__is_v13(hs->version)) {
        /* Before a side's ChangeCipherSpec its records are plaintext: one without a readable
         * message holds a fragment of a message a later record completes. */
        if (!hs->change_cipher_spec[role] && !hs->server_finished)
            return;
        bool *finished = role == TA_CLIENT ? &hs->client_finished : &hs->server_finished;
        /* Without keys, the record after a side's ChangeCipherSpec is its Finished; one more
         * handshake record after a finished handshake opens a renegotiation. */
        if (hs->change_cipher_spec[role] && !*finished) {
            *finished = true;
            hs->server_finished_last = role == TA_SERVER && hs->client_finished;
        }
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
        ta__is_v13(hs->version) && hs->client_finished && ev->sender != hs->client_sender)
        hs = start_post_handshake_auth(conn, hs);
    if (!hs) {
        /* The capture began mid-connection: one handshake stands for it, and the direction
         * is never guessed. FIN and RST alone say nothing about TLS. */
        if (ev->kind == TA_EV_CLOSE || !(hs = new_handshake(conn, -1)))
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
        ta__proof_message(&conn->chains, hs, role, ev, conn->frame);
        break;
    case TA_EV_ENCRYPTED_HANDSHAKE:
        ta__proof_unreadable(hs, role);
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
        ta__proof_unreadable(hs, role);
        on_opaque_record(conn, hs, role, ev);
        break;
    case TA_EV_CLOSE: {
        /* An EAP-Failure refuses access, and a QUIC error code says something went wrong: unlike a
         * FIN, neither is a normal end even after data. An unknown end is a FIN. */
        static const int HOW[] = {[TA_CLOSE_FIN] = TA_DROP_FIN, [TA_CLOSE_RST] = TA_DROP_RST,
                                  [TA_CLOSE_QUIC] = TA_DROP_QUIC_CLOSE, [TA_CLOSE_EAP_FAILURE] = TA_DROP_EAP_FAILURE};
        int how = (unsigned)ev->close < sizeof HOW / sizeof *HOW ? HOW[ev->close] : TA_DROP_FIN;
        bool fatal = ev->close == TA_CLOSE_EAP_FAILURE || (ev->close == TA_CLOSE_QUIC && ev->close_code != 0);
        settle_pending_alerts(conn, hs);
        record_step_detail(conn, hs, step_for_role(role, TA_STEP_CLIENT_CLOSE, TA_STEP_SERVER_CLOSE), how);
        if (hs->outcome == TA_OUTCOME_INCOMPLETE)
            hs->close_code = ev->close_code;
        side_stops(conn, hs, role, how, fatal, conn->frame);
        break;
    }
    case TA_EV_ACCEPTED:
        record_step(conn, hs, TA_STEP_SERVER_ACCEPTED);
        if (role == TA_SERVER)
            decide(conn, hs, TA_OUTCOME_COMPLETED);
        break;
    }
}

void ta_conn_lost_events(ta_conn *conn)
{
    ta_handshake *hs = conn ? current(conn) : NULL;
    if (hs)
        ta__proof_hole(hs);
}

unsigned ta_conn_end_frame(ta_conn *conn)
{
    for (unsigned i = 0; i < conn->hs_count; i++)
        if (conn->hs[i]->frame_client_flight == conn->frame)
            conn->hs[i]->client_flight_complete = true; /* a flight is one frame at most */
    ta_frame_result *r = conn->out;
    conn->out = NULL;
    if (!r)
        return 0;
    for (unsigned i = 0; i < r->note_count; i++) {
        ta_note *note = &r->notes[i];
        const ta_handshake *hs = conn->hs[note->hs_index];
        note->mode_so_far = (uint8_t)(hs->outcome == TA_OUTCOME_INCOMPLETE ? classify(hs) : hs->mode);
    }
    return r->note_count;
}
