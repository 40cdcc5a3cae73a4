/* tlsauth handshake tracker: TLS events of one connection in, per-handshake verdicts out.
 *
 * Pure C11: no Wireshark header, so unit tests and fuzzers drive it directly.
 * The caller feeds the events of each frame between ta_conn_begin_frame() and
 * ta_conn_end_frame(), in wire order, and gets back what that frame meant. One frame at a time
 * per thread: the notes being made are kept in one place for all connections. */
#ifndef TLSAUTH_TRACKER_H
#define TLSAUTH_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlsauth/proof.h"
#include "tlsauth/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds: hostile captures must not grow state without limit. */
#define TA_MAX_HANDSHAKES_PER_CONN 8
#define TA_MAX_NOTES_PER_FRAME 8
#define TA_MAX_STEPS_PER_NOTE 12
#define TA_SNI_MAX 255
#define TA_HISTORY_MAX 63
#define TA_STORY_MAX 48

typedef enum ta_role { TA_CLIENT = 0, TA_SERVER = 1, TA_ROLE_UNKNOWN = 2 } ta_role;

/* Which connection: the transport it runs on and that transport's own number for it (Wireshark's
 * tcp.stream, udp.stream, quic.connection.number; for EAP the conversation that carries it).
 * Two connections of different transports may share a number. */
typedef enum ta_transport { TA_TRANSPORT_TCP = 0, TA_TRANSPORT_UDP, TA_TRANSPORT_QUIC, TA_TRANSPORT_EAP } ta_transport;
typedef struct ta_conn_id {
    ta_transport transport;
    uint32_t number;
} ta_conn_id;

typedef enum ta_mode {
    TA_MODE_UNKNOWN = 0,
    TA_MODE_ONE_WAY,
    TA_MODE_MUTUAL,
    TA_MODE_MUTUAL_REQUESTED,
    TA_MODE_RESUMED,
    TA_MODE_PSK, /* a pre-shared key configured out of band, no certificate: TLS 1.2 PSK suites, TLS 1.3 external PSK */
} ta_mode;

typedef enum ta_outcome {
    TA_OUTCOME_INCOMPLETE = 0, /* not (yet) known */
    TA_OUTCOME_COMPLETED,
    TA_OUTCOME_ABORTED,
} ta_outcome;

/* How a side dropped the handshake. Values below 256 are TLS alert descriptions. */
typedef enum ta_drop_how {
    TA_DROP_NONE = -1,
    TA_DROP_ENCRYPTED_ALERT = 256,
    TA_DROP_FIN,
    TA_DROP_RST,
    TA_DROP_QUIC_CLOSE,            /* a CONNECTION_CLOSE without a TLS alert */
    TA_DROP_EAP_FAILURE,
} ta_drop_how;
#define TA_ALERT_CLOSE_NOTIFY 0
#define TA_ALERT_USER_CANCELED 90

/* Why the handshake was dropped, in the words of the explanation. */
typedef enum ta_drop_reason {
    TA_REASON_NONE = 0,
    TA_REASON_CLIENT_REJECTED_SERVER_CERT,
    TA_REASON_SERVER_GOT_NO_CLIENT_CERT,
    TA_REASON_SERVER_REJECTED_CLIENT_CERT,
    TA_REASON_HUNG_UP_UNUSED,     /* closed after the handshake without sending data */
    TA_REASON_REFUSED_HELLO,      /* refused before any certificate was exchanged */
    TA_REASON_ENCRYPTED_ABORT,    /* TLS 1.3 without keys: who, but not why */
    TA_REASON_OTHER,
} ta_drop_reason;

