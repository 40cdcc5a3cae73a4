/* tlsauth verifier policy: what a TLS handshake requires of a chain beyond a valid path: the
 * leaf's key usage for the key exchange negotiated, its extended key usage, the strength of every
 * key. See include/tlsauth/verify.h; the paths are verify_chain.c. */
#include "verify_internal.h"

#include <string.h>

/* ---- what the handshake needed the leaf for ------------------------------------------------ */

#define VERSION_TLS13 0x0304
#define VERSION_DTLS13 0xFEFC

/* Suites GnuTLS does not implement, so its table cannot name their key exchange: static (EC)DH
 * (the certificate holds the key exchange key), and the ARIA, SEED and Camellia families with RSA,
 * (EC)DHE or static (EC)DH (RFC 4162, 5932, 6209, 6367; IANA TLS Cipher Suites registry). */
#define KT TA_KEY_USE_KEY_TRANSPORT
#define SKE TA_KEY_USE_SIGNED_KEY_EXCHANGE
#define KA TA_KEY_USE_KEY_AGREEMENT
static const struct {
    uint16_t first, last;
    ta_key_use use;
} SUITES[] = {
    {0x0001, 0x000A, KT},  {0x000B, 0x0010, KA},  {0x0011, 0x0016, SKE}, {0x002F, 0x002F, KT},
    {0x0030, 0x0031, KA},  {0x0032, 0x0033, SKE}, {0x0035, 0x0035, KT},  {0x0036, 0x0037, KA},
    {0x0038, 0x0039, SKE}, {0x003B, 0x003D, KT},  {0x003E, 0x003F, KA},  {0x0040, 0x0040, SKE},
    {0x0041, 0x0041, KT},  {0x0042, 0x0043, KA},  {0x0044, 0x0045, SKE}, {0x0067, 0x0067, SKE},
    {0x0068, 0x0069, KA},  {0x006A, 0x006B, SKE}, {0x0084, 0x0084, KT},  {0x0085, 0x0086, KA},
    {0x0087, 0x0088, SKE}, {0x0092, 0x0095, KT},  {0x0096, 0x0096, KT},  {0x0097, 0x0098, KA},
    {0x0099, 0x009A, SKE}, {0x009C, 0x009D, KT},  {0x009E, 0x009F, SKE}, {0x00A0, 0x00A1, KA},
    {0x00A2, 0x00A3, SKE}, {0x00A4, 0x00A5, KA},  {0x00AC, 0x00AD, KT},  {0x00B6, 0x00B9, KT},
    {0x00BA, 0x00BA, KT},  {0x00BB, 0x00BC, KA},  {0x00BD, 0x00BE, SKE}, {0x00C0, 0x00C0, KT},
    {0x00C1, 0x00C2, KA},  {0x00C3, 0x00C4, SKE}, {0xC001, 0xC005, KA},  {0xC006, 0xC00A, SKE},
    {0xC00B, 0xC00F, KA},  {0xC010, 0xC014, SKE}, {0xC023, 0xC024, SKE}, {0xC025, 0xC026, KA},
    {0xC027, 0xC028, SKE}, {0xC029, 0xC02A, KA},  {0xC02B, 0xC02C, SKE}, {0xC02D, 0xC02E, KA},
    {0xC02F, 0xC030, SKE}, {0xC031, 0xC032, KA},  {0xC03C, 0xC03D, KT},  {0xC03E, 0xC041, KA},
    {0xC042, 0xC045, SKE}, {0xC048, 0xC049, SKE}, {0xC04A, 0xC04B, KA},  {0xC04C, 0xC04D, SKE},
    {0xC04E, 0xC04F, KA},  {0xC050, 0xC051, KT},  {0xC052, 0xC053, SKE}, {0xC054, 0xC055, KA},
    {0xC056, 0xC057, SKE}, {0xC058, 0xC059, KA},  {0xC05C, 0xC05D, SKE}, {0xC05E, 0xC05F, KA},
    {0xC060, 0xC061, SKE}, {0xC062, 0xC063, KA},  {0xC068, 0xC069, KT},  {0xC06E, 0xC06F, KT},
    {0xC072, 0xC073, SKE}, {0xC074, 0xC075, KA},  {0xC076, 0xC077, SKE}, {0xC078, 0xC079, KA},
    {0xC07A, 0xC07B, KT},  {0xC07C, 0xC07D, SKE}, {0xC07E, 0xC07F, KA},  {0xC080, 0xC081, SKE},
    {0xC082, 0xC083, KA},  {0xC086, 0xC087, SKE}, {0xC088, 0xC089, KA},  {0xC08A, 0xC08B, SKE},
    {0xC08C, 0xC08D, KA},  {0xC092, 0xC093, KT},  {0xC098, 0xC099, KT},  {0xC09C, 0xC09D, KT},
    {0xC09E, 0xC09F, SKE}, {0xC0A0, 0xC0A1, KT},  {0xC0A2, 0xC0A3, SKE}, {0xC0AC, 0xC0AF, SKE},
    {0xCCA8, 0xCCAA, SKE}, {0xCCAE, 0xCCAE, KT},
};
#undef KT
#undef SKE
#undef KA

ta_key_use ta_key_use_for(ta_purpose purpose, uint16_t version, uint16_t cipher_suite)
{
    /* RFC 8446 4.4.3: both sides sign their CertificateVerify. RFC 5246 7.4.8: so does a TLS 1.2
     * client with a certificate (all but fixed-DH ones, which no stack in use sends). */
    if (version == VERSION_TLS13 || version == VERSION_DTLS13 || purpose == TA_PURPOSE_CLIENT)
        return TA_KEY_USE_CERTIFICATE_VERIFY;
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
    for (size_t i = 0; i < sizeof SUITES / sizeof *SUITES; i++)
        if (cipher_suite >= SUITES[i].first && cipher_suite <= SUITES[i].last)
            return SUITES[i].use;
    return TA_KEY_USE_UNKNOWN; /* PSK, anonymous, KRB5, GOST, or not assigned */
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
