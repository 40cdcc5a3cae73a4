/* Writes one datagram carrying what two carried: SECOND's, with FIRST's UDP payload put before its
 * own (DTLS allows any number of records, and fragments, per datagram). For tests whose scenario
 * is a peer that packs its records differently.
 * Usage: udp_join FIRST.pcap SECOND.pcap OUT.pcap
 *   FIRST, SECOND: one Ethernet + IPv4 + UDP frame each (editcap -F pcap -r CAPTURE X.pcap N);
 *   OUT: a one-frame pcap, at SECOND's time. The UDP checksum is left out (0), as IPv4 allows. */
#include <stdio.h>
#include <string.h>

#include "frame_bytes.h"

enum { UDP_HEADER = 8 };

typedef struct frame {
    uint8_t file[PCAP_HEADER + RECORD_HEADER + MAX_FRAME];
    size_t caplen, ip_header;
    const uint8_t *bytes, *payload;
    size_t payload_len;
} frame;

/* Reads PATH's one frame; NULL (and says why) unless it is Ethernet + IPv4 + UDP, whole. */
static const char *read_frame(const char *path, frame *f)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return "cannot read a frame file";
    size_t got = fread(f->file, 1, sizeof f->file, in);
    fclose(in);
    if (got < PCAP_HEADER + RECORD_HEADER)
        return "not a pcap with a frame";
    f->caplen = le32(f->file + PCAP_HEADER + 8);
    f->bytes = f->file + PCAP_HEADER + RECORD_HEADER;
    if (f->caplen > got - PCAP_HEADER - RECORD_HEADER || f->caplen < ETH_HEADER + IPV4_HEADER + UDP_HEADER)
        return "a frame is cut";
    const uint8_t *ip = f->bytes + ETH_HEADER;
    f->ip_header = (size_t)(ip[0] & 0xF) * 4;
    if (f->bytes[12] != 0x08 || f->bytes[13] != 0x00 || ip[0] >> 4 != 4 || ip[9] != 17 ||
        ETH_HEADER + f->ip_header + UDP_HEADER > f->caplen)
        return "a frame is not Ethernet + IPv4 + UDP";
    const uint8_t *udp = ip + f->ip_header;
    size_t udp_len = be16(udp + 4);
    if (udp_len < UDP_HEADER || ETH_HEADER + f->ip_header + udp_len > f->caplen)
        return "a datagram is cut";
    f->payload = udp + UDP_HEADER;
    f->payload_len = udp_len - UDP_HEADER;
    return NULL;
}

int main(int argc, char **argv)
{
    static frame first, second;
    static uint8_t out[RECORD_HEADER + MAX_FRAME];
    const char *why = argc != 4 ? "usage: udp_join FIRST.pcap SECOND.pcap OUT.pcap" : read_frame(argv[1], &first);
    if (!why)
        why = read_frame(argv[2], &second);
    size_t headers = ETH_HEADER + second.ip_header + UDP_HEADER;
    size_t payload_len = first.payload_len + second.payload_len;
    if (!why && headers + payload_len > MAX_FRAME)
        why = "the joined datagram would be too long";
    if (why) {
        fprintf(stderr, "udp_join: %s\n", why);
        return 1;
    }
    uint8_t *packet = out + RECORD_HEADER, *ip = packet + ETH_HEADER, *udp = ip + second.ip_header;
    memcpy(packet, second.bytes, headers);
    memcpy(packet + headers, first.payload, first.payload_len);
    memcpy(packet + headers + first.payload_len, second.payload, second.payload_len);
    put_be16(ip + 2, (unsigned)(second.ip_header + UDP_HEADER + payload_len));
    put_be16(ip + 10, 0);
    put_be16(ip + 10, internet_checksum(ip, second.ip_header));
    put_be16(udp + 4, (unsigned)(UDP_HEADER + payload_len));
    put_be16(udp + 6, 0);
    memcpy(out, second.file + PCAP_HEADER, 8); /* SECOND's time */
    put_le32(out + 8, (uint32_t)(headers + payload_len));
    put_le32(out + 12, (uint32_t)(headers + payload_len));
    FILE *f = fopen(argv[3], "wb");
    if (!f || fwrite(second.file, 1, PCAP_HEADER, f) != PCAP_HEADER ||
        fwrite(out, 1, RECORD_HEADER + headers + payload_len, f) != RECORD_HEADER + headers + payload_len ||
        fclose(f) != 0) {
        fprintf(stderr, "udp_join: cannot write OUT\n");
        return 1;
    }
    return 0;
}
