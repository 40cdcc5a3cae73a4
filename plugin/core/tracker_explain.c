/* tlsauth explanations: every sentence the tracker's results are told in. See
 * include/tlsauth/tracker.h. */
#include "tracker_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends a sentence to buf whole, or, when it does not fit, " ..." to say that more was not
 * told (the bound TA_EXPLANATION_MAX): never a sentence cut in the middle. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void append_sentence(char *buf, size_t size, const char *fmt, ...)
{
    char sentence[TA_EXPLANATION_MAX];
    size_t len = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sentence, sizeof sentence, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof sentence && len + (size_t)n < size)
        memcpy(buf + len, sentence, (size_t)n + 1);
    else if (len + sizeof " ..." <= size && (len < 4 || strcmp(buf + len - 4, " ...") != 0))
        memcpy(buf + len, " ...", sizeof " ...");
}

static const char *side_name(ta_role role) { return role == TA_CLIENT ? "client" : "server"; }

static void describe_how(const ta_handshake *hs, char *buf, size_t size)
{
    switch (hs->drop_how) {
    case TA_DROP_FIN: snprintf(buf, size, "a TCP FIN and no alert"); break;
    case TA_DROP_RST: snprintf(buf, size, "a TCP RST and no alert"); break;
    case TA_DROP_ENCRYPTED_ALERT: snprintf(buf, size, "an encrypted alert"); break;
    case TA_DROP_QUIC_CLOSE:
        snprintf(buf, size, "a QUIC CONNECTION_CLOSE (error 0x%llx) and no TLS alert", (unsigned long long)hs->close_code);
        break;
    case TA_DROP_EAP_FAILURE: snprintf(buf, size, "an EAP-Failure (access refused) and no TLS alert"); break;
    default: {
        const alert_info *info = ta__alert_info(hs->drop_how);
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
    char why_sentence[TA_EXPLANATION_MAX] = "";
    if (why[0]) /* its own sentence, so that no expert message has to cut one */
        snprintf(why_sentence, sizeof why_sentence, " %c%s.", toupper((unsigned char)why[0]), why + 1);
    if (check->verdict == TA_VERDICT_UNTRUSTED)
        append_sentence(buf, size,
                        rejected ? " tlsauth agrees: the %s chain is untrusted (%s).%s"
                                 : " Note: tlsauth finds the %s chain untrusted (%s).%s",
                        whose, problems, why_sentence);
    else if (check->verdict == TA_VERDICT_TRUSTED && rejected)
        append_sentence(buf, size,
                        " The %s chain is trusted by your CA store, so tlsauth disagrees: the %s trusts a different "
                        "set of CAs, or checks something else (revocation, a pinned key, a policy).",
                        whose, peer);
    else if (check->verdict == TA_VERDICT_NOT_CHECKED && rejected)
        append_sentence(buf, size,
                        " tlsauth could not validate the %s chain: no CA store is configured, or one that was named "
                        "could not be loaded (tlsauth.chain.reason says which).",
                        whose);
    if (chain_role == TA_CLIENT && rejected && check->issuer_listed == 0)
        append_sentence(buf, size, " The client certificate's issuer is not among the CA names the server listed in "
                                   "its CertificateRequest: this alone explains the server's rejection.");
}

void ta_explain_drop(const ta_handshake *hs, char *buf, size_t size)
{
    char how[200];
    describe_how(hs, how, sizeof how);
    const char *by = side_name(hs->drop_by);
    bool silent = hs->drop_how == TA_DROP_FIN || hs->drop_how == TA_DROP_RST || hs->drop_how == TA_DROP_QUIC_CLOSE;
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

/* The frame of a handshake's first step among steps (TA_STEP_NONE ends the list), 0 if none. */
static uint32_t first_frame_of(const ta_handshake *hs, const ta_step *steps)
{
    for (unsigned i = 0; i < hs->story_len; i++)
        for (const ta_step *s = steps; *s != TA_STEP_NONE; s++)
            if (hs->story[i].step == *s)
                return hs->story[i].frame;
    return 0;
}

/* Success told from each peer's side, with the evidence: the client went on after the server's
 * flight; the server went on after the client's certificate (TLS <= 1.2: its Finished came after
 * the client's flight; TLS 1.3: it sent data after the client's Finished, the late-rejection rule). */
static void append_acceptance(const ta_handshake *hs, char *buf, size_t size)
{
    static const ta_step CLIENT_WENT_ON[] = {TA_STEP_CLIENT_FINISHED, TA_STEP_CLIENT_CHANGE_CIPHER_SPEC,
                                             TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE, TA_STEP_NONE};
    static const ta_step SERVER_FINISHED[] = {TA_STEP_SERVER_FINISHED, TA_STEP_SERVER_CHANGE_CIPHER_SPEC,
                                              TA_STEP_NONE};
    static const ta_step SERVER_WENT_ON[] = {TA_STEP_SERVER_APPLICATION_DATA, TA_STEP_SERVER_ACCEPTED, TA_STEP_NONE};
    if (hs->mode_inferred || hs->post_handshake || (hs->mode != TA_MODE_ONE_WAY && hs->mode != TA_MODE_MUTUAL))
        return;
    uint32_t client = first_frame_of(hs, CLIENT_WENT_ON);
    if (client && hs->frame_server_cert)
        append_sentence(buf, size, " The client accepted the server's chain: it went on to its Finished (frame %u).",
                        client);
    if (hs->mode != TA_MODE_MUTUAL)
        return;
    if (!ta__is_v13(hs->version) && hs->server_finished_last) {
        uint32_t server = first_frame_of(hs, SERVER_FINISHED);
        if (server)
            append_sentence(buf, size,
                            " The server accepted the client's certificate: its Finished (frame %u) came after the "
                            "client's Certificate and CertificateVerify.", server);
    } else if (ta__is_v13(hs->version)) {
        static const ta_step SERVER_DATA[] = {TA_STEP_SERVER_APPLICATION_DATA, TA_STEP_NONE};
        uint32_t data = first_frame_of(hs, SERVER_DATA), accepted = first_frame_of(hs, SERVER_WENT_ON);
        if (data)
            append_sentence(buf, size,
                            " The server accepted the client's certificate: it went on after the client's Finished, "
                            "sending application data (frame %u).", data);
        else if (accepted)
            append_sentence(buf, size,
                            " The server accepted the client's certificate: it said so in frame %u (QUIC "
                            "HANDSHAKE_DONE or EAP-Success).", accepted);
    }
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
        /* TLS cannot show whether the server then served the client or refused it inside the
         * application (PostgreSQL sends its refusal as application data). */
        snprintf(buf, size,
                 "TLS established although the client sent no certificate for the server's request (frame %u): "
                 "the TLS handshake went on without one. The server may still refuse the client inside the "
                 "application, which TLS does not show.",
                 hs->frame_cert_request);
        break;
    case TA_MODE_ONE_WAY:
        snprintf(buf, size, "One-way TLS established: only the server proved who it is, with %s.",
                 server_chain_text(hs, server_chain, sizeof server_chain));
        break;
    case TA_MODE_PSK:
        snprintf(buf, size,
                 "PSK TLS established: no certificates by design; both sides proved they hold the same "
                 "pre-shared key (%s), configured out of band, so no CA store can say who they are.",
                 ta__is_v13(hs->version) ? "a TLS 1.3 external PSK" : "a TLS 1.2 PSK cipher suite");
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
    append_acceptance(hs, buf, size);
    append_chain_opinion(hs, TA_SERVER, false, buf, size);
    append_chain_opinion(hs, TA_CLIENT, false, buf, size);
    if (hs->renegotiates && !hs->resumed_from)
        append_sentence(buf, size, " It followed the handshake in frame %u (%s) on the same connection.",
                 hs->renegotiates->frame_client_hello ? hs->renegotiates->frame_client_hello
                                                      : hs->renegotiates->frame_first,
                 ta_mode_token(hs->renegotiates->mode));
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
        snprintf(buf, size, "The capture ends before this handshake's outcome is known (last frame %u, after the %s).%s",
                 hs->frame_last, ta_step_label(hs->last_step),
                 hs->last_step == TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE || hs->last_step == TA_STEP_SERVER_ENCRYPTED_HANDSHAKE
                     ? " What followed could not be read: supply the TLS key log (-o tls.keylog_file:FILE) to "
                       "see how it ended."
                     : "");
}

void ta_explain_inference(const ta_handshake *hs, char *buf, size_t size)
{
    if (!ta__is_v13(hs->version)) {
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
    int server = ta__server_signal(hs), client = ta__client_signal(hs);
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
    ta_mode mode = ta__infer_mode(hs);
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
    const step_info *info = ta__step_info(line->step);
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
        const alert_info *alert = line->detail < 256 ? ta__alert_info(line->detail) : NULL;
        if (alert)
            snprintf(buf, size, "%s: %s (%s)", info->label, alert->name, alert->meaning);
        else
            snprintf(buf, size, "%s: %s", info->label,
                     line->detail == TA_DROP_ENCRYPTED_ALERT ? "encrypted, cannot be read without keys"
                                                             : "unassigned alert");
        break;
    }
    case TA_STEP_CLIENT_CHANGE_CIPHER_SPEC:
    case TA_STEP_SERVER_CHANGE_CIPHER_SPEC:
        if (!line->detail)
            return info->text;
        snprintf(buf, size, "%s (a no-op TLS 1.3 keeps for middleboxes: encryption began after the ServerHello)",
                 info->label);
        break;
    case TA_STEP_CLIENT_CLOSE:
    case TA_STEP_SERVER_CLOSE:
        snprintf(buf, size, "%s (%s)", info->label,
                 line->detail == TA_DROP_RST             ? "TCP RST"
                 : line->detail == TA_DROP_QUIC_CLOSE    ? "QUIC CONNECTION_CLOSE"
                 : line->detail == TA_DROP_EAP_FAILURE   ? "EAP-Failure"
                                                         : "TCP FIN");
        break;
    default:
        return info->meaning[0] ? info->text : info->label;
    }
    return buf;
}

void ta_explain_outcome(const ta_handshake *hs, char *buf, size_t size)
{
    if (hs->outcome == TA_OUTCOME_ABORTED)
        ta_explain_drop(hs, buf, size);
    else if (hs->outcome == TA_OUTCOME_INCOMPLETE)
        ta_explain_incomplete(hs, buf, size);
    else
        ta_explain_established(hs, buf, size);
}

/* ---- proof of possession ------------------------------------------------------------------- */

static const char *signed_message_name(const ta_handshake *hs, ta_role role, const ta_proof *p)
{
    if (p->message == TA_HS_SERVER_KEY_EXCHANGE ||
        (!p->message && role == TA_SERVER && !ta__is_v13(hs->version)))
        return "ServerKeyExchange";
    return "CertificateVerify";
}

void ta_explain_proof(const ta_handshake *hs, ta_role role, char *buf, size_t size)
{
    ta_proof p = ta_handshake_proof(hs, role);
    const char *side = role == TA_SERVER ? "server" : "client";
    const char *message = signed_message_name(hs, role, &p);
    char scheme[96], unnamed[16], where[48] = "";
    const char *named = ta_signature_scheme_text(p.scheme, unnamed, sizeof unnamed);
    if (p.scheme)
        snprintf(scheme, sizeof scheme, "%s%s", named == unnamed ? "scheme " : "", named);
    else
        snprintf(scheme, sizeof scheme, "%s", "TLS 1.0/1.1 MD5+SHA-1 or SHA-1");
    if (p.frame)
        snprintf(where, sizeof where, ", frame %u", p.frame);
    const char *failed_lead = role == TA_SERVER ? "The server did not prove it holds its certificate's key"
                                                : "The client did not prove it holds its certificate's key";
    switch ((ta_proof_why)p.why) {
    case TA_WHY_SIGNED:
        snprintf(buf, size,
                 "The %s proved it holds its certificate's private key: its %s signature (%s%s) verifies with the "
                 "certificate's public key.", side, message, scheme, where);
        break;
    case TA_WHY_BAD_SIGNATURE:
        snprintf(buf, size,
                 "%s: its %s signature (%s%s) does not verify with the certificate's public key.", failed_lead,
                 message, scheme, where);
        break;
    case TA_WHY_SCHEME_KEY_MISMATCH:
        snprintf(buf, size,
                 "%s: its %s (%s%s) uses a scheme its key cannot make (another key type or curve).", failed_lead, message, scheme, where);
        break;
    case TA_WHY_SCHEME_NOT_ALLOWED:
        snprintf(buf, size, "%s: its %s (%s%s) uses a scheme %s forbids (PKCS#1 v1.5 in TLS 1.3, MD5 anywhere).", failed_lead, message, scheme, where, ta_version_token(hs->version));
        break;
    case TA_WHY_SCHEME_UNKNOWN:
        snprintf(buf, size,
                 "The %s's %s%s uses %s, which tlsauth cannot verify: its proof of holding the certificate's key "
                 "counts as failed (fail closed).", side, message, where, scheme);
        break;
    case TA_WHY_MALFORMED:
        snprintf(buf, size, "%s: its %s%s is malformed (its lengths do not add up), so it proves nothing.",
                 failed_lead, message, where);
        break;
    case TA_WHY_KEY_UNREADABLE:
        snprintf(buf, size, "%s: the certificate's public key cannot be read, so its %s%s proves nothing.",
                 failed_lead, message, where);
        break;
    case TA_WHY_NO_SIGNATURE:
        snprintf(buf, size, "%s: it sent no %s after its certificate.", failed_lead, message);
        break;
    case TA_WHY_CERTIFICATE_AGAIN:
        snprintf(buf, size, "%s: it sent another certificate, or one after its turn to sign (frame %u): no signature "
                 "covers the chain judged.", failed_lead, p.frame);
        break;
    case TA_WHY_CONFLICTING_MESSAGE:
        snprintf(buf, size, "%s: it sent two different messages with the same DTLS message_seq (frame %u): what "
                 "it signed cannot be told.", failed_lead, p.frame);
        break;
    case TA_WHY_HASH_UNKNOWN:
        snprintf(buf, size, "The %s's %s%s cannot be checked: cipher suite 0x%04x has a transcript hash tlsauth "
                 "cannot compute, so it counts as failed (fail closed).", side, message, where, hs->cipher_suite);
        break;
    case TA_WHY_SUITE_UNKNOWN:
        snprintf(buf, size, "tlsauth does not know whether cipher suite 0x%04x has the server sign anything: its "
                 "proof of its key cannot be checked.", hs->cipher_suite);
        break;
    case TA_WHY_SSL3:
        snprintf(buf, size, "SSL 3.0 signs a hash mixed with the master secret, which tlsauth does not use: the %s's "
                 "%s cannot be checked.", side, message);
        break;
    case TA_WHY_ENCRYPTED:
        snprintf(buf, size,
                 "The %s's %s is encrypted (TLS 1.3, or a renegotiation, without keys): whether it holds its "
                 "certificate's key cannot be checked. Supply the key log (-o tls.keylog_file:FILE).", side, message);
        break;
    case TA_WHY_KEY_TRANSPORT:
        snprintf(buf, size,
                 "With RSA key transport the server signs nothing: it proves its key only by decrypting the premaster "
                 "secret, which a capture cannot show.");
        break;
    case TA_WHY_KEY_AGREEMENT:
        snprintf(buf, size,
                 "With static (EC)DH the server's certificate key takes part in the key agreement and signs nothing "
                 "a capture can check.");
        break;
    case TA_WHY_RESUMED:
        snprintf(buf, size,
                 "A resumed session signs nothing: the server proved its key, if at all, in the handshake that "
                 "created the session.");
        break;
    case TA_WHY_TRANSCRIPT_MISSING:
        snprintf(buf, size,
                 "The %s's %s%s, or a handshake message it signs, was not captured whole or could not be read, "
                 "so it cannot be checked.", side, message, where);
        break;
    case TA_WHY_TRANSCRIPT_TOO_LONG:
        snprintf(buf, size,
                 "The %s's %s%s signs more than %zu KiB of handshake messages, more than tlsauth keeps: not "
                 "checked.", side, message, where, TA_TRANSCRIPT_MAX >> 10);
        break;
    case TA_WHY_CERT_UNREADABLE:
        snprintf(buf, size, "The %s's certificate was not read whole, so its %s cannot be checked against it.", side,
                 message);
        break;
    case TA_WHY_NOT_SEEN:
        snprintf(buf, size, "The handshake ended before the %s sent its %s: no proof of its key was seen.", side,
                 message);
        break;
    case TA_WHY_DISABLED:
        snprintf(buf, size, "The %s's %s was not checked: tlsauth.verify_proofs is off.", side, message);
        break;
    default:
        if (size)
            buf[0] = '\0';
        break;
    }
}

const char *ta_mode_so_far_text(ta_mode mode)
{
    switch (mode) {
    case TA_MODE_ONE_WAY: return "one-way so far: no client certificate requested";
    case TA_MODE_MUTUAL: return "mutual: both sides presented a certificate";
    case TA_MODE_MUTUAL_REQUESTED: return "client certificate requested, none presented yet";
    case TA_MODE_RESUMED: return "resuming an earlier session";
    case TA_MODE_PSK: return "a pre-shared key, no certificates";
    default: return "not known yet";
    }
}
