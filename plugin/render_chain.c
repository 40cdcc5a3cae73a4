/* How a chain's validation is shown: verdict and problems in the summary, and on the Certificate
 * frame a subtree per certificate with expert items for every problem. */
#include "render_chain.h"
#include "tree.h"
#include "validate.h"
#include "ws_compat.h"

#include <epan/expert.h>

typedef struct side_fields {
    int verdict, problem, validation, proof;
} side_fields;

static side_fields side_hf[2] = {{-1, -1, -1, -1}, {-1, -1, -1, -1}}; /* indexed by ta_role */
static int hf_proof_scheme = -1;
static int hf_proof_frame = -1;
static int hf_proof_reason = -1;
static int hf_ocsp = -1;
static int hf_reason = -1;
static int hf_verify_time = -1;
static int hf_time_source = -1;
static int hf_hostname = -1;
static int hf_issuer_listed = -1;
static int hf_sent = -1;
static int hf_cert = -1;
static int hf_cert_role = -1;
static int hf_cert_subject = -1;
static int hf_cert_issuer = -1;
static int hf_cert_serial = -1;
static int hf_cert_not_before = -1;
static int hf_cert_not_after = -1;
static int hf_cert_validity = -1;
static int hf_cert_key = -1;
static int hf_cert_sig_alg = -1;
static int hf_cert_sha256 = -1;
static int hf_cert_san = -1;
static int hf_cert_eku = -1;
static int hf_cert_signed_by_next = -1;
static int hf_cert_in_store = -1;
static int hf_cert_revocation = -1;
static int hf_cert_key_usage = -1;
static int hf_key_use = -1;

static gint ett_validation = -1;
static gint ett_cert = -1;
static gint ett_proof = -1;

static expert_field ei_problem[TA_PROBLEM_COUNT];
static expert_field ei_store_problem = EI_INIT;
static expert_field ei_chain_truncated = EI_INIT;
static expert_field ei_no_sni = EI_INIT;
static expert_field ei_issuer_not_listed = EI_INIT;
static expert_field ei_ocsp_not_good = EI_INIT;
static expert_field ei_revocation_accepted = EI_INIT;

