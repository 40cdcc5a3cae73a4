/* Tree helpers shared by the renderers: whether anyone will read what tlsauth would write. */
#ifndef TLSAUTH_TREE_H
#define TLSAUTH_TREE_H

#include <epan/expert.h>
#include <epan/packet.h>

/* Once, at registration: tlsauth's protocol, whose expert items a filter may name. */
void tlsauth_tree_register(int proto);
/* Whether anyone will see a field (a tree on display, or a filter, column or -e naming it), and
 * whether anyone listens to expert infos: text is formatted only then. */
gboolean tlsauth_shown(proto_tree *tree, int hf);
gboolean tlsauth_experts_wanted(proto_tree *tree);
/* A generated text field; nothing (NULL) when the text is empty. */
proto_item *tlsauth_add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value);
/* An expert info of text, which may be longer than Wireshark keeps of one (ITEM_LABEL_LENGTH):
 * then several of the same kind, each of whole sentences (whole clauses for a longer sentence),
 * the first a headline. item may be NULL (no tree: the expert tap still gets them). */
void tlsauth_expert(packet_info *pinfo, proto_item *item, expert_field *ei, const char *text);

#endif
