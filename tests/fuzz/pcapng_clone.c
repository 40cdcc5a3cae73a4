/* Makes a capture of many connections from a small one: the packets of IN, COUNT times, each copy
 * with its own client address and port (TCP or UDP, IPv4 or IPv6, over Ethernet or raw IP) and its
 * timestamps moved after the previous copy. The header, interface and decryption secrets blocks
 * are written once, so one key log decrypts every copy. Checksums are not updated (Wireshark does
 * not check them by default). Host byte order pcapng only, as the captures of this repository.
 *
 * With --seconds=T instead of COUNT: one copy whose interfaces count time in whole seconds
 * (if_tsresol 0) and whose packets are all at T (a 64-bit value, taken modulo 2^64): a capture
 * whose frame times are at the edges of time_t (-9223372036854775808, -1, 0, ...).
 *
 * Usage: pcapng_clone IN.pcapng OUT.pcapng COUNT
 *        pcapng_clone IN.pcapng OUT.pcapng --seconds=T */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_EPB 6u
#define OPT_TSRESOL 9
#define OPT_TSOFFSET 14
#define MAX_FLOWS 256
#define MAX_IFACES 16

typedef struct block {
    uint32_t type;
    uint8_t *data; /* the whole block */
    uint32_t len;
} block;

typedef struct flow {
    bool udp;
    uint16_t server_port, client_port; /* the server is where the flow's first packet went */
} flow;

static flow flows[MAX_FLOWS];
static unsigned flow_count;
static uint16_t linktype[MAX_IFACES];
static unsigned iface_count;

