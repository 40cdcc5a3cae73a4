/* tlsauth proof of possession: a TLS signature checked with the leaf's public key. See
 * include/tlsauth/proof.h; what was signed is built by the tracker (tracker_proof.c). */
#include "tlsauth/proof.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <stdio.h>
#include <string.h>

/* The TLS SignatureSchemes (RFC 8446 4.2.3, and TLS 1.2's hash/signature pairs of RFC 5246
 * 7.4.1.4.1) GnuTLS can verify: the algorithm for each version, and the key it needs. */
typedef struct scheme_info {
    uint16_t code;
    const char *name;
    gnutls_sign_algorithm_t tls12, tls13; /* GNUTLS_SIGN_UNKNOWN: not allowed in that version */
    gnutls_pk_algorithm_t pk;
    gnutls_ecc_curve_t curve;             /* TLS 1.3 binds ECDSA schemes to a curve */
} scheme_info;

#define U GNUTLS_SIGN_UNKNOWN
static const scheme_info SCHEMES[] = {
    /* MD5 signatures are forgeable with chosen-prefix collisions (SLOTH): never proof. */
    {0x0101, "rsa_pkcs1_md5", U, U, GNUTLS_PK_RSA, 0},
    {0x0201, "rsa_pkcs1_sha1", GNUTLS_SIGN_RSA_SHA1, U, GNUTLS_PK_RSA, 0},
    {0x0202, "dsa_sha1", GNUTLS_SIGN_DSA_SHA1, U, GNUTLS_PK_DSA, 0},
    {0x0203, "ecdsa_sha1", GNUTLS_SIGN_ECDSA_SHA1, U, GNUTLS_PK_ECDSA, 0},
    {0x0301, "rsa_pkcs1_sha224", GNUTLS_SIGN_RSA_SHA224, U, GNUTLS_PK_RSA, 0},
    {0x0302, "dsa_sha224", GNUTLS_SIGN_DSA_SHA224, U, GNUTLS_PK_DSA, 0},
    {0x0303, "ecdsa_sha224", GNUTLS_SIGN_ECDSA_SHA224, U, GNUTLS_PK_ECDSA, 0},
    {0x0401, "rsa_pkcs1_sha256", GNUTLS_SIGN_RSA_SHA256, U, GNUTLS_PK_RSA, 0},
    {0x0402, "dsa_sha256", GNUTLS_SIGN_DSA_SHA256, U, GNUTLS_PK_DSA, 0},
    {0x0403, "ecdsa_secp256r1_sha256", GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, GNUTLS_PK_ECDSA,
     GNUTLS_ECC_CURVE_SECP256R1},
    {0x0501, "rsa_pkcs1_sha384", GNUTLS_SIGN_RSA_SHA384, U, GNUTLS_PK_RSA, 0},
    {0x0502, "dsa_sha384", GNUTLS_SIGN_DSA_SHA384, U, GNUTLS_PK_DSA, 0},
    {0x0503, "ecdsa_secp384r1_sha384", GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, GNUTLS_PK_ECDSA,
     GNUTLS_ECC_CURVE_SECP384R1},
    {0x0601, "rsa_pkcs1_sha512", GNUTLS_SIGN_RSA_SHA512, U, GNUTLS_PK_RSA, 0},
    {0x0602, "dsa_sha512", GNUTLS_SIGN_DSA_SHA512, U, GNUTLS_PK_DSA, 0},
    {0x0603, "ecdsa_secp521r1_sha512", GNUTLS_SIGN_ECDSA_SHA512, GNUTLS_SIGN_ECDSA_SECP521R1_SHA512, GNUTLS_PK_ECDSA,
     GNUTLS_ECC_CURVE_SECP521R1},
    {0x0804, "rsa_pss_rsae_sha256", GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, GNUTLS_PK_RSA, 0},
    {0x0805, "rsa_pss_rsae_sha384", GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_PK_RSA, 0},
    {0x0806, "rsa_pss_rsae_sha512", GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, GNUTLS_PK_RSA, 0},
    {0x0807, "ed25519", GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_PK_EDDSA_ED25519, 0},
    {0x0808, "ed448", GNUTLS_SIGN_EDDSA_ED448, GNUTLS_SIGN_EDDSA_ED448, GNUTLS_PK_EDDSA_ED448, 0},
    {0x0809, "rsa_pss_pss_sha256", GNUTLS_SIGN_RSA_PSS_SHA256, GNUTLS_SIGN_RSA_PSS_SHA256, GNUTLS_PK_RSA_PSS, 0},
    {0x080A, "rsa_pss_pss_sha384", GNUTLS_SIGN_RSA_PSS_SHA384, GNUTLS_SIGN_RSA_PSS_SHA384, GNUTLS_PK_RSA_PSS, 0},
    {0x080B, "rsa_pss_pss_sha512", GNUTLS_SIGN_RSA_PSS_SHA512, GNUTLS_SIGN_RSA_PSS_SHA512, GNUTLS_PK_RSA_PSS, 0},
};
#undef U

