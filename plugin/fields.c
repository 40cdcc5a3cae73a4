/* The TLS and TCP fields tlsauth consumes, and how a frame's fields become tracker events.
 *
 * Every consumed field is declared once in CONSUMED. The frame's tree is walked in order, so
 * records, handshake messages and alerts keep their wire order even when several share a frame. */
#include "fields.h"
#include "ws_compat.h"

typedef enum consumed_id {
    C_TCP_STREAM,
    C_UDP_STREAM,
    C_RECORD_CONTENT_TYPE,
    C_RECORD_OPAQUE_TYPE,
    C_HS_TYPE,
    C_HS_VERSION,
    C_HS_CERTIFICATE,
    C_HS_DNAME_LEN,
    C_HS_OCSP_RESPONSE_LEN,
    C_HS_SESSION_TICKET,
    C_ALERT_LEVEL,
    C_ALERT_DESC,
    C_QUIC_CONNECTION,
    C_QUIC_FRAME_TYPE,
    C_QUIC_CLOSE_ERROR,
    C_QUIC_CLOSE_APP_ERROR,
    C_QUIC_UNDECRYPTED,
    C_EAP_CODE,
    C_COUNT
} consumed_id;

/* Wireshark builds a tree item for every field a post-dissector wants, in every frame: each one
 * costs. So the TCP flags are read from the header tcp.stream points at, records from their
 * content type (the length is in the header next to it) and hellos from their version
 * (ta_hello_read reads the rest of the body), not field by field. */
static const char *const CONSUMED[C_COUNT] = {
    [C_TCP_STREAM] = "tcp.stream",
    [C_UDP_STREAM] = "udp.stream",
    [C_RECORD_CONTENT_TYPE] = "tls.record.content_type",
    [C_RECORD_OPAQUE_TYPE] = "tls.record.opaque_type",
    [C_HS_TYPE] = "tls.handshake.type",
    [C_HS_VERSION] = "tls.handshake.version",
    [C_HS_CERTIFICATE] = "tls.handshake.certificate",
    [C_HS_DNAME_LEN] = "tls.handshake.dname_len",
    [C_HS_OCSP_RESPONSE_LEN] = "tls.handshake.ocsp_response_len",
    [C_HS_SESSION_TICKET] = "tls.handshake.session_ticket",
    [C_ALERT_LEVEL] = "tls.alert_message.level",
    [C_ALERT_DESC] = "tls.alert_message.desc",
    /* QUIC carries TLS handshake messages in CRYPTO frames, without records, and ends with frames
     * of its own; EAP carries TLS records and ends with EAP-Success or EAP-Failure. */
    [C_QUIC_CONNECTION] = "quic.connection.number",
    [C_QUIC_FRAME_TYPE] = "quic.frame_type",
    [C_QUIC_CLOSE_ERROR] = "quic.cc.error_code",
    [C_QUIC_CLOSE_APP_ERROR] = "quic.cc.error_code.app",
    /* A packet that cannot be decrypted (no keys) */
    [C_QUIC_UNDECRYPTED] = "quic.remaining_payload",
    [C_EAP_CODE] = "eap.code",
};

/* How the walk treats a node of a protocol or field. A tree shown in full (-V, -T fields, the
 * GUI's details) holds every field of every layer: the walk only goes where consumed fields are. */
typedef enum walk_rule {
    WALK_INTO = 0,
    WALK_PAST,     /* holds no consumed field: frame, link and IP layers, a certificate's X.509 */
    WALK_TO_FIELD, /* its consumed field is a direct child, and the only one: TCP's and UDP's stream */
} walk_rule;
static const char *const WALKED_PAST[] = {"frame", "eth", "sll", "vlan", "ip", "ipv6", "pkt_comment"};
static const char *const WALKED_TO_FIELD[] = {"tcp", "udp"};
/* An ICMP error quotes a packet of the connection it reports on, and Wireshark dissects the quote
 * down to its stream index and records: it is not that connection's traffic (and anyone who knows
 * the addresses and ports can forge one). Wanted, so that the quote sits under the ICMP node even
 * in a tree built only for wanted fields, and walked past. */
static const char *const QUOTING[] = {"icmp", "icmpv6"};
static const char *const MESSAGE_SUBTREES[] = {"tls.handshake", "dtls.handshake"}; /* one message each */