/* Handshake steps: one per (sender, message). The table in tracker.c describes each. */
typedef enum ta_step {
    TA_STEP_NONE = 0,
    TA_STEP_CLIENT_HELLO,
    TA_STEP_HELLO_RETRY_REQUEST,
    TA_STEP_HELLO_VERIFY_REQUEST, /* DTLS: the server asks the client to prove its address */
    TA_STEP_SERVER_HELLO,
    TA_STEP_ENCRYPTED_EXTENSIONS,
    TA_STEP_SERVER_CERTIFICATE,
    TA_STEP_CERTIFICATE_STATUS,
    TA_STEP_SERVER_KEY_EXCHANGE,
    TA_STEP_CERTIFICATE_REQUEST,
    TA_STEP_SERVER_HELLO_DONE,
    TA_STEP_SERVER_CERTIFICATE_VERIFY,
    TA_STEP_SERVER_FINISHED,
    TA_STEP_CLIENT_CERTIFICATE,
    TA_STEP_CLIENT_KEY_EXCHANGE,
    TA_STEP_CLIENT_CERTIFICATE_VERIFY,
    TA_STEP_CLIENT_FINISHED,
    TA_STEP_NEW_SESSION_TICKET,
    TA_STEP_CLIENT_CHANGE_CIPHER_SPEC,
    TA_STEP_SERVER_CHANGE_CIPHER_SPEC,
    TA_STEP_SERVER_ENCRYPTED_HANDSHAKE, /* handshake record that cannot be read without keys */
    TA_STEP_CLIENT_ENCRYPTED_HANDSHAKE,
    TA_STEP_CLIENT_APPLICATION_DATA,
    TA_STEP_SERVER_APPLICATION_DATA,
    TA_STEP_SERVER_ACCEPTED,      /* the transport's word that the server accepted: QUIC HANDSHAKE_DONE, EAP-Success */
    TA_STEP_CLIENT_ALERT,
    TA_STEP_SERVER_ALERT,
    TA_STEP_CLIENT_CLOSE,  /* FIN, RST, a QUIC CONNECTION_CLOSE without alert, an EAP-Failure: detail = ta_drop_how */
    TA_STEP_SERVER_CLOSE,
    TA_STEP_OTHER_HANDSHAKE,
    TA_STEP_UNCAPTURED_RECORD, /* a record of a connection whose handshake is not in the capture */
    TA_STEP_COUNT
} ta_step;

typedef enum ta_event_kind {
    TA_EV_HANDSHAKE,         /* a readable handshake message */
    TA_EV_ENCRYPTED_HANDSHAKE, /* a handshake record whose messages cannot be read */
    TA_EV_CHANGE_CIPHER_SPEC,
    TA_EV_ALERT,             /* a readable alert */
    TA_EV_ENCRYPTED_ALERT,   /* an alert record that cannot be read */
    TA_EV_APP_DATA,          /* readable (or TLS <= 1.2 encrypted) application data */
    TA_EV_OPAQUE_RECORD,     /* TLS 1.3 record not decrypted: type and content hidden */
    TA_EV_CLOSE,             /* the transport ended the connection: ev->close says how */
    TA_EV_ACCEPTED,          /* the transport says the server accepted the handshake (QUIC HANDSHAKE_DONE,
                              * EAP-Success) */
} ta_event_kind;

/* How a transport ends a connection. A QUIC CONNECTION_CLOSE carrying a TLS alert (crypto error
 * 0x0100 + alert) is fed as that alert, not as a close. */
typedef enum ta_close {
    TA_CLOSE_FIN = 0,        /* an orderly close (TCP FIN) */
    TA_CLOSE_RST,            /* an abortive one (TCP RST) */
    TA_CLOSE_QUIC,           /* a QUIC CONNECTION_CLOSE with a transport or application error */
    TA_CLOSE_EAP_FAILURE,    /* the EAP server's EAP-Failure: access refused */
} ta_close;

/* Handshake message types (RFC 8446 section 4) the tracker distinguishes. */
enum {
    TA_HS_HELLO_REQUEST = 0,
    TA_HS_CLIENT_HELLO = 1,
    TA_HS_SERVER_HELLO = 2,
    TA_HS_HELLO_VERIFY_REQUEST = 3,
    TA_HS_NEW_SESSION_TICKET = 4,
    TA_HS_END_OF_EARLY_DATA = 5,
    TA_HS_ENCRYPTED_EXTENSIONS = 8,
    TA_HS_CERTIFICATE = 11,
    TA_HS_SERVER_KEY_EXCHANGE = 12,
    TA_HS_CERTIFICATE_REQUEST = 13,
    TA_HS_SERVER_HELLO_DONE = 14,
    TA_HS_CERTIFICATE_VERIFY = 15,
    TA_HS_CLIENT_KEY_EXCHANGE = 16,
    TA_HS_FINISHED = 20,
    TA_HS_CERTIFICATE_STATUS = 22,
    TA_HS_KEY_UPDATE = 24,
};

