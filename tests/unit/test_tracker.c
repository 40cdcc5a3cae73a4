/* Unit tests of the handshake tracker: event sequences for every mode, outcome and drop,
 * including missing and out-of-order events. Sender 0 is the client unless a test says so. */
#include "tlsauth/tracker.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

enum { C = 0, S = 1 };

static const ta_conn_id TCP0 = {TA_TRANSPORT_TCP, 0};

/* A tiny driver: one frame per call, with the events given. */
typedef struct driver {
    ta_conn *conn;
    uint32_t frame;
    ta_frame_result last;
} driver;

static void start(driver *d, const char *name)
{
    current_test = name;
    d->conn = ta_conn_new(TCP0, NULL, NULL);
    d->frame = 0;
}

static void finish(driver *d) { ta_conn_free(d->conn); }

static unsigned frame(driver *d, const ta_event *events, size_t count)
{
    ta_conn_begin_frame(d->conn, ++d->frame, 1780272000, &d->last);
    for (size_t i = 0; i < count; i++)
        ta_conn_feed(d->conn, &events[i]);
    return ta_conn_end_frame(d->conn);
}
#define FRAME(d, ...)                                                                              \
    frame((d), (const ta_event[]){__VA_ARGS__}, sizeof((const ta_event[]){__VA_ARGS__}) / sizeof(ta_event))

static const uint8_t SESSION_A[32] = {1, 2, 3, 4};
static const uint8_t HRR[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
static const ta_hello CH12 = {.legacy_version = TA_VERSION_TLS12, .sni = "server.tlsauth.test"};
static const ta_hello CH13 = {.legacy_version = TA_VERSION_TLS12,
                              .supported_version_max = TA_VERSION_TLS13,
                              .sni = "server.tlsauth.test"};
static const ta_hello SH12 = {.legacy_version = TA_VERSION_TLS12};
static const ta_hello SH13 = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13};

static ta_event hs(int sender, uint8_t type) { return (ta_event){.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = type}; }
static ta_event hello(int sender, uint8_t type, const ta_hello *h)
{
    return (ta_event){.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = type, .hello = h};
}
static ta_event cert(int sender, int count)
{
    return (ta_event){.kind = TA_EV_HANDSHAKE, .sender = sender, .hs_type = TA_HS_CERTIFICATE, .cert_count = count};
}
static ta_event ev(int sender, ta_event_kind kind) { return (ta_event){.kind = kind, .sender = sender}; }
static ta_event closes(int sender, ta_close how) { return (ta_event){.kind = TA_EV_CLOSE, .sender = sender, .close = how}; }
static ta_event opaque(int sender, uint32_t length)
{
    return (ta_event){.kind = TA_EV_OPAQUE_RECORD, .sender = sender, .record_length = length};
}
static ta_event alert(int sender, uint8_t level, uint8_t desc)
{
    return (ta_event){.kind = TA_EV_ALERT, .sender = sender, .alert_level = level, .alert_desc = desc};
}

static const ta_handshake *first(driver *d) { return ta_conn_handshake(d->conn, 0); }

static void expect(driver *d, unsigned index, const char *mode, const char *outcome, const char *drop_by,
                   const char *drop_how)
{
    const ta_handshake *h = ta_conn_handshake(d->conn, index);
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK_STR(ta_mode_token(h->outcome == TA_OUTCOME_INCOMPLETE ? TA_MODE_UNKNOWN : h->mode), mode);
    CHECK_STR(ta_outcome_token(h->outcome), outcome);
    CHECK_STR(h->drop_by == TA_ROLE_UNKNOWN ? "-" : ta_role_token(h->drop_by), drop_by);
    CHECK_STR(h->drop_how == TA_DROP_NONE ? "-" : ta_drop_how_token(h->drop_how), drop_how);
}

/* The TLS 1.2 full handshake up to the server's flight. */
static void tls12_server_flight(driver *d, bool request)
{
    FRAME(d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    if (request)
        FRAME(d, hello(S, TA_HS_SERVER_HELLO, &SH12), cert(S, 2), hs(S, TA_HS_SERVER_KEY_EXCHANGE),
              hs(S, TA_HS_CERTIFICATE_REQUEST), hs(S, TA_HS_SERVER_HELLO_DONE));
    else
        FRAME(d, hello(S, TA_HS_SERVER_HELLO, &SH12), cert(S, 2), hs(S, TA_HS_SERVER_KEY_EXCHANGE),
              hs(S, TA_HS_SERVER_HELLO_DONE));
}

static void test_tls12_one_way(void)
{
    driver d;
    start(&d, "tls12 one-way");
    tls12_server_flight(&d, false);
    FRAME(&d, hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC), ev(C, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), ev(S, TA_EV_ENCRYPTED_HANDSHAKE));
    /* The server's Finished came after the client's flight: the server accepted it, and the
     * client's data says the client accepted the server. */
    unsigned notes = FRAME(&d, ev(C, TA_EV_APP_DATA));
    CHECK(notes == 1 && d.last.notes[0].is_summary);
    CHECK(d.last.notes[0].remark_count == 1 && d.last.notes[0].remarks[0] == TA_REMARK_ESTABLISHED_ONE_WAY);
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK(first(&d)->frame_summary == 5);
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    CHECK_STR(first(&d)->sni, "server.tlsauth.test");
    CHECK_STR(ta_version_token(first(&d)->version), "TLSv1.2");
    CHECK_STR(first(&d)->history, "CsxknGIQiqDd");
    /* Closing after use is a normal end: nothing changes. */
    FRAME(&d, ev(C, TA_EV_ENCRYPTED_ALERT), closes(C, TA_CLOSE_FIN));
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK(first(&d)->frame_summary == 5);
    finish(&d);
}