void tlsauth_render_chain_register(int proto)
{
    static hf_register_info hf[] = {
        {&side_hf[TA_SERVER].verdict, {"Server chain verdict", "tlsauth.server.verdict", FT_STRING, BASE_NONE,
                                       NULL, 0, "trusted, untrusted or not-checked", HFILL}},
        {&side_hf[TA_SERVER].problem, {"Server chain problem", "tlsauth.server.problem", FT_STRING, BASE_NONE,
                                       NULL, 0, "One occurrence per problem", HFILL}},
        {&side_hf[TA_SERVER].validation, {"Server chain validation", "tlsauth.server.validation", FT_NONE,
                                          BASE_NONE, NULL, 0, NULL, HFILL}},
        {&side_hf[TA_CLIENT].verdict, {"Client chain verdict", "tlsauth.client.verdict", FT_STRING, BASE_NONE,
                                       NULL, 0, "trusted, untrusted or not-checked", HFILL}},
        {&side_hf[TA_CLIENT].problem, {"Client chain problem", "tlsauth.client.problem", FT_STRING, BASE_NONE,
                                       NULL, 0, "One occurrence per problem", HFILL}},
        {&side_hf[TA_CLIENT].validation, {"Client chain validation", "tlsauth.client.validation", FT_NONE,
                                          BASE_NONE, NULL, 0, NULL, HFILL}},
        {&side_hf[TA_SERVER].proof, {"Server proof of its private key", "tlsauth.server.proof", FT_STRING,
                                     BASE_NONE, NULL, 0,
                                     "Its ServerKeyExchange (TLS 1.2) or CertificateVerify (TLS 1.3) signature: "
                                     "verified, failed, not-visible or not-checked", HFILL}},
        {&side_hf[TA_CLIENT].proof, {"Client proof of its private key", "tlsauth.client.proof", FT_STRING,
                                     BASE_NONE, NULL, 0,
                                     "Its CertificateVerify signature: verified, failed, not-visible or not-checked",
                                     HFILL}},
        {&hf_proof_scheme, {"Signature scheme", "tlsauth.proof.scheme", FT_STRING, BASE_NONE, NULL, 0,
                            "The TLS SignatureScheme of the signature that proves the key", HFILL}},
        {&hf_proof_frame, {"Signature in", "tlsauth.proof.frame", FT_FRAMENUM, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_proof_reason, {"How", "tlsauth.proof.reason", FT_STRING, BASE_NONE, NULL, 0,
                            "Whether and how the peer proved it holds its certificate's private key", HFILL}},
        {&hf_ocsp, {"Stapled OCSP", "tlsauth.server.ocsp", FT_STRING, BASE_NONE, NULL, 0,
                     "good, revoked, unknown, signature-invalid, stale or malformed", HFILL}},
        {&hf_reason, {"Why", "tlsauth.chain.reason", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_verify_time, {"Verified as of", "tlsauth.chain.verify_time", FT_ABSOLUTE_TIME,
                           ABSOLUTE_TIME_UTC, NULL, 0, NULL, HFILL}},
        {&hf_time_source, {"Verification time source", "tlsauth.chain.time_source", FT_STRING, BASE_NONE,
                           NULL, 0, "capture (of the Certificate frame) or now", HFILL}},
        {&hf_hostname, {"Host name checked", "tlsauth.chain.hostname", FT_STRING, BASE_NONE, NULL, 0,
                        "The SNI the server certificate was checked against", HFILL}},
        {&hf_issuer_listed, {"Issuer listed by the server", "tlsauth.chain.issuer_listed", FT_BOOLEAN,
                             BASE_NONE, NULL, 0,
                             "The client certificate's issuer is among the CA names of the CertificateRequest",
                             HFILL}},
        {&hf_sent, {"Certificates sent", "tlsauth.chain.sent", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_cert, {"Certificate", "tlsauth.cert", FT_UINT32, BASE_DEC, NULL, 0,
                    "Position in the chain, 1 = leaf", HFILL}},
        {&hf_cert_role, {"Role", "tlsauth.cert.role", FT_STRING, BASE_NONE, NULL, 0,
                         "leaf, intermediate, root-sent, unrelated, malformed or trust-anchor", HFILL}},
        {&hf_cert_subject, {"Subject", "tlsauth.cert.subject", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_cert_issuer, {"Issuer", "tlsauth.cert.issuer", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_cert_serial, {"Serial number", "tlsauth.cert.serial", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_cert_not_before, {"Not before", "tlsauth.cert.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC,
                               NULL, 0, NULL, HFILL}},
        {&hf_cert_not_after, {"Not after", "tlsauth.cert.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC,
                              NULL, 0, NULL, HFILL}},
        {&hf_cert_validity, {"Validity", "tlsauth.cert.validity", FT_STRING, BASE_NONE, NULL, 0,
                             "The validity period against the verification time", HFILL}},
        {&hf_cert_key, {"Public key", "tlsauth.cert.key", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_cert_sig_alg, {"Signature algorithm", "tlsauth.cert.sig_alg", FT_STRING, BASE_NONE, NULL, 0,
                            NULL, HFILL}},
        {&hf_cert_sha256, {"SHA-256 fingerprint", "tlsauth.cert.sha256", FT_STRING, BASE_NONE, NULL, 0,
                           NULL, HFILL}},
        {&hf_cert_san, {"Subject alternative names", "tlsauth.cert.san", FT_STRING, BASE_NONE, NULL, 0,
                        NULL, HFILL}},
        {&hf_cert_eku, {"Extended key usage", "tlsauth.cert.eku", FT_STRING, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_cert_signed_by_next, {"Signed by the next certificate", "tlsauth.cert.signed_by_next", FT_STRING,
                                   BASE_NONE, NULL, 0, "yes, no or not-checked", HFILL}},
        {&hf_cert_in_store, {"In your CA store", "tlsauth.cert.in_store", FT_BOOLEAN, BASE_NONE, NULL, 0,
                             NULL, HFILL}},
        {&hf_cert_key_usage, {"Key usage", "tlsauth.cert.key_usage", FT_STRING, BASE_NONE, NULL, 0,
                              "What its keyUsage extension allows (absent: any use)", HFILL}},
        {&hf_cert_revocation, {"Revocation", "tlsauth.cert.revocation", FT_STRING, BASE_NONE, NULL, 0,
                               "What the CRLs of crl_file say of it at the verification time", HFILL}},
        {&hf_key_use, {"The leaf's key had to", "tlsauth.chain.key_use", FT_STRING, BASE_NONE, NULL, 0,
                       "What this handshake needed the leaf's key for, which its keyUsage must allow", HFILL}},
    };
    static gint *ett[] = {&ett_validation, &ett_cert, &ett_proof};
    /* One expert item per problem token, so that each can be filtered and counted. */
    static ei_register_info ei[TA_PROBLEM_COUNT + 6];
    static char names[TA_PROBLEM_COUNT][64]; /* live as long as the registration */
    for (int p = 0; p < TA_PROBLEM_COUNT; p++) {
        char *name = names[p];
        g_snprintf(name, sizeof names[p], "tlsauth.expert.chain.%s", ta_problem_token((ta_problem)p));
        g_strdelimit(name + strlen("tlsauth.expert.chain."), "-", '_');
        ei_problem[p] = (expert_field)EI_INIT;
        ei[p] = (ei_register_info){&ei_problem[p],
                                   {name, PI_SECURITY,
                                    (TA_PROBLEMS_WARNINGS & TA_PROBLEM_BIT(p)) ? PI_WARN : PI_ERROR,
                                    ta_problem_explanation((ta_problem)p), EXPFILL}};
    }
    ei[TA_PROBLEM_COUNT] = (ei_register_info){&ei_store_problem,
        {"tlsauth.expert.ca_store_problem", PI_SECURITY, PI_WARN, "The CA store could not be loaded as configured",
         EXPFILL}};
    ei[TA_PROBLEM_COUNT + 1] = (ei_register_info){&ei_chain_truncated,
        {"tlsauth.expert.chain_truncated", PI_PROTOCOL, PI_WARN, "Chain longer than tlsauth analyses", EXPFILL}};
    ei[TA_PROBLEM_COUNT + 2] = (ei_register_info){&ei_no_sni,
        {"tlsauth.expert.no_sni", PI_SECURITY, PI_NOTE, "No SNI: the server name could not be checked", EXPFILL}};
    ei[TA_PROBLEM_COUNT + 3] = (ei_register_info){&ei_issuer_not_listed,
        {"tlsauth.expert.chain.issuer_not_listed", PI_SECURITY, PI_WARN,
         "Client certificate's issuer not among the CA names the server listed", EXPFILL}};
    ei[TA_PROBLEM_COUNT + 4] = (ei_register_info){&ei_ocsp_not_good,
        {"tlsauth.expert.ocsp_not_good", PI_SECURITY, PI_WARN, "The stapled OCSP response is not a good one",
         EXPFILL}};
    ei[TA_PROBLEM_COUNT + 5] = (ei_register_info){&ei_revocation_accepted,
        {"tlsauth.expert.chain.revocation_unknown_accepted", PI_SECURITY, PI_WARN,
         "Revocation unknown (a stale CRL), accepted because tlsauth.crl_soft_fail is on", EXPFILL}};
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto), ei, array_length(ei));
}


static void add_time(proto_tree *tree, int hf, tvbuff_t *tvb, int64_t seconds)
{
    nstime_t t = {(time_t)seconds, 0};
    proto_item_set_generated(proto_tree_add_time(tree, hf, tvb, 0, 0, &t));
}

/* Verdict and one field per problem: in the summary and in the validation subtree. */
void tlsauth_render_chain_verdict(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs, ta_role role)
{
    const ta_chain_check *check = &hs->chain[role];
    if (!check->checked)
        return;
    tlsauth_add_text(tree, side_hf[role].verdict, tvb, ta_verdict_token(check->verdict));
    for (int p = 0; p < TA_PROBLEM_COUNT; p++)
        if (check->problems & TA_PROBLEM_BIT(p))
            tlsauth_add_text(tree, side_hf[role].problem, tvb, ta_problem_token((ta_problem)p));
}

void tlsauth_render_ocsp_status(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs)
{
    if (hs->chain[TA_SERVER].ocsp >= 0)
        tlsauth_add_text(tree, hf_ocsp, tvb, ta_ocsp_status_token((ta_ocsp_status)hs->chain[TA_SERVER].ocsp));
}

/* On the frame that carried the staple (CertificateStatus, or the TLS 1.3 Certificate). */
void tlsauth_render_ocsp(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs)
{
    int status = hs->chain[TA_SERVER].ocsp;
    if (status < 0)
        return;
    proto_item *item = proto_tree_add_string(tree, hf_ocsp, tvb, 0, 0, ta_ocsp_status_token((ta_ocsp_status)status));
    proto_item_set_generated(item);
    if (status != TA_OCSP_GOOD)
        expert_add_info_format(pinfo, item, &ei_ocsp_not_good,
                               status == TA_OCSP_REVOKED
                                   ? "The server stapled an OCSP response saying its certificate is revoked."
                                   : "The server stapled an OCSP response that is %s: it proves nothing about "
                                     "revocation.",
                               ta_ocsp_status_token((ta_ocsp_status)status));
}

/* Whether a side proved it holds its certificate's key: the token, and under it how. With expert,
 * a failure is an error (on the frame of the signature). */
void tlsauth_render_proof(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs, ta_role role,
                          gboolean expert)
{
    ta_proof p = ta_handshake_proof(hs, role);
    const char *token = ta_proof_status_token((ta_proof_status)p.status);
    if (!token)
        return;
    proto_item *item = proto_tree_add_string(tree, side_hf[role].proof, tvb, 0, 0, token);
    proto_item_set_generated(item);
    gboolean failure_told = expert && p.status == TA_PROOF_FAILED && tlsauth_experts_wanted(tree);
    if (!failure_told && !tlsauth_shown(tree, hf_proof_reason) && !tlsauth_shown(tree, hf_proof_scheme) &&
        !tlsauth_shown(tree, hf_proof_frame))
        return;
    proto_tree *sub = proto_item_add_subtree(item, ett_proof);
    char scheme[16], text[TA_EXPLANATION_MAX];
    if (p.scheme)
        tlsauth_add_text(sub, hf_proof_scheme, tvb, ta_signature_scheme_text(p.scheme, scheme, sizeof scheme));
    if (p.frame)
        proto_item_set_generated(proto_tree_add_uint(sub, hf_proof_frame, tvb, 0, 0, p.frame));
    ta_explain_proof(hs, role, text, sizeof text);
    tlsauth_add_text(sub, hf_proof_reason, tvb, text);
    if (failure_told)
        tlsauth_expert(pinfo, item, &ei_problem[TA_PROBLEM_PROOF_FAILED], text);
}

static void render_cert(proto_tree *tree, tvbuff_t *tvb, const ta_cert_info *cert)
{
    proto_item *item = proto_tree_add_uint_format(tree, hf_cert, tvb, 0, 0, cert->position + 1,
                                                  "Certificate %u (%s): %s", cert->position + 1,
                                                  ta_cert_role_token(cert->role),
                                                  cert->parsed ? cert->subject : "cannot be parsed");
    proto_item_set_generated(item);
    proto_tree *sub = proto_item_add_subtree(item, ett_cert);
    tlsauth_add_text(sub, hf_cert_role, tvb, ta_cert_role_token(cert->role));
    if (!cert->parsed)
        return;
    tlsauth_add_text(sub, hf_cert_subject, tvb, cert->subject);
    tlsauth_add_text(sub, hf_cert_issuer, tvb, cert->issuer);
    tlsauth_add_text(sub, hf_cert_serial, tvb, cert->serial);
    if (cert->dates_known) {
        add_time(sub, hf_cert_not_before, tvb, cert->not_before);
        add_time(sub, hf_cert_not_after, tvb, cert->not_after);
    }
    tlsauth_add_text(sub, hf_cert_validity, tvb, cert->validity);
    tlsauth_add_text(sub, hf_cert_key, tvb, cert->key);
    tlsauth_add_text(sub, hf_cert_sig_alg, tvb, cert->sig_alg);
    tlsauth_add_text(sub, hf_cert_sha256, tvb, cert->sha256);
    tlsauth_add_text(sub, hf_cert_san, tvb, cert->san);
    tlsauth_add_text(sub, hf_cert_key_usage, tvb, cert->key_usage[0] ? cert->key_usage : "(no key usage: any use)");
    tlsauth_add_text(sub, hf_cert_eku, tvb, cert->eku[0] ? cert->eku : "(no extended key usage: any purpose)");
    tlsauth_add_text(sub, hf_cert_signed_by_next, tvb, ta_signed_token(cert->signed_by_next));
    proto_item_set_generated(proto_tree_add_boolean(sub, hf_cert_in_store, tvb, 0, 0, cert->in_store));
    if (cert->revocation[0])
        tlsauth_add_text(sub, hf_cert_revocation, tvb, cert->revocation);
}

/* The detail costs a cache lookup and much text: only for a tree on display or a field asked for. */
static gboolean detail_shown(proto_tree *tree)
{
    static int *const detail_fields[] = {
        &hf_reason, &hf_sent, &hf_cert, &hf_cert_role, &hf_cert_subject, &hf_cert_issuer, &hf_cert_serial,
        &hf_cert_not_before, &hf_cert_not_after, &hf_cert_validity, &hf_cert_key, &hf_cert_sig_alg,
        &hf_cert_sha256, &hf_cert_san, &hf_cert_eku, &hf_cert_signed_by_next, &hf_cert_in_store,
        &hf_cert_revocation, &hf_cert_key_usage, &hf_key_use,
    };
    for (size_t i = 0; i < array_length(detail_fields); i++)
        if (tlsauth_shown(tree, *detail_fields[i]))
            return TRUE;
    return FALSE;
}

/* The certificate by certificate detail needs the certificates, which only a full tree has on
 * later passes; the verdict and problems were kept from the first pass. */
static void render_detail(proto_tree *sub, proto_item *top, packet_info *pinfo, tvbuff_t *tvb,
                          const ta_handshake *hs, ta_role role, const ta_event *certificate)
{
    static ta_chain_result result; /* large; dissection is single-threaded */
    tlsauth_chain_result(hs, role, certificate->certs, certificate->certs_available,
                         hs->chain[role].verify_time, &result);
    tlsauth_add_text(sub, hf_reason, tvb, result.reason);
    if (result.key_use != TA_KEY_USE_UNKNOWN)
        tlsauth_add_text(sub, hf_key_use, tvb, ta_key_use_text(result.key_use));
    proto_item_set_generated(proto_tree_add_uint(sub, hf_sent, tvb, 0, 0, result.sent_count));
    for (unsigned i = 0; i < result.cert_count; i++)
        render_cert(sub, tvb, &result.certs[i]);
    if (result.truncated)
        expert_add_info_format(pinfo, top, &ei_chain_truncated,
                               "%s sent %u certificates: only the first %d were analysed.",
                               role == TA_SERVER ? "The server" : "The client", result.sent_count, TA_VERIFY_MAX_CERTS);
}

void tlsauth_render_chain(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs,
                          ta_role role, const ta_event *certificate, const char *kept_reason)
{
    const ta_chain_check *check = &hs->chain[role];
    if (!check->checked)
        return;
    const char *side = role == TA_SERVER ? "Server" : "Client";
    proto_item *top = proto_tree_add_item(tree, side_hf[role].validation, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_item_append_text(top, ": %s", ta_verdict_token(check->verdict));
    proto_tree *sub = proto_item_add_subtree(top, ett_validation);
    tlsauth_render_chain_verdict(sub, tvb, hs, role);
    add_time(sub, hf_verify_time, tvb, check->verify_time);
    tlsauth_add_text(sub, hf_time_source, tvb, tlsauth_verify_time_is_now() ? "now" : "capture");
    tlsauth_add_text(sub, hf_hostname, tvb, tlsauth_hostname_for(hs, role));
    if (role == TA_CLIENT && check->issuer_listed >= 0)
        proto_item_set_generated(proto_tree_add_boolean(sub, hf_issuer_listed, tvb, 0, 0, check->issuer_listed));
    if (certificate && certificate->certs && certificate->certs_available && detail_shown(tree))
        render_detail(sub, top, pinfo, tvb, hs, role, certificate);
    else if (kept_reason && tlsauth_shown(tree, hf_reason))
        tlsauth_add_text(sub, hf_reason, tvb, kept_reason);
    if (certificate && certificate->ocsp_response)
        tlsauth_render_ocsp(sub, pinfo, tvb, hs); /* TLS 1.3 staples inside the Certificate */

    if (!tlsauth_experts_wanted(tree))
        return;
    const char *store_problem = tlsauth_store_problem();
    char text[TA_STORE_ERROR_MAX + TA_EXPLANATION_MAX];
    if (store_problem[0]) {
        g_snprintf(text, sizeof text, "CA store: %s", store_problem);
        tlsauth_expert(pinfo, top, &ei_store_problem, text);
    }
    if (role == TA_SERVER && !hs->sni[0])
        expert_add_info_format(pinfo, top, &ei_no_sni,
                               "The client sent no server name (SNI), so no host name could be checked.");
    for (int p = 0; p < TA_PROBLEM_COUNT; p++) {
        if (!(check->problems & TA_PROBLEM_BIT(p)))
            continue;
        /* A soft problem on a trusted chain was accepted by a preference: a warning, not an error. */
        gboolean accepted = check->verdict == TA_VERDICT_TRUSTED &&
                            (TA_PROBLEMS_SOFT & ~TA_PROBLEMS_WARNINGS & TA_PROBLEM_BIT(p));
        g_snprintf(text, sizeof text, "%s chain: %s: %s.", side, ta_problem_token((ta_problem)p),
                   ta_problem_explanation_for((ta_problem)p, role == TA_SERVER ? TA_PURPOSE_SERVER : TA_PURPOSE_CLIENT));
        tlsauth_expert(pinfo, top, accepted ? &ei_revocation_accepted : &ei_problem[p], text);
    }
    if (role == TA_CLIENT && check->issuer_listed == 0)
        expert_add_info_format(pinfo, top, &ei_issuer_not_listed,
                               "Client chain: its issuer is not among the CA names the server listed in its "
                               "CertificateRequest: this alone explains a rejection by the server.");
}
