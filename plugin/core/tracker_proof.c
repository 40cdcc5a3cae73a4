/* tlsauth tracker: proof of possession. Keeps each handshake's messages as sent (the transcript)
 * and the leaf certificates while a signature may still come, builds what each signature covers
 * and has ta_verify_signature() check it. See include/tlsauth/proof.h.
 *
 * Each side has a turn to sign, which ends with its Finished (TLS 1.3), its ChangeCipherSpec (a
 * TLS <= 1.2 client) or its ServerHelloDone (a TLS <= 1.2 server); the peer's next flight ends it
 * too. One certificate per side and turn: another one, or one after the turn, proves nothing. A
 * failure is final: nothing later in the handshake (another signature, the chain judged again)
 * undoes it. */
#include "tracker_internal.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <stdlib.h>
#include <string.h>

#define DTLS_SEQS 32 /* DTLS messages per side told apart from their retransmissions; more are a hole */

struct ta_proof_work {
    uint8_t *bytes;            /* the transcript so far (after base, when there is one), headers included */
    size_t len, cap;
    gnutls_hash_hd_t base;     /* TLS 1.3 post-handshake authentication: the main handshake's hash state */
    bool missing, too_long;    /* a message was not read whole; the transcript outgrew TA_TRANSCRIPT_MAX */
    uint8_t random[2][32];     /* ClientHello's and ServerHello's, indexed by ta_role */
    bool have_random[2];
    ta_der_list leaf[2];       /* a copy of the leaf each side sent */
    uint32_t next_seq[2];      /* DTLS: the message_seq each side sends next */
    uint32_t seen[2][DTLS_SEQS]; /* DTLS: a fingerprint of each message_seq's first body, to tell a
                                  * retransmission from another message */
};

enum {
    TLS_HEADER = 4,
    DTLS_HEADER = 12,
    HRR_MESSAGE_HASH = 254, /* RFC 8446 4.4.1: the first ClientHello's place after a HelloRetryRequest */
    MAX_HASH = 64,
    TLS13_CONTEXT_PAD = 64,
};

static void put24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

static bool checking(const ta_chains *c) { return c->verifier.check_proofs; }

/* A failure distrusts the side's chain; nothing replaces it (a certificate sent again, a second
 * signature). */
static void set_proof(ta_handshake *hs, ta_role role, ta_proof_status status, ta_proof_why why, const ta_event *ev,
                      uint16_t scheme, uint32_t frame)
{
    ta_proof *p = &hs->proof[role];
    if (p->status == TA_PROOF_FAILED)
        return;
    *p = (ta_proof){(uint8_t)status, (uint8_t)why, ev ? ev->hs_type : 0, p->closed, p->certified, scheme, frame};
    ta__proof_distrust(hs, role);
}

void ta__proof_distrust(ta_handshake *hs, ta_role role)
{
    if (hs->proof[role].status != TA_PROOF_FAILED || !hs->chain[role].checked)
        return;
    /* As a revoked staple does: the verdict is about whether the peer is authenticated. */
    hs->chain[role].problems |= TA_PROBLEM_BIT(TA_PROBLEM_PROOF_FAILED);
    hs->chain[role].verdict = TA_VERDICT_UNTRUSTED;
}

static bool pending(const ta_handshake *hs, ta_role role)
{
    return hs->proof[role].status == TA_PROOF_NOT_VISIBLE && hs->proof[role].why == TA_WHY_NOT_SEEN;
}

void ta__proof_free(ta_handshake *hs)
{
    struct ta_proof_work *w = hs->proof_work;
    if (!w)
        return;
    if (w->base)
        gnutls_hash_deinit(w->base, NULL);
    free(w->bytes);
    ta__der_list_clear(&w->leaf[0]);
    ta__der_list_clear(&w->leaf[1]);
    free(w);
    hs->proof_work = NULL;
}

static struct ta_proof_work *new_work(ta_handshake *hs)
{
    ta__proof_free(hs);
    hs->proof_work = calloc(1, sizeof *hs->proof_work);
    return hs->proof_work;
}