/* What the walk knows of an hf id. Every tls.* field is also read as its dtls.* twin, which the
 * DTLS dissector registers with the same meaning. */
typedef struct hf_use {
    int hf;          /* -1: a free slot */
    guint8 consumed; /* consumed_id + 1, or 0 */
    guint8 dtls;
    guint8 rule;     /* walk_rule */
    guint8 message;  /* the subtree of one handshake message */
} hf_use;
/* Looked up for every node walked: a small open-addressing table that stays in the cache (an
 * array indexed by hf id would span the ~250,000 ids Wireshark registers). */
#define USE_SLOTS 256
static hf_use use_by_hf[USE_SLOTS];
static gboolean uses_known;

static unsigned slot_of(int hf) { return ((guint32)hf * 2654435761u) >> 24; }

/* The slot that holds hf, or the free one where it would go; -1 when neither exists. */
static int probe(int hf)
{
    for (unsigned i = slot_of(hf), n = 0; n < USE_SLOTS; i = (i + 1) % USE_SLOTS, n++)
        if (use_by_hf[i].hf == hf || use_by_hf[i].hf < 0)
            return (int)i;
    return -1;
}

/* The walk's knowledge of hf, or NULL. */
static const hf_use *use_for(int hf)
{
    int slot = probe(hf);
    return slot >= 0 && use_by_hf[slot].hf == hf ? &use_by_hf[slot] : NULL;
}

enum {
    TCP_OFFSET_AND_FLAGS_AT = 12, /* from the start of the TCP header: data offset (4 bits), flags */
    TCP_FLAG_FIN = 0x01,
    TCP_FLAG_RST = 0x04,
    TCP_MIN_HEADER = 20,
    CONTENT_CHANGE_CIPHER_SPEC = 20,
    CONTENT_ALERT = 21,
    CONTENT_HANDSHAKE = 22,
    CONTENT_APPLICATION_DATA = 23,
    QUIC_FRAME_CRYPTO = 0x06,
    QUIC_FRAME_CONNECTION_CLOSE = 0x1c,     /* a transport error (crypto errors carry TLS alerts) */
    QUIC_FRAME_CONNECTION_CLOSE_APP = 0x1d, /* an application's error */
    QUIC_FRAME_HANDSHAKE_DONE = 0x1e,
    QUIC_CRYPTO_ERROR_FIRST = 0x0100,       /* RFC 9001 4.8: 0x0100 + the TLS alert */
    QUIC_CRYPTO_ERROR_LAST = 0x01ff,
    EAP_CODE_RESPONSE = 2,
    EAP_CODE_SUCCESS = 3,
    EAP_CODE_FAILURE = 4,
    /* Where the length is in a record header (from its content type), and a hello's body in its
     * handshake header (from its type): DTLS adds epoch, sequence number and fragment fields. */
    TLS_RECORD_LENGTH_AT = 3,
    DTLS_RECORD_LENGTH_AT = 11,
    HS_LENGTH_AT = 1, /* a handshake message's length, after its type (TLS and DTLS) */
    TLS_HS_BODY_AT = 4,
    DTLS_HS_BODY_AT = 12,
    DTLS_HS_MESSAGE_SEQ_AT = 4,
    DTLS_HS_FRAGMENT_OFFSET_AT = 6,
    DTLS_HS_FRAGMENT_LENGTH_AT = 9,
    MAX_TREE_DEPTH = 64,
    MAX_REASSEMBLIES_PER_FRAME = 8,
};

/* The fields whose presence makes a frame worth walking: a record, or a TCP stream (its flags may
 * close it). */
#define MAX_TRIGGERS 16 /* TLS and DTLS records, TCP, QUIC and EAP fields, with same-name twins */
static int triggers[MAX_TRIGGERS];
static unsigned trigger_count;

/* The entry of hf, made if needed; NULL when the table is full (never with the fields here). */
static hf_use *use_of(int hf)
{
    int slot = probe(hf);
    if (slot < 0)
        return NULL;
    use_by_hf[slot].hf = hf;
    return &use_by_hf[slot];
}

/* Several fields may share a name: each is looked at. */
static int same_name_next(int hf) { return proto_registrar_get_nth((guint)hf)->same_name_prev_id; }

