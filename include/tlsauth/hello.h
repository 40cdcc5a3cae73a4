/* tlsauth hello reader: what a ClientHello or ServerHello says, read from the message's bytes.
 *
 * Pure C11 over a bounded buffer, so the glue consumes one field per hello instead of one per
 * extension (Wireshark builds an item for every field a post-dissector wants). Captured bytes
 * are hostile: every length is checked against the buffer, a truncated hello gives what was read
 * before the cut, and nothing past len is ever read. */
#ifndef TLSAUTH_HELLO_H
#define TLSAUTH_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlsauth/tracker.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TA_MAX_PSK_IDENTITIES 4

typedef struct ta_hello_info {
    ta_hello hello;                  /* hello.sni points into sni, hello.psk_identities into psk_identities,
                                      * hello.random, .session_id and .ticket into the body */
    char sni[TA_SNI_MAX + 1];        /* first host_name, bytes outside printable ASCII as '?'; cut at TA_SNI_MAX */
    ta_der psk_identities[TA_MAX_PSK_IDENTITIES]; /* ClientHello: pre_shared_key identities offered */
} ta_hello_info;

/* Reads the body of a ClientHello or ServerHello (hs_type TA_HS_CLIENT_HELLO or
 * TA_HS_SERVER_HELLO; DTLS ClientHellos carry a cookie), starting at its legacy version. Returns
 * false if the body is cut short or malformed; out then holds what was read before. Pointers in
 * out point into body. */
bool ta_hello_read(const uint8_t *body, size_t len, uint8_t hs_type, bool dtls, ta_hello_info *out);

#ifdef __cplusplus
}
#endif

#endif
