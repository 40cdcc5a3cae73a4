/* tlsauth TLS 1.3 without keys: what the sizes of encrypted records say about the mode (README:
 * "What tlsauth can and cannot know without keys"). */
#include "tracker_internal.h"

/* A TLS 1.3 Finished record: 4 bytes of header, a SHA-256 or SHA-384 MAC, the inner type, the tag. */
bool ta__finished_sized(uint32_t length) { return length == 4 + 32 + 1 + 16 || length == 4 + 48 + 1 + 16; }

#define EMPTY_CERTIFICATE_RECORD_LEN (4 + 1 + 3 + 1 + 16)

int ta__server_signal(const ta_handshake *hs)
{
    return hs->server_flight_records == 5 ? 1 : hs->server_flight_records == 4 ? 0 : SIGNAL_NONE;
}

/* The client's flight up to its Finished: nothing else, an empty Certificate, or a Certificate
 * and CertificateVerify (or the same packed into the Finished's record). */
int ta__client_signal(const ta_handshake *hs)
{
    unsigned n = hs->client_flight_records;
    if (!hs->client_flight_complete || n == 0 || n > sizeof hs->client_flight_len / sizeof *hs->client_flight_len)
        return SIGNAL_NONE;
    uint32_t finished = hs->client_flight_len[n - 1], before = 0;
    for (unsigned i = 0; i + 1 < n; i++)
        before += hs->client_flight_len[i];
    if (n == 1)
        return ta__finished_sized(finished) ? SIGNAL_NO_CERTIFICATE : SIGNAL_NONE;
    if (n == 2 && before == EMPTY_CERTIFICATE_RECORD_LEN)
        return SIGNAL_EMPTY_CERTIFICATE;
    return before >= 100 ? SIGNAL_CERTIFICATE : SIGNAL_NONE;
}

/* Unknown whenever the signals disagree or say nothing, except that a client flight of a
 * Finished alone decides: a client asked for a certificate must send a Certificate, empty or
 * not (RFC 8446 4.4.2), so no CertificateRequest came, however the server packed its records. */
ta_mode ta__infer_mode(const ta_handshake *hs)
{
    int server = ta__server_signal(hs), client = ta__client_signal(hs);
    if (client == SIGNAL_NO_CERTIFICATE)
        return TA_MODE_ONE_WAY;
    if (client != SIGNAL_NONE && server != SIGNAL_NONE && (client == SIGNAL_NO_CERTIFICATE) != (server == 0))
        return TA_MODE_UNKNOWN;
    switch (client) {
    case SIGNAL_CERTIFICATE: return TA_MODE_MUTUAL;
    case SIGNAL_EMPTY_CERTIFICATE: return TA_MODE_MUTUAL_REQUESTED;
    case SIGNAL_NO_CERTIFICATE: return TA_MODE_ONE_WAY;
    default: return server == 1 ? TA_MODE_MUTUAL_REQUESTED : server == 0 ? TA_MODE_ONE_WAY : TA_MODE_UNKNOWN;
    }
}
