/* How tlsauth shows what it found: the tlsauth subtree of each frame and its expert infos. */
#include "render.h"
#include "render_chain.h"
#include "tree.h"
#include "validate.h"
#include "ws_compat.h"

#include <epan/expert.h>
#include <epan/tap.h>

static int proto;
static int hf_handshake = -1;
static int hf_step = -1;
static int hf_state_mode = -1;
static int hf_summary = -1;
static int hf_verdict = -1;
static int hf_version = -1;
static int hf_sni = -1;
static int hf_mode = -1;
static int hf_mode_inferred = -1;
static int hf_post_handshake = -1;
static int hf_outcome = -1;
static int hf_drop_by = -1;
static int hf_drop_alert = -1;
static int hf_drop_after = -1;
static int hf_server_chain_len = -1;
static int hf_client_chain_len = -1;
static int hf_history = -1;
static int hf_history_key = -1;
static int hf_request_ca = -1;
static int hf_explanation = -1;
static int hf_frame_client_hello = -1;
static int hf_frame_server_cert = -1;
static int hf_frame_cert_request = -1;
static int hf_frame_client_cert = -1;
static int hf_frame_drop = -1;
static int hf_frame_summary = -1;
static int hf_frame_resumed_from = -1;
static int hf_frame_renegotiates = -1;
static int hf_transport = -1;
static int hf_story = -1;
static int hf_story_frame = -1;
static int hf_story_outcome = -1;

static gint ett_tlsauth = -1;
static gint ett_summary = -1;
static gint ett_story = -1;

static expert_field ei_established_mutual = EI_INIT;
static expert_field ei_established_one_way = EI_INIT;
static expert_field ei_established_resumed = EI_INIT;
static expert_field ei_established_psk = EI_INIT;
static expert_field ei_established_anonymous_client = EI_INIT;
static expert_field ei_encrypted_mode_unknown = EI_INIT;
static expert_field ei_mode_inferred = EI_INIT;
static expert_field ei_server_cert_rejected = EI_INIT;
static expert_field ei_client_cert_missing = EI_INIT;
static expert_field ei_client_cert_rejected = EI_INIT;
static expert_field ei_hung_up_unused = EI_INIT;
static expert_field ei_hello_refused = EI_INIT;
static expert_field ei_encrypted_abort = EI_INIT;
static expert_field ei_dropped = EI_INIT;
static expert_field ei_warning_alert = EI_INIT;
static expert_field ei_incomplete = EI_INIT;
static expert_field ei_too_many_handshakes = EI_INIT;
static expert_field ei_too_many_records = EI_INIT;
static expert_field ei_reload_needed = EI_INIT;

/* The expert item for each drop reason. */
static expert_field *const DROP_EXPERT[] = {
    [TA_REASON_NONE] = &ei_dropped,
    [TA_REASON_CLIENT_REJECTED_SERVER_CERT] = &ei_server_cert_rejected,
    [TA_REASON_SERVER_GOT_NO_CLIENT_CERT] = &ei_client_cert_missing,
    [TA_REASON_SERVER_REJECTED_CLIENT_CERT] = &ei_client_cert_rejected,
    [TA_REASON_HUNG_UP_UNUSED] = &ei_hung_up_unused,
    [TA_REASON_REFUSED_HELLO] = &ei_hello_refused,
    [TA_REASON_ENCRYPTED_ABORT] = &ei_encrypted_abort,
    [TA_REASON_OTHER] = &ei_dropped,
};


