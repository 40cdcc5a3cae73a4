/* Reads ClientHello and ServerHello bodies (RFC 8446 section 4.1.2, RFC 6347 for the DTLS
 * cookie): only what the tracker and the resumption links need. */
#include "tlsauth/hello.h"

#include <string.h>

enum {
    EXT_SERVER_NAME = 0,
    EXT_STATUS_REQUEST = 5,
    EXT_SESSION_TICKET = 35,
    EXT_PRE_SHARED_KEY = 41,
    EXT_SUPPORTED_VERSIONS = 43,
    EXT_POST_HANDSHAKE_AUTH = 49,
    SNI_HOST_NAME = 0,
    RANDOM_LEN = 32,
};

/* A window on the body: every read checks what is left, and a failed read empties it. */
typedef struct cursor {
    const uint8_t *at;
    size_t left;
} cursor;

static bool take(cursor *c, size_t n, const uint8_t **out)
{
    if (n > c->left) {
        c->left = 0;
        return false;
    }
    if (out)
        *out = c->at;
    c->at += n;
    c->left -= n;
    return true;
}

static bool take_u8(cursor *c, unsigned *out)
{
    const uint8_t *p;
    if (!take(c, 1, &p))
        return false;
    *out = p[0];
    return true;
}

static bool take_u16(cursor *c, unsigned *out)
{
    const uint8_t *p;
    if (!take(c, 2, &p))
        return false;
    *out = (unsigned)p[0] << 8 | p[1];
    return true;
}

/* A vector with a 1- or 2-byte length: a cursor on its content. */
static bool take_vector(cursor *c, unsigned length_size, cursor *content)
{
    unsigned n;
    if (!(length_size == 1 ? take_u8(c, &n) : take_u16(c, &n)))
        return false;
    content->at = c->at;
    content->left = n;
    return take(c, n, NULL);
}

static bool is_grease(unsigned version) { return (version & 0x0f0f) == 0x0a0a; }

static void keep_version(ta_hello *hello, unsigned version)
{
    if (!is_grease(version) && version > hello->supported_version_max)
        hello->supported_version_max = (uint16_t)version;
}

static bool read_supported_versions(cursor ext, bool client, ta_hello *hello)
{
    unsigned version;
    if (!client) {
        if (!take_u16(&ext, &version))
            return false;
        keep_version(hello, version);
        return true;
    }
    cursor list;
    if (!take_vector(&ext, 1, &list))
        return false;
    while (list.left >= 2 && take_u16(&list, &version))
        keep_version(hello, version);
    return list.left == 0;
}

static bool read_server_name(cursor ext, ta_hello_info *out)
{
    cursor list, name;
    unsigned type;
    if (!take_vector(&ext, 2, &list))
        return false;
    while (list.left) {
        if (!take_u8(&list, &type) || !take_vector(&list, 2, &name))
            return false;
        if (type != SNI_HOST_NAME || out->hello.sni)
            continue;
        size_t n = name.left < TA_SNI_MAX ? name.left : TA_SNI_MAX;
        for (size_t i = 0; i < n; i++)
            out->sni[i] = name.at[i] > 0x20 && name.at[i] < 0x7f ? (char)name.at[i] : '?';
        out->sni[n] = '\0';
        out->hello.sni = out->sni;
    }
    return true;
}

static bool read_psk_identities(cursor ext, ta_hello_info *out)
{
    cursor identities, identity;
    const uint8_t *age;
    if (!take_vector(&ext, 2, &identities))
        return false;
    out->hello.psk_external = identities.left > 0;
    while (identities.left) {
        if (!take_vector(&identities, 2, &identity) || !take(&identities, 4, &age)) /* + obfuscated age */
            return false;
        if (age[0] | age[1] | age[2] | age[3])
            out->hello.psk_external = false;
        if (identity.left && out->hello.psk_identity_count < TA_MAX_PSK_IDENTITIES) {
            out->psk_identities[out->hello.psk_identity_count++] = (ta_der){identity.at, identity.left};
            out->hello.psk_identities = out->psk_identities;
        }
    }
    return true;
}

static bool read_extension(unsigned type, cursor ext, bool client, ta_hello_info *out)
{
    ta_hello *hello = &out->hello;
    switch (type) {
    case EXT_SERVER_NAME: return client ? read_server_name(ext, out) : true;
    case EXT_STATUS_REQUEST: hello->ext_status_request = true; return true;
    case EXT_SESSION_TICKET:
        /* An empty one only says "I support tickets"; a full one offers a ticket. */
        if (ext.left) {
            hello->ext_session_ticket = true;
            if (client)
                hello->ticket = (ta_der){ext.at, ext.left};
        }
        return true;
    case EXT_PRE_SHARED_KEY:
        hello->ext_pre_shared_key = true;
        return client ? read_psk_identities(ext, out) : true;
    case EXT_SUPPORTED_VERSIONS: return read_supported_versions(ext, client, hello);
    case EXT_POST_HANDSHAKE_AUTH: hello->ext_post_handshake_auth = true; return true;
    default: return true;
    }
}

bool ta_hello_read(const uint8_t *body, size_t len, uint8_t hs_type, bool dtls, ta_hello_info *out)
{
    memset(out, 0, sizeof *out);
    if (!body || (hs_type != TA_HS_CLIENT_HELLO && hs_type != TA_HS_SERVER_HELLO))
        return false;
    bool client = hs_type == TA_HS_CLIENT_HELLO;
    ta_hello *hello = &out->hello;
    cursor c = {body, len}, session_id, skipped, extensions, ext;
    unsigned version, type, suite = 0;
    if (!take_u16(&c, &version))
        return false;
    hello->legacy_version = (uint16_t)version;
    if (!take(&c, RANDOM_LEN, &hello->random) || !take_vector(&c, 1, &session_id))
        return false;
    if (session_id.left) {
        hello->session_id = session_id.at;
        hello->session_id_len = session_id.left;
    }
    bool fixed = client ? (!dtls || take_vector(&c, 1, &skipped)) &&   /* cookie */
                              take_vector(&c, 2, &skipped) &&           /* cipher suites */
                              take_vector(&c, 1, &skipped)              /* compression methods */
                        : take_u16(&c, &suite) && take(&c, 1, NULL);    /* cipher suite, compression */
    if (!fixed)
        return false;
    hello->cipher_suite = (uint16_t)suite;
    if (c.left == 0)
        return true; /* no extensions (SSL 3.0, TLS 1.0 clients) */
    if (!take_vector(&c, 2, &extensions))
        return false;
    while (extensions.left) {
        if (!take_u16(&extensions, &type) || !take_vector(&extensions, 2, &ext) ||
            !read_extension(type, ext, client, out))
            return false;
    }
    return true;
}