static bool reserve(struct ta_proof_work *w, size_t more)
{
    if (more > TA_TRANSCRIPT_MAX - w->len) {
        w->too_long = true;
        return false;
    }
    if (w->len + more <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->len + more)
        cap *= 2;
    uint8_t *bytes = realloc(w->bytes, cap);
    if (!bytes) {
        w->too_long = true;
        return false;
    }
    w->bytes = bytes;
    w->cap = cap;
    return true;
}

/* DTLS 1.2 keeps its handshake headers in the transcript, as if unfragmented (RFC 6347 4.2.6);
 * DTLS 1.3 the TLS ones (RFC 9147 5.2). */
static bool dtls_headers(const ta_handshake *hs, const ta_event *ev)
{
    return ev->dtls && !(hs->frame_server_hello && hs->version == TA_VERSION_DTLS13);
}

static void append_message(struct ta_proof_work *w, bool dtls, const ta_event *ev)
{
    if (!ev->body) {
        w->missing = true;
        return;
    }
    size_t header = dtls ? DTLS_HEADER : TLS_HEADER;
    if (!reserve(w, header + ev->body_len))
        return;
    uint8_t *p = w->bytes + w->len;
    p[0] = ev->hs_type;
    put24(p + 1, ev->body_len);
    if (dtls) {
        p[4] = (uint8_t)(ev->message_seq >> 8);
        p[5] = (uint8_t)ev->message_seq;
        put24(p + 6, 0);
        put24(p + 9, ev->body_len);
    }
    memcpy(p + header, ev->body, ev->body_len);
    w->len += header + ev->body_len;
}

/* DTLS 1.3 selected: the messages so far lose the DTLS part of their headers. */
static void drop_dtls_headers(struct ta_proof_work *w)
{
    size_t in = 0, out = 0;
    while (in + DTLS_HEADER <= w->len) {
        size_t body = (size_t)w->bytes[in + 1] << 16 | (size_t)w->bytes[in + 2] << 8 | w->bytes[in + 3];
        memmove(w->bytes + out, w->bytes + in, TLS_HEADER);
        memmove(w->bytes + out + TLS_HEADER, w->bytes + in + DTLS_HEADER, body);
        in += DTLS_HEADER + body;
        out += TLS_HEADER + body;
    }
    w->len = out;
}

static uint32_t fingerprint(const ta_event *ev)
{
    uint32_t h = 2166136261u ^ ev->hs_type; /* FNV-1a */
    for (uint32_t i = 0; ev->body && i < ev->body_len; i++)
        h = (h ^ ev->body[i]) * 16777619u;
    return h | 1; /* never 0: 0 marks a message_seq not seen */
}

typedef enum dtls_order { DTLS_NEXT, DTLS_REPEAT, DTLS_CONFLICT } dtls_order;

/* Where a DTLS message stands in its sender's sequence: a retransmission repeats the bytes of the
 * message_seq it reuses; a skipped message_seq is a lost message, a hole. */
static dtls_order dtls_order_of(struct ta_proof_work *w, ta_role role, const ta_event *ev)
{
    uint32_t seq = ev->message_seq, print = fingerprint(ev);
    if (seq < w->next_seq[role])
        return seq < DTLS_SEQS && w->seen[role][seq] == print ? DTLS_REPEAT : DTLS_CONFLICT;
    if (seq > w->next_seq[role] || seq >= DTLS_SEQS)
        w->missing = true;
    if (seq < DTLS_SEQS)
        w->seen[role][seq] = print;
    w->next_seq[role] = seq + 1;
    return DTLS_NEXT;
}

static gnutls_digest_algorithm_t tls13_hash(uint16_t cipher_suite)
{
    switch (cipher_suite) {
    case 0x1301: case 0x1303: case 0x1304: case 0x1305: return GNUTLS_DIG_SHA256;
    case 0x1302: return GNUTLS_DIG_SHA384;
    default: return GNUTLS_DIG_UNKNOWN; /* SM3 suites (RFC 8998), or not a TLS 1.3 suite */
    }
}

/* RFC 8446 4.4.1: after a HelloRetryRequest the first ClientHello counts as its hash. */
static void hash_first_client_hello(struct ta_proof_work *w, uint16_t cipher_suite)
{
    gnutls_digest_algorithm_t alg = tls13_hash(cipher_suite);
    uint8_t hash[MAX_HASH];
    unsigned len = gnutls_hash_get_len(alg);
    if (alg == GNUTLS_DIG_UNKNOWN || len > MAX_HASH || gnutls_hash_fast(alg, w->bytes, w->len, hash) < 0) {
        w->missing = true;
        return;
    }
    w->len = 0;
    const ta_event synthetic = {.hs_type = HRR_MESSAGE_HASH, .body = hash, .body_len = len};
    append_message(w, false, &synthetic);
}