static void test_tls12_mutual(void)
{
    driver d;
    start(&d, "tls12 mutual");
    tls12_server_flight(&d, true);
    FRAME(&d, cert(C, 2), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_CERTIFICATE_VERIFY),
          ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    CHECK(d.last.notes[0].mode_so_far == TA_MODE_MUTUAL);
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    expect(&d, 0, "mutual", "completed", "-", "-");
    CHECK(first(&d)->client_chain_len == 2 && first(&d)->server_chain_len == 2);
    CHECK(first(&d)->frame_cert_request == 2 && first(&d)->frame_client_cert == 3);
    CHECK(d.last.notes[0].remarks[0] == TA_REMARK_ESTABLISHED_MUTUAL);
    char text[TA_EXPLANATION_MAX];
    ta_explain_established(first(&d), text, sizeof text);
    /* Each peer's acceptance with its evidence: the client went on, the server finished after it. */
    CHECK_STR(text, "Mutual TLS established: the server presented a chain of 2 (frame 2) and the client a chain "
                    "of 2 (frame 3). The client accepted the server's chain: it went on to its Finished (frame 3). "
                    "The server accepted the client's certificate: its Finished (frame 4) came after the client's "
                    "Certificate and CertificateVerify.");
    finish(&d);
}

/* The server's Certificate lost (a packet, a DTLS fragment): said so, not "a chain of -1". */
static void test_server_certificate_not_captured(void)
{
    driver d;
    start(&d, "server certificate not captured");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), hs(S, TA_HS_SERVER_KEY_EXCHANGE),
          hs(S, TA_HS_CERTIFICATE_REQUEST), hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&d, cert(C, 1), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_CERTIFICATE_VERIFY),
          ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    expect(&d, 0, "mutual", "completed", "-", "-");
    char text[TA_EXPLANATION_MAX];
    ta_explain_established(first(&d), text, sizeof text);
    CHECK_STR(text, "Mutual TLS established: the server presented a Certificate that is not in the capture and "
                    "the client a chain of 1 (frame 3). The server accepted the client's certificate: its Finished "
                    "(frame 4) came after the client's Certificate and CertificateVerify.");
    finish(&d);
}

/* A Certificate may count more entries than a step's detail holds: it says the most it can, never
 * a negative chain. */
static void test_huge_certificate_count(void)
{
    driver d;
    start(&d, "huge certificate count");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), cert(S, 40000), hs(S, TA_HS_SERVER_HELLO_DONE));
    const ta_handshake *h = first(&d);
    const ta_story_step *line = NULL;
    for (size_t i = 0; i < h->story_len; i++)
        if (h->story[i].step == TA_STEP_SERVER_CERTIFICATE)
            line = &h->story[i];
    CHECK(line && line->detail == INT16_MAX);
    char text[200];
    CHECK(line && strstr(ta_explain_story_step(line, text, sizeof text), "chain of 32767") != NULL);
    finish(&d);
}

static void test_tls12_client_rejects_server(void)
{
    driver d;
    start(&d, "tls12 unknown_ca from client");
    tls12_server_flight(&d, false);
    FRAME(&d, alert(C, 2, 48));
    expect(&d, 0, "one-way", "aborted", "client", "unknown_ca");
    CHECK(first(&d)->drop_reason == TA_REASON_CLIENT_REJECTED_SERVER_CERT);
    CHECK(first(&d)->drop_after == TA_STEP_SERVER_HELLO_DONE);
    CHECK(first(&d)->frame_drop == 3 && first(&d)->frame_summary == 3);
    char text[600];
    ta_explain_drop(first(&d), text, sizeof text);
    CHECK(strstr(text, "rejected the server's certificate (frame 2)") != NULL);
    CHECK(strstr(text, "unknown_ca") != NULL);
    /* The FIN that follows changes nothing. */
    FRAME(&d, closes(C, TA_CLOSE_FIN));
    expect(&d, 0, "one-way", "aborted", "client", "unknown_ca");
    finish(&d);
}

static void test_client_silently_closes_after_certificate(void)
{
    driver d;
    start(&d, "client FIN after server certificate");
    tls12_server_flight(&d, false);
    FRAME(&d, closes(C, TA_CLOSE_RST));
    expect(&d, 0, "one-way", "aborted", "client", "rst");
    char text[600];
    ta_explain_drop(first(&d), text, sizeof text);
    CHECK(strstr(text, "most likely the client did not trust the chain") != NULL);
    finish(&d);
}

static void test_tls12_no_client_cert(void)
{
    driver d;
    start(&d, "tls12 empty client certificate, decode_error");
    tls12_server_flight(&d, true);
    FRAME(&d, cert(C, 0), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC),
          ev(C, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, alert(S, 2, 50), closes(S, TA_CLOSE_FIN));
    expect(&d, 0, "mutual-requested", "aborted", "server", "decode_error");
    CHECK(first(&d)->drop_reason == TA_REASON_SERVER_GOT_NO_CLIENT_CERT);
    CHECK(first(&d)->client_chain_len == 0);
    char text[600];
    ta_explain_drop(first(&d), text, sizeof text);
    CHECK(strstr(text, "empty Certificate (frame 3)") != NULL);
    finish(&d);
}

static void test_tls12_server_rejects_client(void)
{
    driver d;
    start(&d, "tls12 server rejects client certificate");
    tls12_server_flight(&d, true);
    FRAME(&d, cert(C, 1), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_CERTIFICATE_VERIFY),
          ev(C, TA_EV_CHANGE_CIPHER_SPEC), ev(C, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, alert(S, 2, 48));
    expect(&d, 0, "mutual", "aborted", "server", "unknown_ca");
    CHECK(first(&d)->drop_reason == TA_REASON_SERVER_REJECTED_CLIENT_CERT);
    finish(&d);
}

static void tls13_decrypted_server_flight(driver *d, bool request)
{
    FRAME(d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    if (request)
        FRAME(d, hello(S, TA_HS_SERVER_HELLO, &SH13), ev(S, TA_EV_CHANGE_CIPHER_SPEC),
              hs(S, TA_HS_ENCRYPTED_EXTENSIONS), hs(S, TA_HS_CERTIFICATE_REQUEST), cert(S, 2),
              hs(S, TA_HS_CERTIFICATE_VERIFY), hs(S, TA_HS_FINISHED));
    else
        FRAME(d, hello(S, TA_HS_SERVER_HELLO, &SH13), ev(S, TA_EV_CHANGE_CIPHER_SPEC),
              hs(S, TA_HS_ENCRYPTED_EXTENSIONS), cert(S, 2), hs(S, TA_HS_CERTIFICATE_VERIFY),
              hs(S, TA_HS_FINISHED));
}

static void test_tls13_mutual_with_keys(void)
{
    driver d;
    start(&d, "tls13 mutual decrypted");
    tls13_decrypted_server_flight(&d, true);
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), cert(C, 2), hs(C, TA_HS_CERTIFICATE_VERIFY), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    FRAME(&d, hs(S, TA_HS_NEW_SESSION_TICKET));
    CHECK(first(&d)->outcome == TA_OUTCOME_INCOMPLETE); /* a ticket is not application data */
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    expect(&d, 0, "mutual", "completed", "-", "-");
    CHECK_STR(ta_version_token(first(&d)->version), "TLSv1.3");
    finish(&d);
}