static void want_field(GArray *wanted, const char *name, int id, gboolean dtls)
{
    for (int hf = proto_registrar_get_id_byname(name); hf >= 0; hf = same_name_next(hf)) {
        hf_use *use = use_of(hf);
        if (!use)
            continue;
        g_array_append_val(wanted, hf);
        use->consumed = (guint8)(id + 1);
        use->dtls = dtls;
        /* A certificate's children are its X.509 fields. */
        use->rule = id == C_HS_CERTIFICATE ? WALK_PAST : WALK_INTO;
        if ((id == C_RECORD_CONTENT_TYPE || id == C_RECORD_OPAQUE_TYPE || id == C_TCP_STREAM ||
             id == C_QUIC_FRAME_TYPE || id == C_QUIC_UNDECRYPTED || id == C_EAP_CODE) &&
            trigger_count < MAX_TRIGGERS)
            triggers[trigger_count++] = hf;
    }
}

/* Gives the protocols their walk rule, and wants them too when wanted_too is given. */
static void set_rule(const char *const *protocols, size_t count, walk_rule rule, GArray *wanted_too)
{
    for (size_t i = 0; i < count; i++) {
        int proto = proto_get_id_by_filter_name(protocols[i]);
        hf_use *use = proto >= 0 ? use_of(proto) : NULL;
        if (use)
            use->rule = (guint8)rule;
        if (proto >= 0 && wanted_too)
            g_array_append_val(wanted_too, proto);
    }
}

/* TCP's FIN and RST, from the header tcp.stream is placed at (no field wanted for them: one item
 * fewer in every frame). 0 if that is not a TCP header. */
static guint8 tcp_close_flags(const field_info *stream)
{
    tvbuff_t *tvb = stream->ds_tvb;
    if (!tvb || stream->length != 0 || !tvb_bytes_exist(tvb, stream->start, TCP_MIN_HEADER))
        return 0;
    guint16 offset_and_flags = tvb_get_ntohs(tvb, stream->start + TCP_OFFSET_AND_FLAGS_AT);
    if ((offset_and_flags >> 12) * 4 < TCP_MIN_HEADER)
        return 0;
    return offset_and_flags & (TCP_FLAG_FIN | TCP_FLAG_RST);
}

static gboolean is_quic_frame_read(guint64 type)
{
    return type == QUIC_FRAME_CRYPTO || type == QUIC_FRAME_CONNECTION_CLOSE || type == QUIC_FRAME_CONNECTION_CLOSE_APP ||
           type == QUIC_FRAME_HANDSHAKE_DONE;
}

/* Whether a primed trigger says the frame holds something to read: a record, a TCP close, a
 * QUIC frame that carries or ends a handshake, an EAP-Success or EAP-Failure. */
static gboolean triggers_walk(field_info *fi)
{
    const hf_use *use = use_for(fi->hfinfo->id);
    switch (use ? use->consumed - 1 : -1) {
    case C_TCP_STREAM: return tcp_close_flags(fi) != 0;
    case C_QUIC_FRAME_TYPE: return is_quic_frame_read(ta_fi_uint64(fi));
    case C_EAP_CODE: return ta_fi_uint(fi) == EAP_CODE_SUCCESS || ta_fi_uint(fi) == EAP_CODE_FAILURE;
    default: return TRUE;
    }
}

/* Most frames of a capture carry no record and no close: in a tree built only for the fields
 * that are wanted (tshark without -V), the primed fields tell at once, without a walk. A tree
 * built for display may not have primed them: walk it. */
static gboolean worth_walking(proto_tree *tree)
{
    if (!PTREE_DATA(tree) || PTREE_DATA(tree)->visible)
        return TRUE;
    for (unsigned i = 0; i < trigger_count; i++) {
        GPtrArray *found = proto_get_finfo_ptr_array(tree, triggers[i]);
        for (guint j = 0; found && j < found->len; j++)
            if (triggers_walk(g_ptr_array_index(found, j)))
                return TRUE;
    }
    return FALSE;
}

/* The ids of every field tlsauth reads, TLS and DTLS. */
static GArray *wanted;

