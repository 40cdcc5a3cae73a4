/* LD_PRELOAD shim for Debian's ngtcp2 sample peers (gtlsclient / gtlsserver, GnuTLS 3.7), which
 * never verify the peer's certificate: with QUIC_VERIFY_CAFILE set, the trust store the
 * sample loads (gnutls_certificate_set_x509_system_trust) is that file instead, and every
 * session gets gnutls_session_set_verify_cert, so GnuTLS verifies the peer's chain during the
 * handshake and fails it with a TLS alert (sent in QUIC as CONNECTION_CLOSE, crypto error
 * 0x0100 + alert). QUIC_VERIFY_HOST: the name the server's certificate must match (client);
 * unset = no name check (server: it verifies the client's certificate).
 * QUIC_SNI: the server name gtlsclient sends (its GnuTLS build ignores --sni and sends
 * "localhost" when it connects to a numeric address).
 * Build: gcc -shared -fPIC -o quic-verify-shim.so quic-verify-shim.c -ldl -lgnutls */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>

int gnutls_certificate_set_x509_system_trust(gnutls_certificate_credentials_t cred)
{
  const char *ca = getenv("QUIC_VERIFY_CAFILE");
  if (!ca) {
    int (*real)(gnutls_certificate_credentials_t) =
      (int (*)(gnutls_certificate_credentials_t))dlsym(RTLD_NEXT, __func__);
    return real(cred);
  }
  return gnutls_certificate_set_x509_trust_file(cred, ca, GNUTLS_X509_FMT_PEM);
}

int gnutls_credentials_set(gnutls_session_t session, gnutls_credentials_type_t type, void *cred)
{
  int (*real)(gnutls_session_t, gnutls_credentials_type_t, void *) =
    (int (*)(gnutls_session_t, gnutls_credentials_type_t, void *))dlsym(RTLD_NEXT, __func__);
  int rv = real(session, type, cred);
  if (rv == 0 && type == GNUTLS_CRD_CERTIFICATE && getenv("QUIC_VERIFY_CAFILE"))
    gnutls_session_set_verify_cert(session, getenv("QUIC_VERIFY_HOST"), 0);
  return rv;
}

int gnutls_server_name_set(gnutls_session_t session, gnutls_server_name_type_t type,
                           const void *name, size_t name_length)
{
  int (*real)(gnutls_session_t, gnutls_server_name_type_t, const void *, size_t) =
    (int (*)(gnutls_session_t, gnutls_server_name_type_t, const void *, size_t))dlsym(RTLD_NEXT, __func__);
  const char *sni = getenv("QUIC_SNI");
  if (sni && type == GNUTLS_NAME_DNS)
    return real(session, type, sni, strlen(sni));
  return real(session, type, name, name_length);
}