static void test_tls13_certificate_required_after_client_data(void)
{
    driver d;
    start(&d, "tls13 certificate_required after client app data");
    tls13_decrypted_server_flight(&d, true);
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), cert(C, 0), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    FRAME(&d, alert(S, 2, 116));
    expect(&d, 0, "mutual-requested", "aborted", "server", "certificate_required");
    CHECK(first(&d)->drop_reason == TA_REASON_SERVER_GOT_NO_CLIENT_CERT);
    finish(&d);
}

static void test_tls13_gnutls_two_alerts(void)
{
    driver d;
    start(&d, "tls13 first fatal alert decides");
    tls13_decrypted_server_flight(&d, true);
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), cert(C, 1), hs(C, TA_HS_CERTIFICATE_VERIFY), hs(C, TA_HS_FINISHED));
    FRAME(&d, alert(S, 2, 49), alert(S, 2, 42));
    expect(&d, 0, "mutual", "aborted", "server", "access_denied");
    CHECK(first(&d)->drop_reason == TA_REASON_SERVER_REJECTED_CLIENT_CERT);
    finish(&d);
}

static void test_tls13_without_keys(void)
{
    driver d;
    start(&d, "tls13 without keys: one-way inferred from OpenSSL's record sizes");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), ev(S, TA_EV_CHANGE_CIPHER_SPEC), opaque(S, 23),
          opaque(S, 930), opaque(S, 96), opaque(S, 69));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), opaque(C, 69));
    FRAME(&d, opaque(C, 23));
    FRAME(&d, opaque(S, 250)); /* NewSessionTicket, counted as data once the client used the connection */
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK(first(&d)->encrypted && first(&d)->mode_inferred);
    CHECK(d.last.notes[0].remarks[0] == TA_REMARK_ESTABLISHED_ONE_WAY);
    char text[600];
    ta_explain_inference(first(&d), text, sizeof text);
    CHECK(strstr(text, "4 records") != NULL && strstr(text, "only a Finished") != NULL);
    finish(&d);

    start(&d, "tls13 without keys: GnuTLS mutual (certificate, verify, finished and data in one frame)");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), ev(S, TA_EV_CHANGE_CIPHER_SPEC));
    FRAME(&d, opaque(S, 29), opaque(S, 107), opaque(S, 930), opaque(S, 96), opaque(S, 69));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC));
    FRAME(&d, opaque(C, 866), opaque(C, 97), opaque(C, 69), opaque(C, 23));
    FRAME(&d, opaque(S, 1132), opaque(S, 1132));
    expect(&d, 0, "mutual", "completed", "-", "-");
    CHECK(first(&d)->mode_inferred && first(&d)->frame_summary == 6);
    finish(&d);

    /* RFC 8446 4.4.2: a client asked for a certificate sends a Certificate; a server that splits
     * its Certificate over records (tls13-splitcert-openssl) sends 5 records without asking. */
    start(&d, "tls13 without keys: a Finished alone decides one-way whatever the server's count");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), opaque(S, 23), opaque(S, 529), opaque(S, 417), opaque(S, 96),
          opaque(S, 69));
    FRAME(&d, opaque(C, 69));
    FRAME(&d, opaque(C, 30));
    FRAME(&d, opaque(S, 30));
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK(first(&d)->mode_inferred);
    CHECK(d.last.notes[0].remarks[0] == TA_REMARK_ESTABLISHED_ONE_WAY);
    finish(&d);

    start(&d, "tls13 without keys: signals that disagree leave the mode unknown");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), opaque(S, 23), opaque(S, 929), opaque(S, 96), opaque(S, 69));
    FRAME(&d, opaque(C, 25), opaque(C, 69)); /* an empty Certificate without a CertificateRequest */
    FRAME(&d, opaque(C, 30));
    FRAME(&d, opaque(S, 30));
    expect(&d, 0, "unknown", "completed", "-", "-");
    CHECK(!first(&d)->mode_inferred);
    CHECK(d.last.notes[0].remarks[0] == TA_REMARK_ESTABLISHED_UNKNOWN);
    finish(&d);

    start(&d, "tls13 without keys: one packed server record says nothing, the client decides");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), opaque(S, 1500));
    FRAME(&d, opaque(C, 25), opaque(C, 53));
    FRAME(&d, opaque(C, 30));
    FRAME(&d, opaque(S, 30));
    expect(&d, 0, "mutual-requested", "completed", "-", "-");
    finish(&d);
}

static void test_tls13_without_keys_encrypted_client_alert(void)
{
    driver d;
    start(&d, "tls13 without keys, GnuTLS client rejects with an encrypted alert");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), opaque(S, 23), opaque(S, 900), opaque(S, 96), opaque(S, 69));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), opaque(C, 19));
    CHECK(first(&d)->outcome == TA_OUTCOME_INCOMPLETE); /* could still be data */
    FRAME(&d, closes(C, TA_CLOSE_FIN));
    expect(&d, 0, "one-way", "aborted", "client", "encrypted"); /* the server's 4 records */
    CHECK(first(&d)->frame_drop == 3 && first(&d)->frame_summary == 4);
    CHECK(first(&d)->drop_reason == TA_REASON_ENCRYPTED_ABORT);
    finish(&d);
}

static void test_tls13_without_keys_server_alert_after_client_flight(void)
{
    driver d;
    start(&d, "tls13 without keys, server rejects after client flight");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), opaque(S, 23), opaque(S, 88), opaque(S, 900), opaque(S, 96),
          opaque(S, 69));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), opaque(C, 25), opaque(C, 69));
    FRAME(&d, opaque(S, 19));
    FRAME(&d, opaque(S, 19)); /* GnuTLS sends two alerts: the first decides */
    FRAME(&d, closes(S, TA_CLOSE_FIN));
    expect(&d, 0, "mutual-requested", "aborted", "server", "encrypted"); /* an empty Certificate */
    CHECK(first(&d)->frame_drop == 4);
    CHECK(first(&d)->drop_reason == TA_REASON_ENCRYPTED_ABORT);
    finish(&d);
}

