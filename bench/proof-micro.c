/* Micro-benchmark of proof of possession: what checking a handshake's signatures costs tlsauth,
 * per handshake, against GnuTLS verifying the same signatures alone (target: <= 1.2x).
 *
 *   tlsauth: a handshake fed to the tracker with tlsauth.verify_proofs on, minus the same with it
 *            off (keeping the transcript, hashing it, reading the messages, verifying);
 *   gnutls:  for each signature, the leaf's key imported from its DER and gnutls_pubkey_verify_data2
 *            over what it signs (for TLS 1.3 that content holds the transcript hash: hashed here).
 * Two handshakes from tests/lib/signed_handshake.h: TLS 1.2 ECDHE mutual (ecdsa_secp256r1_sha256
 * ServerKeyExchange, rsa_pss_rsae_sha256 client CertificateVerify) and TLS 1.3 mutual
 * (ecdsa_secp384r1_sha384 and ed25519 CertificateVerify).
 *
 * Instructions decide (run-bench.sh): `proof-micro VARIANT N` runs N handshakes of one variant
 * (on, off, gnutls) in measured_loop() and exits, for `valgrind --tool=callgrind
 * --toggle-collect=measured_loop` to count them without the start-up (whose key generation varies).
 * Without arguments it reports thread CPU time per handshake, best of 7 rounds.
 * Build (run-bench.sh does this; needs build/libtlsauth_core.a):
 *   cc -O2 -std=c11 -Iinclude bench/proof-micro.c build/libtlsauth_core.a $(pkg-config --cflags --libs gnutls) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include "../tests/lib/signed_handshake.h"

static sh_script scripts[2];
static const ta_verifier PROOFS_ON = {.check_proofs = true}, PROOFS_OFF = {.check_proofs = false};

static void die(const char *what)
{
    fprintf(stderr, "proof-micro: %s\n", what);
    exit(1);
}

/* One handshake through the tracker; the proofs it found must be verified (or not checked). */
static void run_tracker(const sh_script *s, const ta_verifier *v)
{
    ta_conn *conn = ta_conn_new((ta_conn_id){TA_TRANSPORT_TCP, 0}, v, NULL);
    for (unsigned i = 0; i < s->count; i++) {
        ta_conn_begin_frame(conn, i + 1, 1780272000, NULL);
        ta_conn_feed(conn, &s->ev[i]);
        ta_conn_end_frame(conn);
    }
    ta_proof_status want = v->check_proofs ? TA_PROOF_VERIFIED : TA_PROOF_NOT_CHECKED;
    const ta_handshake *hs = ta_conn_handshake(conn, 0);
    if (ta_handshake_proof(hs, TA_SERVER).status != want || ta_handshake_proof(hs, TA_CLIENT).status != want)
        die("a proof was not as built");
    ta_conn_free(conn);
}

static void verify_alone(const ta_der *leaf, gnutls_sign_algorithm_t algorithm, const uint8_t *data, size_t len,
                         const gnutls_datum_t *sig)
{
    gnutls_pubkey_t key;
    const gnutls_datum_t der = {(unsigned char *)leaf->data, (unsigned)leaf->len}, d = {(unsigned char *)data,
                                                                                        (unsigned)len};
    if (gnutls_pubkey_init(&key) < 0 || gnutls_pubkey_import_x509_raw(key, &der, GNUTLS_X509_FMT_DER, 0) < 0 ||
        gnutls_pubkey_verify_data2(key, algorithm, 0, &d, sig) < 0)
        die("GnuTLS did not verify a signature");
    gnutls_pubkey_deinit(key);
}

