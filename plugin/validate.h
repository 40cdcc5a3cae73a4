/* Preferences, the trust store they describe, and the verifier the tracker is given. */
#ifndef TLSAUTH_VALIDATE_H
#define TLSAUTH_VALIDATE_H

#include <epan/packet.h>

#include "tlsauth/tracker.h"

void tlsauth_validate_register(int proto);
void tlsauth_validate_cleanup(void);
/* The verifier the tracker is given with each connection. */
const ta_verifier *tlsauth_verifier(void);
/* The full result for rendering; cached, so calling it again on later passes is cheap. */
void tlsauth_chain_result(const ta_handshake *hs, ta_role role, const ta_der *certs, unsigned count,
                          int64_t verify_time, ta_chain_result *out);
const char *tlsauth_hostname_for(const ta_handshake *hs, ta_role role);
const char *tlsauth_store_problem(void); /* "" when the CA store loaded cleanly */
gboolean tlsauth_verify_time_is_now(void);

#endif