static void test_curl_hangs_up(void)
{
    driver d;
    start(&d, "curl closes after handshake without a request");
    tls12_server_flight(&d, false);
    FRAME(&d, hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    FRAME(&d, alert(C, 1, 0));
    expect(&d, 0, "one-way", "aborted", "client", "close_notify");
    CHECK(first(&d)->drop_reason == TA_REASON_HUNG_UP_UNUSED);
    CHECK(first(&d)->drop_after == TA_STEP_SERVER_FINISHED);
    finish(&d);
}

static void test_warning_alert_is_not_a_drop(void)
{
    driver d;
    start(&d, "warning alert");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, alert(S, 1, 112), hello(S, TA_HS_SERVER_HELLO, &SH12), cert(S, 1), hs(S, TA_HS_SERVER_HELLO_DONE));
    CHECK(first(&d)->outcome == TA_OUTCOME_INCOMPLETE);
    CHECK(d.last.notes[0].remark_count == 1 && d.last.notes[0].remarks[0] == TA_REMARK_WARNING_ALERT);
    finish(&d);
}

static void test_refused_hello(void)
{
    driver d;
    start(&d, "server refuses the ClientHello");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, alert(S, 2, 40));
    expect(&d, 0, "unknown", "aborted", "server", "handshake_failure");
    CHECK(first(&d)->drop_reason == TA_REASON_REFUSED_HELLO);
    finish(&d);
}

static void test_resumption(void)
{
    driver d;
    start(&d, "tls12 session id resumption");
    ta_hello ch = CH12, sh = SH12;
    ch.session_id = SESSION_A;
    ch.session_id_len = 32;
    sh.session_id = SESSION_A;
    sh.session_id_len = 32;
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &ch));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &sh), ev(S, TA_EV_CHANGE_CIPHER_SPEC), ev(S, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), ev(C, TA_EV_ENCRYPTED_HANDSHAKE), ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    expect(&d, 0, "resumed", "completed", "-", "-");
    finish(&d);

    start(&d, "tls12 ticket resumption seen as an abbreviated handshake");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), hs(S, TA_HS_NEW_SESSION_TICKET), ev(S, TA_EV_CHANGE_CIPHER_SPEC),
          ev(S, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), ev(C, TA_EV_ENCRYPTED_HANDSHAKE), ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    expect(&d, 0, "resumed", "completed", "-", "-");
    finish(&d);

    start(&d, "tls13 psk resumption without keys");
    ta_hello sh13 = SH13;
    sh13.ext_pre_shared_key = true;
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &sh13), opaque(S, 23), opaque(S, 69));
    FRAME(&d, opaque(C, 69));
    FRAME(&d, opaque(C, 40));
    FRAME(&d, opaque(S, 40));
    expect(&d, 0, "resumed", "completed", "-", "-");
    finish(&d);
}

static void test_dtls_hello_verify_request(void)
{
    driver d;
    start(&d, "DTLS HelloVerifyRequest and a repeated ClientHello stay one handshake");
    static const ta_hello CHD = {.legacy_version = TA_VERSION_DTLS12, .sni = "server.tlsauth.test"};
    static const ta_hello SHD = {.legacy_version = TA_VERSION_DTLS12};
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CHD));
    FRAME(&d, hs(S, TA_HS_HELLO_VERIFY_REQUEST));
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CHD));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SHD), cert(S, 2), hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&d, hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    CHECK(ta_conn_handshake_count(d.conn) == 1);
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK_STR(ta_version_token(first(&d)->version), "DTLSv1.2");
    CHECK_STR(first(&d)->history, "CvCsxnGIFifDd");
    finish(&d);
}

static void test_post_handshake_auth(void)
{
    driver d;
    start(&d, "tls13 post-handshake authentication is a second authentication with its own verdict");
    tls13_decrypted_server_flight(&d, false);
    FRAME(&d, hs(C, TA_HS_FINISHED), ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    expect(&d, 0, "one-way", "completed", "-", "-");
    FRAME(&d, hs(S, TA_HS_CERTIFICATE_REQUEST));
    CHECK(ta_conn_handshake_count(d.conn) == 2);
    FRAME(&d, cert(C, 1), hs(C, TA_HS_CERTIFICATE_VERIFY), hs(C, TA_HS_FINISHED));
    FRAME(&d, alert(S, 2, 48));
    const ta_handshake *pha = ta_conn_handshake(d.conn, 1);
    CHECK(pha->post_handshake && pha->frame_cert_request == 5);
    expect(&d, 1, "mutual", "aborted", "server", "unknown_ca");
    CHECK(pha->drop_reason == TA_REASON_SERVER_REJECTED_CLIENT_CERT);
    expect(&d, 0, "one-way", "completed", "-", "-");
    finish(&d);
}

static void test_hello_retry_request(void)
{
    driver d;
    start(&d, "tls13 HelloRetryRequest stays one handshake");
    ta_hello hrr = SH13;
    hrr.random = HRR;
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &hrr), ev(S, TA_EV_CHANGE_CIPHER_SPEC));
    FRAME(&d, ev(C, TA_EV_CHANGE_CIPHER_SPEC), hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), hs(S, TA_HS_ENCRYPTED_EXTENSIONS), cert(S, 1),
          hs(S, TA_HS_CERTIFICATE_VERIFY), hs(S, TA_HS_FINISHED));
    FRAME(&d, hs(C, TA_HS_FINISHED), ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    CHECK(ta_conn_handshake_count(d.conn) == 1);
    CHECK(first(&d)->hello_retry);
    expect(&d, 0, "one-way", "completed", "-", "-");
    finish(&d);
}

