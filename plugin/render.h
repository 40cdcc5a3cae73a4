/* How tlsauth shows what it found: the tlsauth subtree of each frame and its expert infos. */
#ifndef TLSAUTH_RENDER_H
#define TLSAUTH_RENDER_H

#include <epan/packet.h>

#include "fields.h"
#include "frames.h"

void tlsauth_render_register(int proto);
/* The notice of a capture read without a tree, so without analysis. */
void tlsauth_render_missed(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb);
/* in: the frame's fields when they were read on this pass, else NULL (no certificate detail). */
void tlsauth_render(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const tlsauth_frame *frame,
                    const tlsauth_input *in);

#endif