void tlsauth_fields_prepare(void)
{
    for (unsigned i = 0; i < USE_SLOTS; i++)
        use_by_hf[i] = (hf_use){.hf = -1};
    trigger_count = 0;
    wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (int id = 0; id < C_COUNT; id++) {
        want_field(wanted, CONSUMED[id], id, FALSE);
        if (g_str_has_prefix(CONSUMED[id], "tls.")) {
            char *dtls = g_strconcat("d", CONSUMED[id], NULL);
            want_field(wanted, dtls, id, TRUE);
            g_free(dtls);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(MESSAGE_SUBTREES); i++)
        for (int hf = proto_registrar_get_id_byname(MESSAGE_SUBTREES[i]); hf >= 0; hf = same_name_next(hf)) {
            hf_use *use = use_of(hf);
            if (use)
                use->message = TRUE;
        }
    set_rule(WALKED_PAST, G_N_ELEMENTS(WALKED_PAST), WALK_PAST, NULL);
    set_rule(QUOTING, G_N_ELEMENTS(QUOTING), WALK_PAST, wanted);
    set_rule(WALKED_TO_FIELD, G_N_ELEMENTS(WALKED_TO_FIELD), WALK_TO_FIELD, NULL);
    uses_known = TRUE;
}

/* Wanted fields make Wireshark build a tree in every frame, even for tshark's summary lines: a
 * disabled tlsauth wants none, so it costs nothing. Wireshark frees the array it is given. */
void tlsauth_fields_request(dissector_handle_t handle, gboolean enabled)
{
    GArray *copy = NULL;
    if (enabled && wanted) {
        copy = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), wanted->len);
        g_array_append_vals(copy, wanted->data, wanted->len);
    }
    set_postdissector_wanted_hfids(handle, copy);
}

/* The record and handshake message being read while walking the tree. */
typedef struct walk_state {
    tlsauth_input *in;
    packet_info *pinfo; /* for the data sources (a reassembled DTLS message) */
    tvbuff_t *reassemblies_taken[MAX_REASSEMBLIES_PER_FRAME]; /* each holds one message */
    unsigned reassemblies_taken_count;
    guint8 tcp_close; /* TCP_FLAG_FIN and TCP_FLAG_RST of the frame's TCP header */
    gboolean quic;    /* the frame is QUIC's: handshake messages come without records */
    guint64 quic_frame_type;
    gboolean message_read; /* the rest of the message's subtree holds nothing more to read */
    gboolean record_open;
    tvbuff_t *record_tvb; /* where the record header is */
    gint record_start;
    int content_type; /* -1 until seen; for TLS 1.3 only present once decrypted */
    gboolean opaque;
    guint32 record_length;
    unsigned messages_in_record;
    gboolean alert_in_record;
    gboolean message_open;
    ta_event message;
    ta_hello_info *hello; /* the message's, when it is a hello not read yet */
    tvbuff_t *message_tvb; /* where the handshake header is */
    gint message_start;
    guint8 alert_level;
} walk_state;

static ta_event *push_event(tlsauth_input *in, ta_event_kind kind)
{
    if (in->event_count == TLSAUTH_MAX_EVENTS) {
        in->events_dropped++;
        return NULL;
    }
    ta_event *ev = &in->events[in->event_count++];
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    return ev;
}

static void close_message(walk_state *w)
{
    if (!w->message_open)
        return;
    w->message_open = FALSE;
    ta_event *ev = push_event(w->in, TA_EV_HANDSHAKE);
    if (ev)
        *ev = w->message;
    w->hello = NULL;
}

static void close_record(walk_state *w)
{
    close_message(w);
    if (!w->record_open)
        return;
    w->record_open = FALSE;
    ta_event_kind kind;
    switch (w->content_type) {
    case CONTENT_CHANGE_CIPHER_SPEC: kind = TA_EV_CHANGE_CIPHER_SPEC; break;
    case CONTENT_ALERT:
        if (w->alert_in_record)
            return;
        kind = TA_EV_ENCRYPTED_ALERT;
        break;
    case CONTENT_HANDSHAKE:
        /* A decrypted TLS 1.3 record without a message holds a fragment of one. */
        if (w->messages_in_record || w->opaque)
            return;
        kind = TA_EV_ENCRYPTED_HANDSHAKE;
        break;
    case CONTENT_APPLICATION_DATA: kind = TA_EV_APP_DATA; break;
    case -1:
        if (!w->opaque)
            return;
        kind = TA_EV_OPAQUE_RECORD;
        break;
    default: return;
    }
    ta_event *ev = push_event(w->in, kind);
    if (ev)
        ev->record_length = w->record_length;
}

