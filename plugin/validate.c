/* Chain validation glue: tlsauth's preferences, the trust store they describe, and the verifier
 * the tracker is given (core/tracker.c decides which chain and which staple, core/verify*.c
 * verify). */
#include "validate.h"
#include "ws_compat.h"

#include <time.h>

#include <epan/prefs.h>

enum { VERIFY_AT_CAPTURE, VERIFY_NOW };

static const enum_val_t VERIFY_TIMES[] = {
    {"capture", "Capture time of the frame that carried the Certificate", VERIFY_AT_CAPTURE},
    {"now", "Now", VERIFY_NOW},
    {NULL, NULL, -1},
};

static const enum_val_t VERIFY_PROFILES[] = {
    {"low", "Low: 80-bit keys (RSA 1024) and up, for old captures", TA_PROFILE_LOW},
    {"legacy", "Legacy: 96-bit keys (RSA 1776) and up", TA_PROFILE_LEGACY},
    {"medium", "Medium: 112-bit keys (RSA 2048, EC P-256) and up, as browsers require", TA_PROFILE_MEDIUM},
    {"high", "High: 128-bit keys (RSA 3072, EC P-256) and up", TA_PROFILE_HIGH},
    {NULL, NULL, -1},
};

static const char *pref_ca_file = "";
static const char *pref_ca_dir = "";
static const char *pref_crl_file = "";
static ta_pref_bool pref_use_system_ca = TRUE;
static ta_pref_bool pref_check_hostname = TRUE;
static ta_pref_bool pref_allow_sha1 = FALSE;
static gint pref_verify_time = VERIFY_AT_CAPTURE;
static gint pref_verify_profile = TA_PROFILE_MEDIUM;
static ta_pref_bool pref_accept_any_eku = FALSE;
static ta_pref_bool pref_crl_soft_fail = FALSE;
static ta_pref_bool pref_verify_proofs = TRUE;

/* Shown in the preferences dialog; the dialog keeps a pointer to it, so it can be updated. */
static char store_status[TA_STORE_ERROR_MAX + 128] = "CA store: loaded when the first chain is checked.";

/* Built on first use, so that captures without certificates never load the system store. */
static ta_store *store;
static ta_verify_cache *cache;
static gboolean store_stale = TRUE;

static void prefs_changed(void)
{
    store_stale = TRUE; /* Wireshark re-dissects after this, so everything is re-validated */
}

void tlsauth_validate_register(int proto)
{
    module_t *module = prefs_register_protocol(proto, prefs_changed);
    prefs_register_filename_preference(module, "ca_file", "CA file",
        "Trusted CA certificates: a PEM file (one or a bundle) or a DER file", &pref_ca_file, FALSE);
    prefs_register_directory_preference(module, "ca_dir", "CA directory",
        "A directory of trusted CA certificates, PEM or DER, one or more per file", &pref_ca_dir);
    prefs_register_bool_preference(module, "use_system_ca", "Also trust the system's CAs",
        "Add the operating system's trust store to the CA file and directory", &pref_use_system_ca);
    prefs_register_filename_preference(module, "crl_file", "CRL file",
        "Certificate revocation lists (PEM or DER) to check chains against", &pref_crl_file, FALSE);
    prefs_register_bool_preference(module, "check_hostname", "Check the server name",
        "Check the server's certificate against the server name (SNI) the client asked for",
        &pref_check_hostname);
    prefs_register_enum_preference(module, "verify_time", "Verification time",
        "Validate certificates as of the moment they crossed the wire (capture) or as of now",
        &pref_verify_time, VERIFY_TIMES, FALSE);
    prefs_register_bool_preference(module, "allow_sha1", "Accept SHA-1 signatures",
        "Accept SHA-1 signatures in chains (for old captures)", &pref_allow_sha1);
    prefs_register_enum_preference(module, "verify_profile", "Minimum key strength",
        "Every key of a chain must reach this security level, or the chain is untrusted (weak-key)",
        &pref_verify_profile, VERIFY_PROFILES, FALSE);
    prefs_register_bool_preference(module, "accept_any_eku", "Accept anyExtendedKeyUsage",
        "Accept a leaf whose only extended key usage is anyExtendedKeyUsage as fit for TLS (OpenSSL and "
        "browsers do not)", &pref_accept_any_eku);
    prefs_register_bool_preference(module, "crl_soft_fail", "Accept stale CRLs",
        "A CRL past its next update cannot show a certificate is not revoked: by default the chain is "
        "untrusted (revocation-unknown); on, it is only a warning", &pref_crl_soft_fail);
    prefs_register_bool_preference(module, "verify_proofs", "Check proofs of key possession",
        "Verify the signatures by which each peer proves it holds its certificate's private key "
        "(CertificateVerify, ServerKeyExchange): a peer whose signature fails is untrusted (proof-failed). "
        "Off: not checked, for bulk runs", &pref_verify_proofs);
    prefs_register_static_text_preference(module, "store_status", store_status,
        "What tlsauth loaded from the CA settings above");
}