static void test_renegotiation_and_bound(void)
{
    driver d;
    start(&d, "renegotiation is a second handshake; the per-connection bound holds");
    for (int i = 0; i < TA_MAX_HANDSHAKES_PER_CONN + 3; i++) {
        tls12_server_flight(&d, i > 0);
        FRAME(&d, cert(C, 1), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_FINISHED));
        FRAME(&d, hs(S, TA_HS_FINISHED), ev(S, TA_EV_APP_DATA));
        FRAME(&d, ev(C, TA_EV_APP_DATA));
    }
    CHECK(ta_conn_handshake_count(d.conn) == TA_MAX_HANDSHAKES_PER_CONN);
    CHECK(ta_conn_dropped_handshakes(d.conn) == 3);
    expect(&d, 1, "mutual", "completed", "-", "-");
    finish(&d);
}

static void test_missing_and_hostile_events(void)
{
    driver d;
    start(&d, "a capture that starts mid-connection: one handshake, not captured, direction unknown");
    FRAME(&d, closes(1, TA_CLOSE_FIN));
    CHECK(ta_conn_handshake_count(d.conn) == 0); /* a close alone says nothing about TLS */
    FRAME(&d, ev(0, TA_EV_APP_DATA), alert(1, 2, 40));
    FRAME(&d, ev(1, TA_EV_APP_DATA));
    FRAME(&d, closes(1, TA_CLOSE_FIN));
    CHECK(ta_conn_handshake_count(d.conn) == 1);
    CHECK(first(&d)->not_captured && first(&d)->client_sender == -1);
    expect(&d, 0, "unknown", "incomplete", "-", "-");
    CHECK(first(&d)->frame_first == 2 && first(&d)->frame_last == 4 && first(&d)->story_len == 1);
    char text[300];
    ta_explain_incomplete(first(&d), text, sizeof text);
    CHECK(strstr(text, "not in the capture") != NULL);
    finish(&d);

    start(&d, "a ServerHello alone sets the direction");
    FRAME(&d, hello(1, TA_HS_SERVER_HELLO, &SH12), cert(1, 3), hs(1, TA_HS_SERVER_HELLO_DONE));
    CHECK(ta_conn_handshake_count(d.conn) == 1);
    CHECK(first(&d)->client_sender == 0 && first(&d)->server_chain_len == 3);
    FRAME(&d, alert(0, 2, 42));
    expect(&d, 0, "one-way", "aborted", "client", "bad_certificate");
    finish(&d);

    start(&d, "invalid sender and null events are ignored");
    ta_event bad = hello(7, TA_HS_CLIENT_HELLO, &CH12);
    ta_conn_begin_frame(d.conn, 1, 0, NULL);
    ta_conn_feed(d.conn, &bad);
    ta_conn_feed(d.conn, NULL);
    CHECK(ta_conn_end_frame(d.conn) == 0);
    CHECK(ta_conn_handshake_count(d.conn) == 0);
    finish(&d);

    start(&d, "a long SNI is truncated, a long session id ignored");
    char sni[1000];
    memset(sni, 'a', sizeof sni - 1);
    sni[sizeof sni - 1] = '\0';
    uint8_t sid[200] = {0};
    ta_hello ch = CH12;
    ch.sni = sni;
    ch.session_id = sid;
    ch.session_id_len = sizeof sid;
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &ch));
    CHECK(strlen(first(&d)->sni) == TA_SNI_MAX);
    CHECK(first(&d)->session_id_len == 0);
    /* A frame with more records than a note holds keeps the first steps. */
    ta_event many[40];
    for (int i = 0; i < 40; i++)
        many[i] = hs(S, TA_HS_SERVER_KEY_EXCHANGE);
    frame(&d, many, 40);
    CHECK(d.last.notes[0].step_count == TA_MAX_STEPS_PER_NOTE && d.last.notes[0].steps[0].step == TA_STEP_SERVER_KEY_EXCHANGE);
    CHECK(strlen(first(&d)->history) <= TA_HISTORY_MAX);
    finish(&d);
}

static void test_tokens(void)
{
    current_test = "tokens";
    CHECK_STR(ta_alert_token(116), "certificate_required");
    CHECK_STR(ta_alert_token(255), "unassigned_alert");
    CHECK_STR(ta_drop_how_token(TA_DROP_FIN), "fin");
    CHECK_STR(ta_drop_how_token(TA_DROP_ENCRYPTED_ALERT), "encrypted");
    CHECK_STR(ta_mode_token(TA_MODE_MUTUAL_REQUESTED), "mutual-requested");
    CHECK_STR(ta_version_token(TA_VERSION_SSL3), "SSLv3");
    CHECK_STR(ta_version_token(0x7F1C), "TLSv1.3-draft28");
    CHECK_STR(ta_version_token(0x7F00), "TLSv1.3-draft0");
    CHECK_STR(ta_version_token(0x7FFF), "TLSv1.3-draft255");
    CHECK_STR(ta_version_token(0x0100), "DTLSv1.0-pre");
    CHECK_STR(ta_version_token(0x0200), "unknown");
    CHECK_STR(ta_mode_token(TA_MODE_PSK), "psk");
    CHECK_STR(ta_transport_token(TA_TRANSPORT_QUIC), "quic");
    CHECK_STR(ta_transport_token(TA_TRANSPORT_EAP), "eap");
    CHECK_STR(ta_drop_how_token(TA_DROP_EAP_FAILURE), "eap_failure");
    CHECK_STR(ta_drop_how_token(TA_DROP_QUIC_CLOSE), "connection_close");
    CHECK_STR(ta_step_token(TA_STEP_CERTIFICATE_REQUEST), "certificate_request");
    CHECK_STR(ta_step_token((ta_step)999), "none");
}

/* ---- what the tracker asks of its verifier ------------------------------------------------- */

/* A verifier that records what it was asked: the tracker decides which chain, which CA names and
 * which staple go together. */
typedef struct asked {
    unsigned chains, staples;
    unsigned staple_chain_count;
    bool staple_chain_is_sent; /* the chain it got is the server's leaf and issuer, byte for byte */
    int answer;                /* the OCSP status to give */
} asked;

/* Minimal certificates for ta_issuer_listed: Certificate { TBSCertificate { [0] v3, serial,
 * signature algorithm, issuer } } with the issuer Name a one-byte SEQUENCE. */
#define FAKE_CERT(issuer_byte) {0x30, 0x11, 0x30, 0x0F, 0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01, \
                                0x30, 0x00, 0x30, 0x03, 0x02, 0x01, (issuer_byte)}
