/* tlsauth chain verifier: DER chain + CA store + time + host name in, verdict and diagnosis out.
 *
 * Pure C11 over GnuTLS: no Wireshark header, so unit tests drive it directly. It never calls
 * a process-global GnuTLS setter (the library is shared with Wireshark): the verification time
 * is applied here, from each certificate's dates, not through GnuTLS's clock. That also makes
 * everything but the date checks independent of time, which is what ta_verify_cache keeps.
 *
 * The chain is judged as the peer presented it, leaf first: intermediates seen elsewhere are
 * never used. When several certificates (sent or trusted) could issue one, up to
 * TA_VERIFY_MAX_PATHS paths are tried and the best at the verification time is reported (RFC
 * 4158): a renewed intermediate or root beside its expired self still makes a valid path.
 * Fail closed: a chain is trusted only when every check passed; a GnuTLS status bit that no
 * token explains makes it untrusted (verifier-rejected, with GnuTLS's words in the reason).
 * Results are plain structs of fixed-size arrays: self-contained and copyable.
 * Every string in them is NUL-terminated, valid UTF-8 without control characters, and ends
 * in "..." when it had to be cut. */
#ifndef TLSAUTH_VERIFY_H
#define TLSAUTH_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds: hostile captures and bad preferences must not grow work or memory without limit. */
#define TA_VERIFY_MAX_CERTS 10             /* certificates analysed per chain; more are counted */
#define TA_VERIFY_MAX_ANCHORS 4            /* trust anchors tried per chain (renewed, cross-signed) */
#define TA_VERIFY_MAX_PATHS 8              /* candidate paths built per chain (RFC 4158) */
#define TA_STORE_MAX_ANCHORS 4096          /* anchors indexed for path building; more are not tried */
#define TA_DER_MAX ((size_t)1 << 24)       /* a TLS Certificate entry cannot be longer */
#define TA_CA_FILE_MAX ((size_t)64 << 20)  /* CA file, CRL file, and CA directory in total */
#define TA_CA_DIR_MAX_FILES 4096
#define TA_VERIFY_CACHE_DEFAULT 1024       /* entries, when ta_verify_cache_new(0) */
#define TA_VERIFY_CACHE_KEY_MAX ((size_t)64 << 10) /* chains with more DER bytes are not cached */

#define TA_DN_MAX 256
#define TA_SERIAL_MAX 48
#define TA_VALIDITY_MAX 96
#define TA_KEY_MAX 32
#define TA_SIGALG_MAX 48
#define TA_FINGERPRINT_MAX 96              /* 32 bytes as "AB:CD:..." */
#define TA_SAN_MAX 512
#define TA_EKU_MAX 160
#define TA_HOSTNAME_MAX 256
#define TA_REVOCATION_MAX 256
#define TA_REASON_MAX 512
#define TA_STORE_ERROR_MAX 1024

/* One DER object as received. data may be NULL only when len is 0. */
typedef struct ta_der {
    const uint8_t *data;
    size_t len;
} ta_der;

/* ---- trust store ------------------------------------------------------------------------- */

/* Minimum key strength, as GnuTLS's verification profiles (gnutls_certificate_verification_profiles_t):
 * every key on the path must reach it. Signature hashes are GnuTLS's rules plus allow_sha1. */
typedef enum ta_verify_profile {
    TA_PROFILE_MEDIUM = 0, /* 112-bit security: RSA/DSA >= 2048 bits, ECC >= 224 bits (browsers today) */
    TA_PROFILE_LOW,        /* 80-bit: RSA/DSA >= 1024 bits, ECC >= 160 bits (old captures) */
    TA_PROFILE_LEGACY,     /* 96-bit: RSA/DSA >= 1776 bits, ECC >= 192 bits */
    TA_PROFILE_HIGH,       /* 128-bit: RSA/DSA >= 3072 bits, ECC >= 256 bits */
} ta_verify_profile;

typedef struct ta_store_config {
    const char *ca_file;    /* PEM (one or a bundle) or DER; NULL or "": none */
    const char *ca_dir;     /* every regular file in it, PEM or DER; NULL or "": none */
    bool use_system_ca;     /* the system's trust store, as GnuTLS finds it */
    const char *crl_file;   /* PEM or DER CRLs. Each counts for a certificate only when the
                             * key of that certificate's issuer on the path verifies it */
    bool allow_sha1;        /* accept SHA-1 signatures in chains and OCSP responses */
    ta_verify_profile profile;
    bool accept_any_eku;    /* a leaf whose only extended key usage is anyExtendedKeyUsage fits TLS */
    bool crl_soft_fail;     /* a stale CRL is a warning (revocation-unknown), not a reason to distrust */
} ta_store_config;

