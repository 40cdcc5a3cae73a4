/* tlsauth proof of possession: does a peer hold the private key of the certificate it presented?
 *
 * A certificate alone proves nothing (anyone can replay one): the peer's signature with its key
 * does. TLS 1.2: the server signs its (EC)DHE parameters in the ServerKeyExchange (RFC 5246
 * 7.4.3, RFC 8422 5.4), a client with a certificate signs the handshake so far in its
 * CertificateVerify (RFC 5246 7.4.8). TLS 1.3: both sides sign the transcript hash in their
 * CertificateVerify (RFC 8446 4.4.3). The tracker builds what was signed from the messages as
 * sent; this verifies the signature with the leaf's public key (GnuTLS, no global setting).
 * Pure C11 over GnuTLS: no Wireshark header. */
#ifndef TLSAUTH_PROOF_H
#define TLSAUTH_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlsauth/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ta_proof_status {
    TA_PROOF_NONE = 0,     /* no certificate to prove (none sent, a pre-shared key) */
    TA_PROOF_VERIFIED,     /* its signature verifies with the leaf's public key */
    TA_PROOF_FAILED,       /* it presented a certificate but did not prove it holds its key */
    TA_PROOF_NOT_VISIBLE,  /* no signature a capture can check (encrypted, RSA key transport, resumption...) */
    TA_PROOF_NOT_CHECKED,  /* tlsauth.verify_proofs is off */
} ta_proof_status;

/* Why: the detail behind a status, for the sentence (ta_explain_proof). */
typedef enum ta_proof_why {
    TA_WHY_NONE = 0,
    TA_WHY_SIGNED,              /* verified */
    TA_WHY_BAD_SIGNATURE,       /* failed: the signature does not verify with the leaf's key */
    TA_WHY_SCHEME_KEY_MISMATCH, /* failed: the scheme needs another kind of key (or curve) than the leaf's */
    TA_WHY_SCHEME_NOT_ALLOWED,  /* failed: a scheme the version forbids (PKCS#1 v1.5 in TLS 1.3, MD5) */
    TA_WHY_SCHEME_UNKNOWN,      /* failed: a scheme tlsauth cannot check (fail closed) */
    TA_WHY_MALFORMED,           /* failed: lengths that do not add up, a truncated signature */
    TA_WHY_KEY_UNREADABLE,      /* failed: the leaf's public key cannot be read */
    TA_WHY_NO_SIGNATURE,        /* failed: a certificate, then the end of the sender's turn to sign without a signature */
    TA_WHY_CERTIFICATE_AGAIN,   /* failed: another certificate from that side, or one after its turn to sign */
    TA_WHY_CONFLICTING_MESSAGE, /* failed: DTLS: two different messages with one message_seq */
    TA_WHY_HASH_UNKNOWN,        /* failed: a TLS 1.3 cipher suite whose transcript hash tlsauth cannot compute */
    TA_WHY_ENCRYPTED,           /* not visible: TLS 1.3 without keys */
    TA_WHY_KEY_TRANSPORT,       /* not visible: RSA key transport, the server signs nothing */
    TA_WHY_KEY_AGREEMENT,       /* not visible: static (EC)DH, the certificate's key agrees, nothing is signed */
    TA_WHY_SUITE_UNKNOWN,       /* not visible: a TLS <= 1.2 cipher suite tlsauth cannot tell signs or not */
    TA_WHY_SSL3,                /* not visible: SSL 3.0 signs a hash mixed with the master secret */
    TA_WHY_RESUMED,             /* not visible: a resumption signs nothing */
    TA_WHY_TRANSCRIPT_MISSING,  /* not visible: a message before the signature was not read whole */
    TA_WHY_TRANSCRIPT_TOO_LONG, /* not visible: the messages before it exceed TA_TRANSCRIPT_MAX */
    TA_WHY_CERT_UNREADABLE,     /* not visible: the certificate it must verify with was not read */
    TA_WHY_NOT_SEEN,            /* not visible: the handshake ended before the signature */
    TA_WHY_DISABLED,            /* not checked */
} ta_proof_why;

#define TA_TRANSCRIPT_MAX ((size_t)256 << 10) /* handshake bytes kept before a CertificateVerify */

/* One side's proof. scheme: the TLS SignatureScheme sent, 0 for TLS 1.0/1.1's implicit one. */
typedef struct ta_proof {
    uint8_t status;    /* ta_proof_status; a failure is final for the handshake */
    uint8_t why;       /* ta_proof_why */
    uint8_t message;   /* handshake type of the signed message (15 CertificateVerify, 12 ServerKeyExchange), 0 none */
    bool closed;       /* that side's turn to sign is over: a certificate now proves nothing */
    bool certified;    /* that side sent a (non-empty) certificate in this handshake */
    uint16_t scheme;
    uint32_t frame;    /* the frame that carried it, 0 none */
} ta_proof;

/* How the signature is laid out: TLS 1.2's SignatureScheme rules, TLS 1.3's (PKCS#1 v1.5
 * forbidden, ECDSA bound to its curve), or TLS 1.0/1.1's implicit one (RSA over MD5 + SHA-1,
 * ECDSA and DSA over SHA-1). */
typedef enum ta_sig_rules { TA_SIG_TLS12 = 0, TA_SIG_TLS13, TA_SIG_TLS10 } ta_sig_rules;

/* Whether sig, made with scheme under rules, signs data with leaf's public key: TA_WHY_SIGNED,
 * or a failure why. */
ta_proof_why ta_verify_signature(const ta_der *leaf, ta_sig_rules rules, uint16_t scheme, const uint8_t *data,
                                 size_t data_len, const uint8_t *sig, size_t sig_len);

/* The IANA name of a SignatureScheme ("ecdsa_secp256r1_sha256"), or NULL when tlsauth does not know it. */
const char *ta_signature_scheme_name(uint16_t scheme);
/* The scheme as shown: its name, or "0xNNNN" written into buf (at least 7 bytes) when unnamed. */
const char *ta_signature_scheme_text(uint16_t scheme, char *buf, size_t size);
/* "verified", "failed", "not-visible", "not-checked"; NULL for TA_PROOF_NONE. */
const char *ta_proof_status_token(ta_proof_status status);

#ifdef __cplusplus
}
#endif
#endif