/* The transcript hash: of the bytes, after the main handshake's state for post-handshake auth. */
static bool transcript_hash(const struct ta_proof_work *w, gnutls_digest_algorithm_t alg, uint8_t *out)
{
    if (!w->base)
        return gnutls_hash_fast(alg, w->bytes, w->len, out) >= 0;
    gnutls_hash_hd_t h = gnutls_hash_copy(w->base);
    if (!h)
        return false;
    int r = gnutls_hash(h, w->bytes, w->len);
    gnutls_hash_deinit(h, out);
    return r >= 0;
}

static ta_sig_rules rules_for(uint16_t version)
{
    if (ta__is_v13(version))
        return TA_SIG_TLS13;
    return version == TA_VERSION_TLS12 || version == TA_VERSION_DTLS12 ? TA_SIG_TLS12 : TA_SIG_TLS10;
}

/* The signature at the end of a message: [scheme] length signature, nothing after it. */
static bool read_signature(const uint8_t *p, size_t len, ta_sig_rules rules, uint16_t *scheme, const uint8_t **sig,
                           size_t *sig_len)
{
    size_t at = 0;
    *scheme = 0;
    if (rules != TA_SIG_TLS10) {
        if (len < 2)
            return false;
        *scheme = (uint16_t)(p[0] << 8 | p[1]);
        at = 2;
    }
    if (len - at < 2)
        return false;
    *sig_len = (size_t)(p[at] << 8 | p[at + 1]);
    *sig = p + at + 2;
    return *sig_len > 0 && at + 2 + *sig_len == len;
}

static void set_checked(ta_handshake *hs, ta_role role, ta_proof_why why, const ta_event *ev, uint16_t scheme,
                        uint32_t frame)
{
    set_proof(hs, role, why == TA_WHY_SIGNED ? TA_PROOF_VERIFIED : TA_PROOF_FAILED, why, ev, scheme, frame);
}

/* Whether a signature can be checked at all: a leaf, and every message before it. */
static bool checkable(ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame, uint16_t scheme,
                      bool needs_transcript)
{
    struct ta_proof_work *w = hs->proof_work;
    ta_proof_why why = TA_WHY_NONE;
    if (!w || (needs_transcript && w->missing) || !ev->body) /* !body: cut by the snapshot length */
        why = TA_WHY_TRANSCRIPT_MISSING;
    else if (needs_transcript && w->too_long)
        why = TA_WHY_TRANSCRIPT_TOO_LONG;
    else if (!w->leaf[role].count)
        why = TA_WHY_CERT_UNREADABLE;
    if (why == TA_WHY_NONE)
        return true;
    set_proof(hs, role, TA_PROOF_NOT_VISIBLE, why, ev, scheme, frame);
    return false;
}

static void on_certificate_verify(ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame)
{
    ta_sig_rules rules = rules_for(hs->version);
    uint16_t scheme = 0;
    const uint8_t *sig = NULL;
    size_t sig_len = 0;
    bool readable = ev->body && read_signature(ev->body, ev->body_len, rules, &scheme, &sig, &sig_len);
    if (!checkable(hs, role, ev, frame, scheme, true))
        return;
    if (!readable) {
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_MALFORMED, ev, scheme, frame);
        return;
    }
    if (hs->version == TA_VERSION_SSL3) {
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_SSL3, ev, scheme, frame);
        return;
    }
    struct ta_proof_work *w = hs->proof_work;
    if (rules != TA_SIG_TLS13) {
        /* RFC 5246 7.4.8: the handshake messages so far */
        set_checked(hs, role, ta_verify_signature(w->leaf[role].items, rules, scheme, w->bytes, w->len, sig, sig_len), ev,
                    scheme, frame);
        return;
    }
    /* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, the transcript hash. */
    static const char *const context[2] = {"TLS 1.3, client CertificateVerify", "TLS 1.3, server CertificateVerify"};
    gnutls_digest_algorithm_t alg = tls13_hash(hs->cipher_suite);
    size_t context_len = strlen(context[role]);
    uint8_t content[TLS13_CONTEXT_PAD + 40 + 1 + MAX_HASH];
    unsigned hash_len = gnutls_hash_get_len(alg);
    if (alg == GNUTLS_DIG_UNKNOWN || hash_len > MAX_HASH ||
        !transcript_hash(w, alg, content + TLS13_CONTEXT_PAD + context_len + 1)) {
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_HASH_UNKNOWN, ev, scheme, frame);
        return;
    }
    memset(content, ' ', TLS13_CONTEXT_PAD);
    memcpy(content + TLS13_CONTEXT_PAD, context[role], context_len);
    content[TLS13_CONTEXT_PAD + context_len] = 0;
    set_checked(hs, role,
                ta_verify_signature(w->leaf[role].items, rules, scheme, content,
                                    TLS13_CONTEXT_PAD + context_len + 1 + hash_len, sig, sig_len),
                ev, scheme, frame);
}