static const uint8_t LEAF_A[] = FAKE_CERT(0x0A), ISSUER_B[] = FAKE_CERT(0x0B);
static const uint8_t NAME_A[] = {0x30, 0x03, 0x02, 0x01, 0x0A}, NAME_C[] = {0x30, 0x03, 0x02, 0x01, 0x0C};
static const ta_der CHAIN_AB[] = {{LEAF_A, sizeof LEAF_A}, {ISSUER_B, sizeof ISSUER_B}};
static const ta_der STAPLE = {(const uint8_t *)"ocsp", 4};

static void asked_chain(void *ctx, const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                        int64_t frame_time, ta_chain_check *out)
{
    asked *a = ctx;
    a->chains++;
    out->verdict = TA_VERDICT_TRUSTED;
    out->verify_time = frame_time;
}

static int asked_ocsp(void *ctx, const ta_der *response, const ta_der *chain, unsigned count, int64_t verify_time)
{
    asked *a = ctx;
    a->staples++;
    a->staple_chain_count = count;
    a->staple_chain_is_sent = count == 2 && response->len == 4 && chain[0].len == sizeof LEAF_A &&
                              !memcmp(chain[0].data, LEAF_A, sizeof LEAF_A) && !memcmp(chain[1].data, ISSUER_B, sizeof ISSUER_B);
    return a->answer;
}

static ta_event chain_ab(int sender)
{
    ta_event e = cert(sender, 2);
    e.certs = CHAIN_AB;
    e.certs_available = 2;
    return e;
}

static ta_event request_naming(const ta_der *names, unsigned count, bool cut)
{
    ta_event e = hs(S, TA_HS_CERTIFICATE_REQUEST);
    e.ca_names = names;
    e.ca_name_count = count;
    e.ca_names_cut = cut;
    return e;
}

static void test_ca_names(void)
{
    static const struct {
        const char *name;
        ta_der names[2];
        unsigned count;
        bool cut;
        int listed;
    } CASES[] = {
        {"CA names: the issuer listed", {{NAME_C, sizeof NAME_C}, {NAME_A, sizeof NAME_A}}, 2, false, 1},
        {"CA names: the issuer not listed", {{NAME_C, sizeof NAME_C}}, 1, false, 0},
        {"CA names: a list cut short says nothing", {{NAME_C, sizeof NAME_C}}, 1, true, -1},
        {"CA names: none listed", {{NULL, 0}}, 0, false, -1},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        asked a = {0};
        const ta_verifier v = {&a, asked_chain, asked_ocsp, false};
        driver d = {.conn = ta_conn_new(TCP0, &v, NULL)};
        current_test = CASES[i].name;
        FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
        FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), chain_ab(S),
              request_naming(CASES[i].names, CASES[i].count, CASES[i].cut), hs(S, TA_HS_SERVER_HELLO_DONE));
        FRAME(&d, chain_ab(C), hs(C, TA_HS_CLIENT_KEY_EXCHANGE));
        CHECK(a.chains == 2);
        CHECK(first(&d)->chain[TA_CLIENT].issuer_listed == CASES[i].listed);
        CHECK(first(&d)->chain[TA_SERVER].issuer_listed == -1);
        CHECK(first(&d)->chain[TA_CLIENT].verify_time == 1780272000);
        finish(&d);
    }
}

static void test_staples(void)
{
    static const ta_hello CH12_STATUS = {.legacy_version = TA_VERSION_TLS12, .ext_status_request = true};
    ta_event status = hs(S, TA_HS_CERTIFICATE_STATUS);
    status.ocsp_response = &STAPLE;

    /* TLS 1.2: the leaf and its issuer wait for the CertificateStatus; a revoked answer distrusts. */
    asked a = {.answer = TA_OCSP_REVOKED};
    const ta_verifier v = {&a, asked_chain, asked_ocsp, false};
    driver d = {.conn = ta_conn_new(TCP0, &v, NULL)};
    current_test = "staple: TLS 1.2 CertificateStatus about the chain before it";
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12_STATUS));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), chain_ab(S), status, hs(S, TA_HS_SERVER_HELLO_DONE));
    CHECK(a.staples == 1 && a.staple_chain_is_sent);
    const ta_chain_check *check = &first(&d)->chain[TA_SERVER];
    CHECK(check->ocsp == TA_OCSP_REVOKED && check->verdict == TA_VERDICT_UNTRUSTED &&
          (check->problems & TA_PROBLEM_BIT(TA_PROBLEM_REVOKED)));
    finish(&d);

    /* After ServerHelloDone nothing waits: a late staple is about no chain. */
    a = (asked){.answer = TA_OCSP_GOOD};
    d = (driver){.conn = ta_conn_new(TCP0, &v, NULL)};
    current_test = "staple: none waits after ServerHelloDone";
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12_STATUS));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), chain_ab(S), hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&d, status);
    CHECK(a.staples == 1 && a.staple_chain_count == 0);
    CHECK(first(&d)->chain[TA_SERVER].verdict == TA_VERDICT_TRUSTED);
    finish(&d);

    /* TLS 1.3 staples inside the Certificate: about that chain. */
    a = (asked){.answer = TA_OCSP_GOOD};
    d = (driver){.conn = ta_conn_new(TCP0, &v, NULL)};
    current_test = "staple: TLS 1.3 in the Certificate";
    ta_event stapled = chain_ab(S);
    stapled.ocsp_response = &STAPLE;
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), hs(S, TA_HS_ENCRYPTED_EXTENSIONS), stapled);
    CHECK(a.staples == 1 && a.staple_chain_is_sent && first(&d)->chain[TA_SERVER].ocsp == TA_OCSP_GOOD);
    finish(&d);
}

