/* Tree helpers: text is only formatted for someone: a tree on display, a field a filter, column
 * or -e names, or the expert infos (a listener, or a filter on them). */
#include "tree.h"

#include <string.h>

#include <epan/expert.h>
#include <epan/tap.h>

static int proto = -1;
static int tap_expert = -1;
static int hf_ws_expert = -1;
static int hf_continued = -1;
static gint ett_continued = -1;

void tlsauth_tree_register(int proto_id)
{
    static hf_register_info hf[] = {
        {&hf_continued, {"Continued", "tlsauth.continued", FT_NONE, BASE_NONE, NULL, 0,
                         "The rest of a text longer than a label can hold", HFILL}},
    };
    static gint *ett[] = {&ett_continued};
    proto = proto_id;
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}

gboolean tlsauth_shown(proto_tree *tree, int hf)
{
    return tree && ((PTREE_DATA(tree) && PTREE_DATA(tree)->visible) || proto_field_is_referenced(tree, hf));
}

/* Bytes of text that fit in a label with room for "... " or " ...": a whole word when one ends
 * near the limit, else whole UTF-8 characters. */
static size_t piece_length(const char *text, size_t room)
{
    size_t len = strlen(text);
    if (len <= room)
        return len;
    size_t cut = room;
    while (cut > room / 2 && text[cut] != ' ')
        cut--;
    if (text[cut] != ' ')
        for (cut = room; cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
            ;
    return cut;
}

proto_item *tlsauth_add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    if (!value || !value[0])
        return NULL;
    proto_item *item = proto_tree_add_string(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(item);
    /* Wireshark cuts a label at ITEM_LABEL_LENGTH: a longer text shows in pieces, the first in
     * the item's own label and the others under it; the field keeps the whole value. */
    const char *name = proto_registrar_get_name(hf);
    const size_t label_room = ITEM_LABEL_LENGTH - 1 - sizeof " ...";
    size_t first_room = label_room - strlen(name) - sizeof ": ";
    if (!item || strlen(value) <= first_room)
        return item;
    size_t len = piece_length(value, first_room);
    proto_item_set_text(item, "%s: %.*s ...", name, (int)len, value);
    proto_tree *rest = proto_item_add_subtree(item, ett_continued);
    const size_t piece_room = label_room - strlen("... ");
    for (const char *at = value + len + strspn(value + len, " "); *at; at += strspn(at, " ")) {
        len = piece_length(at, piece_room);
        if (len == 0) /* only for text that is not UTF-8: progress whatever it cuts */
            len = piece_room;
        gboolean more = at[len] && at[len + strspn(at + len, " ")];
        proto_item_set_generated(proto_tree_add_none_format(rest, hf_continued, tvb, 0, 0, "... %.*s%s", (int)len, at,
                                                            more ? " ..." : ""));
        at += len;
    }
    return item;
}

/* Where a message of at most room bytes may end: after a sentence, else a clause (": ", "; "),
 * else a word. *clause says it ended at a clause, whose mark becomes a full stop. */
static size_t message_end(const char *text, size_t room, gboolean *clause)
{
    static const char *const BOUNDARIES[] = {". ", ": ", "; ", " "};
    for (size_t b = 0; b < G_N_ELEMENTS(BOUNDARIES); b++) {
        size_t keep = strlen(BOUNDARIES[b]) - 1; /* the punctuation stays with the piece before */
        for (size_t at = room - keep; at > room / 3; at--)
            if (strncmp(text + at, BOUNDARIES[b], keep + 1) == 0) {
                *clause = b == 1 || b == 2;
                return at + keep;
            }
    }
    *clause = FALSE;
    return piece_length(text, room);
}

void tlsauth_expert(packet_info *pinfo, proto_item *item, expert_field *ei, const char *text)
{
    /* The tree shows the message after "Expert Info (Severity/Group): ", in one label. */
    const size_t room = ITEM_LABEL_LENGTH - 1 - sizeof "Expert Info (Warning/Decryption): ";
    gboolean capital = FALSE; /* the piece begins a sentence made of a clause */
    while (text && *text) {
        gboolean clause = FALSE;
        size_t len = strlen(text) <= room ? strlen(text) : message_end(text, room, &clause);
        if (len == 0) /* only for text that is not UTF-8: progress whatever it cuts */
            len = room;
        int first = capital ? g_ascii_toupper(text[0]) : text[0];
        expert_add_info_format(pinfo, item, ei, "%c%.*s%s", first, (int)(clause ? len - 2 : len - 1), text + 1,
                               clause ? "." : "");
        capital = clause;
        text += len;
        text += strspn(text, " ");
    }
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