/* A decrypted TLS 1.3 record shows its real content type at the place of its opaque one. */
static gboolean is_inner_content_type(const walk_state *w, const field_info *fi)
{
    return w->record_open && w->opaque && w->content_type == -1 && fi->ds_tvb == w->record_tvb &&
           fi->start == w->record_start;
}

static void open_record(walk_state *w, const field_info *fi, gboolean dtls)
{
    close_record(w);
    w->in->has_tls = TRUE;
    w->record_open = TRUE;
    w->record_tvb = fi->ds_tvb;
    w->record_start = fi->start;
    w->content_type = -1;
    w->opaque = FALSE;
    w->messages_in_record = 0;
    w->alert_in_record = FALSE;
    gint at = fi->start + (dtls ? DTLS_RECORD_LENGTH_AT : TLS_RECORD_LENGTH_AT);
    w->record_length = fi->ds_tvb && tvb_bytes_exist(fi->ds_tvb, at, 2) ? tvb_get_ntohs(fi->ds_tvb, at) : 0;
}

/* A DTLS message cut into fragments is one message, where Wireshark reassembles it: at the fragment
 * that ends it, once all have come (a data source then holds its body, one per message). Any other
 * fragment, or one of a message never completed (a fragment lost), is not, say, an empty
 * Certificate. */
static gboolean is_unassembled_fragment(walk_state *w, const field_info *type, tvbuff_t **reassembled)
{
    tvbuff_t *tvb = type->ds_tvb;
    if (!tvb || !tvb_bytes_exist(tvb, type->start, DTLS_HS_BODY_AT))
        return FALSE;
    guint32 length = tvb_get_ntoh24(tvb, type->start + HS_LENGTH_AT);
    guint32 offset = tvb_get_ntoh24(tvb, type->start + DTLS_HS_FRAGMENT_OFFSET_AT);
    guint32 fragment = tvb_get_ntoh24(tvb, type->start + DTLS_HS_FRAGMENT_LENGTH_AT);
    if (offset == 0 && fragment == length)
        return FALSE;
    if ((guint64)offset + fragment != length || w->reassemblies_taken_count == MAX_REASSEMBLIES_PER_FRAME)
        return TRUE;
    for (GSList *src = w->pinfo ? w->pinfo->data_src : NULL; src; src = src->next) {
        tvbuff_t *body = get_data_source_tvb(src->data);
        if (!body || body == tvb || tvb_captured_length(body) != length)
            continue;
        gboolean taken = FALSE;
        for (unsigned i = 0; i < w->reassemblies_taken_count; i++)
            taken |= w->reassemblies_taken[i] == body;
        if (!taken) {
            w->reassemblies_taken[w->reassemblies_taken_count++] = body;
            *reassembled = body;
            return FALSE;
        }
    }
    return TRUE;
}

/* The message's body as sent, for the transcript its signatures cover: after its header, or in
 * the data source of a reassembled DTLS message. DTLS also numbers its messages. */
static void read_body(walk_state *w, gboolean dtls, tvbuff_t *reassembled)
{
    static const guint8 EMPTY[1];
    tvbuff_t *tvb = w->message_tvb;
    gint at = w->message_start, header = dtls ? DTLS_HS_BODY_AT : TLS_HS_BODY_AT;
    if (!tvb || !tvb_bytes_exist(tvb, at, header))
        return;
    guint32 length = tvb_get_ntoh24(tvb, at + HS_LENGTH_AT);
    if (dtls) {
        w->message.dtls = true;
        w->message.message_seq = tvb_get_ntohs(tvb, at + DTLS_HS_MESSAGE_SEQ_AT);
    }
    tvbuff_t *source = reassembled ? reassembled : tvb;
    gint from = reassembled ? 0 : at + header;
    if (length == 0)
        w->message.body = EMPTY;
    else if (tvb_bytes_exist(source, from, (gint)length))
        w->message.body = tvb_get_ptr(source, from, (gint)length);
    w->message.body_len = length;
}