typedef struct ta_store ta_store;

/* Never NULL except when out of memory; problems are reported by ta_store_error(). */
ta_store *ta_store_new(const ta_store_config *cfg);
void ta_store_free(ta_store *store);
/* Whether chains can be judged: at least one trust anchor loaded, and every CA file, CA
 * directory and CRL file that was named loaded whole. Otherwise chains are NOT_CHECKED, with
 * ta_store_error() first in the reason: never a verdict against another store than the one named.
 * (The system store is a default, not a name: its problems are reported but not fatal.) */
bool ta_store_usable(const ta_store *store);
/* Certificates and CRLs loaded (a certificate present twice, as in /etc/ssl/certs, counts twice). */
unsigned ta_store_anchor_count(const ta_store *store);
unsigned ta_store_crl_count(const ta_store *store);
/* Human sentences about what could not be loaded, joined by "; "; "" when all went well.
 * Example: "CA file /x: no such file; CRL file /y holds no CRL". Never NULL. */
const char *ta_store_error(const ta_store *store);

/* ---- chain verification ----------------------------------------------------------------- */

typedef enum ta_purpose { TA_PURPOSE_SERVER = 0, TA_PURPOSE_CLIENT = 1 } ta_purpose;

/* What the handshake needed the leaf's key for: its keyUsage extension, when present, must
 * allow it (RFC 5280 4.2.1.3, RFC 5246 7.4.2 and 7.4.8, RFC 8446 4.4.2.2). */
typedef enum ta_key_use {
    TA_KEY_USE_UNKNOWN = 0,          /* not known (cipher suite not seen): keyUsage not checked */
    TA_KEY_USE_CERTIFICATE_VERIFY,   /* digitalSignature: TLS 1.3 either side; a TLS <= 1.2 client */
    TA_KEY_USE_SIGNED_KEY_EXCHANGE,  /* digitalSignature: TLS <= 1.2 (EC)DHE ServerKeyExchange */
    TA_KEY_USE_KEY_TRANSPORT,        /* keyEncipherment: TLS <= 1.2 RSA key transport (RSA, RSA-PSK) */
    TA_KEY_USE_KEY_AGREEMENT,        /* keyAgreement: TLS <= 1.2 static (EC)DH */
} ta_key_use;

/* The use for a chain of that side, given the negotiated version and (TLS <= 1.2) cipher suite. */
ta_key_use ta_key_use_for(ta_purpose purpose, uint16_t version, uint16_t cipher_suite);
const char *ta_key_use_text(ta_key_use use); /* "sign the CertificateVerify", ... ; "" for unknown */

typedef enum ta_verdict {
    TA_VERDICT_NOT_CHECKED = 0, /* no certificate, or no trust anchor: see reason */
    TA_VERDICT_TRUSTED,
    TA_VERDICT_UNTRUSTED,
} ta_verdict;

/* One bit per public token; the token table in verify.c explains each. */
typedef enum ta_problem {
    TA_PROBLEM_UNKNOWN_ISSUER = 0,    /* the chain ends at a CA neither sent nor trusted */
    TA_PROBLEM_MISSING_INTERMEDIATE,  /* with unknown-issuer: the top certificate sent is not a root */
    TA_PROBLEM_UNTRUSTED_ROOT,        /* the chain sent ends at a root (self-signed CA) that is not in the store */
    TA_PROBLEM_SELF_SIGNED,           /* a self-signed leaf that is not trusted */
    TA_PROBLEM_EXPIRED,
    TA_PROBLEM_NOT_YET_VALID,
    TA_PROBLEM_HOSTNAME_MISMATCH,
    TA_PROBLEM_WRONG_PURPOSE,
    TA_PROBLEM_BAD_SIGNATURE,
    TA_PROBLEM_SIGNER_NOT_CA,
    TA_PROBLEM_INSECURE_ALGORITHM,
    TA_PROBLEM_REVOKED,
    TA_PROBLEM_CONSTRAINTS_VIOLATION,
    TA_PROBLEM_UNKNOWN_CRITICAL_EXTENSION,
    TA_PROBLEM_MALFORMED,             /* a certificate GnuTLS cannot parse */
    TA_PROBLEM_CHAIN_ORDER,           /* out of order or with unrelated certificates (a warning) */
    TA_PROBLEM_UNKNOWN_ALGORITHM,     /* a signature algorithm that is unknown or has malformed parameters */
    TA_PROBLEM_WEAK_KEY,              /* a key on the path below the verification profile */
    TA_PROBLEM_NO_DIGITAL_SIGNATURE,  /* the leaf's keyUsage lacks digitalSignature and it had to sign */
    TA_PROBLEM_NO_KEY_ENCIPHERMENT,   /* ... lacks keyEncipherment for RSA key transport */
    TA_PROBLEM_NO_KEY_AGREEMENT,      /* ... lacks keyAgreement for static (EC)DH */
    TA_PROBLEM_REVOCATION_UNKNOWN,    /* the only CRL of an issuer on the path was stale */
    TA_PROBLEM_VERIFIER_REJECTED,     /* GnuTLS rejected the chain for a reason no other token names */
    TA_PROBLEM_PROOF_FAILED,          /* the peer did not prove it holds the leaf's private key (tlsauth/proof.h) */
    TA_PROBLEM_COUNT
} ta_problem;

