/* The TLS and TCP fields tlsauth consumes (declared in one table in fields.c), turned into the
 * tracker's events of one frame. */
#ifndef TLSAUTH_FIELDS_H
#define TLSAUTH_FIELDS_H

#include <epan/packet.h>

#include "tlsauth/hello.h"
#include "tlsauth/tracker.h"

#define TLSAUTH_MAX_EVENTS 64
#define TLSAUTH_MAX_HELLOS 4
#define TLSAUTH_MAX_CERTS 32 /* per frame; TA_VERIFY_MAX_CERTS are analysed per chain */
#define TLSAUTH_MAX_OCSP 4
#define TLSAUTH_MAX_CA_NAMES 16

typedef struct tlsauth_input {
    gboolean has_stream;
    ta_conn_id conn;        /* the innermost TCP or UDP stream or QUIC connection before the frame's first
                             * record; EAP: the transport EAP, numbered by its UDP stream when it has one */
    gboolean eap;           /* EAP carries the TLS: without a UDP stream (802.1X), the caller numbers it */
    gboolean eap_from_client; /* ... and the frame's EAP is a Response (or the supplicant's EAPOL-Start) */
    gboolean has_tls;
    ta_event events[TLSAUTH_MAX_EVENTS];
    unsigned event_count;
    unsigned events_dropped;
    ta_hello_info hellos[TLSAUTH_MAX_HELLOS];
    unsigned hello_count;
    ta_der certs[TLSAUTH_MAX_CERTS];       /* the events' certificates point in here */
    unsigned cert_count;
    ta_der ca_names[TLSAUTH_MAX_CA_NAMES]; /* DER names of the CertificateRequests (their events point here) */
    unsigned ca_name_count;
    ta_der ocsp[TLSAUTH_MAX_OCSP];         /* stapled OCSP responses */
    unsigned ocsp_count;
} tlsauth_input;

void tlsauth_fields_prepare(void);
void tlsauth_fields_request(dissector_handle_t handle, gboolean enabled);
void tlsauth_fields_extract(proto_tree *tree, tlsauth_input *in);
/* The n-th Certificate message of the frame (0-based), or NULL (in may be NULL). */
const ta_event *tlsauth_fields_certificate(const tlsauth_input *in, unsigned n);

#endif