#define TA_VERSION_SSL3 0x0300
#define TA_VERSION_TLS10 0x0301
#define TA_VERSION_TLS11 0x0302
#define TA_VERSION_TLS12 0x0303
#define TA_VERSION_TLS13 0x0304
#define TA_VERSION_DTLS10 0xFEFF
#define TA_VERSION_DTLS12 0xFEFD
#define TA_VERSION_DTLS13 0xFEFC
#define TA_VERSION_TLS13_DRAFT 0x7F00    /* 0x7FNN: draft NN of TLS 1.3 */
#define TA_VERSION_DTLS_OPENSSL_PRE 0x0100 /* OpenSSL's DTLS 1.0 before 0.9.8f (DTLS1_BAD_VER) */

/* What a ClientHello or ServerHello says. Pointers are only read during ta_conn_feed. */
typedef struct ta_hello {
    uint16_t legacy_version;
    uint16_t supported_version_max; /* ClientHello: highest offered; ServerHello: selected; 0 if absent */
    const char *sni;                /* ClientHello server_name, NULL if none */
    const uint8_t *session_id;
    size_t session_id_len;
    const uint8_t *random;          /* 32 bytes, NULL if not seen */
    uint16_t cipher_suite;          /* ServerHello: the suite selected; 0 otherwise */
    bool ext_session_ticket;        /* non-empty session_ticket extension offered or acknowledged */
    bool ext_pre_shared_key;        /* pre_shared_key extension */
    bool ext_post_handshake_auth;
    bool ext_status_request;        /* ClientHello: the client asks for a stapled OCSP response */
    bool psk_external;              /* ClientHello: every pre_shared_key identity has an obfuscated ticket age of 0,
                                     * which RFC 8446 4.2.11 gives external PSKs (a ticket's age is never 0) */
    ta_der ticket;                  /* ClientHello: the ticket a non-empty session_ticket extension offers */
    const ta_der *psk_identities;   /* ClientHello: the pre_shared_key identities offered (TLS 1.3 tickets) */
    unsigned psk_identity_count;
} ta_hello;

typedef struct ta_event {
    ta_event_kind kind;
    int sender;                   /* 0 or 1: the glue's endpoint index */
    uint8_t hs_type;              /* TA_EV_HANDSHAKE */
    const ta_hello *hello;        /* TA_EV_HANDSHAKE of a hello, else NULL */
    int cert_count;               /* TA_EV_HANDSHAKE Certificate: certificates in the chain */
    const ta_der *certs;          /* ... and the first of them (up to cert_count), or NULL */
    unsigned certs_available;     /* how many of certs[] are there (a bounded number) */
    const ta_der *ocsp_response;  /* a stapled OCSP response (CertificateStatus, or TLS 1.3 Certificate) */
    const ta_der *ca_names;       /* CertificateRequest: the DER DistinguishedNames it lists, or NULL */
    unsigned ca_name_count;
    bool ca_names_cut;            /* ... not all of them: the list cannot show that a name is missing */
    ta_der ticket;                /* NewSessionTicket: the ticket the server issues */
    uint8_t alert_level, alert_desc; /* TA_EV_ALERT */
    ta_close close;               /* TA_EV_CLOSE */
    uint64_t close_code;          /* TA_EV_CLOSE of TA_CLOSE_QUIC: the error code */
    uint32_t record_length;       /* TA_EV_OPAQUE_RECORD and others where known */
    /* TA_EV_HANDSHAKE: the message's body as sent, without its header, for the transcript its
     * signatures cover (tlsauth/proof.h); NULL when it was not read whole. DTLS adds its
     * message_seq (the transcript holds DTLS headers as if unfragmented, RFC 6347 4.2.6). */
    const uint8_t *body;
    uint32_t body_len;
    bool dtls;
    uint16_t message_seq;
} ta_event;