typedef uint32_t ta_problem_set;
#define TA_PROBLEM_BIT(p) ((ta_problem_set)1u << (p))
/* Problems that are reported but do not make a chain untrusted: most TLS stacks reorder. */
#define TA_PROBLEMS_WARNINGS TA_PROBLEM_BIT(TA_PROBLEM_CHAIN_ORDER)
/* ... and those that may be warnings: revocation-unknown with crl_soft_fail (the verdict says
 * which: on a trusted chain, they were accepted). */
#define TA_PROBLEMS_SOFT (TA_PROBLEMS_WARNINGS | TA_PROBLEM_BIT(TA_PROBLEM_REVOCATION_UNKNOWN))
/* The warnings of a chain verified with crl_soft_fail on or off. */
#define TA_PROBLEMS_WARNINGS_FOR(soft_fail) ((soft_fail) ? TA_PROBLEMS_SOFT : TA_PROBLEMS_WARNINGS)

typedef enum ta_cert_role {
    TA_CERT_LEAF = 0,      /* position 0, parsed or not */
    TA_CERT_INTERMEDIATE,  /* sent, on the path from the leaf, not self-signed */
    TA_CERT_ROOT_SENT,     /* sent, on the path, self-signed */
    TA_CERT_UNRELATED,     /* sent, but not on the path from the leaf (or a duplicate) */
    TA_CERT_MALFORMED,     /* sent after the leaf, not parsable */
    TA_CERT_TRUST_ANCHOR,  /* not sent: the anchor found in the store (from_store is set) */
} ta_cert_role;

typedef enum ta_signed {
    TA_SIGNED_NOT_CHECKED = 0, /* no next certificate, or one side could not be parsed */
    TA_SIGNED_YES,             /* names match and the signature verifies */
    TA_SIGNED_NO,
} ta_signed;

typedef struct ta_cert_info {
    unsigned position;       /* 0-based; sent ones first, then the store's anchor */
    ta_cert_role role;
    bool from_store;         /* not sent by the peer: added from the trust store */
    bool in_store;           /* this exact certificate (sent or not) is a trust anchor */
    bool parsed;
    bool in_path;            /* on the path from the leaf: its dates count for the verdict */
    bool self_signed;
    bool dates_known;
    size_t der_len;
    char subject[TA_DN_MAX];  /* RFC 4514 */
    char issuer[TA_DN_MAX];
    char serial[TA_SERIAL_MAX]; /* upper-case hex, leading zero bytes dropped: "0A" */
    int64_t not_before, not_after; /* unix seconds */
    char validity[TA_VALIDITY_MAX]; /* against the verification time: "valid for another 3652 days" */
    char key[TA_KEY_MAX];       /* "EC P-256", "RSA 2048", "Ed25519" */
    char sig_alg[TA_SIGALG_MAX]; /* GnuTLS name, "ECDSA-SHA256"; the OID when unknown */
    char sha256[TA_FINGERPRINT_MAX];
    char san[TA_SAN_MAX];       /* "DNS:x, IP:y" */
    char eku[TA_EKU_MAX];       /* "serverAuth, clientAuth"; "" when the extension is absent */
    char key_usage[TA_EKU_MAX];  /* "digitalSignature, keyEncipherment"; "" when the extension is absent */
    char revocation[TA_REVOCATION_MAX]; /* on the path, against the verification time; "" without CRLs */
    ta_signed signed_by_next;   /* by the next entry in this list (the anchor after the last sent) */
    ta_signed signs_last_sent;  /* internal, anchors from the store: whether it signed the last one sent */
    /* internal: a sent certificate that is a trust anchor by name and key but not the store's copy:
     * as the end of a path, the store copy's dates count (a re-dated copy extends nothing) */
    bool anchor_copy;
    int64_t anchor_not_before, anchor_not_after;
} ta_cert_info;