/* The (EC)DHE or SRP parameters that start a ServerKeyExchange: their length when they fill the
 * message up to a signature, else 0. Tried by shape, ECDHE first (RFC 8422 5.4: a named curve),
 * then DHE (p, g, Ys) and SRP (N, g, s, B): the signature covers the exact bytes, so a wrong
 * shape can only fail, never pass. */
static size_t vector_end(const uint8_t *p, size_t len, size_t at, unsigned length_bytes)
{
    if (len < at + length_bytes)
        return 0;
    size_t n = length_bytes == 1 ? p[at] : (size_t)(p[at] << 8 | p[at + 1]);
    return len - at - length_bytes >= n ? at + length_bytes + n : 0;
}

static size_t params_length(const uint8_t *p, size_t len, ta_sig_rules rules, unsigned shape)
{
    static const uint8_t SHAPES[][4] = {{0, 0, 0, 0}, {2, 2, 2, 0}, {2, 2, 1, 2}}; /* DH and SRP vectors */
    size_t at = 0;
    if (shape == 0) {
        if (len < 4 || p[0] != 3) /* named_curve */
            return 0;
        at = vector_end(p, len, 3, 1);
    } else {
        for (unsigned i = 0; i < 4 && SHAPES[shape][i]; i++)
            if (!(at = vector_end(p, len, at, SHAPES[shape][i])))
                return 0;
    }
    uint16_t scheme;
    const uint8_t *sig;
    size_t sig_len;
    return at && read_signature(p + at, len - at, rules, &scheme, &sig, &sig_len) ? at : 0;
}

static void on_server_key_exchange(ta_handshake *hs, const ta_event *ev, uint32_t frame)
{
    ta_sig_rules rules = rules_for(hs->version);
    if (!checkable(hs, TA_SERVER, ev, frame, 0, false))
        return;
    struct ta_proof_work *w = hs->proof_work;
    if (!w->have_random[TA_CLIENT] || !w->have_random[TA_SERVER]) {
        set_proof(hs, TA_SERVER, TA_PROOF_NOT_VISIBLE, TA_WHY_TRANSCRIPT_MISSING, ev, 0, frame);
        return;
    }
    ta_proof_why why = TA_WHY_MALFORMED;
    uint16_t scheme = 0;
    for (unsigned shape = 0; shape < 3 && why != TA_WHY_SIGNED; shape++) {
        size_t params = params_length(ev->body, ev->body_len, rules, shape);
        uint8_t *signed_data = params ? malloc(64 + params) : NULL;
        if (!signed_data)
            continue;
        const uint8_t *sig;
        size_t sig_len;
        read_signature(ev->body + params, ev->body_len - params, rules, &scheme, &sig, &sig_len);
        memcpy(signed_data, w->random[TA_CLIENT], 32); /* RFC 5246 7.4.3 */
        memcpy(signed_data + 32, w->random[TA_SERVER], 32);
        memcpy(signed_data + 64, ev->body, params);
        why = ta_verify_signature(w->leaf[TA_SERVER].items, rules, scheme, signed_data, 64 + params, sig, sig_len);
        free(signed_data);
    }
    set_checked(hs, TA_SERVER, why, ev, scheme, frame);
}