/* Resumptions link to the handshake that issued the session, across connections. */
static void test_session_links(void)
{
    static const uint8_t TICKET[] = {9, 8, 7, 6};
    ta_sessions *sessions = ta_sessions_new();
    ta_hello ch = CH12, sh = SH12;
    ch.session_id = sh.session_id = SESSION_A;
    ch.session_id_len = sh.session_id_len = 32;
    driver a = {.conn = ta_conn_new(TCP0, NULL, sessions)}, b = {.conn = ta_conn_new(TCP0, NULL, sessions)};
    driver c = {.conn = ta_conn_new(TCP0, NULL, sessions)};
    current_test = "session links: TLS 1.2 session id, across connections";
    ta_hello fresh = CH12; /* a: a full handshake; the server issues SESSION_A */
    FRAME(&a, hello(C, TA_HS_CLIENT_HELLO, &fresh));
    FRAME(&a, hello(S, TA_HS_SERVER_HELLO, &sh), cert(S, 2), hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&b, hello(C, TA_HS_CLIENT_HELLO, &ch)); /* b offers it and the server takes it */
    FRAME(&b, hello(S, TA_HS_SERVER_HELLO, &sh), ev(S, TA_EV_CHANGE_CIPHER_SPEC));
    CHECK(first(&b)->resumed && first(&b)->resumed_from == first(&a));
    FRAME(&c, hello(C, TA_HS_CLIENT_HELLO, &ch)); /* b echoed it: a stays the issuer */
    FRAME(&c, hello(S, TA_HS_SERVER_HELLO, &sh), ev(S, TA_EV_CHANGE_CIPHER_SPEC));
    CHECK(first(&c)->resumed_from == first(&a));
    CHECK(first(&a)->resumed_from == NULL);
    finish(&b);
    finish(&c);

    current_test = "session links: TLS 1.3 ticket offered as a PSK identity";
    ta_event nst = hs(S, TA_HS_NEW_SESSION_TICKET);
    nst.ticket = (ta_der){TICKET, sizeof TICKET};
    FRAME(&a, nst); /* a's server issues a ticket */
    const ta_der identity = {TICKET, sizeof TICKET}, other = {SESSION_A + 1, 4};
    ta_hello ch13 = CH13, sh13 = SH13;
    ch13.psk_identities = (const ta_der[]){other, identity};
    ch13.psk_identity_count = 2;
    ch13.ext_pre_shared_key = sh13.ext_pre_shared_key = true;
    b = (driver){.conn = ta_conn_new(TCP0, NULL, sessions)};
    FRAME(&b, hello(C, TA_HS_CLIENT_HELLO, &ch13));
    FRAME(&b, hello(S, TA_HS_SERVER_HELLO, &sh13));
    CHECK(first(&b)->resumed && first(&b)->resumed_from == first(&a));
    finish(&b);

    current_test = "session links: a session nobody issued links to nothing";
    ta_hello unknown = ch13;
    unknown.psk_identities = &other;
    unknown.psk_identity_count = 1;
    b = (driver){.conn = ta_conn_new(TCP0, NULL, sessions)};
    FRAME(&b, hello(C, TA_HS_CLIENT_HELLO, &unknown));
    FRAME(&b, hello(S, TA_HS_SERVER_HELLO, &sh13));
    CHECK(first(&b)->resumed && first(&b)->resumed_from == NULL);
    finish(&b);
    finish(&a);
    ta_sessions_free(sessions);
}

static void test_psk(void)
{
    driver d;
    start(&d, "TLS 1.2 PSK suite: mode psk, no key log asked for");
    static const ta_hello SH_PSK = {.legacy_version = TA_VERSION_TLS12, .cipher_suite = 0x00A8};
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH_PSK), hs(S, TA_HS_SERVER_KEY_EXCHANGE), hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&d, hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC), ev(C, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), ev(S, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    expect(&d, 0, "psk", "completed", "-", "-");
    CHECK(d.last.notes[0].remarks[0] == TA_REMARK_ESTABLISHED_PSK);
    char text[TA_EXPLANATION_MAX];
    ta_explain_outcome(first(&d), text, sizeof text);
    CHECK(strstr(text, "PSK TLS established") == text && !strstr(text, "keylog"));
    finish(&d);

    start(&d, "TLS 1.2 RSA-PSK: the server's certificate makes it one-way");
    static const ta_hello SH_RSA_PSK = {.legacy_version = TA_VERSION_TLS12, .cipher_suite = 0x00AC};
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH_RSA_PSK), cert(S, 2), hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&d, hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC), ev(C, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), ev(S, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    expect(&d, 0, "one-way", "completed", "-", "-");
    finish(&d);

    /* RFC 8446 4.2.11: an external PSK's obfuscated age is 0; a ticket's never is. */
    start(&d, "TLS 1.3 external PSK: psk, not resumed");
    static const ta_hello CH13_EXT = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                                      .ext_pre_shared_key = true, .psk_external = true};
    static const ta_hello SH13_PSK = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                                      .ext_pre_shared_key = true};
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13_EXT));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13_PSK), opaque(S, 30), opaque(S, 69));
    FRAME(&d, opaque(C, 69));
    FRAME(&d, opaque(C, 40), opaque(S, 40));
    expect(&d, 0, "psk", "completed", "-", "-");
    CHECK(first(&d)->encrypted && !first(&d)->mode_inferred); /* read from the ServerHello, not inferred */
    finish(&d);

    start(&d, "TLS 1.3 resumption PSK (a ticket's age): resumed");
    static const ta_hello CH13_TICKET = {.legacy_version = TA_VERSION_TLS12, .supported_version_max = TA_VERSION_TLS13,
                                         .ext_pre_shared_key = true};
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13_TICKET));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13_PSK), opaque(S, 30), opaque(S, 69));
    FRAME(&d, opaque(C, 69));
    FRAME(&d, opaque(C, 40), opaque(S, 40));
    expect(&d, 0, "resumed", "completed", "-", "-");
    finish(&d);
}