/* One line of a handshake's story: a step, the frame that carried it, and its detail
 * (certificates in a Certificate, the alert description, or a ta_drop_how for a close). */
typedef struct ta_story_step {
    uint32_t frame;
    uint8_t step;                 /* a ta_step */
    int16_t detail;
} ta_story_step;

/* Expert-worthy things a frame carries; text comes from ta_explain(). */
typedef enum ta_remark {
    TA_REMARK_NONE = 0,
    TA_REMARK_ESTABLISHED_MUTUAL,
    TA_REMARK_ESTABLISHED_ONE_WAY,
    TA_REMARK_ESTABLISHED_RESUMED,
    TA_REMARK_ESTABLISHED_UNKNOWN,   /* completed, but encrypted: mode unknown */
    TA_REMARK_ESTABLISHED_PSK,
    TA_REMARK_DROP,
    TA_REMARK_CLOSED_UNUSED_BY_PEER, /* unused */
    TA_REMARK_WARNING_ALERT,
    TA_REMARK_TOO_MANY_HANDSHAKES,
    TA_REMARK_NO_CLIENT_HELLO,        /* traffic whose ClientHello was not captured */
} ta_remark;

/* What the chain checker (the glue, with the verifier) found about one side's chain. */
typedef struct ta_chain_check {
    bool checked;                  /* false until a non-empty chain was checked */
    ta_verdict verdict;
    ta_problem_set problems;
    int issuer_listed;             /* client chains: 1 listed, 0 not listed, -1 no list to compare */
    int ocsp;                      /* a ta_ocsp_status of the stapled response, -1 if none */
    char leaf_subject[96];         /* for the story of handshakes that resume this one */
    int64_t verify_time;
} ta_chain_check;

typedef struct ta_der_list { /* DER objects copied into one block, bounded */
    ta_der *items;           /* the block: the items, then their bytes; NULL when none */
    unsigned count;
} ta_der_list;

typedef struct ta_handshake ta_handshake;
struct ta_handshake {
    unsigned index;                /* 0-based within the connection */
    int client_sender;             /* glue endpoint index of the client; -1 when not captured */
    bool not_captured;             /* records of a connection whose handshake began before the capture */
    bool post_handshake;           /* TLS 1.3 post-handshake authentication: a CertificateRequest after
                                    * the handshake, on the same connection */
    const struct ta_handshake *resumed_from; /* the full handshake this one resumed, when captured */
    const struct ta_handshake *renegotiates; /* the handshake before it on the same connection (renegotiation,
                                              * post-handshake authentication), or NULL */
    uint16_t version;              /* negotiated, or highest offered until ServerHello */
    uint16_t cipher_suite;         /* from the ServerHello; 0 until then */
    const char *sni;               /* never NULL: "" when none; at most TA_SNI_MAX bytes */
    ta_mode mode;
    ta_outcome outcome;
    ta_role drop_by;               /* TA_ROLE_UNKNOWN when not dropped */
    int drop_how;                  /* alert description, or a ta_drop_how */
    ta_step drop_after;            /* last handshake step before the drop */
    ta_drop_reason drop_reason;
    int server_chain_len;          /* -1: no server Certificate seen */
    int client_chain_len;          /* -1: no client Certificate seen */
    bool cert_requested, resumed, hello_retry, encrypted, offered_resumption, post_handshake_auth_offered,
        status_requested;
    bool server_finished, client_finished;
    bool psk;                      /* a PSK suite (TLS 1.2) or an external PSK (TLS 1.3) was negotiated */
    bool server_finished_last;     /* the server's Finished came after the client's (a full TLS <= 1.2 handshake) */
    uint64_t close_code;           /* drop_how TA_DROP_QUIC_CLOSE: the CONNECTION_CLOSE error code */
    bool change_cipher_spec[2];    /* indexed by ta_role: TLS <= 1.2 encrypts from there on */
    bool app_data[2];              /* indexed by ta_role */
    uint8_t session_id[32];
    size_t session_id_len;
    /* frame numbers, 0 when absent */
    uint32_t frame_client_hello, frame_server_hello, frame_server_cert, frame_cert_request,
        frame_client_cert, frame_drop, frame_summary, frame_first, frame_last, frame_client_flight;
    char history[TA_HISTORY_MAX + 1]; /* Zeek ssl_history style: upper case client, lower case server */
    ta_chain_check chain[2];       /* indexed by ta_role */
    ta_der_list ca_names;          /* the CA names its CertificateRequest listed (TA_MAX_CA_NAMES_BYTES at most) */
    bool ca_names_cut;             /* ... more than were read or kept: the list cannot show a name is missing */
    ta_story_step *story;          /* story_len steps, at most TA_STORY_MAX: grown as they come */
    unsigned story_len, story_cap;
    bool story_truncated;
    ta_step last_step;
    bool client_flight_complete;   /* TLS 1.3 without keys: the client's Finished was seen */
    /* TLS 1.3 without keys: what the record sizes say (see ta_explain_inference) */
    bool mode_inferred;
    uint8_t server_flight_records;
    uint8_t client_flight_records;
    uint32_t client_flight_len[4];
    uint32_t pending_alert_frame[2]; /* TLS 1.3 without keys: a lone 19-byte record per role */
    ta_proof proof[2];             /* indexed by ta_role: as checked; read with ta_handshake_proof() */
    uint8_t leaf_sha256[2][32];    /* the leaf each side sent: another one proves nothing */
    struct ta_proof_work *proof_work; /* the transcript and keys while a signature may still come */
};