/* What a TLS <= 1.2 server's certificate is for: signing the ServerKeyExchange (a proof to come),
 * or a key exchange that signs nothing. */
static ta_proof_why server_key_use(const ta_handshake *hs)
{
    if (ta__is_v13(hs->version))
        return TA_WHY_NOT_SEEN;
    switch (ta_key_use_for(TA_PURPOSE_SERVER, hs->version, hs->cipher_suite)) {
    case TA_KEY_USE_SIGNED_KEY_EXCHANGE: return TA_WHY_NOT_SEEN;
    case TA_KEY_USE_KEY_TRANSPORT: return TA_WHY_KEY_TRANSPORT;
    case TA_KEY_USE_KEY_AGREEMENT: return TA_WHY_KEY_AGREEMENT;
    default: return TA_WHY_SUITE_UNKNOWN;
    }
}

static void on_certificate(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame)
{
    if (ev->cert_count <= 0)
        return;
    if (!checking(c)) {
        set_proof(hs, role, TA_PROOF_NOT_CHECKED, TA_WHY_DISABLED, NULL, 0, 0);
        return;
    }
    struct ta_proof_work *w = hs->proof_work;
    bool seen = hs->proof[role].certified;
    uint8_t digest[32] = {0};
    if (ev->certs_available && ev->certs[0].data)
        gnutls_hash_fast(GNUTLS_DIG_SHA256, ev->certs[0].data, ev->certs[0].len, digest);
    /* The same leaf again (a DTLS retransmission): the key its signature proved is the one judged. */
    if (seen && ev->certs_available && memcmp(digest, hs->leaf_sha256[role], sizeof digest) == 0)
        return;
    hs->proof[role].certified = true;
    memcpy(hs->leaf_sha256[role], digest, sizeof digest);
    if (seen || hs->proof[role].closed) {
        /* Another certificate, or one after the side's turn to sign: no signature covers it. */
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_CERTIFICATE_AGAIN, ev, 0, frame);
    } else if (!ev->certs_available) {
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_CERT_UNREADABLE, NULL, 0, 0);
    } else {
        ta_proof_why why = role == TA_SERVER ? server_key_use(hs) : TA_WHY_NOT_SEEN;
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, why, NULL, 0, 0);
        if (w)
            ta__der_list_keep(&w->leaf[role], ev->certs, ev->certs ? 1 : 0, TA_DER_MAX);
    }
}

/* The end of a side's turn to sign: a certificate it sent without a signature proved nothing
 * (RFC 8446 4.4.3, RFC 5246 7.4.3 and 7.4.8), unless the transcript has a hole (the signature
 * may be in what could not be read). */
static void end_turn(ta_handshake *hs, ta_role role, uint32_t frame)
{
    hs->proof[role].closed = true;
    if (!pending(hs, role))
        return;
    if (!hs->proof_work || hs->proof_work->missing)
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_TRANSCRIPT_MISSING, NULL, 0, 0);
    else
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_NO_SIGNATURE, NULL, 0, frame);
}

/* What the transcript is kept for after a TLS 1.3 handshake: post-handshake authentication's base,
 * as a hash state (the bytes and leaves go). */
static void keep_base_only(ta_handshake *hs)
{
    struct ta_proof_work *w = hs->proof_work;
    if (w && w->base && !w->len && !w->leaf[0].count && !w->leaf[1].count)
        return; /* kept already */
    gnutls_digest_algorithm_t alg = tls13_hash(hs->cipher_suite);
    bool usable = w && !w->missing && !w->too_long && !w->base && alg != GNUTLS_DIG_UNKNOWN &&
                  ta__is_v13(hs->version) && hs->post_handshake_auth_offered && !hs->post_handshake;
    gnutls_hash_hd_t base = NULL;
    if (!usable || gnutls_hash_init(&base, alg) < 0 || gnutls_hash(base, w->bytes, w->len) < 0) {
        if (base)
            gnutls_hash_deinit(base, NULL);
        ta__proof_free(hs);
        return;
    }
    free(w->bytes);
    ta__der_list_clear(&w->leaf[0]);
    ta__der_list_clear(&w->leaf[1]);
    *w = (struct ta_proof_work){.base = base};
}

/* The client's last turn (TLS <= 1.2: its ChangeCipherSpec; TLS 1.3: its Finished) ends both
 * sides': the transcript goes then, not at an outcome a capture may never show. */
