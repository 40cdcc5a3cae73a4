/* libFuzzer harness of the handshake tracker (include/tlsauth/tracker.h).
 *
 * The input is decoded into frames of ta_events for two connections: any kind (and an invalid
 * one), any sender (and invalid ones), known and unknown handshake types, hellos whose versions,
 * SNI (any bytes, up to 600), session ids (up to 47 bytes), randoms (the HelloRetryRequest one
 * too) and extensions come from the input, Certificate messages of 0..13 (or a huge number of)
 * certificates, stapled OCSP responses, alerts of any level and description, record lengths (the
 * sizes the TLS 1.3 inference looks for, and any). Every buffer handed over is an exact-size heap
 * copy, freed as soon as ta_conn_feed() returns (the tracker may only read it during the call).
 * A fake chain checker checks what it is given and answers pseudo-random verdicts, problems and
 * leaf subjects (any bytes) from a sequence seeded by the input's first 4 bytes.
 *
 * Input: 4 bytes of checker seed, then frames: [frame step: 0-254 the next frame is 1-4 further,
 * 255 a 32-bit frame number follows] [events, modulo 72] events... [end byte: bit 0 end the frame
 * without asking for its result; bit 1 events were lost (ta_conn_lost_events); bit 7 a resumption
 * link follows (2 bytes)]. A frame goes to one connection (tracker.h: one frame at a time): the one
 * bit 7 of its first event's byte names.
 * An event: [bit 7 the connection, bits 0-6 the kind (120-127: invalid kinds)] [sender: 0/1,
 * 0xF0-0xFF invalid] then for a handshake [type: index into HS_TYPES, or 0xE0+ a raw type follows]
 * [flags: bit 0 no hello, bit 1 certificates, bit 2 a stapled OCSP response, bit 6 a body, bit 7 DTLS]
 * [hello] [certificates: size byte each, 0xF8+ a real leaf] [OCSP] [body: length/3, bit 7 a length
 * without bytes] [DTLS message_seq]; for an alert [level] [description]; and for every event [record length: index into
 * RECORD_LENGTHS, or 0xE0+ a 32-bit length follows]. tests/fuzz/make-tracker-seeds.c writes seeds.
 *
 * Then every handshake of both connections is checked against the promises of tracker.h (bounds,
 * NUL-terminated text, one summary per decided handshake) and every ta_explain_* is called on it
 * with buffers of several sizes. Bit 1 of the seed turns proof checks on (ta_verifier.check_proofs). */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "tlsauth/tracker.h"

#include <gnutls/gnutls.h>
#include <limits.h>

#include "fuzz_input.h"

#define CONNS 2
#define MAX_FRAMES 400

static const uint8_t HS_TYPES[] = {
    TA_HS_HELLO_REQUEST, TA_HS_CLIENT_HELLO, TA_HS_SERVER_HELLO, TA_HS_HELLO_VERIFY_REQUEST,
    TA_HS_NEW_SESSION_TICKET, TA_HS_END_OF_EARLY_DATA, TA_HS_ENCRYPTED_EXTENSIONS, TA_HS_CERTIFICATE,
    TA_HS_SERVER_KEY_EXCHANGE, TA_HS_CERTIFICATE_REQUEST, TA_HS_SERVER_HELLO_DONE, TA_HS_CERTIFICATE_VERIFY,
    TA_HS_CLIENT_KEY_EXCHANGE, TA_HS_FINISHED, TA_HS_CERTIFICATE_STATUS, TA_HS_KEY_UPDATE,
};
static const uint16_t VERSIONS[] = {
    0, TA_VERSION_SSL3, TA_VERSION_TLS10, TA_VERSION_TLS11, TA_VERSION_TLS12, TA_VERSION_TLS13,
    TA_VERSION_DTLS10, TA_VERSION_DTLS12, TA_VERSION_DTLS13, TA_VERSION_TLS13, TA_VERSION_TLS12, 0x7f1c, TA_VERSION_DTLS_OPENSSL_PRE,
};
/* Record lengths the TLS 1.3 inference compares with: an alert, an empty Certificate, Finished
 * (SHA-256, SHA-384), and some ordinary ones. */