static void open_message(walk_state *w, field_info *fi, gboolean dtls)
{
    close_message(w);
    tvbuff_t *reassembled = NULL;
    if (dtls && is_unassembled_fragment(w, fi, &reassembled)) {
        w->messages_in_record++; /* a handshake record, not an encrypted one */
        return;
    }
    guint32 type = ta_fi_uint(fi);
    w->message_open = TRUE;
    w->messages_in_record++;
    w->message_tvb = fi->ds_tvb;
    w->message_start = fi->start;
    memset(&w->message, 0, sizeof w->message);
    w->message.kind = TA_EV_HANDSHAKE;
    w->message.hs_type = (uint8_t)type;
    read_body(w, dtls, reassembled);
    if ((type == TA_HS_CLIENT_HELLO || type == TA_HS_SERVER_HELLO) &&
        w->in->hello_count < TLSAUTH_MAX_HELLOS) {
        w->hello = &w->in->hellos[w->in->hello_count++];
        memset(w->hello, 0, sizeof *w->hello);
        w->message.hello = &w->hello->hello;
    }
    /* Only these messages hold fields to read after their type. */
    w->message_read = !w->hello && type != TA_HS_CERTIFICATE && type != TA_HS_CERTIFICATE_REQUEST &&
                      type != TA_HS_CERTIFICATE_STATUS && type != TA_HS_NEW_SESSION_TICKET;
}

/* A hello's body starts at its version. It ends with the handshake message when the header is
 * right before it (a DTLS fragment: with the fragment), else with the data. */
static void read_hello(walk_state *w, const field_info *version, gboolean dtls)
{
    tvbuff_t *tvb = version->ds_tvb;
    gint length = tvb ? tvb_captured_length_remaining(tvb, version->start) : -1;
    if (length <= 0)
        return;
    gint header = dtls ? DTLS_HS_BODY_AT : TLS_HS_BODY_AT;
    if (tvb == w->message_tvb && version->start == w->message_start + header) {
        gint declared_at = w->message_start + (dtls ? DTLS_HS_FRAGMENT_LENGTH_AT : HS_LENGTH_AT);
        length = MIN(length, (gint)tvb_get_ntoh24(tvb, declared_at));
    }
    ta_hello_info *info = w->hello;
    w->hello = NULL; /* one body per message */
    ta_hello_read(tvb_get_ptr(tvb, version->start, length), (size_t)length, w->message.hs_type, dtls, info);
}

