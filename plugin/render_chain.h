/* How a chain's validation is shown: verdict and problems, and certificate by certificate. */
#ifndef TLSAUTH_RENDER_CHAIN_H
#define TLSAUTH_RENDER_CHAIN_H

#include <epan/packet.h>

#include "tlsauth/tracker.h"

void tlsauth_render_chain_register(int proto);
void tlsauth_render_chain_verdict(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs, ta_role role);
void tlsauth_render_ocsp_status(proto_tree *tree, tvbuff_t *tvb, const ta_handshake *hs);
void tlsauth_render_ocsp(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs);
/* Whether the side proved it holds its certificate's key; expert: tell a failure (the frame of the
 * signature). */
void tlsauth_render_proof(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs, ta_role role,
                          gboolean expert);
/* certificate: the Certificate message as read, NULL when it was not (later passes without a
 * tree); kept_reason: the chain's reason as the first pass said it, for when it was not. */
void tlsauth_render_chain(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const ta_handshake *hs,
                          ta_role role, const ta_event *certificate, const char *kept_reason);

#endif