/* What one frame meant for one handshake: kept for every such frame, so kept small. */
typedef struct ta_note_step {
    uint8_t step;                 /* a ta_step */
    int16_t detail;               /* as in ta_story_step */
} ta_note_step;

typedef struct ta_note {
    uint8_t hs_index;
    uint8_t step_count;
    uint8_t mode_so_far;          /* a ta_mode */
    uint8_t remark_count;
    uint8_t remarks[4];           /* ta_remark values */
    bool is_summary;
    ta_note_step steps[TA_MAX_STEPS_PER_NOTE];
} ta_note;

typedef struct ta_frame_result {
    ta_note notes[TA_MAX_NOTES_PER_FRAME];
    unsigned note_count;
} ta_frame_result;

typedef struct ta_conn ta_conn;

/* The verifier as the tracker uses it, passed in with each connection (the glue's store, cache
 * and preferences behind ctx). The tracker owns the TLS side: which chain, which CA names a
 * CertificateRequest listed, which staple goes with which chain, when a pending chain is dropped. */
typedef struct ta_verifier {
    void *ctx;
    /* A non-empty chain, as sent, leaf first, with the handshake as known so far (SNI, version,
     * cipher suite): fills out->verdict, problems, leaf_subject and verify_time (frame_time is
     * the capture time of the frame that carried it). */
    void (*check_chain)(void *ctx, const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                        int64_t frame_time, ta_chain_check *out);
    /* A stapled OCSP response about chain[0], whose issuer may be chain[1]: a ta_ocsp_status. */
    int (*check_ocsp)(void *ctx, const ta_der *response, const ta_der *chain, unsigned count, int64_t verify_time);
    /* Check the signatures that prove each peer holds its certificate's key (ta_verify_signature):
     * the tracker then keeps each handshake's messages until its signatures came. */
    bool check_proofs;
} ta_verifier;

/* Sessions servers issued (TLS 1.2 session ids and tickets, TLS 1.3 tickets), shared by the
 * connections of a capture: a handshake that resumes one is linked to the full handshake that
 * issued it, across connections. Bounded: once full, new sessions are not remembered. */
#define TA_MAX_SESSIONS 65536
typedef struct ta_sessions ta_sessions;
ta_sessions *ta_sessions_new(void);
void ta_sessions_free(ta_sessions *sessions); /* after the connections that use it */

/* verifier: copied; NULL (or NULL functions): chains are not checked. sessions: NULL, none
 * are linked. */
