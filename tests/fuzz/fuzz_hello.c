/* libFuzzer harness of the hello reader (include/tlsauth/hello.h).
 *
 * Input: [mode: bit 0 ServerHello (else ClientHello), bit 1 DTLS, bit 2 another message type]
 * then the body, handed over as an exact-size heap copy. Checked: every pointer of the result
 * lies inside the body, the server name is NUL-terminated printable ASCII, bounds are kept, and
 * reading a longer body never takes back what a shorter one read (lengths are never trusted
 * past the end). tests/fuzz/make-corpus.sh writes the seeds: the hellos of the captures. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "tlsauth/hello.h"

#include "fuzz_input.h"

static void check_inside(const uint8_t *body, size_t len, const uint8_t *p, size_t n)
{
    if (!p) {
        FUZZ_CHECK(n == 0);
        return;
    }
    FUZZ_CHECK(p >= body && n <= len && (size_t)(p - body) <= len - n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint8_t mode = fi_u8(&in);
    uint8_t type = mode & 4 ? (uint8_t)(mode >> 3) : mode & 1 ? TA_HS_SERVER_HELLO : TA_HS_CLIENT_HELLO;
    bool dtls = mode & 2;
    uint8_t *body = fi_dup(in.p, in.n);
    ta_hello_info info;
    bool ok = ta_hello_read(body, in.n, type, dtls, &info);
    const ta_hello *h = &info.hello;
    FUZZ_CHECK(!ok || type == TA_HS_CLIENT_HELLO || type == TA_HS_SERVER_HELLO);
    check_inside(body, in.n, h->random, h->random ? 32 : 0);
    check_inside(body, in.n, h->session_id, h->session_id_len);
    FUZZ_CHECK(h->session_id_len <= 255);
    check_inside(body, in.n, info.hello.ticket.data, info.hello.ticket.len);
    FUZZ_CHECK(info.hello.psk_identity_count <= TA_MAX_PSK_IDENTITIES);
    for (unsigned i = 0; i < info.hello.psk_identity_count; i++) {
        check_inside(body, in.n, info.psk_identities[i].data, info.psk_identities[i].len);
        FUZZ_CHECK(info.psk_identities[i].len > 0);
    }
    size_t sni_len = strnlen(info.sni, sizeof info.sni);
    FUZZ_CHECK(sni_len <= TA_SNI_MAX);
    FUZZ_CHECK(h->sni == NULL ? sni_len == 0 : h->sni == info.sni);
    for (size_t i = 0; i < sni_len; i++)
        FUZZ_CHECK(info.sni[i] > 0x20 && info.sni[i] < 0x7f);
    if (type != TA_HS_CLIENT_HELLO)
        FUZZ_CHECK(!h->sni && !info.hello.ticket.data && info.hello.psk_identity_count == 0);
    /* A prefix never reads more than the whole: the fixed part read from it is the same. */
    if (in.n > 0) {
        uint8_t *shorter = fi_dup(body, in.n - 1);
        ta_hello_info cut;
        ta_hello_read(shorter, in.n - 1, type, dtls, &cut);
        FUZZ_CHECK(cut.hello.legacy_version == (in.n - 1 >= 2 ? h->legacy_version : 0));
        FUZZ_CHECK(!cut.hello.random || h->random);
        free(shorter);
    }
    free(body);
    return 0;
}