static void client_done(ta_handshake *hs, uint32_t frame)
{
    end_turn(hs, TA_SERVER, frame);
    end_turn(hs, TA_CLIENT, frame);
    keep_base_only(hs);
}

static void update_randoms(struct ta_proof_work *w, ta_role role, const ta_event *ev)
{
    if (w && ev->hello && ev->hello->random) {
        memcpy(w->random[role], ev->hello->random, 32);
        w->have_random[role] = true;
    }
}

void ta__proof_message(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame)
{
    bool v13 = ta__is_v13(hs->version);
    /* The ClientHello again after a HelloRetryRequest or HelloVerifyRequest is the same handshake's. */
    bool first_hello = ev->hs_type == TA_HS_CLIENT_HELLO && role == TA_CLIENT && !hs->frame_server_hello;
    if (first_hello && checking(c) && !hs->proof_work)
        new_work(hs);
    struct ta_proof_work *w = hs->proof_work;
    if (w && ev->dtls && ev->hs_type != TA_HS_HELLO_VERIFY_REQUEST) {
        dtls_order order = dtls_order_of(w, role, ev);
        /* A certificate again is judged again by the tracker: compared below, not by fingerprint. */
        if (order == DTLS_REPEAT && ev->hs_type != TA_HS_CERTIFICATE)
            return;
        if (order == DTLS_CONFLICT) {
            w->missing = true;
            if (ev->hs_type == TA_HS_CERTIFICATE || ev->hs_type == TA_HS_CERTIFICATE_VERIFY ||
                ev->hs_type == TA_HS_SERVER_KEY_EXCHANGE)
                set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_CONFLICTING_MESSAGE, ev, 0, frame);
            return;
        }
    }
    switch (ev->hs_type) {
    case TA_HS_CLIENT_HELLO:
        if (first_hello)
            update_randoms(w, TA_CLIENT, ev);
        break;
    case TA_HS_SERVER_HELLO:
        if (role != TA_SERVER)
            break;
        if (!w && checking(c) && (w = new_work(hs)))
            w->missing = true; /* the ClientHello was not captured */
        if (w && hs->hello_retry && !hs->frame_server_hello && ev->hello) /* HelloRetryRequest */
            hash_first_client_hello(w, ev->hello->cipher_suite);
        else
            update_randoms(w, TA_SERVER, ev);
        if (w && ev->dtls && hs->version == TA_VERSION_DTLS13)
            drop_dtls_headers(w);
        break;
    case TA_HS_HELLO_VERIFY_REQUEST:
        /* RFC 6347 4.2.1: neither it nor the ClientHello before it count */
        if (w && ev->dtls && role == TA_SERVER && !hs->frame_server_hello) {
            w->len = 0;
            w->next_seq[TA_SERVER] = ev->message_seq + 1u;
            return;
        }
        break;
    case TA_HS_CERTIFICATE:
        on_certificate(c, hs, role, ev, frame);
        break;
    case TA_HS_CERTIFICATE_VERIFY:
        if ((role == TA_CLIENT || v13) && pending(hs, role))
            on_certificate_verify(hs, role, ev, frame);
        break;
    case TA_HS_SERVER_KEY_EXCHANGE:
        if (role == TA_SERVER && !v13 && pending(hs, TA_SERVER))
            on_server_key_exchange(hs, ev, frame);
        break;
    case TA_HS_SERVER_HELLO_DONE:
        if (role == TA_SERVER && !v13) {
            end_turn(hs, TA_SERVER, frame);
            if (!hs->cert_requested)
                ta__proof_free(hs); /* no client CertificateVerify can come */
        }
        break;
    case TA_HS_CLIENT_KEY_EXCHANGE:
        if (role == TA_CLIENT && !v13)
            end_turn(hs, TA_SERVER, frame); /* the server's flight is over */
        break;
    case TA_HS_FINISHED:
        if (v13 && role == TA_SERVER) {
            end_turn(hs, TA_SERVER, frame);
        } else if (v13) {
            /* The base of post-handshake authentication ends with this Finished: appended first. */
            if (w && !hs->post_handshake)
                append_message(w, dtls_headers(hs, ev), ev);
            client_done(hs, frame);
            return;
        }
        break;
    default:
        break;
    }
    w = hs->proof_work; /* made or freed above */
    /* Messages after a handshake (TLS 1.3 tickets, key updates) are not part of its transcript. */
    bool after = v13 && hs->client_finished && hs->server_finished;
    if (w && ev->hs_type != TA_HS_HELLO_REQUEST && !after)
        append_message(w, dtls_headers(hs, ev), ev);
}