/* What the CRLs say of one certificate with the issuer a path gives it (time-independent). */
typedef struct ta_revocation {
    uint8_t state;               /* TA_CRL_*, internal to the verifier */
    int64_t this_update, next_update; /* of the freshest covering CRL; next: INT64_MAX if absent */
    int64_t revoked_at;          /* earliest revocation date listed; INT64_MAX when not listed */
} ta_revocation;

/* One candidate path: indices into certs[], leaf first; complete when it ends at an anchor. */
typedef struct ta_path {
    uint8_t len;
    uint8_t cert[TA_VERIFY_MAX_CERTS + 1];
    ta_revocation revocation[TA_VERIFY_MAX_CERTS + 1]; /* of each but the anchor */
    bool complete;
    ta_problem_set problems;    /* time-independent problems of this path */
    unsigned gnutls_status;     /* UINT_MAX when GnuTLS could not run */
    /* entries (in certs[]) that the reason names, -1 for none: the first certificate whose
     * signature does not verify, whose signature algorithm is unknown, whose key is weak */
    int8_t bad_signature_at, unknown_algorithm_at, weak_key_at;
} ta_path;

typedef struct ta_chain_result {
    ta_verdict verdict;
    ta_problem_set problems;    /* with NOT_CHECKED: what could be judged without an anchor */
    ta_purpose purpose;
    ta_key_use key_use;         /* what the leaf's keyUsage was checked for */
    bool hostname_checked;      /* a host name was given and the purpose is server */
    char hostname[TA_HOSTNAME_MAX]; /* the name checked, as printable text */
    unsigned sent_count;        /* certificates the peer sent (saturates at UINT_MAX) */
    bool truncated;             /* more than TA_VERIFY_MAX_CERTS sent: the rest were not analysed */
    unsigned cert_count;        /* entries in certs[] */
    unsigned gnutls_status;     /* raw gnutls_certificate_status_t, for experts; 0 when not run */
    char reason[TA_REASON_MAX]; /* one sentence: why not checked, what is wrong, or the anchor */
    bool crl_soft_fail;         /* from the store: revocation-unknown is a warning */
    unsigned path_count, path_chosen; /* candidate paths; the one reported */
    ta_path paths[TA_VERIFY_MAX_PATHS];
    /* sent certificates, then the anchors of the candidate paths: ta__apply_time() keeps the
     * anchor of the chosen path, at position sent, and drops the others */
    ta_cert_info certs[TA_VERIFY_MAX_CERTS + TA_VERIFY_MAX_ANCHORS];
} ta_chain_result;

/* certs: as sent, leaf first (NULL with count 0 is fine). hostname: the SNI, NULL when none was
 * sent; only checked for TA_PURPOSE_SERVER; names that are not printable ASCII or longer than
 * 255 bytes never match. verify_time: unix seconds, usually the capture time. */
void ta_verify_chain(ta_store *store, const ta_der *certs, size_t count, const char *hostname,
                     ta_purpose purpose, ta_key_use key_use, int64_t verify_time, ta_chain_result *out);

/* Whether the chain leads to a CA a server listed in the certificate_authorities of its
 * CertificateRequest: the issuer DN of one of its certificates (leaf first, as sent) equals one
 * of the listed DER DistinguishedNames (byte comparison). */
bool ta_issuer_listed(const ta_der *chain, size_t count, const ta_der *ca_names, size_t name_count);
/* A DER DistinguishedName (as a CertificateRequest lists it) in RFC 4514 text, bounded and clean as
 * the strings above; "(a name that cannot be read)" when it does not parse. */
void ta_dn_text(const ta_der *dn, char *buf, size_t size);

