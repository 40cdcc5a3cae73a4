/* tlsauth tracker: what a connection gives its verifier. Which chain (as sent, with the
 * handshake as known so far), whether the client chain's issuer is among the CA names of the
 * latest CertificateRequest, and which stapled OCSP response goes with which chain (TLS 1.3 in
 * the Certificate; TLS 1.2 in a CertificateStatus after it, so the leaf and its issuer wait).
 * See include/tlsauth/tracker.h. */
#include "tracker_internal.h"

#include <stdlib.h>
#include <string.h>

void ta__der_list_clear(ta_der_list *l)
{
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

void ta__der_list_keep(ta_der_list *l, const ta_der *items, unsigned count, size_t max)
{
    size_t total = 0;
    ta__der_list_clear(l);
    for (unsigned i = 0; i < count; i++) {
        if (!items[i].data || items[i].len > max - total)
            return;
        total += items[i].len;
    }
    if (count == 0 || !(l->items = malloc(count * sizeof *l->items + total)))
        return;
    uint8_t *next = (uint8_t *)(l->items + count);
    for (unsigned i = 0; i < count; i++) {
        memcpy(next, items[i].data, items[i].len);
        l->items[i] = (ta_der){next, items[i].len};
        next += items[i].len;
    }
    l->count = count;
}

void ta__chains_free(ta_chains *c)
{
    ta__der_list_clear(&c->ocsp_chain);
}

static void check_staple(ta_chains *c, ta_chain_check *check, const ta_der *response, const ta_der *chain,
                         unsigned count, int64_t frame_time)
{
    if (!c->verifier.check_ocsp)
        return;
    check->ocsp = c->verifier.check_ocsp(c->verifier.ctx, response, chain, count,
                                         check->verify_time ? check->verify_time : frame_time);
    if (check->ocsp == TA_OCSP_REVOKED) {
        check->problems |= TA_PROBLEM_BIT(TA_PROBLEM_REVOKED);
        check->verdict = TA_VERDICT_UNTRUSTED;
    }
}

void ta__chains_certificate(ta_chains *c, ta_handshake *hs, ta_role role, const ta_event *ev, int64_t frame_time)
{
    ta_chain_check *check = &hs->chain[role];
    if (ev->cert_count <= 0 || !c->verifier.check_chain)
        return;
    memset(check, 0, sizeof *check);
    check->issuer_listed = -1;
    check->ocsp = -1;
    check->checked = true;
    /* Certificates that could not be read (count 0) make a chain not checked, with its time. */
    c->verifier.check_chain(c->verifier.ctx, hs, role, ev->certs, ev->certs ? ev->certs_available : 0, frame_time,
                            check);
    ta__proof_distrust(hs, role); /* a failed proof stays a failure whatever chain comes */
    if (!ev->certs || !ev->certs_available)
        return;
    unsigned leaf_and_issuer = ev->certs_available < 2 ? ev->certs_available : 2;
    if (role == TA_CLIENT && hs->ca_names.count && !hs->ca_names_cut)
        check->issuer_listed = ta_issuer_listed(ev->certs, ev->certs_available, hs->ca_names.items, hs->ca_names.count);
    if (role == TA_SERVER && ev->ocsp_response)
        check_staple(c, check, ev->ocsp_response, ev->certs, leaf_and_issuer, frame_time);
    else if (role == TA_SERVER && hs->status_requested)
        ta__der_list_keep(&c->ocsp_chain, ev->certs, leaf_and_issuer, TA_OCSP_CHAIN_MAX_BYTES);
}

void ta__chains_status(ta_chains *c, ta_handshake *hs, const ta_event *ev, int64_t frame_time)
{
    if (ev->ocsp_response)
        check_staple(c, &hs->chain[TA_SERVER], ev->ocsp_response, c->ocsp_chain.items, c->ocsp_chain.count,
                     frame_time);
    ta__der_list_clear(&c->ocsp_chain);
}

/* Every request replaces the names, and a list that was not kept whole is not compared (no
 * false "not listed"). */
void ta__chains_request(ta_handshake *hs, const ta_event *ev)
{
    ta__der_list_keep(&hs->ca_names, ev->ca_names, ev->ca_name_count, TA_MAX_CA_NAMES_BYTES);
    hs->ca_names_cut = ev->ca_names_cut || hs->ca_names.count != ev->ca_name_count;
}

void ta__chains_flight_done(ta_chains *c)
{
    ta__der_list_clear(&c->ocsp_chain); /* a staple comes before ServerHelloDone or never */
}