static const uint32_t RECORD_LENGTHS[] = {19, 25, 53, 69, 85, 97, 103, 107, 866, 930, 0, 1, 100, 16401};
static const uint8_t HRR_RANDOM[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* Real leaves (the test PKI's server and client), so that signatures reach GnuTLS's verification:
 * a certificate byte of 0xF8-0xFF puts one in a chain. */
static ta_der leaves[2];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const files[2] = {TLSAUTH_FUZZ_PKI "/server.pem", TLSAUTH_FUZZ_PKI "/client.pem"};
    for (int i = 0; i < 2; i++) {
        gnutls_datum_t pem = {NULL, 0}, der = {NULL, 0};
        if (gnutls_load_file(files[i], &pem) < 0 || gnutls_pem_base64_decode2("CERTIFICATE", &pem, &der) < 0) {
            fprintf(stderr, "fuzz_tracker: cannot read %s\n", files[i]);
            abort();
        }
        gnutls_free(pem.data);
        leaves[i] = (ta_der){der.data, der.size}; /* kept for the process */
    }
    return 0;
}

/* What the chain checker answers: a pseudo-random sequence seeded by the input's first 4 bytes. */
typedef struct checker_state {
    uint32_t x;
} checker_state;

static uint32_t next_answer(checker_state *cs)
{
    cs->x ^= cs->x << 13; /* xorshift32 */
    cs->x ^= cs->x >> 17;
    cs->x ^= cs->x << 5;
    return cs->x;
}

/* What the glue does with what it is given: read every byte. */
static void read_all(const ta_der *items, unsigned count)
{
    unsigned sum = 0;
    FUZZ_CHECK(items || count == 0);
    for (unsigned i = 0; i < count; i++)
        for (size_t j = 0; j < items[i].len; j++)
            sum += items[i].data[j];
    (void)sum;
}

static void fake_check_chain(void *ctx, const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                             int64_t frame_time, ta_chain_check *out)
{
    checker_state *cs = ctx;
    FUZZ_CHECK(hs && out);
    FUZZ_CHECK(role == TA_CLIENT || role == TA_SERVER);
    FUZZ_CHECK(strnlen(hs->sni, TA_SNI_MAX + 1) <= TA_SNI_MAX);
    read_all(certs, count);
    uint32_t b = next_answer(cs);
    out->verdict = (ta_verdict)(b % 3);
    out->problems = next_answer(cs) & ((1u << TA_PROBLEM_COUNT) - 1);
    out->verify_time = b & 8 ? frame_time : (int64_t)((uint64_t)next_answer(cs) << 32 | next_answer(cs));
    size_t n = next_answer(cs) % sizeof out->leaf_subject; /* any bytes, as a subject may hold */
    for (size_t i = 0; i < n; i++)
        out->leaf_subject[i] = (char)(1 + next_answer(cs) % 255);
    out->leaf_subject[n] = '\0';
}

static int fake_check_ocsp(void *ctx, const ta_der *response, const ta_der *chain, unsigned count, int64_t verify_time)
{
    read_all(response, 1);
    read_all(chain, count);
    FUZZ_CHECK(count <= 2);
    (void)verify_time;
    return (int)((next_answer(ctx) >> 4) % 6); /* TA_OCSP_GOOD .. TA_OCSP_MALFORMED */
}

/* Buffers of one event, freed once it was fed. */
typedef struct owned {
    void *ptr[32];
    unsigned n;
} owned;

static void *own(owned *o, void *p)
{
    if (o->n == sizeof o->ptr / sizeof *o->ptr)
        abort();
    o->ptr[o->n++] = p;
    return p;
}

static void release(owned *o)
{
    for (unsigned i = 0; i < o->n; i++)
        free(o->ptr[i]);
    o->n = 0;
}

static uint16_t pick_version(fuzz_input *in)
{
    uint8_t b = fi_u8(in);
    return b < 0xF0 ? VERSIONS[b % (sizeof VERSIONS / sizeof *VERSIONS)] : fi_u16(in);
}

/* A session identifier of 0 to 3 bytes: few enough values that issued ones are offered again. */
static ta_der make_short_der(fuzz_input *in, owned *o)
{
    size_t got;
    const uint8_t *p = fi_bytes(in, fi_u8(in) % 4, &got);
    return (ta_der){own(o, fi_dup(p, got)), got};
}

static const ta_hello *make_hello(fuzz_input *in, owned *o)
{
    ta_hello *h = own(o, calloc(1, sizeof *h));
    if (!h)
        abort();
    uint8_t flags = fi_u8(in);
    h->legacy_version = pick_version(in);
    h->supported_version_max = flags & 1 ? pick_version(in) : 0;
    if (flags & 2)
        h->sni = own(o, fi_string(in, fi_u16(in) % 600)); /* any bytes: NUL, controls, too long */
    if (flags & 4) {
        size_t want = fi_u8(in) % 48, got;
        const uint8_t *p = fi_bytes(in, want, &got);
        h->session_id = own(o, fi_dup(p, got));
        h->session_id_len = got;
    } else if (flags & 8) {
        h->session_id = NULL; /* a length without bytes must be ignored */
        h->session_id_len = fi_u8(in);
    }
    if (flags & 16) {
        if (fi_u8(in) & 1) {
            h->random = own(o, fi_dup(HRR_RANDOM, sizeof HRR_RANDOM));
        } else {
            size_t got;
            const uint8_t *p = fi_bytes(in, 32, &got);
            uint8_t *r = own(o, calloc(1, 32));
            if (!r)
                abort();
            memcpy(r, p, got);
            h->random = r;
        }
    }
    uint8_t ext = fi_u8(in);
    h->ext_session_ticket = ext & 1;
    h->ext_pre_shared_key = ext & 2;
    h->ext_post_handshake_auth = ext & 4;
    h->ext_status_request = ext & 8;
    h->psk_external = ext & 64;
    if (ext & 128)
        h->cipher_suite = fi_u16(in); /* PSK suites among others */
    if (ext & 16) /* offered sessions: a ticket and PSK identities, short so that they repeat */
        h->ticket = make_short_der(in, o);
    if (ext & 32) {
        unsigned n = fi_u8(in) % 4;
        ta_der *ids = n ? own(o, calloc(n, sizeof *ids)) : NULL;
        if (n && !ids)
            abort();
        for (unsigned i = 0; i < n; i++)
            ids[i] = make_short_der(in, o);
        h->psk_identities = ids;
        h->psk_identity_count = n;
    }
    return h;
}

static const ta_der *make_der(fuzz_input *in, owned *o)
{
    ta_der *d = own(o, calloc(1, sizeof *d));
    if (!d)
        abort();
    size_t got;
    const uint8_t *p = fi_bytes(in, fi_u8(in) % 64, &got);
    d->data = own(o, fi_dup(p, got));
    d->len = got;
    return d;
}

/* One event (bit 7 of its first byte chose the connection of the frame: see the caller). */
static void make_event(fuzz_input *in, ta_event *ev, owned *o)
{
    memset(ev, 0, sizeof *ev);
    uint8_t k = fi_u8(in) & 0x7F;
    /* Every kind, then closes of each other kind (RST, QUIC with a code, EAP-Failure). */
    unsigned kind = k % (TA_EV_ACCEPTED + 4);
    ev->kind = k >= 120 ? (ta_event_kind)(k - 100) /* and invalid */
               : kind > TA_EV_ACCEPTED ? TA_EV_CLOSE : (ta_event_kind)kind;
    if (ev->kind == TA_EV_CLOSE && kind > TA_EV_ACCEPTED) {
        ev->close = (ta_close)(kind - TA_EV_ACCEPTED);
        if (ev->close == TA_CLOSE_QUIC)
            ev->close_code = fi_u8(in);
    }
    uint8_t s = fi_u8(in);
    ev->sender = (s & 0xF0) == 0xF0 ? ((s & 1) ? 2 : -1) : (s & 1);
    switch (ev->kind) {
    case TA_EV_HANDSHAKE: {
        uint8_t t = fi_u8(in);
        ev->hs_type = t < 0xE0 ? HS_TYPES[t % sizeof HS_TYPES] : fi_u8(in);
        uint8_t f = fi_u8(in);
        if ((ev->hs_type == TA_HS_CLIENT_HELLO || ev->hs_type == TA_HS_SERVER_HELLO) && !(f & 1))
            ev->hello = make_hello(in, o);
        if (ev->hs_type == TA_HS_CERTIFICATE || (f & 2)) {
            uint8_t c = fi_u8(in);
            ev->cert_count = c < 0xF0 ? c % 14 : (int)(fi_u32(in) & INT_MAX);
            unsigned avail = fi_u8(in) % 14;
            if (avail > (unsigned)ev->cert_count)
                avail = (unsigned)ev->cert_count;
            if (avail) {
                ta_der *certs = own(o, calloc(avail, sizeof *certs));
                if (!certs)
                    abort();
                for (unsigned i = 0; i < avail; i++) {
                    uint8_t size = fi_u8(in);
                    if (size >= 0xF8) { /* a real leaf: the proof's signature is verified against it */
                        certs[i] = leaves[size & 1];
                        continue;
                    }
                    size_t got;
                    const uint8_t *p = fi_bytes(in, size % 48, &got);
                    certs[i].data = own(o, fi_dup(p, got));
                    certs[i].len = got;
                }
                ev->certs = certs;
                ev->certs_available = avail;
            }
        }
        if (f & 4)
            ev->ocsp_response = make_der(in, o);
        if (f & 64) { /* the body as sent (CertificateVerify, ServerKeyExchange...), or a length without it */
            uint8_t b = fi_u8(in);
            size_t got;
            const uint8_t *p = fi_bytes(in, b & 0x7F ? (size_t)(b & 0x7F) * 3 : 0, &got);
            ev->body = b & 0x80 ? NULL : own(o, fi_dup(p, got));
            ev->body_len = b & 0x80 ? fi_u32(in) : (uint32_t)got;
        }
        if (f & 128) { /* DTLS numbering, with repeats and gaps */
            ev->dtls = true;
            ev->message_seq = fi_u8(in) % 8;
        }
        if (ev->hs_type == TA_HS_NEW_SESSION_TICKET && (f & 32))
            ev->ticket = make_short_der(in, o);
        if (f & 8) { /* CA names, as a CertificateRequest lists them (on any message: hostile) */
            unsigned n = fi_u8(in) % 5;
            ta_der *names = n ? own(o, calloc(n, sizeof *names)) : NULL;
            if (n && !names)
                abort();
            for (unsigned i = 0; i < n; i++)
                names[i] = *make_der(in, o);
            ev->ca_names = names;
            ev->ca_name_count = n;
            ev->ca_names_cut = f & 16;
        }
        break;
    }
    case TA_EV_ALERT: {
        uint8_t l = fi_u8(in);
        ev->alert_level = l < 0xF0 ? 1 + (l & 1) : l;
        ev->alert_desc = fi_u8(in);
        break;
    }
    default:
        break;
    }
    uint8_t r = fi_u8(in);
    ev->record_length = r < 0xE0 ? RECORD_LENGTHS[r % (sizeof RECORD_LENGTHS / sizeof *RECORD_LENGTHS)]
                                 : fi_u32(in);
}

static void check_note(const ta_conn *conn, const ta_note *note, uint32_t frame, unsigned *summaries)
{
    unsigned count = ta_conn_handshake_count(conn);
    FUZZ_CHECK(note->hs_index < count);
    FUZZ_CHECK(note->step_count <= TA_MAX_STEPS_PER_NOTE);
    FUZZ_CHECK(note->remark_count <= sizeof note->remarks / sizeof *note->remarks);
    FUZZ_CHECK((unsigned)note->mode_so_far <= TA_MODE_PSK);
    for (unsigned i = 0; i < note->step_count; i++)
        FUZZ_CHECK(note->steps[i].step > TA_STEP_NONE && note->steps[i].step < TA_STEP_COUNT);
    if (note->is_summary) {
        const ta_handshake *hs = ta_conn_handshake(conn, note->hs_index);
        FUZZ_CHECK(hs->outcome != TA_OUTCOME_INCOMPLETE && hs->frame_summary == frame);
        summaries[note->hs_index]++;
    }
}

static void check_text(const char *buf, size_t size)
{
    FUZZ_CHECK(strnlen(buf, size) < size);
}

/* Every explanation, into exact-size heap buffers of several sizes. */
static void explain_all(const ta_handshake *hs)
{
    static const size_t SIZES[] = {1, 2, 13, 80, 240, 600, 2048};
    void (*const explain[])(const ta_handshake *, char *, size_t) = {
        ta_explain_drop, ta_explain_established, ta_explain_incomplete, ta_explain_inference,
    };
    for (size_t s = 0; s < sizeof SIZES / sizeof *SIZES; s++) {
        char *buf = malloc(SIZES[s]);
        if (!buf)
            abort();
        for (size_t e = 0; e < sizeof explain / sizeof *explain; e++) {
            memset(buf, 'x', SIZES[s]);
            explain[e](hs, buf, SIZES[s]);
            check_text(buf, SIZES[s]);
        }
        for (int role = TA_CLIENT; role <= TA_SERVER; role++) {
            memset(buf, 'x', SIZES[s]);
            ta_explain_proof(hs, (ta_role)role, buf, SIZES[s]);
            check_text(buf, SIZES[s]);
        }
        for (unsigned i = 0; i < hs->story_len; i++) {
            memset(buf, 'x', SIZES[s]);
            const char *text = ta_explain_story_step(&hs->story[i], buf, SIZES[s]);
            FUZZ_CHECK(text);
            check_text(text, text == buf ? SIZES[s] : strlen(text) + 1);
        }
        free(buf);
    }
}

/* Tokens of any value, once per process. */
static void check_tokens(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    for (int v = -2; v < 300; v++) {
        FUZZ_CHECK(ta_alert_token(v) && ta_drop_how_token(v));
        FUZZ_CHECK(ta_step_token((ta_step)v) && ta_step_label((ta_step)v));
        FUZZ_CHECK(ta_mode_token((ta_mode)v) && ta_outcome_token((ta_outcome)v) && ta_role_token((ta_role)v));
        FUZZ_CHECK(ta_version_token((uint16_t)(v * 257)));
        ta_story_step line = {(uint32_t)v, (uint8_t)(v % (TA_STEP_COUNT + 2)), (int16_t)(v - 40)};
        char buf[64];
        ta_explain_story_step(&line, buf, sizeof buf);
        check_text(buf, sizeof buf);
    }
}

/* summaries: how many summary notes the handshake had, -1 when some frames' notes were not read. */
static void check_handshake(const ta_conn *conn, unsigned index, int summaries)
{
    const ta_handshake *hs = ta_conn_handshake(conn, index);
    FUZZ_CHECK(hs && hs->index == index);
    FUZZ_CHECK(strnlen(hs->sni, TA_SNI_MAX + 1) <= TA_SNI_MAX);
    FUZZ_CHECK(strnlen(hs->history, sizeof hs->history) <= TA_HISTORY_MAX);
    FUZZ_CHECK(hs->story_len <= TA_STORY_MAX);
    FUZZ_CHECK(hs->session_id_len <= sizeof hs->session_id);
    FUZZ_CHECK((unsigned)hs->outcome <= TA_OUTCOME_ABORTED);
    FUZZ_CHECK((unsigned)hs->mode <= TA_MODE_PSK);
    FUZZ_CHECK((unsigned)ta_handshake_mode(hs) <= TA_MODE_PSK);
    FUZZ_CHECK(!ta_handshake_mode_inferred(hs) || hs->encrypted);
    /* A renegotiation follows an earlier, completed handshake of the same connection. */
    FUZZ_CHECK(!hs->renegotiates || (hs->renegotiates->index < hs->index &&
                                     ta_conn_handshake(conn, hs->renegotiates->index) == hs->renegotiates &&
                                     hs->renegotiates->outcome == TA_OUTCOME_COMPLETED));
    FUZZ_CHECK(hs->client_sender >= -1 && hs->client_sender <= 1);
    FUZZ_CHECK(!hs->not_captured || hs->client_sender == -1);
    for (int role = TA_CLIENT; role <= TA_SERVER; role++) {
        /* A failed proof distrusts the chain it failed for; a verified one needs a real leaf. */
        ta_proof p = ta_handshake_proof(hs, (ta_role)role);
        FUZZ_CHECK(p.status <= TA_PROOF_NOT_CHECKED && p.why <= TA_WHY_DISABLED);
        FUZZ_CHECK(p.status != TA_PROOF_FAILED || !hs->chain[role].checked ||
                   hs->chain[role].verdict == TA_VERDICT_UNTRUSTED);
        FUZZ_CHECK(p.status != TA_PROOF_VERIFIED || p.why == TA_WHY_SIGNED);
    }
    /* tlsauth.summary appears exactly once per decided handshake (README). */
    FUZZ_CHECK(summaries < 0 || summaries == (hs->outcome != TA_OUTCOME_INCOMPLETE ? 1 : 0));
    if (hs->outcome == TA_OUTCOME_ABORTED) {
        FUZZ_CHECK(hs->drop_by == TA_CLIENT || hs->drop_by == TA_SERVER);
        FUZZ_CHECK(hs->frame_drop != 0);
        FUZZ_CHECK((unsigned)hs->drop_reason <= TA_REASON_OTHER);
    }
    for (int role = TA_CLIENT; role <= TA_SERVER; role++)
        FUZZ_CHECK(strnlen(hs->chain[role].leaf_subject, sizeof hs->chain[role].leaf_subject) <
                   sizeof hs->chain[role].leaf_subject);
    /* The tokens the renderer and the reports print. */
    FUZZ_CHECK(ta_mode_token(hs->mode) && ta_outcome_token(hs->outcome) && ta_role_token(hs->drop_by));
    FUZZ_CHECK(ta_version_token(hs->version) && ta_drop_how_token(hs->drop_how) && ta_step_token(hs->drop_after));
    FUZZ_CHECK(ta_step_label(hs->last_step));
    for (unsigned i = 0; i < hs->story_len; i++) {
        FUZZ_CHECK(ta_step_token(hs->story[i].step) && ta_step_label(hs->story[i].step));
        (void)ta_step_role(hs->story[i].step);
    }
    if (hs->resumed_from)
        FUZZ_CHECK(strnlen(hs->resumed_from->chain[TA_CLIENT].leaf_subject, 96) < 96);
    explain_all(hs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    checker_state cs = {fi_u32(&in) | 1};

    ta_conn *conn[CONNS];
    const ta_verifier fake = {&cs, fake_check_chain, fake_check_ocsp, (cs.x & 2) != 0};
    ta_sessions *sessions = ta_sessions_new(); /* shared: resumptions link across connections */
    FUZZ_CHECK(sessions);
    for (unsigned c = 0; c < CONNS; c++) {
        /* conn[1] has no verifier */
        conn[c] = ta_conn_new((ta_conn_id){c ? TA_TRANSPORT_UDP : TA_TRANSPORT_TCP, c}, c == 0 ? &fake : NULL, sessions);
        FUZZ_CHECK(conn[c]);
    }
    unsigned summaries[CONNS][TA_MAX_HANDSHAKES_PER_CONN] = {{0}};
    bool notes_lost[CONNS] = {false}; /* a frame's result was not asked for: summaries uncounted */
    uint32_t frame = 0;
    owned o = {{0}, 0};

    for (unsigned f = 0; f < MAX_FRAMES && !fi_empty(&in); f++) {
        uint8_t step = fi_u8(&in);
        uint32_t next = step == 0xFF ? fi_u32(&in) : frame + 1 + step % 4;
        if (next <= frame)
            break; /* Wireshark's first pass numbers frames upwards */
        frame = next;
        uint8_t events_byte = fi_u8(&in);
        unsigned events = events_byte % 72;
        bool notes_kept = !(events_byte & 0x80); /* else the frame's notes are not asked for */
        /* A frame belongs to one connection (tracker.h: one frame at a time): its first event's. */
        unsigned c = in.n ? in.p[0] >> 7 : 0;
        ta_frame_result result;
        ta_conn_begin_frame(conn[c], frame, (int64_t)frame * 1000, notes_kept ? &result : NULL);
        for (unsigned e = 0; e < events && !fi_empty(&in); e++) {
            ta_event ev;
            make_event(&in, &ev, &o);
            ta_conn_feed(conn[c], &ev);
            release(&o); /* the tracker may not keep any pointer of the event */
        }
        uint8_t how = fi_u8(&in);
        if (how & 2)
            ta_conn_lost_events(conn[c]); /* events beyond the glue's bound */
        unsigned notes = ta_conn_end_frame(conn[c]);
        FUZZ_CHECK(notes <= TA_MAX_NOTES_PER_FRAME && (notes_kept || notes == 0));
        if (notes_kept && !(how & 1)) {
            FUZZ_CHECK(result.note_count == notes);
            for (unsigned i = 0; i < notes; i++)
                check_note(conn[c], &result.notes[i], frame, summaries[c]);
        } else {
            notes_lost[c] = true;
        }
    }

    /* Hostile or impossible calls the API tolerates. */
    ta_conn_feed(NULL, NULL);
    ta_conn_feed(conn[0], NULL);
    FUZZ_CHECK(ta_conn_handshake(conn[0], TA_MAX_HANDSHAKES_PER_CONN) == NULL);

    for (unsigned c = 0; c < CONNS; c++) {
        unsigned count = ta_conn_handshake_count(conn[c]);
        FUZZ_CHECK(count <= TA_MAX_HANDSHAKES_PER_CONN);
        FUZZ_CHECK(ta_conn_handshake(conn[c], count) == NULL);
        (void)ta_conn_dropped_handshakes(conn[c]);
        for (unsigned i = 0; i < count; i++)
            check_handshake(conn[c], i, notes_lost[c] ? -1 : (int)summaries[c][i]);
    }
    for (unsigned c = 0; c < CONNS; c++)
        ta_conn_free(conn[c]);
    ta_conn_free(NULL);
    ta_sessions_free(sessions);
    ta_sessions_free(NULL);
    check_tokens();
    return 0;
}