ta_conn *ta_conn_new(ta_conn_id id, const ta_verifier *verifier, ta_sessions *sessions);
ta_conn_id ta_conn_identity(const ta_conn *conn);
void ta_conn_free(ta_conn *conn);

/* A frame's events are fed between these two; what they meant goes into *out (NULL: not kept),
 * which must live until ta_conn_end_frame(). frame_time: capture time, unix seconds. */
void ta_conn_begin_frame(ta_conn *conn, uint32_t frame, int64_t frame_time, ta_frame_result *out);
void ta_conn_feed(ta_conn *conn, const ta_event *ev);
/* Some of the frame's events could not be fed (the caller's bound): what they held is unknown, so
 * no signature can be said missing. */
void ta_conn_lost_events(ta_conn *conn);
/* Completes *out; returns its number of notes (0 when it was NULL). */
unsigned ta_conn_end_frame(ta_conn *conn);

/* Bounds on what a connection keeps between frames. */
#define TA_MAX_CA_NAMES_BYTES 8192     /* the latest CertificateRequest's CA names */
#define TA_OCSP_CHAIN_MAX_BYTES 32768  /* TLS 1.2: the leaf and issuer waiting for a CertificateStatus */

unsigned ta_conn_handshake_count(const ta_conn *conn);
const ta_handshake *ta_conn_handshake(const ta_conn *conn, unsigned index);
/* Handshakes refused because the per-connection bound was hit. */
unsigned ta_conn_dropped_handshakes(const ta_conn *conn);

/* The mode: as decided with the outcome, or as far as the handshake went when it never ended. */
ta_mode ta_handshake_mode(const ta_handshake *hs);
/* Whether that mode was inferred from encrypted record sizes rather than read (also before an
 * outcome: a capture cut short never claims a mode it only inferred). */
bool ta_handshake_mode_inferred(const ta_handshake *hs);

/* Whether each side proved it holds its certificate's key: as checked, or why no signature can
 * be (resumption, RSA key transport, TLS 1.3 without keys); TA_PROOF_NONE without a certificate. */
ta_proof ta_handshake_proof(const ta_handshake *hs, ta_role role);

/* Public tokens (the scripting contract documented in README.md). */
const char *ta_mode_token(ta_mode mode);
const char *ta_outcome_token(ta_outcome outcome);
const char *ta_role_token(ta_role role);
const char *ta_transport_token(ta_transport transport); /* "tcp", "udp", "quic", "eap" */
const char *ta_version_token(uint16_t version);
const char *ta_alert_token(int alert_desc); /* snake_case RFC 8446 name, or "alert_N" */
const char *ta_drop_how_token(int drop_how);
const char *ta_step_token(ta_step step);
const char *ta_step_label(ta_step step);     /* "server Certificate" */
ta_role ta_step_role(ta_step step);

/* Plain-language sentences, written into buf (always NUL-terminated). */
#define TA_EXPLANATION_MAX 1024 /* bytes the text below may take, NUL included; a longer one ends " ..." */
/* How the handshake ended, or how far it went: one of the three below, by its outcome. */
void ta_explain_outcome(const ta_handshake *hs, char *buf, size_t size);
void ta_explain_drop(const ta_handshake *hs, char *buf, size_t size);
void ta_explain_established(const ta_handshake *hs, char *buf, size_t size);
void ta_explain_incomplete(const ta_handshake *hs, char *buf, size_t size);
/* The letters of a history in words, each once: "C ClientHello, s ServerHello, x server Certificate". */
void ta_history_key(const char *history, char *buf, size_t size);
/* The mode as far as a frame, worded as what has happened so far ("client certificate requested"). */
const char *ta_mode_so_far_text(ta_mode mode);
/* One side's proof of possession in a sentence ("" when it has none). */
void ta_explain_proof(const ta_handshake *hs, ta_role role, char *buf, size_t size);
/* For an encrypted TLS 1.3 handshake: what its record sizes say, and whether they agree. */
void ta_explain_inference(const ta_handshake *hs, char *buf, size_t size);
/* One step in words: a constant text, or buf filled (cut to size) when the step has details. */
const char *ta_explain_story_step(const ta_story_step *line, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
