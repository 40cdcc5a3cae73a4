/* Unit tests of the hello reader (include/tlsauth/hello.h): hellos built byte by byte as RFC 8446
 * and RFC 6347 lay them out, then every cut and a few lies about lengths. Bodies are exact-size
 * heap copies, so that a sanitizer build catches a read past the end. */
#include "tlsauth/hello.h"

#include <stdlib.h>

#include "check.h"

typedef struct bytes {
    uint8_t data[2048];
    size_t len;
} bytes;

static void put(bytes *b, const void *data, size_t n)
{
    memcpy(b->data + b->len, data, n);
    b->len += n;
}
static void put_u8(bytes *b, unsigned v) { b->data[b->len++] = (uint8_t)v; }
static void put_u16(bytes *b, unsigned v)
{
    put_u8(b, v >> 8);
    put_u8(b, v & 0xff);
}
/* Content with a 2-byte length before it. */
static void put_vector16(bytes *b, const bytes *content)
{
    put_u16(b, (unsigned)content->len);
    put(b, content->data, content->len);
}

/* An extension: type, then its content. */
static void put_ext(bytes *b, unsigned type, const bytes *content)
{
    put_u16(b, type);
    put_vector16(b, content);
}

static const uint8_t RANDOM[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t SESSION_ID[32] = {0xAA, 0xBB, 0xCC, [31] = 0xDD};
static const char TICKET[] = "a ticket";

static void put_server_name(bytes *ext, unsigned type, const char *name, size_t name_len)
{
    put_u8(ext, type);
    put_u16(ext, (unsigned)name_len);
    put(ext, name, name_len);
}

/* The extensions of a TLS 1.3 ClientHello resuming with two PSK identities, GREASE included. */
static void put_client_extensions(bytes *hello)
{
    bytes exts = {.len = 0}, e = {.len = 0};
    put_ext(&exts, 0x0a0a, &e); /* GREASE, empty */
    e.len = 0;
    put_u16(&e, 0); /* server_name_list length, fixed below */
    put_server_name(&e, 1, "not-a-host-name", 15);
    put_server_name(&e, 0, "server.tlsauth.test", 19);
    put_server_name(&e, 0, "second.example", 14);
    e.data[0] = (uint8_t)((e.len - 2) >> 8);
    e.data[1] = (uint8_t)(e.len - 2);
    put_ext(&exts, 0, &e);
    e.len = 0;
    put_u8(&e, 1); /* status_request: ocsp, no responder ids, no extensions */
    put_u16(&e, 0);
    put_u16(&e, 0);
    put_ext(&exts, 5, &e);
    e.len = 0;
    put_u8(&e, 6);
    put_u16(&e, 0x3a3a); /* GREASE */
    put_u16(&e, 0x0304);
    put_u16(&e, 0x0303);
    put_ext(&exts, 43, &e);
    e.len = 0;
    put(&e, TICKET, strlen(TICKET));
    put_ext(&exts, 35, &e);
    e.len = 0;
    put_ext(&exts, 49, &e); /* post_handshake_auth, empty */
    /* pre_shared_key, last: identities (two, and an empty one skipped), then binders */
    e.len = 0;
    put_u16(&e, 2 + 3 + 4 + 2 + 0 + 4 + 2 + 5 + 4);
    put_u16(&e, 3);
    put(&e, "id1", 3);
    put(&e, "\0\0\0\1", 4);
    put_u16(&e, 0);
    put(&e, "\0\0\0\2", 4);
    put_u16(&e, 5);
    put(&e, "ident", 5);
    put(&e, "\0\0\0\3", 4);
    put_u16(&e, 33);
    put_u8(&e, 32);
    for (int i = 0; i < 32; i++)
        put_u8(&e, i);
    put_ext(&exts, 41, &e);
    put_vector16(hello, &exts);
}

static void put_client_fixed(bytes *b, unsigned version, bool dtls)
{
    put_u16(b, version);
    put(b, RANDOM, sizeof RANDOM);
    put_u8(b, sizeof SESSION_ID);
    put(b, SESSION_ID, sizeof SESSION_ID);
    if (dtls) {
        put_u8(b, 3);
        put(b, "ck!", 3);
    }
    put_u16(b, 4); /* two cipher suites */
    put_u16(b, 0x1301);
    put_u16(b, 0xc02f);
    put_u8(b, 1);
    put_u8(b, 0);
}

static bytes client_hello(void)
{
    bytes b = {.len = 0};
    put_client_fixed(&b, 0x0303, false);
    put_client_extensions(&b);
    return b;
}

/* ta_hello_read over an exact-size heap copy of b's first len bytes. */
static bool read_cut(const bytes *b, size_t len, uint8_t type, bool dtls, ta_hello_info *out, uint8_t **copy)
{
    *copy = malloc(len ? len : 1);
    memcpy(*copy, b->data, len);
    return ta_hello_read(*copy, len, type, dtls, out);
}

static bool der_is(ta_der d, const void *data, size_t len)
{
    return d.len == len && d.data && !memcmp(d.data, data, len);
}

static void test_client_hello(void)
{
    current_test = "client hello";
    bytes b = client_hello();
    ta_hello_info info;
    uint8_t *copy;
    CHECK(read_cut(&b, b.len, TA_HS_CLIENT_HELLO, false, &info, &copy));
    CHECK(info.hello.legacy_version == 0x0303);
    CHECK(info.hello.random && !memcmp(info.hello.random, RANDOM, 32));
    CHECK(info.hello.session_id_len == 32 && info.hello.session_id == copy + 2 + 32 + 1);
    CHECK(info.hello.supported_version_max == 0x0304); /* GREASE ignored */
    CHECK(info.hello.sni == info.sni);
    CHECK_STR(info.sni, "server.tlsauth.test"); /* the first host_name, not another type */
    CHECK(info.hello.ext_status_request);
    CHECK(info.hello.ext_session_ticket);
    CHECK(der_is(info.hello.ticket, TICKET, strlen(TICKET)));
    CHECK(info.hello.ext_post_handshake_auth);
    CHECK(info.hello.ext_pre_shared_key);
    CHECK(info.hello.psk_identity_count == 2);
    CHECK(der_is(info.psk_identities[0], "id1", 3));
    CHECK(der_is(info.psk_identities[1], "ident", 5));
    free(copy);
}

static void test_dtls_client_hello(void)
{
    current_test = "DTLS client hello";
    bytes b = {.len = 0};
    put_client_fixed(&b, 0xfefd, true);
    put_client_extensions(&b);
    ta_hello_info info;
    uint8_t *copy;
    CHECK(read_cut(&b, b.len, TA_HS_CLIENT_HELLO, true, &info, &copy));
    CHECK(info.hello.legacy_version == 0xfefd);
    CHECK_STR(info.sni, "server.tlsauth.test");
    CHECK(info.hello.psk_identity_count == 2);
    free(copy);
    /* Read as TLS, the cookie is taken for the cipher suites: malformed, and nothing past the end. */
    CHECK(!read_cut(&b, b.len, TA_HS_CLIENT_HELLO, false, &info, &copy));
    free(copy);
}

static void test_server_hello(void)
{
    current_test = "server hello";
    static const uint8_t HRR[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                    0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                    0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
    bytes b = {.len = 0}, exts = {.len = 0}, e = {.len = 0};
    put_u16(&b, 0x0303);
    put(&b, HRR, sizeof HRR);
    put_u8(&b, 0); /* no session id */
    put_u16(&b, 0x1301);
    put_u8(&b, 0);
    put_u16(&e, 0x0304);
    put_ext(&exts, 43, &e);
    e.len = 0;
    put_u16(&e, 0); /* selected identity */
    put_ext(&exts, 41, &e);
    e.len = 0;
    put_server_name(&e, 0, "ignored", 7); /* a server's server_name is empty; never read */
    put_ext(&exts, 0, &e);
    put_vector16(&b, &exts);
    ta_hello_info info;
    uint8_t *copy;
    CHECK(read_cut(&b, b.len, TA_HS_SERVER_HELLO, false, &info, &copy));
    CHECK(info.hello.random && !memcmp(info.hello.random, HRR, 32));
    CHECK(info.hello.session_id == NULL && info.hello.session_id_len == 0);
    CHECK(info.hello.supported_version_max == 0x0304);
    CHECK(info.hello.cipher_suite == 0x1301);
    CHECK(info.hello.ext_pre_shared_key);
    CHECK(info.hello.psk_identity_count == 0 && info.hello.sni == NULL);
    free(copy);
    /* TLS 1.2 ServerHello without extensions (SSL 3.0 style): complete. */
    CHECK(read_cut(&b, 2 + 32 + 1 + 2 + 1, TA_HS_SERVER_HELLO, false, &info, &copy));
    CHECK(info.hello.supported_version_max == 0 && info.hello.cipher_suite == 0x1301);
    free(copy);
    /* Cut inside the cipher suite: not read. */
    CHECK(!read_cut(&b, 2 + 32 + 1 + 1, TA_HS_SERVER_HELLO, false, &info, &copy));
    CHECK(info.hello.cipher_suite == 0);
    free(copy);
}

/* Every cut of a ClientHello: false, unless it falls right after the compression methods (a hello
 * without extensions), and what comes before the cut is read. */
static void test_every_cut(void)
{
    current_test = "every cut";
    bytes b = client_hello();
    size_t fixed_end = 2 + 32 + 1 + 32 + 2 + 4 + 1 + 1;
    for (size_t len = 0; len < b.len; len++) {
        ta_hello_info info;
        uint8_t *copy;
        bool ok = read_cut(&b, len, TA_HS_CLIENT_HELLO, false, &info, &copy);
        CHECK(ok == (len == fixed_end));
        CHECK((info.hello.random != NULL) == (len >= 2 + 32));
        CHECK(strlen(info.sni) <= TA_SNI_MAX);
        free(copy);
    }
}

static void test_hostile_lengths(void)
{
    current_test = "hostile lengths";
    ta_hello_info info;
    uint8_t *copy;
    bytes b = client_hello();
    /* The extensions' length says one byte more than there is: none is read. */
    size_t ext_len_at = 2 + 32 + 1 + 32 + 2 + 4 + 1 + 1;
    b.data[ext_len_at + 1]++;
    CHECK(!read_cut(&b, b.len, TA_HS_CLIENT_HELLO, false, &info, &copy));
    CHECK(info.hello.sni == NULL && info.hello.random != NULL);
    free(copy);
    /* The last extension (pre_shared_key, 63 bytes) says one byte more than the block holds: the
     * ones before it are read. */
    b = client_hello();
    b.data[b.len - 63 - 1]++;
    CHECK(!read_cut(&b, b.len, TA_HS_CLIENT_HELLO, false, &info, &copy));
    CHECK_STR(info.sni, "server.tlsauth.test");
    CHECK(info.hello.ext_post_handshake_auth && !info.hello.ext_pre_shared_key);
    free(copy);
    /* A session id longer than the body. */
    b = client_hello();
    b.data[2 + 32] = 0xff;
    CHECK(!read_cut(&b, 60, TA_HS_CLIENT_HELLO, false, &info, &copy));
    CHECK(info.hello.session_id == NULL);
    free(copy);
    /* Not a hello, or nothing to read. */
    b = client_hello();
    CHECK(!read_cut(&b, b.len, TA_HS_CERTIFICATE, false, &info, &copy));
    CHECK(info.hello.random == NULL);
    free(copy);
    CHECK(!ta_hello_read(NULL, 10, TA_HS_CLIENT_HELLO, false, &info));
}

static void test_server_name_text(void)
{
    current_test = "server name text";
    bytes b = {.len = 0}, exts = {.len = 0}, e = {.len = 0};
    put_client_fixed(&b, 0x0303, false);
    char name[300];
    memset(name, 'a', sizeof name);
    memcpy(name, "ev\0l\n\x7f\xc3\xa9 x", 10);
    put_u16(&e, 1 + 2 + sizeof name);
    put_server_name(&e, 0, name, sizeof name);
    put_ext(&exts, 0, &e);
    put_vector16(&b, &exts);
    ta_hello_info info;
    uint8_t *copy;
    CHECK(read_cut(&b, b.len, TA_HS_CLIENT_HELLO, false, &info, &copy));
    /* No byte ends or hides the name: each one outside printable ASCII (space too) shows as '?'. */
    CHECK(strlen(info.sni) == TA_SNI_MAX);
    CHECK(!strncmp(info.sni, "ev?l?????xa", 11));
    free(copy);
}

static void test_many_identities(void)
{
    current_test = "many PSK identities";
    bytes b = {.len = 0}, exts = {.len = 0}, e = {.len = 0};
    put_client_fixed(&b, 0x0303, false);
    unsigned count = TA_MAX_PSK_IDENTITIES + 3;
    put_u16(&e, count * (2 + 1 + 4));
    for (unsigned i = 0; i < count; i++) {
        put_u16(&e, 1);
        put_u8(&e, 'A' + i);
        put(&e, "\0\0\0\0", 4);
    }
    put_u16(&e, 0); /* binders */
    put_ext(&exts, 41, &e);
    put_vector16(&b, &exts);
    ta_hello_info info;
    uint8_t *copy;
    CHECK(read_cut(&b, b.len, TA_HS_CLIENT_HELLO, false, &info, &copy));
    CHECK(info.hello.psk_identity_count == TA_MAX_PSK_IDENTITIES);
    CHECK(der_is(info.psk_identities[TA_MAX_PSK_IDENTITIES - 1], (char[]){'A' + TA_MAX_PSK_IDENTITIES - 1}, 1));
    free(copy);
}

int main(void)
{
    test_client_hello();
    test_dtls_client_hello();
    test_server_hello();
    test_every_cut();
    test_hostile_lengths();
    test_server_name_text();
    test_many_identities();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