void ta__proof_change_cipher_spec(ta_handshake *hs, ta_role role, uint32_t frame)
{
    if (role == TA_CLIENT && !ta__is_v13(hs->version))
        client_done(hs, frame);
}

/* Records that cannot be read leave a hole in the transcript, and a signature due may be in one
 * (a TLS 1.3 record that did not decrypt): never "not sent". A TLS <= 1.2 record after the
 * sender's ChangeCipherSpec is its Finished, which holds no signature; a TLS 1.3 server's (QUIC
 * packets included) hide its Certificate and CertificateVerify. */
void ta__proof_hole(ta_handshake *hs)
{
    if (hs->proof_work)
        hs->proof_work->missing = true;
    for (int r = TA_CLIENT; r <= TA_SERVER; r++)
        if (pending(hs, (ta_role)r))
            set_proof(hs, (ta_role)r, TA_PROOF_NOT_VISIBLE, TA_WHY_TRANSCRIPT_MISSING, NULL, 0, 0);
}

void ta__proof_unreadable(ta_handshake *hs, ta_role role)
{
    if (!ta__is_v13(hs->version) && hs->change_cipher_spec[role])
        return;
    ta__proof_hole(hs);
    if (role == TA_SERVER && ta__is_v13(hs->version) && hs->frame_server_hello && !hs->server_finished &&
        !hs->psk && !hs->resumed && hs->proof[TA_SERVER].status == TA_PROOF_NONE)
        set_proof(hs, TA_SERVER, TA_PROOF_NOT_VISIBLE, TA_WHY_ENCRYPTED, NULL, 0, 0);
}

/* TLS 1.3 post-handshake authentication signs the main handshake's transcript, then the
 * CertificateRequest and Certificate (RFC 8446 4.4.1): each one starts from the main handshake's
 * state, however many came before it. */
void ta__proof_post_handshake(ta_handshake *pha, const ta_handshake *done)
{
    const ta_handshake *main = done;
    while (main->post_handshake && main->renegotiates)
        main = main->renegotiates;
    const struct ta_proof_work *kept = main->proof_work;
    gnutls_hash_hd_t base = kept && kept->base ? gnutls_hash_copy(kept->base) : NULL;
    struct ta_proof_work *w = base ? new_work(pha) : NULL;
    if (w)
        w->base = base;
    else if (base)
        gnutls_hash_deinit(base, NULL);
}

/* At the outcome: a handshake completed with a certificate still waiting for its signature proved
 * nothing; only a post-handshake authentication's base stays. */
void ta__proof_settled(ta_handshake *hs)
{
    if (hs->outcome == TA_OUTCOME_COMPLETED)
        for (int r = TA_CLIENT; r <= TA_SERVER; r++)
            end_turn(hs, (ta_role)r, hs->frame_summary);
    if (hs->outcome == TA_OUTCOME_COMPLETED)
        keep_base_only(hs);
    else
        ta__proof_free(hs);
}

ta_proof ta_handshake_proof(const ta_handshake *hs, ta_role role)
{
    ta_proof none = {0};
    if (!hs)
        return none;
    if (hs->proof[role].status != TA_PROOF_NONE)
        return hs->proof[role]; /* a certificate was sent: what became of it */
    ta_proof not_visible = {TA_PROOF_NOT_VISIBLE, TA_WHY_ENCRYPTED, 0, false, false, 0, 0};
    if (role == TA_CLIENT)
        return hs->encrypted && ta_handshake_mode(hs) == TA_MODE_MUTUAL ? not_visible : none;
    if (hs->post_handshake || hs->psk || !hs->frame_server_hello)
        return none; /* the server proves nothing in post-handshake authentication */
    if (hs->resumed) {
        not_visible.why = TA_WHY_RESUMED;
        return not_visible;
    }
    return hs->encrypted && hs->server_chain_len < 0 ? not_visible : none;
}
