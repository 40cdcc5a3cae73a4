/* The floor under any post-dissector that reads other dissectors' fields: a plugin that wants one
 * field (tcp.stream) and does nothing with it. Wanting a field makes Wireshark build a protocol
 * tree in every frame, which tshark alone skips for summary lines and -2's first pass;
 * bench/run-bench.sh counts what that alone costs, next to tlsauth. */
#define WS_BUILD_DLL
#include <ws_symbol_export.h>

#include <epan/packet.h>

#include "../plugin/ws_compat.h"

static int proto_floor = -1;
static dissector_handle_t floor_handle;

static int dissect_floor(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return 0;
}

/* As tlsauth does: asked for at each capture open, once protocols are enabled or disabled. */
static void floor_init(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    int hf = proto_registrar_get_id_byname("tcp.stream");
    g_array_append_val(wanted, hf);
    set_postdissector_wanted_hfids(floor_handle, wanted);
}

static void floor_register(void)
{
    proto_floor = proto_register_protocol("Post-dissector floor (tlsauth bench)", "tlsauth_floor", "tlsauth_floor");
    register_init_routine(floor_init);
}

static void floor_handoff(void)
{
    floor_handle = create_dissector_handle(dissect_floor, proto_floor);
    register_postdissector(floor_handle);
}

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = "0.0.0";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plugin = {floor_register, floor_handoff};
    proto_register_plugin(&plugin);
}

TA_PLUGIN_DESCRIBE