/* Public tokens (the scripting contract) and plain sentences. */
const char *ta_verdict_token(ta_verdict verdict);            /* "trusted", "untrusted", "not-checked" */
const char *ta_problem_token(ta_problem problem);            /* "unknown-issuer", ...; "" when out of range */
/* One sentence for a junior engineer, with what to do; phrased for either side of the chain. */
const char *ta_problem_explanation(ta_problem problem);
/* The same, worded for a server's or a client's chain. */
const char *ta_problem_explanation_for(ta_problem problem, ta_purpose purpose);
const char *ta_cert_role_token(ta_cert_role role);          /* "leaf", "intermediate", "root-sent", ... */
const char *ta_signed_token(ta_signed s);                    /* "yes", "no", "not-checked" */
const char *ta_purpose_token(ta_purpose purpose);            /* "server", "client" */
/* "expired, hostname-mismatch" into buf (always NUL-terminated); "" for none. */
void ta_problems_join(ta_problem_set problems, char *buf, size_t size);

/* ---- result cache ------------------------------------------------------------------------ */

/* LRU cache of the time-independent part of results, keyed by (store, analysed chain DER, host
 * name, purpose, key use) with the full key compared on a hit. The date checks are
 * redone on every call, so a hit at another verification time is still right. Entries of one
 * store are never served to another, but call ta_verify_cache_clear() when preferences change
 * anyway, to free them. An entry holds one ta_chain_result (sized to the certificates it holds:
 * about 10 KB for two and an anchor, 32 KB at most) and its key; chains
 * whose key exceeds TA_VERIFY_CACHE_KEY_MAX are verified without caching. Not thread-safe:
 * one cache per thread. */
typedef struct ta_verify_cache ta_verify_cache;

ta_verify_cache *ta_verify_cache_new(size_t max_entries); /* 0: TA_VERIFY_CACHE_DEFAULT */
void ta_verify_cache_free(ta_verify_cache *cache);
void ta_verify_cache_clear(ta_verify_cache *cache);
size_t ta_verify_cache_count(const ta_verify_cache *cache);
/* As ta_verify_chain(), except that out->certs past out->cert_count are left as they were; *hit
 * (may be NULL) tells whether the result came from the cache. */
void ta_verify_chain_cached(ta_verify_cache *cache, ta_store *store, const ta_der *certs, size_t count,
                            const char *hostname, ta_purpose purpose, ta_key_use key_use, int64_t verify_time,
                            ta_chain_result *out, bool *hit);

/* The same, for who only needs the verdict, the problems and the leaf's subject (may be NULL):
 * on a hit, nothing is copied and no text is made. */
void ta_verify_verdict_cached(ta_verify_cache *cache, ta_store *store, const ta_der *certs, size_t count,
                              const char *hostname, ta_purpose purpose, ta_key_use key_use, int64_t verify_time,
                              ta_verdict *verdict, ta_problem_set *problems, char *leaf_subject,
                              size_t leaf_size);

/* ---- stapled OCSP ------------------------------------------------------------------------ */

typedef enum ta_ocsp_status {
    TA_OCSP_GOOD = 0,
    TA_OCSP_REVOKED,
    TA_OCSP_UNKNOWN,            /* the responder does not know the certificate, or the response
                                 * is about another one */
    TA_OCSP_SIGNATURE_INVALID,  /* not signed by the issuer or its delegated responder (or the
                                 * issuer is unknown, so the signature cannot be checked) */
    TA_OCSP_STALE,              /* verification time after nextUpdate or before thisUpdate */
    TA_OCSP_MALFORMED,          /* not a parsable, successful basic OCSP response */
} ta_ocsp_status;

typedef struct ta_ocsp_result {
    ta_ocsp_status status;
    int64_t this_update;        /* 0 when unknown */
    int64_t next_update;        /* 0 when absent */
    int64_t revocation_time;    /* 0 unless revoked */
    char responder[TA_DN_MAX];  /* responder DN, or "key ID ..." */
    char reason[TA_REASON_MAX];
} ta_ocsp_result;

/* chain: the certificates sent with it, leaf first; the signature is checked with the leaf's
 * issuer: a certificate of the chain, else an anchor of the store (store may be NULL). */
void ta_verify_ocsp(ta_store *store, const ta_der *ocsp_response, const ta_der *chain, size_t count,
                    int64_t verify_time, ta_ocsp_result *out);
const char *ta_ocsp_status_token(ta_ocsp_status status); /* "good", "revoked", ... */

#ifdef __cplusplus
}
#endif
#endif
