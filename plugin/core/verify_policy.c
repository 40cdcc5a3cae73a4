/* tlsauth verifier policy: what a TLS handshake requires of a chain beyond a valid path: the
 * leaf's key usage for the key exchange negotiated, its extended key usage, the strength of every
 * key. See include/tlsauth/verify.h; the paths are verify_chain.c. */
#include "verify_internal.h"

#include <string.h>

/* ---- what the handshake needed the leaf for ------------------------------------------------ */

#define VERSION_TLS13 0x0304
#define VERSION_DTLS13 0xFEFC

/* Static (EC)DH suites: the server's certificate holds the key exchange key itself. GnuTLS
 * implements none of them, so its suite table cannot name them. */
static const struct {
    uint16_t first, last;
} STATIC_DH_SUITES[] = {
    {0x000B, 0x0010}, {0x0030, 0x0031}, {0x0036, 0x0037}, {0x003E, 0x003F}, {0x0068, 0x0069},
    {0x00A0, 0x00A1}, {0x00A4, 0x00A5}, {0xC001, 0xC005}, {0xC00B, 0xC00F}, {0xC025, 0xC026},
    {0xC029, 0xC02A}, {0xC02D, 0xC02E}, {0xC031, 0xC032},
};

ta_key_use ta_key_use_for(ta_purpose purpose, uint16_t version, uint16_t cipher_suite)
{
    /* RFC 8446 4.4.3: both sides sign their CertificateVerify. RFC 5246 7.4.8: so does a TLS 1.2
     * client with a certificate (all but fixed-DH ones, which no stack in use sends). */
    if (version == VERSION_TLS13 || version == VERSION_DTLS13 || purpose == TA_PURPOSE_CLIENT)
        return TA_KEY_USE_CERTIFICATE_VERIFY;
    for (size_t i = 0; i < sizeof STATIC_DH_SUITES / sizeof *STATIC_DH_SUITES; i++)
        if (cipher_suite >= STATIC_DH_SUITES[i].first && cipher_suite <= STATIC_DH_SUITES[i].last)
            return TA_KEY_USE_KEY_AGREEMENT;
    unsigned char id[2];
    gnutls_kx_algorithm_t kx;
    gnutls_cipher_algorithm_t cipher;
    gnutls_mac_algorithm_t mac;
    gnutls_protocol_t min_version;
    for (size_t i = 0; gnutls_cipher_suite_info(i, id, &kx, &cipher, &mac, &min_version); i++) {
        if ((unsigned)(id[0] << 8 | id[1]) != cipher_suite)
            continue;
        switch (kx) {
        case GNUTLS_KX_RSA:
        case GNUTLS_KX_RSA_PSK: return TA_KEY_USE_KEY_TRANSPORT;
        case GNUTLS_KX_DHE_DSS:
        case GNUTLS_KX_DHE_RSA:
        case GNUTLS_KX_ECDHE_RSA:
        case GNUTLS_KX_ECDHE_ECDSA:
        case GNUTLS_KX_SRP_RSA:
        case GNUTLS_KX_SRP_DSS: return TA_KEY_USE_SIGNED_KEY_EXCHANGE;
        default: return TA_KEY_USE_UNKNOWN; /* PSK, anonymous, SRP: no certificate in use */
        }
    }
    return TA_KEY_USE_UNKNOWN;
}

/* RFC 5280 4.2.1.3: without the extension any use is allowed. One that cannot be read allows
 * nothing: fail closed. */
static ta_problem_set key_usage_problems(gnutls_x509_crt_t leaf, ta_key_use use)
{
    unsigned usage = 0, critical = 0;
    if (use == TA_KEY_USE_UNKNOWN)
        return 0;
    int r = gnutls_x509_crt_get_key_usage(leaf, &usage, &critical);
    if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return 0;
    if (r < 0)
        usage = 0;
    switch (use) {
    case TA_KEY_USE_CERTIFICATE_VERIFY:
    case TA_KEY_USE_SIGNED_KEY_EXCHANGE:
        return usage & GNUTLS_KEY_DIGITAL_SIGNATURE ? 0 : TA_PROBLEM_BIT(TA_PROBLEM_NO_DIGITAL_SIGNATURE);
    case TA_KEY_USE_KEY_TRANSPORT:
        return usage & GNUTLS_KEY_KEY_ENCIPHERMENT ? 0 : TA_PROBLEM_BIT(TA_PROBLEM_NO_KEY_ENCIPHERMENT);
    case TA_KEY_USE_KEY_AGREEMENT:
        return usage & GNUTLS_KEY_KEY_AGREEMENT ? 0 : TA_PROBLEM_BIT(TA_PROBLEM_NO_KEY_AGREEMENT);
    default: return 0;
    }
}

/* RFC 5280 4.2.1.12: without the extension any purpose is fine. anyExtendedKeyUsage alone does
 * not make a TLS certificate unless the store accepts it (OpenSSL and Mozilla refuse it). */
static bool purpose_allowed(gnutls_x509_crt_t crt, const char *purpose, bool accept_any)
{
    for (unsigned i = 0; i < 64; i++) {
        char oid[128];
        size_t len = sizeof oid;
        unsigned critical = 0;
        int r = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &len, &critical);
        if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            return i == 0;
        if (r == GNUTLS_E_SHORT_MEMORY_BUFFER)
            continue;
        if (r < 0)
            return false;
        if (strcmp(oid, purpose) == 0 || (accept_any && strcmp(oid, GNUTLS_KP_ANY) == 0))
            return true;
    }
    return false;
}

gnutls_sec_param_t ta__profile_level(ta_verify_profile profile)
{
    switch (profile) {
    case TA_PROFILE_LOW: return GNUTLS_SEC_PARAM_LOW;
    case TA_PROFILE_LEGACY: return GNUTLS_SEC_PARAM_LEGACY;
    case TA_PROFILE_HIGH: return GNUTLS_SEC_PARAM_HIGH;
    default: return GNUTLS_SEC_PARAM_MEDIUM;
    }
}

/* Below the profile's security level; a key GnuTLS cannot size is weak too (fail closed). */
bool ta__weak_key(gnutls_x509_crt_t crt, gnutls_sec_param_t min)
{
    unsigned bits = 0;
    int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
    if (pk <= 0 || bits == 0)
        return true;
    return gnutls_pk_bits_to_sec_param((gnutls_pk_algorithm_t)pk, bits) < min;
}

/* Problems of the leaf itself, whatever the path: name, purpose, key usage. */
ta_problem_set ta__leaf_problems(const ta_store *store, gnutls_x509_crt_t leaf, const char *host, bool host_bad,
                                  ta_purpose purpose, ta_key_use key_use)
{
    ta_problem_set p = key_usage_problems(leaf, key_use);
    if (host && (host_bad || !gnutls_x509_crt_check_hostname2(leaf, host, 0)))
        p |= TA_PROBLEM_BIT(TA_PROBLEM_HOSTNAME_MISMATCH);
    if (!purpose_allowed(leaf, purpose == TA_PURPOSE_CLIENT ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER,
                         ta__store_accept_any_eku(store)))
        p |= TA_PROBLEM_BIT(TA_PROBLEM_WRONG_PURPOSE);
    return p;
}