void tlsauth_render_register(int proto_id)
{
    proto = proto_id;
    static hf_register_info hf[] = {
        {&hf_handshake, {"Handshake", "tlsauth.handshake", FT_UINT32, BASE_DEC, NULL, 0,
                         "Which handshake of this connection (1 = first; more after renegotiation)", HFILL}},
        {&hf_step, {"Step", "tlsauth.step", FT_STRING, BASE_NONE, NULL, 0,
                    "The handshake step this frame carries", HFILL}},
        {&hf_state_mode, {"Mode so far", "tlsauth.state.mode", FT_STRING, BASE_NONE, NULL, 0,
                          "Authentication mode as far as this frame", HFILL}},
        {&hf_summary, {"Handshake summary", "tlsauth.summary", FT_NONE, BASE_NONE, NULL, 0,
                       "Present once per handshake, on the frame where its outcome became known", HFILL}},
        {&hf_verdict, {"Final verdict", "tlsauth.verdict", FT_NONE, BASE_NONE, NULL, 0,
                       "How this handshake ended (shown on its ClientHello once the capture is read)", HFILL}},
        {&hf_version, {"Version", "tlsauth.version", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_sni, {"Server name (SNI)", "tlsauth.sni", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_mode, {"Mode", "tlsauth.mode", FT_STRING, BASE_NONE, NULL, 0,
                    "one-way, mutual, mutual-requested, resumed, psk or unknown", HFILL}},
        {&hf_transport, {"Transport", "tlsauth.transport", FT_STRING, BASE_NONE, NULL, 0,
                         "What carries the handshake: tcp, udp (DTLS), quic or eap", HFILL}},
        {&hf_mode_inferred, {"Mode inferred", "tlsauth.mode.inferred", FT_BOOLEAN, BASE_NONE, NULL, 0,
                             "The mode was inferred from encrypted record sizes (TLS 1.3 without keys)", HFILL}},
        {&hf_post_handshake, {"Post-handshake authentication", "tlsauth.post_handshake", FT_BOOLEAN, BASE_NONE,
                              NULL, 0, "A TLS 1.3 CertificateRequest after the handshake: a second authentication",
                              HFILL}},
        {&hf_outcome, {"Outcome", "tlsauth.outcome", FT_STRING, BASE_NONE, NULL, 0,
                       "completed, aborted or incomplete", HFILL}},
        {&hf_drop_by, {"Dropped by", "tlsauth.drop.by", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_drop_alert, {"Dropped with", "tlsauth.drop.alert", FT_STRING, BASE_NONE, NULL, 0,
                          "Alert name, encrypted, close_notify, fin or rst", HFILL}},
        {&hf_drop_after, {"Dropped after", "tlsauth.drop.after", FT_STRING, BASE_NONE, NULL, 0,
                          "The last handshake step before the drop", HFILL}},
        {&hf_server_chain_len, {"Server chain length", "tlsauth.server.chain_len", FT_INT32, BASE_DEC,
                                NULL, 0, NULL, HFILL}},
        {&hf_client_chain_len, {"Client chain length", "tlsauth.client.chain_len", FT_INT32, BASE_DEC,
                                NULL, 0, "0 for an empty client Certificate", HFILL}},
        {&hf_history, {"History", "tlsauth.history", FT_STRING, BASE_NONE, NULL, 0,
                       "Zeek ssl_history style: upper case client, lower case server", HFILL}},
        {&hf_history_key, {"Key", "tlsauth.history.key", FT_STRING, BASE_NONE, NULL, 0,
                           "What each letter of the history stands for", HFILL}},
        {&hf_request_ca, {"CA name the server accepts", "tlsauth.request.ca", FT_STRING, BASE_NONE, NULL, 0,
                          "One of the distinguished names the CertificateRequest lists (certificate_authorities)",
                          HFILL}},
        {&hf_explanation, {"Explanation", "tlsauth.explanation", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_frame_client_hello, {"ClientHello in", "tlsauth.frame.client_hello", FT_FRAMENUM,
                                  BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0, NULL, HFILL}},
        {&hf_frame_server_cert, {"Server Certificate in", "tlsauth.frame.server_certificate", FT_FRAMENUM,
                                 BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_frame_cert_request, {"CertificateRequest in", "tlsauth.frame.certificate_request",
                                  FT_FRAMENUM, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_frame_client_cert, {"Client Certificate in", "tlsauth.frame.client_certificate", FT_FRAMENUM,
                                 BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_frame_drop, {"Dropped in", "tlsauth.frame.drop", FT_FRAMENUM, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_frame_summary, {"Summary in", "tlsauth.frame.summary", FT_FRAMENUM, BASE_NONE,
                             FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0, NULL, HFILL}},
        {&hf_frame_resumed_from, {"Resumes the session of the handshake in", "tlsauth.frame.resumed_from",
                                  FT_FRAMENUM, BASE_NONE, NULL, 0,
                                  "The ClientHello of the full handshake whose session this one resumes", HFILL}},
        {&hf_frame_renegotiates, {"Follows the handshake in", "tlsauth.frame.renegotiates", FT_FRAMENUM, BASE_NONE,
                                  NULL, 0,
                                  "The ClientHello of the handshake before this one on the same connection "
                                  "(renegotiation, post-handshake authentication)", HFILL}},
        {&hf_story, {"Handshake story", "tlsauth.story", FT_NONE, BASE_NONE, NULL, 0,
                     "The handshake step by step, each step linked to its frame", HFILL}},
        {&hf_story_frame, {"Story step in", "tlsauth.story.frame", FT_FRAMENUM, BASE_NONE, NULL, 0,
                           "A frame of the handshake story, in order", HFILL}},
        {&hf_story_outcome, {"How it ended", "tlsauth.story.outcome", FT_STRING, BASE_NONE, NULL, 0,
                             NULL, HFILL}},
    };
    static gint *ett[] = {&ett_tlsauth, &ett_summary, &ett_story};
    static ei_register_info ei[] = {
        {&ei_established_mutual, {"tlsauth.expert.established.mutual", PI_SECURITY, PI_NOTE,
                                  "Mutual TLS established", EXPFILL}},
        {&ei_established_one_way, {"tlsauth.expert.established.one_way", PI_SECURITY, PI_CHAT,
                                   "One-way TLS established", EXPFILL}},
        {&ei_established_resumed, {"tlsauth.expert.established.resumed", PI_SECURITY, PI_CHAT,
                                   "Resumed TLS session established", EXPFILL}},
        {&ei_established_psk, {"tlsauth.expert.established.psk", PI_SECURITY, PI_NOTE,
                               "TLS established with a pre-shared key (no certificates)", EXPFILL}},
        {&ei_established_anonymous_client, {"tlsauth.expert.established.anonymous_client", PI_SECURITY,
                                            PI_WARN, "Server accepted a client without certificate", EXPFILL}},
        {&ei_encrypted_mode_unknown, {"tlsauth.expert.encrypted_mode_unknown", PI_DECRYPTION, PI_NOTE,
                                      "Handshake encrypted: mode unknown without keys", EXPFILL}},
        {&ei_mode_inferred, {"tlsauth.expert.mode_inferred", PI_ASSUMPTION, PI_NOTE,
                             "Mode inferred from encrypted record sizes", EXPFILL}},
        {&ei_server_cert_rejected, {"tlsauth.expert.server_cert_rejected", PI_SECURITY, PI_ERROR,
                                    "Client rejected the server's certificate", EXPFILL}},
        {&ei_client_cert_missing, {"tlsauth.expert.client_cert_missing", PI_SECURITY, PI_ERROR,
                                   "Server required a client certificate and got none", EXPFILL}},
        {&ei_client_cert_rejected, {"tlsauth.expert.client_cert_rejected", PI_SECURITY, PI_ERROR,
                                    "Server rejected the client's certificate", EXPFILL}},
        {&ei_hung_up_unused, {"tlsauth.expert.hung_up_unused", PI_SEQUENCE, PI_WARN,
                              "Handshake completed, then closed without use", EXPFILL}},
        {&ei_hello_refused, {"tlsauth.expert.hello_refused", PI_SEQUENCE, PI_WARN,
                             "Server refused the ClientHello", EXPFILL}},
        {&ei_encrypted_abort, {"tlsauth.expert.encrypted_abort", PI_SEQUENCE, PI_WARN,
                               "Encrypted TLS 1.3 handshake aborted", EXPFILL}},
        {&ei_dropped, {"tlsauth.expert.dropped", PI_SEQUENCE, PI_WARN, "Handshake dropped", EXPFILL}},
        {&ei_warning_alert, {"tlsauth.expert.warning_alert", PI_SEQUENCE, PI_NOTE,
                             "Warning-level alert (not a drop)", EXPFILL}},
        {&ei_incomplete, {"tlsauth.expert.incomplete", PI_SEQUENCE, PI_NOTE,
                          "Handshake outcome not in the capture", EXPFILL}},
        {&ei_too_many_handshakes, {"tlsauth.expert.too_many_handshakes", PI_PROTOCOL, PI_WARN,
                                   "Too many handshakes on one connection", EXPFILL}},
        {&ei_too_many_records, {"tlsauth.expert.too_many_records", PI_PROTOCOL, PI_WARN,
                                "Too many TLS records in one frame", EXPFILL}},
        {&ei_reload_needed, {"tlsauth.expert.reload_needed", PI_UNDECODED, PI_WARN,
                             "tlsauth was enabled after this capture was read: reload it (View > Reload) "
                             "to analyse its handshakes", EXPFILL}},
    };
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto), ei, array_length(ei));
}

static void add_frame_link(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame)
{
    if (frame)
        proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

/* The CA names a CertificateRequest listed, one field each: whom the server would accept. */
static void add_ca_names(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs)
{
    if (!tlsauth_shown(tree, hf_request_ca))
        return;
    char name[TA_DN_MAX];
    for (unsigned i = 0; i < hs->ca_names.count; i++) {
        ta_dn_text(&hs->ca_names.items[i], name, sizeof name);
        tlsauth_add_text(tree, hf_request_ca, tvb, name);
    }
    if (hs->ca_names_cut)
        tlsauth_add_text(tree, hf_request_ca, tvb, "(more names than tlsauth keeps: the list is not complete)");
}

/* The verdict fields, shared by the summary and the ClientHello's final verdict. */
static proto_item *add_verdict(proto_tree *tree, int hf_marker, tvbuff_t *tvb, const ta_conn *conn,
                               const ta_handshake *hs, const char *explanation)
{
    proto_item *marker = proto_tree_add_item(tree, hf_marker, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(marker);
    proto_tree *sub = proto_item_add_subtree(marker, ett_summary);
    proto_item_append_text(marker, ": %s, %s", ta_mode_token(ta_handshake_mode(hs)), ta_outcome_token(hs->outcome));
    tlsauth_add_text(sub, hf_transport, tvb, ta_transport_token(ta_conn_identity(conn).transport));
    tlsauth_add_text(sub, hf_version, tvb, ta_version_token(hs->version));
    if (hs->sni[0])
        tlsauth_add_text(sub, hf_sni, tvb, hs->sni);
    tlsauth_add_text(sub, hf_mode, tvb, ta_mode_token(ta_handshake_mode(hs)));
    if (hs->encrypted)
        proto_item_set_generated(proto_tree_add_boolean(sub, hf_mode_inferred, tvb, 0, 0, ta_handshake_mode_inferred(hs)));
    if (hs->post_handshake)
        proto_item_set_generated(proto_tree_add_boolean(sub, hf_post_handshake, tvb, 0, 0, TRUE));
    tlsauth_add_text(sub, hf_outcome, tvb, ta_outcome_token(hs->outcome));
    if (hs->outcome == TA_OUTCOME_ABORTED) {
        proto_item_append_text(marker, " by the %s (%s)", ta_role_token(hs->drop_by),
                               ta_drop_how_token(hs->drop_how));
        tlsauth_add_text(sub, hf_drop_by, tvb, ta_role_token(hs->drop_by));
        tlsauth_add_text(sub, hf_drop_alert, tvb, ta_drop_how_token(hs->drop_how));
        tlsauth_add_text(sub, hf_drop_after, tvb, ta_step_token(hs->drop_after));
    }
    if (hs->server_chain_len >= 0)
        proto_item_set_generated(proto_tree_add_int(sub, hf_server_chain_len, tvb, 0, 0, hs->server_chain_len));
    if (hs->client_chain_len >= 0)
        proto_item_set_generated(proto_tree_add_int(sub, hf_client_chain_len, tvb, 0, 0, hs->client_chain_len));
    tlsauth_render_chain_verdict(sub, tvb, hs, TA_SERVER);
    tlsauth_render_chain_verdict(sub, tvb, hs, TA_CLIENT);
    tlsauth_render_proof(sub, NULL, tvb, hs, TA_SERVER, FALSE);
    tlsauth_render_proof(sub, NULL, tvb, hs, TA_CLIENT, FALSE);
    tlsauth_render_ocsp_status(sub, tvb, hs);
    add_ca_names(sub, tvb, hs);
    proto_item *history = tlsauth_add_text(sub, hf_history, tvb, hs->history);
    if (history && tlsauth_shown(sub, hf_history_key)) {
        char key[TA_EXPLANATION_MAX];
        ta_history_key(hs->history, key, sizeof key);
        tlsauth_add_text(proto_item_add_subtree(history, ett_summary), hf_history_key, tvb, key);
    }
    tlsauth_add_text(sub, hf_explanation, tvb, explanation); /* nothing when empty */
    add_frame_link(sub, hf_frame_client_hello, tvb, hs->frame_client_hello);
    add_frame_link(sub, hf_frame_server_cert, tvb, hs->frame_server_cert);
    add_frame_link(sub, hf_frame_cert_request, tvb, hs->frame_cert_request);
    add_frame_link(sub, hf_frame_client_cert, tvb, hs->frame_client_cert);
    add_frame_link(sub, hf_frame_drop, tvb, hs->frame_drop);
    add_frame_link(sub, hf_frame_summary, tvb, hs->frame_summary);
    if (hs->resumed_from)
        add_frame_link(sub, hf_frame_resumed_from, tvb, hs->resumed_from->frame_client_hello);
    if (hs->renegotiates)
        add_frame_link(sub, hf_frame_renegotiates, tvb, hs->renegotiates->frame_client_hello);
    return marker;
}

/* The handshake step by step, each line a link to its frame, ending with how it ended. */
static void add_story(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs, const char *conclusion_text)
{
    proto_item *story_item = proto_tree_add_item(tree, hf_story, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(story_item);
    proto_tree *story = proto_item_add_subtree(story_item, ett_story);
    char text[TA_EXPLANATION_MAX];
    for (unsigned i = 0; i < hs->story_len; i++) {
        const ta_story_step *line = &hs->story[i];
        proto_item_set_generated(proto_tree_add_uint_format(story, hf_story_frame, tvb, 0, 0, line->frame,
                                                            "Frame %u: %s", line->frame,
                                                            ta_explain_story_step(line, text, sizeof text)));
    }
    if (hs->story_truncated)
        proto_item_set_generated(proto_tree_add_uint_format(story, hf_story_frame, tvb, 0, 0, hs->frame_last,
                                                            "... the story stops after %d steps; last frame %u",
                                                            TA_STORY_MAX, hs->frame_last));
    tlsauth_add_text(story, hf_story_outcome, tvb, conclusion_text);
}

/* The sentence and expert item that tell how a handshake ended. */
static expert_field *conclusion(const ta_handshake *hs, char *text, size_t size)
{
    ta_explain_outcome(hs, text, size);
    if (hs->outcome == TA_OUTCOME_ABORTED)
        return DROP_EXPERT[hs->drop_reason];
    if (hs->outcome == TA_OUTCOME_INCOMPLETE)
        return &ei_incomplete;
    switch (hs->mode) {
    case TA_MODE_MUTUAL: return &ei_established_mutual;
    case TA_MODE_ONE_WAY: return &ei_established_one_way;
    case TA_MODE_RESUMED: return &ei_established_resumed;
    case TA_MODE_PSK: return &ei_established_psk;
    case TA_MODE_MUTUAL_REQUESTED: return &ei_established_anonymous_client;
    default: return &ei_encrypted_mode_unknown;
    }
}

/* A frame with several steps names them all on its top line, as many as a label holds. */
static void append_step_labels(proto_item *top, const ta_handshake *hs, const ta_note *note)
{
    char line[ITEM_LABEL_LENGTH];
    const size_t room = ITEM_LABEL_LENGTH - sizeof "TLS Authentication Analysis: " - sizeof " and 12 more";
    size_t len = (size_t)g_snprintf(line, sizeof line, "handshake %u: ", hs->index + 1);
    for (unsigned i = 0; i < note->step_count; i++) {
        const char *label = ta_step_label(note->steps[i].step);
        if (len + strlen(label) + 2 > room) {
            g_snprintf(line + len, sizeof line - len, " and %u more", note->step_count - i);
            break;
        }
        len += (size_t)g_snprintf(line + len, sizeof line - len, "%s%s", i ? ", " : "", label);
    }
    proto_item_append_text(top, ": %s", line);
}

static void render_note(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tlsauth_frame *frame,
                        const ta_note *note, const tlsauth_input *in, unsigned *certificates_seen,
                        gboolean another_summary)
{
    const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, note->hs_index);
    if (!hs)
        return;
    char text[TA_EXPLANATION_MAX];
    /* Shown, the top line names the handshake and its first step, whose text the step reuses. */
    gboolean top_shown = tlsauth_shown(tree, proto), steps_shown = tlsauth_shown(tree, hf_step);
    const char *step_text = "";
    if (note->step_count && (top_shown || steps_shown)) {
        ta_story_step first = {pinfo->num, note->steps[0].step, note->steps[0].detail};
        step_text = ta_explain_story_step(&first, text, sizeof text);
    }
    proto_item *top = proto_tree_add_item(tree, proto, tvb, 0, 0, ENC_NA);
    if (top_shown && note->step_count > 1)
        append_step_labels(top, hs, note);
    else if (top_shown)
        proto_item_append_text(top, ": handshake %u%s%s", hs->index + 1, step_text[0] ? ", " : "", step_text);
    proto_tree *sub = proto_item_add_subtree(top, ett_tlsauth);
    proto_item_set_generated(proto_tree_add_uint(sub, hf_handshake, tvb, 0, 0, hs->index + 1));
    for (unsigned i = 0; i < note->step_count; i++) {
        if (steps_shown) {
            ta_story_step line = {pinfo->num, note->steps[i].step, note->steps[i].detail};
            if (i > 0)
                step_text = ta_explain_story_step(&line, text, sizeof text);
            proto_item *step = proto_tree_add_string_format_value(sub, hf_step, tvb, 0, 0,
                                                                 ta_step_token(note->steps[i].step), "%s", step_text);
            proto_item_set_generated(step);
        }
        ta_step s = note->steps[i].step;
        if (s == TA_STEP_CERTIFICATE_STATUS)
            tlsauth_render_ocsp(sub, pinfo, tvb, hs);
        if (s == TA_STEP_CERTIFICATE_REQUEST)
            add_ca_names(sub, tvb, hs);
        if (s == TA_STEP_SERVER_KEY_EXCHANGE || s == TA_STEP_SERVER_CERTIFICATE_VERIFY ||
            s == TA_STEP_CLIENT_CERTIFICATE_VERIFY) {
            ta_role role = ta_step_role(s);
            if (ta_handshake_proof(hs, role).frame == pinfo->num)
                tlsauth_render_proof(sub, pinfo, tvb, hs, role, TRUE);
        }
        if (s == TA_STEP_SERVER_CERTIFICATE || s == TA_STEP_CLIENT_CERTIFICATE) {
            unsigned n = (*certificates_seen)++;
            tlsauth_render_chain(sub, pinfo, tvb, hs, ta_step_role(s), tlsauth_fields_certificate(in, n),
                                 tlsauth_frame_reason(frame, n));
        }
    }
    /* The token for filters; words that say what has happened so far for a reader. */
    proto_item_set_generated(proto_tree_add_string_format_value(sub, hf_state_mode, tvb, 0, 0,
                                                                ta_mode_token(note->mode_so_far), "%s",
                                                                ta_mode_so_far_text(note->mode_so_far)));
    for (unsigned i = 0; i < note->remark_count; i++) {
        if (note->remarks[i] == TA_REMARK_WARNING_ALERT)
            expert_add_info(pinfo, top, &ei_warning_alert);
        else if (note->remarks[i] == TA_REMARK_TOO_MANY_HANDSHAKES)
            expert_add_info_format(pinfo, top, &ei_too_many_handshakes,
                                   "More than %d handshakes on this connection: later ones are not analysed.",
                                   TA_MAX_HANDSHAKES_PER_CONN);
    }

    gboolean summary = tlsauth_is_summary_frame(pinfo, hs, note);
    /* The final verdict on the ClientHello, unless the frame summarises the handshake before it
     * (a renegotiation right after a handshake): one handshake's fields per summary frame. */
    gboolean verdict = !summary && !another_summary && PINFO_FD_VISITED(pinfo) && hs->frame_client_hello == pinfo->num;
    if (!summary && !verdict)
        return;
    gboolean experts = summary && tlsauth_experts_wanted(tree);
    gboolean story = tlsauth_shown(tree, hf_story) || tlsauth_shown(tree, hf_story_frame) ||
                     tlsauth_shown(tree, hf_story_outcome);
    expert_field *ei = NULL;
    text[0] = '\0';
    if (experts || story || tlsauth_shown(tree, hf_explanation))
        ei = conclusion(hs, text, sizeof text);
    proto_item *marker = add_verdict(sub, summary ? hf_summary : hf_verdict, tvb, frame->stream->conn, hs, text);
    if (story)
        add_story(sub, tvb, hs, text);
    if (experts) {
        tlsauth_expert(pinfo, marker, ei, text);
        if (hs->encrypted && hs->outcome != TA_OUTCOME_INCOMPLETE && hs->mode != TA_MODE_RESUMED &&
            hs->mode != TA_MODE_PSK) {
            ta_explain_inference(hs, text, sizeof text);
            tlsauth_expert(pinfo, marker, hs->mode_inferred ? &ei_mode_inferred : &ei_encrypted_mode_unknown, text);
        }
    }
}

void tlsauth_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tlsauth_frame *frame,
                    const tlsauth_input *in)
{
    unsigned certificates_seen = 0;
    ta_note notes[TA_MAX_NOTES_PER_FRAME];
    unsigned count = MIN(frame->note_count, TA_MAX_NOTES_PER_FRAME);
    gboolean summaries = FALSE;
    for (unsigned i = 0; i < count; i++) {
        tlsauth_frame_note(frame, i, &notes[i]);
        const ta_handshake *hs = ta_conn_handshake(frame->stream->conn, notes[i].hs_index);
        summaries |= hs && tlsauth_is_summary_frame(pinfo, hs, &notes[i]);
    }
    for (unsigned i = 0; i < count; i++)
        render_note(tree, pinfo, tvb, frame, &notes[i], in, &certificates_seen, summaries);
    if (frame->events_dropped)
        proto_tree_add_expert_format(tree, pinfo, &ei_too_many_records, tvb, 0, 0,
                                     "%u TLS records in this frame were beyond tlsauth's bound of %d and "
                                     "were not analysed.", frame->events_dropped, TLSAUTH_MAX_EVENTS);
}

void tlsauth_render_missed(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb)
{
    proto_item *top = proto_tree_add_item(tree, proto, tvb, 0, 0, ENC_NA);
    proto_item_append_text(top, ": not analysed");
    expert_add_info(pinfo, top, &ei_reload_needed);
}
