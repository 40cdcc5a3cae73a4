/* tlsauth tracker: proof of possession. Keeps each handshake's messages as sent (the transcript)
 * and the leaf certificates while a signature may still come, builds what each signature covers
 * and has ta_verify_signature() check it. See include/tlsauth/proof.h. */
#include "tracker_internal.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <stdlib.h>
#include <string.h>

struct ta_proof_work {
    uint8_t *bytes;            /* the transcript: every handshake message so far, headers included */
    size_t len, cap;
    bool missing, too_long;    /* a message was not read whole; the transcript outgrew TA_TRANSCRIPT_MAX */
    uint8_t random[2][32];     /* ClientHello's and ServerHello's, indexed by ta_role */
    bool have_random[2];
    ta_der leaf[2];            /* copies of the leaf each side sent */
    int32_t next_seq[2];       /* DTLS: the message_seq each side sends next; -1 before its first */
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

static void set_proof(ta_handshake *hs, ta_role role, ta_proof_status status, ta_proof_why why, const ta_event *ev,
                      uint16_t scheme, uint32_t frame)
{
    hs->proof[role] = (ta_proof){(uint8_t)status, (uint8_t)why, ev ? ev->hs_type : 0, scheme, ev ? frame : 0};
    if (status != TA_PROOF_FAILED || !hs->chain[role].checked)
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
    free(w->bytes);
    free((void *)w->leaf[0].data);
    free((void *)w->leaf[1].data);
    free(w);
    hs->proof_work = NULL;
}

static struct ta_proof_work *new_work(ta_handshake *hs)
{
    ta__proof_free(hs);
    hs->proof_work = calloc(1, sizeof *hs->proof_work);
    if (hs->proof_work)
        hs->proof_work->next_seq[0] = hs->proof_work->next_seq[1] = -1;
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

/* The message with its header as the transcript holds it (DTLS: unfragmented, RFC 6347 4.2.6).
 * A DTLS retransmission is there already; a message_seq skipped means one was lost. */
static void append_message(struct ta_proof_work *w, ta_role role, const ta_event *ev)
{
    if (!ev->body) {
        w->missing = true;
        return;
    }
    if (ev->dtls) {
        if (w->next_seq[role] >= 0 && ev->message_seq < w->next_seq[role])
            return;
        if (w->next_seq[role] >= 0 && ev->message_seq > w->next_seq[role])
            w->missing = true;
        w->next_seq[role] = ev->message_seq + 1;
    }
    size_t header = ev->dtls ? DTLS_HEADER : TLS_HEADER;
    if (!reserve(w, header + ev->body_len))
        return;
    uint8_t *p = w->bytes + w->len;
    p[0] = ev->hs_type;
    put24(p + 1, ev->body_len);
    if (ev->dtls) {
        p[4] = (uint8_t)(ev->message_seq >> 8);
        p[5] = (uint8_t)ev->message_seq;
        put24(p + 6, 0);
        put24(p + 9, ev->body_len);
    }
    memcpy(p + header, ev->body, ev->body_len);
    w->len += header + ev->body_len;
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
    append_message(w, TA_CLIENT, &synthetic);
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

/* Whether a signature can be checked at all: keys, a leaf, and every message before it. */
static bool checkable(ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame, uint16_t scheme,
                      bool needs_transcript)
{
    struct ta_proof_work *w = hs->proof_work;
    ta_proof_why why = TA_WHY_NONE;
    if (!w || (needs_transcript && w->missing))
        why = TA_WHY_TRANSCRIPT_MISSING;
    else if (needs_transcript && w->too_long)
        why = TA_WHY_TRANSCRIPT_TOO_LONG;
    else if (!w->leaf[role].data)
        why = TA_WHY_CERT_UNREADABLE;
    else if (!ev->body)
        why = TA_WHY_TRANSCRIPT_MISSING; /* the signed message itself, cut by the snapshot length */
    if (why == TA_WHY_NONE)
        return true;
    set_proof(hs, role, TA_PROOF_NOT_VISIBLE, why, ev, scheme, frame);
    return false;
}

static void on_certificate_verify(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame)
{
    ta_sig_rules rules = rules_for(hs->version);
    uint16_t scheme = 0;
    const uint8_t *sig = NULL;
    size_t sig_len = 0;
    bool readable = ev->body && read_signature(ev->body, ev->body_len, rules, &scheme, &sig, &sig_len);
    if (!checking(c)) {
        set_proof(hs, role, TA_PROOF_NOT_CHECKED, TA_WHY_DISABLED, ev, scheme, frame);
        return;
    }
    if (!checkable(hs, role, ev, frame, scheme, true))
        return;
    if (!readable) {
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_MALFORMED, ev, scheme, frame);
        return;
    }
    /* SSL 3.0 signs a hash that mixes in the master secret. */
    if (hs->version == TA_VERSION_SSL3) {
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_TRANSCRIPT_MISSING, ev, scheme, frame);
        return;
    }
    struct ta_proof_work *w = hs->proof_work;
    if (rules != TA_SIG_TLS13) {
        /* RFC 5246 7.4.8: the handshake messages so far */
        set_checked(hs, role, ta_verify_signature(&w->leaf[role], rules, scheme, w->bytes, w->len, sig, sig_len), ev,
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
        gnutls_hash_fast(alg, w->bytes, w->len, content + TLS13_CONTEXT_PAD + context_len + 1) < 0) {
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_SCHEME_UNKNOWN, ev, scheme, frame);
        return;
    }
    memset(content, ' ', TLS13_CONTEXT_PAD);
    memcpy(content + TLS13_CONTEXT_PAD, context[role], context_len);
    content[TLS13_CONTEXT_PAD + context_len] = 0;
    set_checked(hs, role,
                ta_verify_signature(&w->leaf[role], rules, scheme, content,
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

static void on_server_key_exchange(ta_chains *c, ta_handshake *hs, const ta_event *ev, uint32_t frame)
{
    if (ta_key_use_for(TA_PURPOSE_SERVER, hs->version, hs->cipher_suite) != TA_KEY_USE_SIGNED_KEY_EXCHANGE)
        return; /* a PSK hint, anonymous parameters: nothing signed */
    ta_sig_rules rules = rules_for(hs->version);
    if (!checking(c)) {
        set_proof(hs, TA_SERVER, TA_PROOF_NOT_CHECKED, TA_WHY_DISABLED, ev, 0, frame);
        return;
    }
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
        why = ta_verify_signature(&w->leaf[TA_SERVER], rules, scheme, signed_data, 64 + params, sig, sig_len);
        free(signed_data);
    }
    set_checked(hs, TA_SERVER, why, ev, scheme, frame);
}

static void keep_leaf(struct ta_proof_work *w, ta_role role, const ta_event *ev)
{
    free((void *)w->leaf[role].data);
    w->leaf[role] = (ta_der){NULL, 0};
    if (!ev->certs || !ev->certs_available || !ev->certs[0].data || ev->certs[0].len > TA_DER_MAX)
        return;
    uint8_t *copy = malloc(ev->certs[0].len);
    if (copy) {
        memcpy(copy, ev->certs[0].data, ev->certs[0].len);
        w->leaf[role] = (ta_der){copy, ev->certs[0].len};
    }
}

static void on_certificate(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame)
{
    if (ev->cert_count <= 0)
        return;
    if (!checking(c))
        set_proof(hs, role, TA_PROOF_NOT_CHECKED, TA_WHY_DISABLED, NULL, 0, frame);
    else if (!ev->certs_available)
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_CERT_UNREADABLE, NULL, 0, frame);
    else
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_NOT_SEEN, NULL, 0, frame);
    if (hs->proof_work)
        keep_leaf(hs->proof_work, role, ev);
}

/* A sender's certificate, then its Finished (TLS 1.3) or ChangeCipherSpec (TLS 1.2 client) with
 * no signature between: it proved nothing (RFC 8446 4.4.3, RFC 5246 7.4.8). */
static void no_signature(ta_chains *c, ta_handshake *hs, ta_role role, uint32_t frame)
{
    const struct ta_proof_work *w = hs->proof_work;
    if (!checking(c) || !pending(hs, role) || !w || !w->leaf[role].data)
        return;
    /* Only a transcript without a hole shows that nothing was signed. */
    if (w->missing)
        set_proof(hs, role, TA_PROOF_NOT_VISIBLE, TA_WHY_TRANSCRIPT_MISSING, NULL, 0, 0);
    else
        set_proof(hs, role, TA_PROOF_FAILED, TA_WHY_NO_SIGNATURE, NULL, 0, frame);
}

/* What the transcript is kept for after a handshake: post-handshake authentication's base. */
static bool pha_may_come(const ta_handshake *hs)
{
    return ta__is_v13(hs->version) && hs->post_handshake_auth_offered && !hs->post_handshake &&
           hs->outcome != TA_OUTCOME_ABORTED;
}

/* No signature comes after the client's ChangeCipherSpec (TLS <= 1.2) or Finished (TLS 1.3): the
 * transcript goes then, not at the outcome, which a capture may never show. */
static void client_done(ta_chains *c, ta_handshake *hs, uint32_t frame)
{
    no_signature(c, hs, TA_CLIENT, frame);
    if (!pha_may_come(hs))
        ta__proof_free(hs);
}

void ta__proof_message(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, uint32_t frame)
{
    bool v13 = ta__is_v13(hs->version);
    if (ev->hs_type == TA_HS_CLIENT_HELLO && role == TA_CLIENT && !hs->frame_server_hello && checking(c)) {
        /* The ClientHello again after a HelloRetryRequest or HelloVerifyRequest is the same handshake's. */
        struct ta_proof_work *w = hs->proof_work ? hs->proof_work : new_work(hs);
        if (w && ev->hello && ev->hello->random) {
            memcpy(w->random[TA_CLIENT], ev->hello->random, 32);
            w->have_random[TA_CLIENT] = true;
        }
    } else if (ev->hs_type == TA_HS_SERVER_HELLO && role == TA_SERVER) {
        if (!hs->proof_work && checking(c) && new_work(hs))
            hs->proof_work->missing = true; /* the ClientHello was not captured */
        if (!hs->frame_server_hello && hs->hello_retry && hs->proof_work && ev->hello) /* HelloRetryRequest */
            hash_first_client_hello(hs->proof_work, ev->hello->cipher_suite);
        else if (hs->proof_work && ev->hello && ev->hello->random) {
            memcpy(hs->proof_work->random[TA_SERVER], ev->hello->random, 32);
            hs->proof_work->have_random[TA_SERVER] = true;
        }
        ta_key_use use = v13 ? TA_KEY_USE_UNKNOWN : ta_key_use_for(TA_PURPOSE_SERVER, hs->version, hs->cipher_suite);
        if (use == TA_KEY_USE_KEY_TRANSPORT || use == TA_KEY_USE_KEY_AGREEMENT)
            set_proof(hs, TA_SERVER, TA_PROOF_NOT_VISIBLE,
                      use == TA_KEY_USE_KEY_TRANSPORT ? TA_WHY_KEY_TRANSPORT : TA_WHY_KEY_AGREEMENT, NULL, 0, frame);
    } else if (ev->hs_type == TA_HS_HELLO_VERIFY_REQUEST && hs->proof_work) {
        hs->proof_work->len = 0; /* RFC 6347 4.2.1: neither it nor the ClientHello before it count */
        hs->proof_work->next_seq[role] = ev->message_seq + 1;
        return;
    } else if (ev->hs_type == TA_HS_CERTIFICATE) {
        on_certificate(c, hs, role, ev, frame);
    } else if (ev->hs_type == TA_HS_CERTIFICATE_VERIFY && (role == TA_CLIENT || v13)) {
        on_certificate_verify(c, hs, role, ev, frame);
    } else if (ev->hs_type == TA_HS_SERVER_KEY_EXCHANGE && role == TA_SERVER && !v13) {
        on_server_key_exchange(c, hs, ev, frame);
    } else if (ev->hs_type == TA_HS_FINISHED && v13 && role == TA_SERVER) {
        no_signature(c, hs, role, frame);
    } else if (ev->hs_type == TA_HS_FINISHED && v13) {
        /* The base of post-handshake authentication ends with this Finished: appended first. */
        if (hs->proof_work && !hs->post_handshake)
            append_message(hs->proof_work, role, ev);
        client_done(c, hs, frame);
        return;
    } else if (ev->hs_type == TA_HS_SERVER_HELLO_DONE && role == TA_SERVER) {
        if (ta_key_use_for(TA_PURPOSE_SERVER, hs->version, hs->cipher_suite) == TA_KEY_USE_SIGNED_KEY_EXCHANGE)
            no_signature(c, hs, TA_SERVER, frame);
        if (!hs->cert_requested)
            ta__proof_free(hs); /* no client CertificateVerify can come */
    }
    /* Messages after a handshake (TLS 1.3 tickets, key updates) are not part of its transcript. */
    bool after = v13 && hs->client_finished && hs->server_finished;
    if (hs->proof_work && ev->hs_type != TA_HS_HELLO_REQUEST && !after)
        append_message(hs->proof_work, role, ev);
}

void ta__proof_change_cipher_spec(ta_chains *c, ta_handshake *hs, ta_role role, uint32_t frame)
{
    if (role == TA_CLIENT && !ta__is_v13(hs->version))
        client_done(c, hs, frame);
}

/* Records that cannot be read leave a hole in the transcript; a TLS 1.3 server's (QUIC packets
 * included) hide its Certificate and CertificateVerify. */
void ta__proof_unreadable(ta_handshake *hs, ta_role role)
{
    if (hs->proof_work)
        hs->proof_work->missing = true;
    /* A signature due may be in it (a TLS 1.3 record that did not decrypt): never "not sent". */
    for (int r = TA_CLIENT; r <= TA_SERVER; r++)
        if (pending(hs, (ta_role)r))
            set_proof(hs, (ta_role)r, TA_PROOF_NOT_VISIBLE, TA_WHY_TRANSCRIPT_MISSING, NULL, 0, 0);
    if (role == TA_SERVER && ta__is_v13(hs->version) && hs->frame_server_hello && !hs->server_finished &&
        hs->proof[TA_SERVER].status == TA_PROOF_NONE)
        set_proof(hs, TA_SERVER, TA_PROOF_NOT_VISIBLE, TA_WHY_ENCRYPTED, NULL, 0, 0);
}

/* TLS 1.3 post-handshake authentication signs the main handshake's transcript, then the
 * CertificateRequest and Certificate (RFC 8446 4.4.1): the base is kept while PHA may come. */
void ta__proof_post_handshake(ta_handshake *pha, const ta_handshake *done)
{
    const struct ta_proof_work *base = done->proof_work;
    if (!base)
        return;
    struct ta_proof_work *w = new_work(pha);
    if (!w)
        return;
    w->missing = base->missing;
    w->too_long = base->too_long;
    if (base->len && reserve(w, base->len)) {
        memcpy(w->bytes, base->bytes, base->len);
        w->len = base->len;
    }
}

void ta__proof_settled(ta_handshake *hs)
{
    if (!pha_may_come(hs))
        ta__proof_free(hs);
}

ta_proof ta_handshake_proof(const ta_handshake *hs, ta_role role)
{
    ta_proof none = {0};
    if (!hs)
        return none;
    ta_proof not_visible = {TA_PROOF_NOT_VISIBLE, TA_WHY_ENCRYPTED, 0, 0, 0};
    if (role == TA_SERVER && (hs->post_handshake || hs->psk || !hs->frame_server_hello))
        return none; /* the server proves nothing in post-handshake authentication */
    if (role == TA_SERVER && hs->resumed) {
        not_visible.why = TA_WHY_RESUMED;
        return not_visible;
    }
    if (hs->proof[role].status != TA_PROOF_NONE)
        return hs->proof[role];
    if (role == TA_CLIENT)
        return hs->encrypted && ta_handshake_mode(hs) == TA_MODE_MUTUAL ? not_visible : none;
    return hs->encrypted && hs->server_chain_len < 0 ? not_visible : none;
}