/* Names of schemes GnuTLS 3.7 cannot verify, so that a sentence can still name them. */
static const struct {
    uint16_t code;
    const char *name;
} UNCHECKED_NAMES[] = {
    {0x081A, "ecdsa_brainpoolP256r1tls13_sha256"},
    {0x081B, "ecdsa_brainpoolP384r1tls13_sha384"},
    {0x081C, "ecdsa_brainpoolP512r1tls13_sha512"},
};

static const scheme_info *scheme_info_of(uint16_t code)
{
    for (size_t i = 0; i < sizeof SCHEMES / sizeof *SCHEMES; i++)
        if (SCHEMES[i].code == code)
            return &SCHEMES[i];
    return NULL;
}

const char *ta_signature_scheme_name(uint16_t scheme)
{
    const scheme_info *info = scheme_info_of(scheme);
    if (info)
        return info->name;
    for (size_t i = 0; i < sizeof UNCHECKED_NAMES / sizeof *UNCHECKED_NAMES; i++)
        if (UNCHECKED_NAMES[i].code == scheme)
            return UNCHECKED_NAMES[i].name;
    return NULL;
}

const char *ta_signature_scheme_text(uint16_t scheme, char *buf, size_t size)
{
    const char *name = ta_signature_scheme_name(scheme);
    if (name)
        return name;
    snprintf(buf, size, "0x%04x", scheme);
    return buf;
}

const char *ta_proof_status_token(ta_proof_status status)
{
    switch (status) {
    case TA_PROOF_VERIFIED: return "verified";
    case TA_PROOF_FAILED: return "failed";
    case TA_PROOF_NOT_VISIBLE: return "not-visible";
    case TA_PROOF_NOT_CHECKED: return "not-checked";
    default: return NULL;
    }
}

/* The leaf's key is bound to the scheme: its algorithm (an RSA-PSS key is not an RSA one, RFC
 * 8446 4.2.3) and, in TLS 1.3, an ECDSA key's curve. */
static bool key_fits(gnutls_pubkey_t key, const scheme_info *info, ta_sig_rules rules)
{
    unsigned bits = 0;
    if (gnutls_pubkey_get_pk_algorithm(key, &bits) != (int)info->pk)
        return false;
    if (rules != TA_SIG_TLS13 || info->pk != GNUTLS_PK_ECDSA)
        return true;
    gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
    return gnutls_pubkey_export_ecc_raw2(key, &curve, NULL, NULL, 0) >= 0 && curve == info->curve;
}

/* TLS 1.0 and 1.1 name no scheme: RSA signs MD5 + SHA-1 of the data without a DigestInfo
 * (RFC 4346 7.4.3), ECDSA (RFC 4492 5.4) and DSA sign SHA-1. */