static void run_gnutls(int which)
{
    const sh_script *s = &scripts[which];
    const ta_der *leaf[2] = {NULL, NULL}; /* by sender */
    for (unsigned i = 0; i < s->count; i++)
        if (s->ev[i].hs_type == TA_HS_CERTIFICATE)
            leaf[s->ev[i].sender] = s->ev[i].certs;
    const ta_der *server_leaf = leaf[SH_SERVER], *client_leaf = leaf[SH_CLIENT];
    if (which == 0) {
        verify_alone(server_leaf, GNUTLS_SIGN_ECDSA_SHA256, s->server_signed, s->server_signed_len, &s->server_sig);
        verify_alone(client_leaf, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, s->client_signed, s->client_signed_len,
                     &s->client_sig);
        return;
    }
    /* TLS 1.3: the content signed holds the transcript hash, which the verifier computes too. */
    uint8_t hash[48];
    gnutls_hash_fast(GNUTLS_DIG_SHA384, s->transcript, s->transcript_len, hash);
    verify_alone(server_leaf, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, s->server_signed, s->server_signed_len,
                 &s->server_sig);
    gnutls_hash_fast(GNUTLS_DIG_SHA384, s->transcript, s->transcript_len, hash);
    verify_alone(client_leaf, GNUTLS_SIGN_EDDSA_ED25519, s->client_signed, s->client_signed_len, &s->client_sig);
}

typedef enum variant { ON, OFF, GNUTLS, VARIANTS } variant;
static const char *const NAMES[VARIANTS] = {"on", "off", "gnutls"};

static void run(variant v, int which)
{
    if (v == GNUTLS)
        run_gnutls(which);
    else
        run_tracker(&scripts[which], v == ON ? &PROOFS_ON : &PROOFS_OFF);
}

/* What callgrind counts: N handshakes, TLS 1.2 and 1.3 in turn. */
__attribute__((noinline)) void measured_loop(variant v, long n);
__attribute__((noinline)) void measured_loop(variant v, long n)
{
    for (long i = 0; i < n; i++)
        run(v, (int)(i & 1));
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double round_us(variant v, int which)
{
    long calls = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 8; i++)
            run(v, which);
        calls += 8;
    } while ((elapsed = now() - start) < 0.2);
    return elapsed / calls * 1e6;
}

int main(int argc, char **argv)
{
    sh_keypair p256 = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    sh_keypair p384 = sh_make_keypair(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1));
    sh_keypair rsa = sh_make_keypair(GNUTLS_PK_RSA, 2048);
    sh_keypair ed25519 = sh_make_keypair(GNUTLS_PK_EDDSA_ED25519, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519));
    sh_tls12_mutual(&scripts[0], &p256, &rsa, false);
    sh_tls13_mutual(&scripts[1], &p384, &ed25519, false, true);
    if (argc == 3) {
        for (variant v = 0; v < VARIANTS; v++)
            if (strcmp(argv[1], NAMES[v]) == 0) {
                measured_loop(v, atol(argv[2]));
                return 0;
            }
        die("usage: proof-micro [on|off|gnutls N]");
    }
    static const char *const HANDSHAKES[2] = {"TLS 1.2 mutual (ecdsa_secp256r1_sha256 SKE, rsa_pss_rsae_sha256 CV)",
                                              "TLS 1.3 mutual (ecdsa_secp384r1_sha384 CV, ed25519 CV)"};
    printf("proof of possession per handshake, GnuTLS %s; thread CPU time, best of 7 rounds\n",
           gnutls_check_version(NULL));
    for (int which = 0; which < 2; which++) {
        double best[VARIANTS] = {1e9, 1e9, 1e9};
        for (int r = 0; r < 7; r++)
            for (variant v = 0; v < VARIANTS; v++) {
                double us = round_us(v, which);
                best[v] = us < best[v] ? us : best[v];
            }
        double cost = best[ON] - best[OFF];
        printf("%s\n  tlsauth proofs: %8.1f us (%.1f on - %.1f off)   GnuTLS alone: %8.1f us   = %.2fx "
               "[target <= 1.2x]\n", HANDSHAKES[which], cost, best[ON], best[OFF], best[GNUTLS], cost / best[GNUTLS]);
    }
    return 0;
}