static void take_field(walk_state *w, consumed_id id, gboolean dtls, field_info *fi)
{
    tlsauth_input *in = w->in;
    size_t len;
    const guint8 *bytes;
    switch (id) {
    case C_TCP_STREAM:
    case C_UDP_STREAM:
        /* TCP and UDP number their streams apart: the transport is part of the key. The innermost
         * before the frame's first record is the connection (TLS in a tunnel: VXLAN, GTP-U...),
         * as it is for the addresses and ports in pinfo. */
        if (!in->has_tls) {
            in->has_stream = TRUE;
            in->conn = (ta_conn_id){id == C_UDP_STREAM ? TA_TRANSPORT_UDP : TA_TRANSPORT_TCP, ta_fi_uint(fi)};
            w->tcp_close = id == C_TCP_STREAM ? tcp_close_flags(fi) : 0;
        }
        break;
    case C_RECORD_CONTENT_TYPE:
        if (!is_inner_content_type(w, fi))
            open_record(w, fi, dtls);
        w->content_type = (int)ta_fi_uint(fi);
        break;
    case C_RECORD_OPAQUE_TYPE:
        open_record(w, fi, dtls);
        w->opaque = TRUE;
        break;
    case C_HS_TYPE:
        /* QUIC's CRYPTO frames hold handshake messages without records: one stands for them. */
        if (!w->record_open && w->quic && w->quic_frame_type == QUIC_FRAME_CRYPTO) {
            open_record(w, fi, FALSE);
            w->content_type = CONTENT_HANDSHAKE;
            w->record_length = 0;
        }
        if (w->record_open)
            open_message(w, fi, dtls);
        break;
    case C_QUIC_CONNECTION:
        /* QUIC numbers its connections itself (a connection may change addresses, one UDP
         * stream may carry several). */
        if (!in->has_tls) {
            in->has_stream = TRUE;
            in->conn = (ta_conn_id){TA_TRANSPORT_QUIC, ta_fi_uint(fi)};
            w->quic = TRUE;
        }
        break;
    case C_QUIC_UNDECRYPTED:
        if (w->quic) {
            close_record(w);
            /* Without keys a 1-RTT packet may be data, 0.5-RTT data before the client's Finished,
             * or a CONNECTION_CLOSE refusing it: no outcome is read from it. */
            push_event(in, TA_EV_ENCRYPTED_HANDSHAKE);
        }
        break;
    case C_QUIC_FRAME_TYPE:
        close_record(w); /* a record standing for the CRYPTO frame before */
        w->quic_frame_type = ta_fi_uint64(fi);
        if (w->quic && w->quic_frame_type == QUIC_FRAME_HANDSHAKE_DONE)
            push_event(in, TA_EV_ACCEPTED);
        break;
    case C_QUIC_CLOSE_ERROR:
    case C_QUIC_CLOSE_APP_ERROR: {
        guint64 code = ta_fi_uint64(fi);
        if (!w->quic)
            break;
        ta_event *ev;
        if (id == C_QUIC_CLOSE_ERROR && code >= QUIC_CRYPTO_ERROR_FIRST && code <= QUIC_CRYPTO_ERROR_LAST) {
            if ((ev = push_event(in, TA_EV_ALERT))) {
                ev->alert_level = 2; /* fatal: it closes the connection */
                ev->alert_desc = (uint8_t)(code - QUIC_CRYPTO_ERROR_FIRST);
            }
        } else if ((ev = push_event(in, TA_EV_CLOSE))) {
            ev->close = TA_CLOSE_QUIC;
            ev->close_code = code;
        }
        break;
    }
    case C_EAP_CODE: {
        /* EAP's conversation is the connection: inside RADIUS its UDP stream, over 802.1X its
         * supplicant (numbered by the caller). Only the outer EAP counts: PEAP and TTLS carry
         * another one inside the TLS they protect. */
        guint32 code = ta_fi_uint(fi);
        if (in->has_tls || in->eap)
            break;
        in->conn.transport = TA_TRANSPORT_EAP;
        in->eap = TRUE;
        in->eap_from_client = code == EAP_CODE_RESPONSE;
        ta_event *ev;
        if (code == EAP_CODE_SUCCESS)
            push_event(in, TA_EV_ACCEPTED);
        else if (code == EAP_CODE_FAILURE && (ev = push_event(in, TA_EV_CLOSE)))
            ev->close = TA_CLOSE_EAP_FAILURE;
        break;
    }
    case C_HS_VERSION:
        if (w->message_open && w->hello) {
            read_hello(w, fi, dtls);
            w->message_read = TRUE;
        }
        break;
    case C_HS_SESSION_TICKET:
        bytes = ta_fi_bytes(fi, &len);
        if (w->message_open && w->message.hs_type == TA_HS_NEW_SESSION_TICKET && bytes && len)
            w->message.ticket = (ta_der){bytes, len};
        break;
    case C_HS_CERTIFICATE:
        if (!w->message_open || w->message.cert_count == INT_MAX)
            break;
        bytes = ta_fi_bytes(fi, &len);
        /* The message's certificates are contiguous in the frame's pool while it fills. */
        if (w->message.certs_available == (unsigned)w->message.cert_count && bytes &&
            in->cert_count < TLSAUTH_MAX_CERTS) {
            if (!w->message.certs)
                w->message.certs = &in->certs[in->cert_count];
            in->certs[in->cert_count++] = (ta_der){bytes, len};
            w->message.certs_available++;
        }
        w->message.cert_count++;
        break;
    case C_HS_OCSP_RESPONSE_LEN: {
        /* The OCSP response's DER follows its 3-byte length; the first one of a message counts. */
        guint32 ocsp_len = ta_fi_uint(fi);
        if (w->message_open && !w->message.ocsp_response && ocsp_len > 0 &&
            in->ocsp_count < TLSAUTH_MAX_OCSP && fi->ds_tvb &&
            tvb_bytes_exist(fi->ds_tvb, fi->start + 3, (gint)ocsp_len)) {
            in->ocsp[in->ocsp_count] = (ta_der){tvb_get_ptr(fi->ds_tvb, fi->start + 3, (gint)ocsp_len), ocsp_len};
            w->message.ocsp_response = &in->ocsp[in->ocsp_count++];
        }
        break;
    }
    case C_HS_DNAME_LEN: {
        /* The DistinguishedName's DER follows its 2-byte length. */
        guint32 dn_len = ta_fi_uint(fi);
        if (!w->message_open || w->message.hs_type != TA_HS_CERTIFICATE_REQUEST || dn_len == 0)
            break;
        /* The message's names are contiguous in the frame's pool while it fills. */
        if (!w->message.ca_names_cut && in->ca_name_count < TLSAUTH_MAX_CA_NAMES && fi->ds_tvb &&
            tvb_bytes_exist(fi->ds_tvb, fi->start + 2, (gint)dn_len)) {
            if (!w->message.ca_names)
                w->message.ca_names = &in->ca_names[in->ca_name_count];
            in->ca_names[in->ca_name_count++] = (ta_der){tvb_get_ptr(fi->ds_tvb, fi->start + 2, (gint)dn_len), dn_len};
            w->message.ca_name_count++;
        } else {
            w->message.ca_names_cut = true; /* a list not read whole cannot say a name is missing */
        }
        break;
    }
    case C_ALERT_LEVEL:
        w->alert_level = (guint8)ta_fi_uint(fi);
        break;
    case C_ALERT_DESC:
        if (w->record_open) {
            ta_event *ev = push_event(in, TA_EV_ALERT);
            if (ev) {
                ev->alert_level = w->alert_level;
                ev->alert_desc = (uint8_t)ta_fi_uint(fi);
            }
            w->alert_in_record = TRUE;
        }
        break;
    case C_COUNT: break;
    }
}

