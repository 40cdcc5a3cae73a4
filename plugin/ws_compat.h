/* The only place that knows which Wireshark version tlsauth is built against.
 * Everything that changed in the plugin API between 4.0 and 4.6 is wrapped here. */
#ifndef TLSAUTH_WS_COMPAT_H
#define TLSAUTH_WS_COMPAT_H

#include <stdbool.h>

#include <ws_version.h>
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>

#define TA_WS_AT_LEAST(major, minor)                                                               \
    (WIRESHARK_VERSION_MAJOR > (major) ||                                                          \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

#if TA_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
/* 4.2 made field_info.value a pointer and replaced the raw byte accessor. */
#define TA_FI_VALUE(fi) ((fi)->value)
static inline const guint8 *ta_fi_bytes(field_info *fi, size_t *len)
{
    *len = fvalue_length2(TA_FI_VALUE(fi));
    return fvalue_get_bytes_data(TA_FI_VALUE(fi));
}
#else
#define TA_FI_VALUE(fi) (&(fi)->value)
/* 4.0 does not export fvalue_length(); the item's length is the byte count. */
static inline const guint8 *ta_fi_bytes(field_info *fi, size_t *len)
{
    *len = fi->length > 0 ? (size_t)fi->length : 0;
    return fvalue_get_bytes(TA_FI_VALUE(fi));
}
#endif

static inline guint32 ta_fi_uint(field_info *fi) { return fvalue_get_uinteger(TA_FI_VALUE(fi)); }
static inline guint64 ta_fi_uint64(field_info *fi) { return fvalue_get_uinteger64(TA_FI_VALUE(fi)); }
/* Booleans are stored as 64-bit integers since 4.0. */
static inline gboolean ta_fi_bool(field_info *fi) { return fvalue_get_uinteger64(TA_FI_VALUE(fi)) != 0; }
static inline const char *ta_fi_string(field_info *fi) { return fvalue_get_string(TA_FI_VALUE(fi)); }

/* Plugin entry points: 4.2 added plugin_describe(). */
#ifdef WS_PLUGIN_DESC_DISSECTOR
#define TA_PLUGIN_DESCRIBE                                                                         \
    WS_DLL_PUBLIC uint32_t plugin_describe(void);                                                  \
    uint32_t plugin_describe(void) { return WS_PLUGIN_DESC_DISSECTOR; }
#else
#define TA_PLUGIN_DESCRIBE
#endif

/* Boolean preferences: 4.4 registers them as C99 bool (4.0 and, as far as we know, 4.2 as
 * gboolean). The variable passed to prefs_register_bool_preference() must be a ta_pref_bool. */
#if TA_WS_AT_LEAST(4, 4)
typedef bool ta_pref_bool;
#else
typedef gboolean ta_pref_bool;
#endif

/* The init callback of a -z tap (stat_tap_ui.tap_init_cb): 4.6 made it return whether the tap
 * started. Declare it as `static TA_TAP_INIT_RESULT init(const char *opt_arg, void *userdata)`
 * and leave it with TA_TAP_INIT_DONE(started). */
#if TA_WS_AT_LEAST(4, 6)
#define TA_TAP_INIT_RESULT bool
#define TA_TAP_INIT_DONE(started) return (started)
#else
#define TA_TAP_INIT_RESULT void
#define TA_TAP_INIT_DONE(started)                                                                  \
    do {                                                                                           \
        (void)(started);                                                                           \
        return;                                                                                    \
    } while (0)
#endif

#endif
