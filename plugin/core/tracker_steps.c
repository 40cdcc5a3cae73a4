/* tlsauth handshake steps and alerts as data, and the public tokens. See include/tlsauth/tracker.h. */
#include "tracker_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

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
     "server encrypted handshake", "handshake messages from the server that could not be read: no keys, or they did not decrypt"),
    STEP(TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE, TA_CLIENT, -1, 'q', "client_encrypted_handshake",
     "client encrypted handshake", "handshake messages from the client that could not be read: no keys, or they did not decrypt"),
    STEP(TA_STEP_CLIENT_APPLICATION_DATA, TA_CLIENT, -1, 'd', "client_application_data",
     "client application data", "the client uses the connection"),
    STEP(TA_STEP_SERVER_APPLICATION_DATA, TA_SERVER, -1, 'd', "server_application_data",
     "server application data", "the server uses the connection"),
    STEP(TA_STEP_SERVER_ACCEPTED, TA_SERVER, -1, 'a', "server_accepted", "server accepted",
     "the server says the handshake succeeded (QUIC HANDSHAKE_DONE, EAP-Success)"),
    STEP(TA_STEP_CLIENT_ALERT, TA_CLIENT, -1, 'l', "client_alert", "client Alert", "the client sends an alert"),
    STEP(TA_STEP_SERVER_ALERT, TA_SERVER, -1, 'l', "server_alert", "server Alert", "the server sends an alert"),
    STEP(TA_STEP_CLIENT_CLOSE, TA_CLIENT, -1, 0, "client_close", "client close", "the client closes the connection"),
    STEP(TA_STEP_SERVER_CLOSE, TA_SERVER, -1, 0, "server_close", "server close", "the server closes the connection"),
    STEP(TA_STEP_OTHER_HANDSHAKE, TA_ROLE_UNKNOWN, -1, 'z', "other_handshake", "other handshake message", ""),
    STEP(TA_STEP_UNCAPTURED_RECORD, TA_ROLE_UNKNOWN, -1, 0, "record_without_handshake", "TLS record",
     "of a connection whose handshake is not in the capture"),
};

const step_info *ta__step_info(ta_step step)
{
    return (step > TA_STEP_NONE && step < TA_STEP_COUNT) ? &STEPS[step] : &STEPS[TA_STEP_NONE];
}

bool ta__alert_judges_no_certificate(int code)
{
    static const int ALERTS[] = {20, 21, 22, 70, 71, 80, 86, 100, 109, 110, 112, 120};
    for (size_t i = 0; i < sizeof ALERTS / sizeof *ALERTS; i++)
        if (code == ALERTS[i])
            return true;
    return false;
}

ta_step ta__step_for_message(ta_role role, uint8_t hs_type)
{
    for (unsigned i = 1; i < TA_STEP_COUNT; i++)
        if (STEPS[i].hs_type == hs_type && STEPS[i].role == role)
            return STEPS[i].step;
    return TA_STEP_OTHER_HANDSHAKE;
}

/* ---- tokens ---------------------------------------------------------------------------- */

const char *ta_mode_token(ta_mode mode)
{
    static const char *const tokens[] = {"unknown", "one-way", "mutual", "mutual-requested", "resumed", "psk"};
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

const char *ta_transport_token(ta_transport transport)
{
    static const char *const tokens[] = {"tcp", "udp", "quic", "eap"};
    return (unsigned)transport < sizeof tokens / sizeof *tokens ? tokens[transport] : "tcp";
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
    case TA_VERSION_DTLS_OPENSSL_PRE: return "DTLSv1.0-pre";
    default: break;
    }
    if ((version & 0xFF00) == TA_VERSION_TLS13_DRAFT) {
        static const char *const digits = "0123456789";
        static char drafts[256][20]; /* "TLSv1.3-draft" + up to 3 digits: the same bytes in every thread */
        unsigned n = version & 0xFF;
        char *token = drafts[n];
        if (!token[0]) {
            char number[4] = {0};
            unsigned len = n >= 100 ? 3 : n >= 10 ? 2 : 1;
            for (unsigned i = len; i-- > 0; n /= 10)
                number[i] = digits[n % 10];
            memcpy(token, "TLSv1.3-draft", 13);
            memcpy(token + 13, number, len + 1);
        }
        return token;
    }
    return "unknown";
}

/* IANA TLS Cipher Suites registry: PSK (RFC 4279, 4785, 5487, 6655, 7905), DHE_PSK, ECDHE_PSK
 * (RFC 5489, 8442) with AES, ARIA, Camellia, ChaCha20 and NULL ciphers. */
bool ta__psk_only_suite(uint16_t s)
{
    static const struct {
        uint16_t first, last;
    } RANGES[] = {
        {0x002C, 0x002D}, {0x008A, 0x0091}, {0x00A8, 0x00AB}, {0x00AE, 0x00B5}, {0xC033, 0xC03B},
        {0xC064, 0xC067}, {0xC06A, 0xC06D}, {0xC070, 0xC071}, {0xC08E, 0xC091}, {0xC094, 0xC097},
        {0xC09A, 0xC09B}, {0xC0A4, 0xC0AB}, {0xCCAB, 0xCCAD}, {0xD001, 0xD005},
    };
    for (size_t i = 0; i < sizeof RANGES / sizeof *RANGES; i++)
        if (s >= RANGES[i].first && s <= RANGES[i].last)
            return true;
    return false;
}

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

const alert_info *ta__alert_info(int code)
{
    for (size_t i = 0; i < sizeof ALERTS / sizeof *ALERTS; i++)
        if (ALERTS[i].code == code)
            return &ALERTS[i];
    return NULL;
}

const char *ta_alert_token(int alert_desc)
{
    const alert_info *info = ta__alert_info(alert_desc);
    return info ? info->name : "unassigned_alert";
}

const char *ta_drop_how_token(int drop_how)
{
    switch (drop_how) {
    case TA_DROP_NONE: return "";
    case TA_DROP_ENCRYPTED_ALERT: return "encrypted";
    case TA_DROP_FIN: return "fin";
    case TA_DROP_RST: return "rst";
    case TA_DROP_QUIC_CLOSE: return "connection_close";
    case TA_DROP_EAP_FAILURE: return "eap_failure";
    default: return ta_alert_token(drop_how);
    }
}

const char *ta_step_token(ta_step step) { return ta__step_info(step)->token; }
const char *ta_step_label(ta_step step) { return ta__step_info(step)->label; }
ta_role ta_step_role(ta_step step) { return ta__step_info(step)->role; }

void ta_history_key(const char *history, char *buf, size_t size)
{
    size_t len = 0;
    bool seen[128] = {false};
    if (size)
        buf[0] = '\0';
    for (const char *c = history; c && *c && len + 1 < size; c++) {
        unsigned char letter = (unsigned char)*c;
        if (letter >= 128 || seen[letter])
            continue;
        seen[letter] = true;
        /* Upper case: the client's step; lower case: the server's (Zeek's convention). */
        ta_role role = letter >= 'A' && letter <= 'Z' ? TA_CLIENT : TA_SERVER;
        char lower = (char)(letter | 0x20);
        const char *label = NULL;
        for (unsigned i = 1; i < TA_STEP_COUNT && !label; i++)
            if (STEPS[i].letter == lower && (STEPS[i].role == role || STEPS[i].role == TA_ROLE_UNKNOWN))
                label = STEPS[i].label;
        int n = snprintf(buf + len, size - len, "%s%c %s", len ? ", " : "", letter, label ? label : "?");
        len = n < 0 ? len : (size_t)n >= size - len ? size - 1 : len + (size_t)n;
    }
}