static void rebuild_store(void)
{
    ta_store_free(store);
    ta_store_config config = {
        .ca_file = pref_ca_file,
        .ca_dir = pref_ca_dir,
        .use_system_ca = pref_use_system_ca,
        .crl_file = pref_crl_file,
        .allow_sha1 = pref_allow_sha1,
        .profile = (ta_verify_profile)pref_verify_profile,
        .accept_any_eku = pref_accept_any_eku,
        .crl_soft_fail = pref_crl_soft_fail,
    };
    store = ta_store_new(&config);
    if (!cache)
        cache = ta_verify_cache_new(0);
    ta_verify_cache_clear(cache);
    const char *error = store ? ta_store_error(store) : "out of memory";
    g_snprintf(store_status, sizeof store_status, "CA store: %u trust anchors, %u CRLs%s%s",
               store ? ta_store_anchor_count(store) : 0, store ? ta_store_crl_count(store) : 0,
               error[0] ? ". Problem: " : ".", error);
    store_stale = FALSE;
}

void tlsauth_validate_cleanup(void)
{
    ta_verify_cache_free(cache);
    cache = NULL;
    ta_store_free(store);
    store = NULL;
    store_stale = TRUE;
}

static ta_store *current_store(void)
{
    if (store_stale)
        rebuild_store();
    return store;
}

const char *tlsauth_store_problem(void)
{
    ta_store *s = current_store();
    return s ? ta_store_error(s) : "out of memory";
}

gboolean tlsauth_verify_time_is_now(void) { return pref_verify_time == VERIFY_NOW; }

const char *tlsauth_hostname_for(const ta_handshake *hs, ta_role role)
{
    return role == TA_SERVER && pref_check_hostname && hs->sni[0] ? hs->sni : NULL;
}

static ta_purpose purpose_for(ta_role role) { return role == TA_SERVER ? TA_PURPOSE_SERVER : TA_PURPOSE_CLIENT; }

/* Unknown until the ServerHello says which cipher suite (a capture that starts mid-handshake). */
static ta_key_use key_use_for(const ta_handshake *hs, ta_role role)
{
    return hs->frame_server_hello ? ta_key_use_for(purpose_for(role), hs->version, hs->cipher_suite)
                                  : TA_KEY_USE_UNKNOWN;
}

void tlsauth_chain_result(const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                          int64_t verify_time, ta_chain_result *out)
{
    ta_store *s = current_store(); /* first: a rebuild creates the cache */
    ta_verify_chain_cached(cache, s, certs, count, tlsauth_hostname_for(hs, role), purpose_for(role),
                           key_use_for(hs, role), verify_time, out, NULL);
}

static int64_t verification_time(int64_t frame_time)
{
    return pref_verify_time == VERIFY_NOW ? (int64_t)time(NULL) : frame_time;
}

static void check_chain(void *ctx _U_, const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                        int64_t frame_time, ta_chain_check *out)
{
    out->verify_time = verification_time(frame_time);
    if (!certs || !count) {
        out->verdict = TA_VERDICT_NOT_CHECKED;
        return;
    }
    ta_store *checked_by = current_store(); /* first: a rebuild creates the cache */
    ta_verify_verdict_cached(cache, checked_by, certs, count, tlsauth_hostname_for(hs, role), purpose_for(role),
                             key_use_for(hs, role), out->verify_time, &out->verdict, &out->problems,
                             out->leaf_subject, sizeof out->leaf_subject);
}

static int check_ocsp(void *ctx _U_, const ta_der *response, const ta_der *chain, unsigned count, int64_t verify_time)
{
    ta_ocsp_result ocsp;
    ta_verify_ocsp(current_store(), response, chain, count, verify_time, &ocsp);
    return (int)ocsp.status;
}

const ta_verifier *tlsauth_verifier(void)
{
    /* The store and cache are this module's: Wireshark's preferences are process-wide. */
    static ta_verifier verifier = {NULL, check_chain, check_ocsp, TRUE};
    verifier.check_proofs = pref_verify_proofs;
    return &verifier;
}
