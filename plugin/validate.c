/* Chain validation glue: tlsauth's preferences, the trust store they describe, and the chain
 * checker the tracker calls for every Certificate. The verification itself is core/verify.c. */
#include "tlsauth.h"
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

/* TLS 1.2 staples OCSP in CertificateStatus, after the Certificate: keep the leaf and its issuer
 * until then, and only when the client asked for stapling. */
static void keep_for_ocsp(tlsauth_stream *st, const ta_event *certificate)
{
    tlsauth_forget_ocsp_chain(st);
    unsigned count = MIN(certificate->certs_available, 2u);
    size_t total = 0;
    for (unsigned i = 0; i < count; i++)
        total += certificate->certs[i].len;
    if (!count || total > TLSAUTH_OCSP_CHAIN_MAX_BYTES)
        return;
    st->ocsp_chain_bytes = g_malloc(total);
    guint8 *next = st->ocsp_chain_bytes;
    for (unsigned i = 0; i < count; i++) {
        memcpy(next, certificate->certs[i].data, certificate->certs[i].len);
        st->ocsp_chain[i] = (ta_der){next, certificate->certs[i].len};
        next += certificate->certs[i].len;
    }
    st->ocsp_chain_count = count;
}

void tlsauth_forget_ocsp_chain(tlsauth_stream *st)
{
    g_free(st->ocsp_chain_bytes);
    st->ocsp_chain_bytes = NULL;
    st->ocsp_chain_count = 0;
}

static int64_t verification_time(const tlsauth_stream *st)
{
    return pref_verify_time == VERIFY_NOW ? (int64_t)time(NULL) : (int64_t)st->frame_time.secs;
}

void tlsauth_check_chain(void *stream, const ta_handshake *hs, ta_role role, const ta_event *message,
                         ta_chain_check *out)
{
    tlsauth_stream *st = stream;
    if (message->hs_type == TA_HS_CERTIFICATE) {
        out->verify_time = verification_time(st);
        if (!message->certs || !message->certs_available) {
            out->verdict = TA_VERDICT_NOT_CHECKED;
        } else {
            ta_store *checked_by = current_store(); /* first: a rebuild creates the cache */
            ta_verify_verdict_cached(cache, checked_by, message->certs, message->certs_available,
                                     tlsauth_hostname_for(hs, role), purpose_for(role), key_use_for(hs, role),
                                     out->verify_time,
                                     &out->verdict, &out->problems, out->leaf_subject, sizeof out->leaf_subject);
            if (role == TA_CLIENT && st->ca_name_count)
                out->issuer_listed = ta_issuer_listed(message->certs, message->certs_available, st->ca_names,
                                                      st->ca_name_count);
            if (role == TA_SERVER && hs->status_requested && !message->ocsp_response)
                keep_for_ocsp(st, message);
        }
    }
    if (message->ocsp_response) {
        bool own_chain = message->hs_type == TA_HS_CERTIFICATE && message->certs_available;
        ta_ocsp_result ocsp;
        ta_verify_ocsp(current_store(), message->ocsp_response, own_chain ? message->certs : st->ocsp_chain,
                       own_chain ? message->certs_available : st->ocsp_chain_count,
                       out->verify_time ? out->verify_time : verification_time(st), &ocsp);
        out->ocsp = (int)ocsp.status;
        tlsauth_forget_ocsp_chain(st);
    }
}