static int verify_tls10(gnutls_pubkey_t key, const gnutls_datum_t *data, const gnutls_datum_t *sig)
{
    const unsigned flags = GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
    switch (gnutls_pubkey_get_pk_algorithm(key, NULL)) {
    case GNUTLS_PK_RSA: {
        uint8_t md5_sha1[16 + 20];
        if (gnutls_hash_fast(GNUTLS_DIG_MD5, data->data, data->size, md5_sha1) < 0 ||
            gnutls_hash_fast(GNUTLS_DIG_SHA1, data->data, data->size, md5_sha1 + 16) < 0)
            return GNUTLS_E_HASH_FAILED;
        const gnutls_datum_t hash = {md5_sha1, sizeof md5_sha1};
        return gnutls_pubkey_verify_hash2(key, GNUTLS_SIGN_UNKNOWN, GNUTLS_PUBKEY_VERIFY_FLAG_TLS1_RSA | flags, &hash,
                                          sig);
    }
    case GNUTLS_PK_ECDSA: return gnutls_pubkey_verify_data2(key, GNUTLS_SIGN_ECDSA_SHA1, flags, data, sig);
    case GNUTLS_PK_DSA: return gnutls_pubkey_verify_data2(key, GNUTLS_SIGN_DSA_SHA1, flags, data, sig);
    default: return GNUTLS_E_UNKNOWN_PK_ALGORITHM;
    }
}

static ta_proof_why verify_with(gnutls_pubkey_t key, ta_sig_rules rules, uint16_t scheme, const gnutls_datum_t *data,
                                const gnutls_datum_t *sig)
{
    int r;
    if (rules == TA_SIG_TLS10) {
        r = verify_tls10(key, data, sig);
        if (r == GNUTLS_E_UNKNOWN_PK_ALGORITHM)
            return TA_WHY_SCHEME_KEY_MISMATCH;
    } else {
        const scheme_info *info = scheme_info_of(scheme);
        if (!info)
            return TA_WHY_SCHEME_UNKNOWN;
        gnutls_sign_algorithm_t algorithm = rules == TA_SIG_TLS13 ? info->tls13 : info->tls12;
        if (algorithm == GNUTLS_SIGN_UNKNOWN)
            return TA_WHY_SCHEME_NOT_ALLOWED;
        if (!key_fits(key, info, rules))
            return TA_WHY_SCHEME_KEY_MISMATCH;
        /* A SHA-1 signature still proves the key: the transcript it covers is the peer's. */
        r = gnutls_pubkey_verify_data2(key, algorithm, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, data, sig);
    }
    return r >= 0 ? TA_WHY_SIGNED : TA_WHY_BAD_SIGNATURE;
}

ta_proof_why ta_verify_signature(const ta_der *leaf, ta_sig_rules rules, uint16_t scheme, const uint8_t *data,
                                 size_t data_len, const uint8_t *sig, size_t sig_len)
{
    if (!leaf || !leaf->data || !leaf->len || leaf->len > TA_DER_MAX)
        return TA_WHY_KEY_UNREADABLE;
    if (!data || !sig || !sig_len || data_len > UINT32_MAX || sig_len > UINT32_MAX)
        return TA_WHY_MALFORMED;
    gnutls_pubkey_t key = NULL;
    const gnutls_datum_t der = {(unsigned char *)leaf->data, (unsigned)leaf->len};
    if (gnutls_pubkey_init(&key) < 0)
        return TA_WHY_KEY_UNREADABLE;
    ta_proof_why why = TA_WHY_KEY_UNREADABLE;
    if (gnutls_pubkey_import_x509_raw(key, &der, GNUTLS_X509_FMT_DER, 0) >= 0) {
        const gnutls_datum_t d = {(unsigned char *)data, (unsigned)data_len};
        const gnutls_datum_t s = {(unsigned char *)sig, (unsigned)sig_len};
        why = verify_with(key, rules, scheme, &d, &s);
    }
    gnutls_pubkey_deinit(key);
    return why;
}