static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint16_t get16be(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16be(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void die(const char *what)
{
    fprintf(stderr, "pcapng_clone: %s\n", what);
    exit(1);
}

/* The transport header of an EPB's packet: *l4 at its ports, *ip_addr at the (src, dst) addresses
 * with *addr_len bytes each. false when it is not TCP or UDP over IP. */
static bool locate(uint8_t *pkt, uint32_t len, uint16_t link, uint8_t **l4, bool *udp, uint8_t **src, uint8_t **dst,
                   unsigned *addr_len)
{
    uint32_t off = 0;
    uint16_t ethertype;
    if (link == 1) { /* Ethernet */
        if (len < 14)
            return false;
        ethertype = get16be(pkt + 12);
        off = 14;
        if (ethertype == 0x8100 && len >= 18) {
            ethertype = get16be(pkt + 16);
            off = 18;
        }
    } else if (link == 101 || link == 228 || link == 229) { /* raw IP */
        if (len < 1)
            return false;
        ethertype = (pkt[0] >> 4) == 6 ? 0x86DD : 0x0800;
    } else if (link == 113) { /* Linux cooked */
        if (len < 16)
            return false;
        ethertype = get16be(pkt + 14);
        off = 16;
    } else {
        return false;
    }
    uint8_t proto;
    if (ethertype == 0x0800) {
        if (len < off + 20)
            return false;
        unsigned ihl = (pkt[off] & 0x0F) * 4u;
        proto = pkt[off + 9];
        *src = pkt + off + 12;
        *dst = pkt + off + 16;
        *addr_len = 4;
        off += ihl;
    } else if (ethertype == 0x86DD) {
        if (len < off + 40)
            return false;
        proto = pkt[off + 6];
        *src = pkt + off + 8;
        *dst = pkt + off + 24;
        *addr_len = 16;
        off += 40;
    } else {
        return false;
    }
    if ((proto != 6 && proto != 17) || len < off + 4)
        return false;
    *l4 = pkt + off;
    *udp = proto == 17;
    return true;
}

static flow *flow_of(bool udp, uint16_t a, uint16_t b, bool create)
{
    for (unsigned i = 0; i < flow_count; i++)
        if (flows[i].udp == udp && ((flows[i].server_port == a && flows[i].client_port == b) ||
                                    (flows[i].server_port == b && flows[i].client_port == a)))
            return &flows[i];
    if (!create || flow_count == MAX_FLOWS)
        return NULL;
    flows[flow_count] = (flow){udp, b, a}; /* first packet: a -> b, so b is the server */
    return &flows[flow_count++];
}

/* The same interface block, with if_tsresol 0 (seconds) and without if_tsoffset. */
static block seconds_idb(const block *idb)
{
    block out = {BT_IDB, malloc(idb->len + 12), 0};
    if (!out.data || idb->len < 20)
        die("bad interface block");
    memcpy(out.data, idb->data, 16); /* type, length, link type, reserved, snap length */
    uint32_t at = 16, end = idb->len - 4;
    out.data[at] = OPT_TSRESOL; out.data[at + 1] = 0; out.data[at + 2] = 1; out.data[at + 3] = 0;
    memset(out.data + at + 4, 0, 4); /* value 0, padded */
    at += 8;
    for (uint32_t p = 16; p + 4 <= end;) {
        uint16_t code, olen;
        memcpy(&code, idb->data + p, 2);
        memcpy(&olen, idb->data + p + 2, 2);
        uint32_t padded = 4 + ((olen + 3u) & ~3u);
        if (code == 0 || p + padded > end)
            break;
        if (code != OPT_TSRESOL && code != OPT_TSOFFSET) {
            memcpy(out.data + at, idb->data + p, padded);
            at += padded;
        }
        p += padded;
    }
    memset(out.data + at, 0, 4); /* opt_endofopt */
    at += 8;
    out.len = at;
    put32(out.data + 4, at);
    put32(out.data + at - 4, at);
    return out;
}

static block *read_blocks(FILE *f, unsigned *count)
{
    block *blocks = NULL;
    unsigned n = 0, cap = 0;
    uint8_t head[8];
    while (fread(head, 1, 8, f) == 8) {
        uint32_t type = get32(head), len = get32(head + 4);
        if (n == 0 && (type != BT_SHB || len < 28))
            die("not a pcapng file");
        if (len < 12 || len % 4 || len > (64u << 20))
            die("bad block length");
        uint8_t *data = malloc(len);
        if (!data)
            die("out of memory");
        memcpy(data, head, 8);
        if (fread(data + 8, 1, len - 8, f) != len - 8)
            die("truncated block");
        if (type == BT_SHB && get32(data + 8) != 0x1A2B3C4Du)
            die("other byte order than this machine's: not supported");
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            blocks = realloc(blocks, cap * sizeof *blocks);
            if (!blocks)
                die("out of memory");
        }
        blocks[n++] = (block){type, data, len};
    }
    *count = n;
    return blocks;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        die("usage: pcapng_clone IN.pcapng OUT.pcapng COUNT|--seconds=T");
    bool at_seconds = strncmp(argv[3], "--seconds=", 10) == 0;
    uint64_t seconds = at_seconds ? (uint64_t)strtoll(argv[3] + 10, NULL, 0) : 0;
    unsigned long copies = at_seconds ? 1 : strtoul(argv[3], NULL, 10);
    if (copies == 0 || copies > 10000000)
        die("COUNT: 1 to 10000000");
    FILE *in = fopen(argv[1], "rb");
    if (!in)
        die("cannot open the input");
    unsigned count;
    block *blocks = read_blocks(in, &count);
    fclose(in);
    if (at_seconds) {
        FILE *out = fopen(argv[2], "wb");
        if (!out)
            die("cannot create the output");
        for (unsigned i = 0; i < count; i++) {
            block b = blocks[i];
            if (b.type == BT_IDB)
                b = seconds_idb(&blocks[i]);
            if (b.type == BT_EPB && b.len >= 32) {
                put32(b.data + 12, (uint32_t)(seconds >> 32));
                put32(b.data + 16, (uint32_t)seconds);
            }
            if (fwrite(b.data, 1, b.len, out) != b.len)
                die("write error");
            if (b.data != blocks[i].data)
                free(b.data);
        }
        if (fclose(out) != 0)
            die("write error");
        return 0;
    }

    /* The flows, their servers, and the time span of the capture. */
    uint64_t first = UINT64_MAX, last = 0;
    for (unsigned i = 0; i < count; i++) {
        block *b = &blocks[i];
        if (b->type == BT_IDB && iface_count < MAX_IFACES)
            linktype[iface_count++] = (uint16_t)(b->data[8] | b->data[9] << 8);
        if (b->type != BT_EPB || b->len < 32)
            continue;
        uint32_t iface = get32(b->data + 8);
        uint64_t ts = (uint64_t)get32(b->data + 12) << 32 | get32(b->data + 16);
        first = ts < first ? ts : first;
        last = ts > last ? ts : last;
        uint8_t *l4, *src, *dst;
        bool udp;
        unsigned alen;
        uint32_t caplen = get32(b->data + 20);
        if (iface < iface_count && caplen <= b->len - 32 &&
            locate(b->data + 28, caplen, linktype[iface], &l4, &udp, &src, &dst, &alen))
            flow_of(udp, get16be(l4), get16be(l4 + 2), true);
    }
    if (first == UINT64_MAX)
        die("no packet in the input");
    uint64_t span = last - first + 1000; /* + 1 ms at the default microsecond resolution */

    FILE *out = fopen(argv[2], "wb");
    if (!out)
        die("cannot create the output");
    static char buffer[1 << 20];
    setvbuf(out, buffer, _IOFBF, sizeof buffer);
    for (unsigned long copy = 0; copy < copies; copy++) {
        for (unsigned i = 0; i < count; i++) {
            block *b = &blocks[i];
            if (b->type != BT_EPB) {
                if (copy == 0 && fwrite(b->data, 1, b->len, out) != b->len)
                    die("write error");
                continue;
            }
            uint8_t *d = malloc(b->len);
            if (!d)
                die("out of memory");
            memcpy(d, b->data, b->len);
            uint64_t ts = ((uint64_t)get32(d + 12) << 32 | get32(d + 16)) + copy * span;
            put32(d + 12, (uint32_t)(ts >> 32));
            put32(d + 16, (uint32_t)ts);
            uint32_t iface = get32(d + 8), caplen = get32(d + 20);
            uint8_t *l4, *src, *dst;
            bool udp;
            unsigned alen;
            if (iface < iface_count && caplen <= b->len - 32 &&
                locate(d + 28, caplen, linktype[iface], &l4, &udp, &src, &dst, &alen)) {
                uint16_t sport = get16be(l4), dport = get16be(l4 + 2);
                flow *fl = flow_of(udp, sport, dport, false);
                if (fl) {
                    /* A client of its own per copy and flow: port and address from that number.
                     * Ports 49152-56151, which no dissector of Wireshark 4.0 claims (57000 is
                     * taken): a registered port would take the stream away from TLS. */
                    unsigned long id = copy * flow_count + (unsigned long)(fl - flows);
                    uint16_t port = (uint16_t)(49152 + id % 7000);
                    unsigned long net = id / 7000 + 1;
                    bool client_sends = sport == fl->client_port && dport == fl->server_port;
                    uint8_t *addr = client_sends ? src : dst;
                    put16be(client_sends ? l4 : l4 + 2, port);
                    addr[alen - 3] = (uint8_t)(net >> 8);
                    addr[alen - 2] = (uint8_t)net;
                }
            }
            if (fwrite(d, 1, b->len, out) != b->len)
                die("write error");
            free(d);
        }
    }
    if (fclose(out) != 0)
        die("write error");
    for (unsigned i = 0; i < count; i++)
        free(blocks[i].data);
    free(blocks);
    return 0;
}
