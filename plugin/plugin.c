/* Plugin entry points that Wireshark looks up when it loads tlsauth.so. */
#define WS_BUILD_DLL
#include <ws_symbol_export.h>

#include "ws_compat.h"

#ifndef TLSAUTH_VERSION
#define TLSAUTH_VERSION "0.0.0"
#endif

void proto_register_tlsauth(void);
void proto_reg_handoff_tlsauth(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = TLSAUTH_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plugin = {proto_register_tlsauth, proto_reg_handoff_tlsauth};
    proto_register_plugin(&plugin);
}

TA_PLUGIN_DESCRIBE