/* Takes the node's field when it is consumed; says what the walk knows of it (NULL: nothing). */
static const hf_use *visit(walk_state *w, proto_node *node)
{
    field_info *fi = node->finfo;
    const hf_use *use = fi && fi->hfinfo ? use_for(fi->hfinfo->id) : NULL;
    if (use && use->consumed)
        take_field(w, (consumed_id)(use->consumed - 1), use->dtls, fi);
    return use;
}

static void walk(walk_state *w, proto_node *node, unsigned depth)
{
    if (depth > MAX_TREE_DEPTH)
        return;
    const hf_use *node_use = node->finfo && node->finfo->hfinfo ? use_for(node->finfo->hfinfo->id) : NULL;
    gboolean in_message = node_use && node_use->message;
    for (proto_node *child = node->first_child; child; child = child->next) {
        const hf_use *use = visit(w, child);
        if (w->message_read) {
            w->message_read = FALSE;
            if (in_message)
                return;
        }
        walk_rule rule = use ? use->rule : WALK_INTO;
        if (!child->first_child || rule == WALK_PAST)
            continue;
        if (rule == WALK_TO_FIELD) {
            for (proto_node *grandchild = child->first_child; grandchild; grandchild = grandchild->next) {
                use = visit(w, grandchild);
                if (use && use->consumed)
                    break;
            }
            continue;
        }
        walk(w, child, depth + 1);
    }
}

void tlsauth_fields_extract(proto_tree *tree, tlsauth_input *in)
{
    memset(in, 0, offsetof(tlsauth_input, events));
    in->event_count = 0;
    in->events_dropped = 0;
    in->hello_count = 0;
    in->cert_count = 0;
    in->ca_name_count = 0;
    in->ocsp_count = 0;
    if (!tree || !uses_known || !worth_walking(tree))
        return;
    walk_state w = {.in = in, .pinfo = PTREE_DATA(tree)->pinfo, .content_type = -1};
    walk(&w, tree, 0);
    close_record(&w);
    /* The TCP flags close the frame: the records it carries come first. */
    ta_event *close;
    if ((w.tcp_close & TCP_FLAG_FIN) && (close = push_event(in, TA_EV_CLOSE)))
        close->close = TA_CLOSE_FIN;
    if ((w.tcp_close & TCP_FLAG_RST) && (close = push_event(in, TA_EV_CLOSE)))
        close->close = TA_CLOSE_RST;
}

const ta_event *tlsauth_fields_certificate(const tlsauth_input *in, unsigned n)
{
    for (unsigned i = 0; in && i < in->event_count; i++)
        if (in->events[i].kind == TA_EV_HANDSHAKE && in->events[i].hs_type == TA_HS_CERTIFICATE && n-- == 0)
            return &in->events[i];
    return NULL;
}
