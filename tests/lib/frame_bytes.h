/* Shared by the test tools that write frames (icmp_error.c, udp_join.c, vxlan_wrap.c): pcap fields
 * are little-endian here (as editcap writes them on this machine), network fields big-endian. */
#ifndef TLSAUTH_TEST_FRAME_BYTES_H
#define TLSAUTH_TEST_FRAME_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { PCAP_HEADER = 24, RECORD_HEADER = 16, ETH_HEADER = 14, IPV4_HEADER = 20 /* without options */, MAX_FRAME = 65535 };

static inline uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static inline unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static inline void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void put_be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The Internet checksum (RFC 1071) of data, to store as is. */
static inline unsigned internet_checksum(const uint8_t *data, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 2)
        sum += (uint32_t)data[i] << 8 | (i + 1 < len ? data[i + 1] : 0);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return ~sum & 0xFFFF;
}

/* One Ethernet + IPv4 frame, read whole from a one-frame pcap (editcap -F pcap -r CAPTURE X.pcap N). */
typedef struct ipv4_frame {
    uint8_t file[PCAP_HEADER + RECORD_HEADER + MAX_FRAME]; /* the pcap header, the record's, the frame */
    const uint8_t *record, *bytes, *ip;
    size_t caplen, ip_len, ip_header;
} ipv4_frame;

/* NULL, or why PATH does not hold one whole Ethernet + IPv4 frame. */
static inline const char *read_ipv4_frame(const char *path, ipv4_frame *f)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return "cannot read a frame file";
    size_t got = fread(f->file, 1, sizeof f->file, in);
    fclose(in);
    if (got < PCAP_HEADER + RECORD_HEADER)
        return "not a pcap with a frame";
    f->record = f->file + PCAP_HEADER;
    f->bytes = f->record + RECORD_HEADER;
    f->caplen = le32(f->record + 8);
    if (f->caplen > got - PCAP_HEADER - RECORD_HEADER || f->caplen < ETH_HEADER + IPV4_HEADER)
        return "a frame is cut";
    f->ip = f->bytes + ETH_HEADER;
    f->ip_len = f->caplen - ETH_HEADER;
    f->ip_header = (size_t)(f->ip[0] & 0xF) * 4;
    if (f->bytes[12] != 0x08 || f->bytes[13] != 0x00 || f->ip[0] >> 4 != 4 || f->ip_header < IPV4_HEADER ||
        f->ip_header > f->ip_len)
        return "a frame is not Ethernet + IPv4";
    return NULL;
}

#endif