static void test_renegotiation_before_data(void)
{
    driver d;
    start(&d, "a renegotiation before any data closes the first handshake as completed");
    tls12_server_flight(&d, false);
    FRAME(&d, hs(C, TA_HS_CLIENT_KEY_EXCHANGE), ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    CHECK(first(&d)->outcome == TA_OUTCOME_INCOMPLETE);
    unsigned notes = FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    CHECK(notes == 2 && d.last.notes[0].is_summary && d.last.notes[0].hs_index == 0);
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK(ta_conn_handshake_count(d.conn) == 2 && ta_conn_handshake(d.conn, 1)->renegotiates == first(&d));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), cert(S, 2), hs(S, TA_HS_CERTIFICATE_REQUEST),
          hs(S, TA_HS_SERVER_HELLO_DONE));
    FRAME(&d, cert(C, 2), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_CERTIFICATE_VERIFY),
          ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    expect(&d, 1, "mutual", "completed", "-", "-");
    char text[TA_EXPLANATION_MAX];
    ta_explain_outcome(ta_conn_handshake(d.conn, 1), text, sizeof text);
    CHECK(strstr(text, "followed the handshake in frame 1 (one-way)") != NULL);
    finish(&d);

    start(&d, "TLS 1.3 post-handshake authentication before any data closes the handshake");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), hs(S, TA_HS_ENCRYPTED_EXTENSIONS), cert(S, 2),
          hs(S, TA_HS_CERTIFICATE_VERIFY), hs(S, TA_HS_FINISHED));
    FRAME(&d, hs(C, TA_HS_FINISHED));
    FRAME(&d, hs(S, TA_HS_CERTIFICATE_REQUEST));
    expect(&d, 0, "one-way", "completed", "-", "-");
    CHECK(ta_conn_handshake_count(d.conn) == 2 && ta_conn_handshake(d.conn, 1)->post_handshake);
    finish(&d);
}

static void test_transport_ends(void)
{
    driver d;
    start(&d, "EAP-Success after the Finished messages: completed without application data");
    tls12_server_flight(&d, true);
    FRAME(&d, cert(C, 2), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_CERTIFICATE_VERIFY),
          ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, ev(S, TA_EV_CHANGE_CIPHER_SPEC), hs(S, TA_HS_FINISHED));
    unsigned notes = FRAME(&d, ev(S, TA_EV_ACCEPTED));
    CHECK(notes == 1 && d.last.notes[0].is_summary && d.last.notes[0].steps[0].step == TA_STEP_SERVER_ACCEPTED);
    expect(&d, 0, "mutual", "completed", "-", "-");
    finish(&d);

    start(&d, "EAP-Failure after the client's certificate: the server rejected it");
    tls12_server_flight(&d, true);
    FRAME(&d, cert(C, 1), hs(C, TA_HS_CLIENT_KEY_EXCHANGE), hs(C, TA_HS_CERTIFICATE_VERIFY),
          ev(C, TA_EV_CHANGE_CIPHER_SPEC), hs(C, TA_HS_FINISHED));
    FRAME(&d, closes(S, TA_CLOSE_EAP_FAILURE));
    expect(&d, 0, "mutual", "aborted", "server", "eap_failure");
    CHECK(first(&d)->drop_reason == TA_REASON_SERVER_REJECTED_CLIENT_CERT);
    finish(&d);

    start(&d, "QUIC CONNECTION_CLOSE with an error and no alert is a drop");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), hs(S, TA_HS_ENCRYPTED_EXTENSIONS), cert(S, 2),
          hs(S, TA_HS_CERTIFICATE_VERIFY), hs(S, TA_HS_FINISHED));
    ta_event close = closes(C, TA_CLOSE_QUIC);
    close.close_code = 0x0A;
    FRAME(&d, close);
    expect(&d, 0, "one-way", "aborted", "client", "connection_close");
    char text[TA_EXPLANATION_MAX];
    ta_explain_outcome(first(&d), text, sizeof text);
    CHECK(strstr(text, "CONNECTION_CLOSE (error 0xa)") != NULL);
    finish(&d);
}

static void test_split_hello(void)
{
    driver d;
    start(&d, "a ClientHello's first record alone is not a handshake that was not captured");
    FRAME(&d, ev(C, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    CHECK(ta_conn_handshake_count(d.conn) == 1 && !first(&d)->not_captured && first(&d)->frame_first == 1);
    /* A plaintext server Certificate split over records: no encrypted step before its CCS. */
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH12), ev(S, TA_EV_ENCRYPTED_HANDSHAKE));
    FRAME(&d, cert(S, 2), hs(S, TA_HS_SERVER_HELLO_DONE));
    CHECK(strchr(first(&d)->history, 'q') == NULL);
    finish(&d);

    start(&d, "records of several frames before a ClientHello were a connection not captured");
    FRAME(&d, ev(C, TA_EV_APP_DATA));
    FRAME(&d, ev(S, TA_EV_APP_DATA));
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH12));
    CHECK(ta_conn_handshake_count(d.conn) == 2 && first(&d)->not_captured);
    finish(&d);
}

static void test_cut_short_inference_is_flagged(void)
{
    driver d;
    start(&d, "a keyless TLS 1.3 handshake cut before its outcome flags its mode as inferred");
    FRAME(&d, hello(C, TA_HS_CLIENT_HELLO, &CH13));
    FRAME(&d, hello(S, TA_HS_SERVER_HELLO, &SH13), ev(S, TA_EV_CHANGE_CIPHER_SPEC), opaque(S, 23), opaque(S, 103),
          opaque(S, 929), opaque(S, 96), opaque(S, 69));
    CHECK(first(&d)->outcome == TA_OUTCOME_INCOMPLETE);
    CHECK_STR(ta_mode_token(ta_handshake_mode(first(&d))), "mutual-requested");
    CHECK(ta_handshake_mode_inferred(first(&d)));
    finish(&d);
}

int main(void)
{
    test_tls12_one_way();
    test_tls12_mutual();
    test_server_certificate_not_captured();
    test_huge_certificate_count();
    test_tls12_client_rejects_server();
    test_client_silently_closes_after_certificate();
    test_tls12_no_client_cert();
    test_tls12_server_rejects_client();
    test_tls13_mutual_with_keys();
    test_tls13_certificate_required_after_client_data();
    test_tls13_gnutls_two_alerts();
    test_tls13_without_keys();
    test_tls13_without_keys_encrypted_client_alert();
    test_tls13_without_keys_server_alert_after_client_flight();
    test_curl_hangs_up();
    test_warning_alert_is_not_a_drop();
    test_refused_hello();
    test_resumption();
    test_hello_retry_request();
    test_post_handshake_auth();
    test_dtls_hello_verify_request();
    test_renegotiation_and_bound();
    test_psk();
    test_renegotiation_before_data();
    test_transport_ends();
    test_split_hello();
    test_cut_short_inference_is_flagged();
    test_missing_and_hostile_events();
    test_tokens();
    test_ca_names();
    test_staples();
    test_session_links();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
