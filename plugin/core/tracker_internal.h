/* Shared by the tracker's files: tracker.c (the state machine), tracker_steps.c (steps and alerts
 * as data, tokens), tracker_explain.c (the words). Not part of the public API. */
#ifndef TLSAUTH_TRACKER_INTERNAL_H
#define TLSAUTH_TRACKER_INTERNAL_H

#include "tlsauth/tracker.h"

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

/* The step's data (TA_STEP_NONE's for an out-of-range step). */
const step_info *ta__step_info(ta_step step);
/* The step a handshake message of that type from that role is; TA_STEP_OTHER_HANDSHAKE if none. */
ta_step ta__step_for_message(ta_role role, uint8_t hs_type);

typedef struct alert_info {
    int code;
    const char *name;
    const char *meaning;
} alert_info;

const alert_info *ta__alert_info(int code); /* NULL for an unassigned code */
/* An alert that says a record or the connection failed, not a judgement of a certificate: a drop
 * with one is no rejection, whenever it comes (a bit flipped in a record: bad_record_mac). */
bool ta__alert_judges_no_certificate(int code);

/* TLS 1.3 without keys: the signals in the encrypted record sizes. Servers that send one message
 * per record (OpenSSL, GnuTLS) send 4 records without a CertificateRequest and 5 with one. */
enum { SIGNAL_NONE = -1, SIGNAL_NO_CERTIFICATE = 0, SIGNAL_EMPTY_CERTIFICATE = 1, SIGNAL_CERTIFICATE = 2 };
int ta__server_signal(const ta_handshake *hs); /* 1: 5 records, 0: 4 records, or SIGNAL_NONE */
int ta__client_signal(const ta_handshake *hs);
ta_mode ta__infer_mode(const ta_handshake *hs); /* unknown whenever the signals disagree or say nothing */
bool ta__finished_sized(uint32_t length);      /* a TLS 1.3 Finished record's size (SHA-256 or SHA-384) */

/* tracker_sessions.c: kind 'i' a session id, 't' a ticket (TLS 1.2) or PSK identity (TLS 1.3). */
void ta__sessions_issued(ta_sessions *sessions, char kind, const ta_der *id, const ta_handshake *hs);
const ta_handshake *ta__sessions_lookup(const ta_sessions *sessions, char kind, const ta_der *id);

/* tracker_chains.c: what a connection gives its verifier, and what it keeps meanwhile. A DER list
 * keeps copies of the first count items when their bytes fit in max, else nothing. */
void ta__der_list_keep(ta_der_list *l, const ta_der *items, unsigned count, size_t max);
void ta__der_list_clear(ta_der_list *l);
typedef struct ta_chains {
    ta_verifier verifier;
    ta_der_list ocsp_chain;  /* TLS 1.2: the server's leaf and issuer, waiting for a CertificateStatus */
} ta_chains;
void ta__chains_certificate(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, int64_t frame_time);
void ta__chains_status(ta_chains *c, ta_handshake *hs, const ta_event *ev, int64_t frame_time);
void ta__chains_request(ta_handshake *hs, const ta_event *ev);
void ta__chains_flight_done(ta_chains *c);
void ta__chains_free(ta_chains *c);

/* tracker_proof.c: proof of possession (tlsauth/proof.h). ta__proof_message after the tracker
 * read each handshake message of hs; unreadable records leave a hole in the transcript; settled
 * once the outcome is known (the transcript is kept only while post-handshake auth may come). */
void ta__proof_message(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame);
void ta__proof_change_cipher_spec(ta_handshake *hs, ta_role role, uint32_t frame);
/* The side's chain untrusted (proof-failed) when its proof failed: again after it is judged again. */
void ta__proof_distrust(ta_handshake *hs, ta_role role);
void ta__proof_unreadable(ta_handshake *hs, ta_role role);
void ta__proof_hole(ta_handshake *hs); /* messages were lost: a signature due may be among them */
void ta__proof_post_handshake(ta_handshake *pha, const ta_handshake *done);
void ta__proof_settled(ta_handshake *hs);
void ta__proof_free(ta_handshake *hs);

/* TLS 1.3 drafts (0x7fNN) have its handshake shape too. */
static inline bool ta__is_v13(uint16_t version)
{
    return version == TA_VERSION_TLS13 || version == TA_VERSION_DTLS13 || (version & 0xFF00) == TA_VERSION_TLS13_DRAFT;
}

/* TLS 1.2 cipher suites authenticated by a pre-shared key alone (PSK, DHE_PSK, ECDHE_PSK; RSA_PSK
 * also has the server's certificate). */
bool ta__psk_only_suite(uint16_t cipher_suite);

#endif
