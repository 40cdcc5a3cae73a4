/* Tree helpers: text is only formatted for someone: a tree on display, a field a filter, column
 * or -e names, or the expert infos (a listener, or a filter on them). */
#include "tree.h"

#include <epan/tap.h>

static int proto = -1;
static int tap_expert = -1;
static int hf_ws_expert = -1;

void tlsauth_tree_register(int proto_id) { proto = proto_id; }

gboolean tlsauth_shown(proto_tree *tree, int hf)
{
    return tree && ((PTREE_DATA(tree) && PTREE_DATA(tree)->visible) || proto_field_is_referenced(tree, hf));
}

void tlsauth_add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    if (value && value[0])
        proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, value));
}

/* tlsauth's expert infos are fields too (tlsauth.expert.*): a filter may name one. */
#define MAX_EXPERT_FIELDS 64
static int expert_hfs[MAX_EXPERT_FIELDS];
static int expert_hf_count = -1;

static gboolean expert_field_referenced(proto_tree *tree)
{
    if (expert_hf_count < 0) {
        expert_hf_count = 0;
        void *cookie = NULL;
        for (header_field_info *hfi = proto_get_first_protocol_field(proto, &cookie);
             hfi && expert_hf_count < MAX_EXPERT_FIELDS; hfi = proto_get_next_protocol_field(proto, &cookie))
            if (g_str_has_prefix(hfi->abbrev, "tlsauth.expert."))
                expert_hfs[expert_hf_count++] = hfi->id;
    }
    for (int i = 0; i < expert_hf_count; i++)
        if (proto_field_is_referenced(tree, expert_hfs[i]))
            return TRUE;
    return FALSE;
}

gboolean tlsauth_experts_wanted(proto_tree *tree)
{
    if (tap_expert < 0)
        tap_expert = find_tap_id("expert");
    if (hf_ws_expert < 0)
        hf_ws_expert = proto_registrar_get_id_byname("_ws.expert");
    return (tap_expert >= 0 && have_tap_listener(tap_expert)) || tlsauth_shown(tree, hf_ws_expert) ||
           expert_field_referenced(tree);
}
