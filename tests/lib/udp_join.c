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

typedef struct datagram {
    ipv4_frame frame;
    const uint8_t *payload;
    size_t payload_len;
} datagram;

/* Reads PATH's one frame; NULL (and says why) unless it is Ethernet + IPv4 + UDP, whole. */
static const char *read_datagram(const char *path, datagram *d)
{
    const char *why = read_ipv4_frame(path, &d->frame);
    if (why)
        return why;
    if (d->frame.ip[9] != 17 || d->frame.ip_header + UDP_HEADER > d->frame.ip_len)
        return "a frame is not Ethernet + IPv4 + UDP";
    const uint8_t *udp = d->frame.ip + d->frame.ip_header;
    size_t udp_len = be16(udp + 4);
    if (udp_len < UDP_HEADER || d->frame.ip_header + udp_len > d->frame.ip_len)
        return "a datagram is cut";
    d->payload = udp + UDP_HEADER;
    d->payload_len = udp_len - UDP_HEADER;
    return NULL;
}

int main(int argc, char **argv)
{
    static datagram first, second;
    static uint8_t out[RECORD_HEADER + MAX_FRAME];
    const char *why = argc != 4 ? "usage: udp_join FIRST.pcap SECOND.pcap OUT.pcap" : read_datagram(argv[1], &first);
    if (!why)
        why = read_datagram(argv[2], &second);
    size_t headers = ETH_HEADER + second.frame.ip_header + UDP_HEADER;
    size_t payload_len = first.payload_len + second.payload_len;
    if (!why && headers + payload_len > MAX_FRAME)
        why = "the joined datagram would be too long";
    if (why) {
        fprintf(stderr, "udp_join: %s\n", why);
        return 1;
    }
    uint8_t *packet = out + RECORD_HEADER, *ip = packet + ETH_HEADER, *udp = ip + second.frame.ip_header;
    memcpy(packet, second.frame.bytes, headers);
    memcpy(packet + headers, first.payload, first.payload_len);
    memcpy(packet + headers + first.payload_len, second.payload, second.payload_len);
    put_be16(ip + 2, (unsigned)(second.frame.ip_header + UDP_HEADER + payload_len));
    put_be16(ip + 10, 0);
    put_be16(ip + 10, internet_checksum(ip, second.frame.ip_header));
    put_be16(udp + 4, (unsigned)(UDP_HEADER + payload_len));
    put_be16(udp + 6, 0);
    memcpy(out, second.frame.record, 8); /* SECOND's time */
    put_le32(out + 8, (uint32_t)(headers + payload_len));
    put_le32(out + 12, (uint32_t)(headers + payload_len));
    FILE *f = fopen(argv[3], "wb");
    if (!f || fwrite(second.frame.file, 1, PCAP_HEADER, f) != PCAP_HEADER ||
        fwrite(out, 1, RECORD_HEADER + headers + payload_len, f) != RECORD_HEADER + headers + payload_len ||
        fclose(f) != 0) {
        fprintf(stderr, "udp_join: cannot write OUT\n");
        return 1;
    }
    return 0;
}
