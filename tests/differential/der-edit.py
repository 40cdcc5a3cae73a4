#!/usr/bin/env python3
"""Edits one DER X.509 certificate or CRL for the differential chains (make-chains.sh), re-encoding
the lengths around the change. Certificates are not re-signed: each edit makes it what its name says.
Usage: der-edit.py EDIT IN.der OUT.der [ARG]
  sigalg-oid DOTTED   both signature AlgorithmIdentifiers (TBSCertificate.signature and
                      Certificate.signatureAlgorithm) get that OID, their parameters kept
  flip-signature      the last byte of the signature value is flipped (names and keys untouched)
  empty-signature     the signature value is an empty BIT STRING (03 01 00)
  pss-mgf1-no-hash    RSASSA-PSS parameters whose maskGenAlgorithm is MGF1 without its hash
                      AlgorithmIdentifier, in both places (the CVE-2015-3194 shape)
  crl-longest-first KEY  a CRL's revokedCertificates reordered, longest entry first, and re-signed
                      with KEY (PEM private key) by `openssl dgst -sha256 -sign`: the CRL's
                      algorithm must already be SHA-256 with KEY's type (e.g. ecdsa-with-SHA256)
"""
import subprocess
import sys


def parse(buf, pos=0, end=None):
    """List of [tag, content] for the TLVs in buf[pos:end]; content is a list when constructed."""
    end = len(buf) if end is None else end
    out = []
    while pos < end:
        tag = buf[pos]
        if tag & 0x1F == 0x1F:
            raise ValueError("multi-byte tags are not used in certificates")
        length = buf[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            if n == 0 or n > 4:
                raise ValueError("indefinite or absurd length")
            length = int.from_bytes(buf[pos:pos + n], "big")
            pos += n
        if pos + length > end:
            raise ValueError("TLV runs past its parent")
        body = buf[pos:pos + length]
        out.append([tag, parse(body) if tag & 0x20 else bytes(body)])
        pos += length
    return out


def encode(nodes):
    out = bytearray()
    for tag, content in nodes:
        body = encode(content) if isinstance(content, list) else content
        out.append(tag)
        n = len(body)
        if n < 0x80:
            out.append(n)
        else:
            raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
            out.append(0x80 | len(raw))
            out += raw
        out += body
    return bytes(out)


def oid_bytes(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    values = [arcs[0] * 40 + arcs[1]] + arcs[2:]
    out = bytearray()
    for v in values:
        chunk = [v & 0x7F]
        v >>= 7
        while v:
            chunk.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    edit, src, dst = sys.argv[1:4]
    arg = sys.argv[4] if len(sys.argv) == 5 else None
    cert = parse(open(src, "rb").read())
    if len(cert) != 1 or cert[0][0] != 0x30 or len(cert[0][1]) != 3:
        sys.exit("der-edit: not a certificate or CRL")
    tbs, outer_alg, sig = cert[0][1]
    tbs_fields = tbs[1]
    inner_alg = tbs_fields[2] if tbs_fields[0][0] == 0xA0 else tbs_fields[1]  # after [0] version
    if edit == "sigalg-oid":
        for alg in (inner_alg, outer_alg):
            alg[1][0] = [0x06, oid_bytes(arg)]
    elif edit == "flip-signature":
        sig[1] = sig[1][:-1] + bytes([sig[1][-1] ^ 0x01])
    elif edit == "empty-signature":
        sig[1] = b"\x00"
    elif edit == "pss-mgf1-no-hash":
        for alg in (inner_alg, outer_alg):
            if alg[1][0][1] != oid_bytes("1.2.840.113549.1.1.10"):
                sys.exit("der-edit: not signed with RSASSA-PSS")
            params = alg[1][1][1]  # SEQUENCE { [0] hash, [1] maskGen, [2] salt, ... }
            mgf = [p for p in params if p[0] == 0xA1][0]
            mgf[1][0][1] = mgf[1][0][1][:1]  # MGF1 OID kept, its hash AlgorithmIdentifier dropped
    elif edit == "crl-longest-first":
        # TBSCertList: [version], signature, issuer, thisUpdate, [nextUpdate], [revokedCertificates],
        # [0] extensions: the revoked list is the only SEQUENCE after the issuer.
        seqs = [f for f in tbs_fields if f[0] == 0x30]
        if len(seqs) != 3:
            sys.exit("der-edit: not a CRL with revoked certificates")
        entries = seqs[2][1]
        entries.sort(key=lambda e: len(encode([e])), reverse=True)
        signed = subprocess.run(["openssl", "dgst", "-sha256", "-sign", arg], input=encode([tbs]),
                                stdout=subprocess.PIPE, check=True).stdout
        sig[1] = b"\x00" + signed
    else:
        sys.exit(__doc__)
    open(dst, "wb").write(encode(cert))


if __name__ == "__main__":
    main()
