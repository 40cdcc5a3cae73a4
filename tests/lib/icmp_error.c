/* Writes the ICMP error a host sends about a packet (destination unreachable, port unreachable,
 * quoting the whole IP datagram, as Linux does for a short one), for tests whose scenario is an
 * ICMP error about a connection: a real one, or one forged by whoever knows its addresses and ports.
 * Usage: icmp_error IN.pcap OUT.pcap [TCP_FLAGS]
 *   IN: one Ethernet + IPv4 frame (editcap -F pcap -r CAPTURE IN.pcap N); OUT: the ICMP error in
 *   a one-frame pcap, timed one tick after it (mergecap puts it right after the quoted frame);
 *   TCP_FLAGS, e.g. 0x14: the quoted TCP segment's flags are replaced (RST, ACK). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_bytes.h"

enum { ICMP_HEADER = 8 };

static int fail(const char *why)
{
    fprintf(stderr, "icmp_error: %s\n", why);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4)
        return fail("usage: icmp_error IN.pcap OUT.pcap [TCP_FLAGS]");
    static ipv4_frame in;
    static uint8_t out[RECORD_HEADER + MAX_FRAME];
    const char *why = read_ipv4_frame(argv[1], &in);
    if (why)
        return fail(why);
    const uint8_t *frame = in.bytes, *ip = in.ip, *record = in.record;
    size_t ip_len = in.ip_len;
    size_t packet_len = ETH_HEADER + IPV4_HEADER + ICMP_HEADER + ip_len;
    if (packet_len > MAX_FRAME)
        return fail("IN's frame is too long to quote");

    uint8_t *packet = out + RECORD_HEADER;
    memcpy(packet, frame + 6, 6); /* back to the sender */
    memcpy(packet + 6, frame, 6);
    memcpy(packet + 12, frame + 12, 2);
    uint8_t *outer = packet + ETH_HEADER, *icmp = outer + IPV4_HEADER;
    memset(outer, 0, IPV4_HEADER + ICMP_HEADER);
    outer[0] = 0x45;
    outer[1] = 0xC0; /* internetwork control, as Linux sends its ICMP errors */
    put_be16(outer + 2, (unsigned)(IPV4_HEADER + ICMP_HEADER + ip_len));
    outer[8] = 64;
    outer[9] = 1; /* ICMP */
    memcpy(outer + 12, ip + 16, 4); /* from the host the datagram went to */
    memcpy(outer + 16, ip + 12, 4);
    put_be16(outer + 10, internet_checksum(outer, IPV4_HEADER));
    icmp[0] = 3; /* destination unreachable */
    icmp[1] = 3; /* port unreachable */
    memcpy(icmp + ICMP_HEADER, ip, ip_len);
    if (argc == 4) {
        size_t tcp_flags_at = ICMP_HEADER + in.ip_header + 13;
        if (ip[9] != 6 || tcp_flags_at >= ICMP_HEADER + ip_len)
            return fail("TCP_FLAGS given, but IN's frame is not TCP");
        icmp[tcp_flags_at] = (uint8_t)strtoul(argv[3], NULL, 0);
    }
    put_be16(icmp + 2, internet_checksum(icmp, ICMP_HEADER + ip_len));

    /* One tick later: a microsecond, or a nanosecond in a pcap whose magic says so. */
    uint32_t ticks_per_second = le32(in.file) == 0xA1B23C4Du ? 1000000000u : 1000000u;
    uint32_t seconds = le32(record), ticks = le32(record + 4) + 1;
    if (ticks >= ticks_per_second) {
        seconds++;
        ticks -= ticks_per_second;
    }
    put_le32(out, seconds);
    put_le32(out + 4, ticks);
    put_le32(out + 8, (uint32_t)packet_len);
    put_le32(out + 12, (uint32_t)packet_len);
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(in.file, 1, PCAP_HEADER, f) != PCAP_HEADER ||
        fwrite(out, 1, RECORD_HEADER + packet_len, f) != RECORD_HEADER + packet_len || fclose(f) != 0)
        return fail("cannot write OUT");
    return 0;
}
