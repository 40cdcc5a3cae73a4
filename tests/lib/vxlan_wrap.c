/* Writes every frame of a capture inside VXLAN (UDP port 4789), all in one tunnel between two
 * fixed endpoints, as a capture taken on the underlay network sees them: for tests whose scenario
 * is TLS inside a tunnel.
 * Usage: vxlan_wrap IN.pcap OUT.pcap   (IN: Ethernet frames, editcap -F pcap -r CAPTURE IN.pcap) */
#include <stdio.h>
#include <string.h>

#include "frame_bytes.h"

enum { UDP_HEADER = 8, VXLAN_HEADER = 8, VXLAN_PORT = 4789, TUNNEL_SOURCE_PORT = 49152 };
enum { WRAPPING = ETH_HEADER + IPV4_HEADER + UDP_HEADER + VXLAN_HEADER };

static int fail(const char *why)
{
    fprintf(stderr, "vxlan_wrap: %s\n", why);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return fail("usage: vxlan_wrap IN.pcap OUT.pcap");
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
    if (!in || !out)
        return fail("cannot open IN or OUT");
    static uint8_t header[PCAP_HEADER], record[RECORD_HEADER], frame[WRAPPING + MAX_FRAME];
    if (fread(header, 1, PCAP_HEADER, in) != PCAP_HEADER || le32(header + 20) != 1 /* Ethernet */)
        return fail("IN is not an Ethernet pcap");
    put_le32(header + 16, MAX_FRAME); /* snaplen */
    if (fwrite(header, 1, PCAP_HEADER, out) != PCAP_HEADER)
        return fail("cannot write OUT");
    uint16_t ip_id = 0;
    while (fread(record, 1, RECORD_HEADER, in) == RECORD_HEADER) {
        size_t caplen = le32(record + 8);
        if (caplen > MAX_FRAME - IPV4_HEADER - UDP_HEADER - VXLAN_HEADER || caplen < ETH_HEADER)
            return fail("a frame is too long to wrap, or too short");
        uint8_t *inner = frame + WRAPPING;
        if (fread(inner, 1, caplen, in) != caplen)
            return fail("IN is cut");
        uint8_t *ip = frame + ETH_HEADER, *udp = ip + IPV4_HEADER, *vxlan = udp + UDP_HEADER;
        memcpy(frame, inner, ETH_HEADER); /* the inner addresses and type (IPv4) serve outside too */
        frame[12] = 0x08;
        frame[13] = 0x00;
        memset(ip, 0, IPV4_HEADER + UDP_HEADER + VXLAN_HEADER);
        ip[0] = 0x45;
        put_be16(ip + 2, (unsigned)(IPV4_HEADER + UDP_HEADER + VXLAN_HEADER + caplen));
        put_be16(ip + 4, ip_id++);
        ip[8] = 64;
        ip[9] = 17; /* UDP */
        memcpy(ip + 12, (const uint8_t[]){192, 0, 2, 1, 192, 0, 2, 2}, 8); /* TEST-NET-1 endpoints */
        put_be16(ip + 10, internet_checksum(ip, IPV4_HEADER));
        put_be16(udp, TUNNEL_SOURCE_PORT);
        put_be16(udp + 2, VXLAN_PORT);
        put_be16(udp + 4, (unsigned)(UDP_HEADER + VXLAN_HEADER + caplen));
        vxlan[0] = 0x08; /* a VNI follows */
        vxlan[6] = 1;    /* VNI 1 */
        put_le32(record + 8, (uint32_t)(WRAPPING + caplen));
        put_le32(record + 12, (uint32_t)(WRAPPING + caplen));
        if (fwrite(record, 1, RECORD_HEADER, out) != RECORD_HEADER ||
            fwrite(frame, 1, WRAPPING + caplen, out) != WRAPPING + caplen)
            return fail("cannot write OUT");
    }
    fclose(in);
    return fclose(out) == 0 ? 0 : fail("cannot write OUT");
}
