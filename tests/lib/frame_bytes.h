/* Byte helpers shared by the test tools that write frames (icmp_error.c, udp_join.c): pcap fields
 * are little-endian here (as editcap writes them on this machine), network fields big-endian. */
#ifndef TLSAUTH_TEST_FRAME_BYTES_H
#define TLSAUTH_TEST_FRAME_BYTES_H

#include <stddef.h>
#include <stdint.h>

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

#endif
