/* Tree helpers shared by the renderers: whether anyone will read what tlsauth would write. */
#ifndef TLSAUTH_TREE_H
#define TLSAUTH_TREE_H

#include <epan/packet.h>

/* Once, at registration: tlsauth's protocol, whose expert items a filter may name. */
void tlsauth_tree_register(int proto);
/* Whether anyone will see a field (a tree on display, or a filter, column or -e naming it), and
 * whether anyone listens to expert infos: text is formatted only then. */
gboolean tlsauth_shown(proto_tree *tree, int hf);
gboolean tlsauth_experts_wanted(proto_tree *tree);
/* A generated text field; nothing when the text is empty. */
void tlsauth_add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value);

#endif
