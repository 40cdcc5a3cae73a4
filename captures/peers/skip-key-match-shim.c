/* LD_PRELOAD shim for gnutls-serv / gnutls-cli (GnuTLS 3.7): every certificate credential is made
 * with GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH, so a certificate can be loaded with a private key
 * that is not its own (GnuTLS otherwise refuses the pair: "The certificate and the given key do
 * not match"). The peer then presents the certificate and signs its CertificateVerify with the
 * other key: a proof of possession that fails (make-forgery-captures.sh).
 * Build: gcc -shared -fPIC -o skip-key-match-shim.so skip-key-match-shim.c -ldl -lgnutls */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gnutls/gnutls.h>

int gnutls_certificate_allocate_credentials(gnutls_certificate_credentials_t *res)
{
  int (*real)(gnutls_certificate_credentials_t *) =
    (int (*)(gnutls_certificate_credentials_t *))dlsym(RTLD_NEXT, __func__);
  int rv = real(res);
  if (rv == 0)
    gnutls_certificate_set_flags(*res, GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH);
  return rv;
}
