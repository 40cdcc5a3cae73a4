/* -z tlsauth,json[,filter]: one JSON object per handshake per line, from the report model and,
 * for the certificates, the "tlsauth.chain" tap (taps.h). */
#ifndef TLSAUTH_REPORT_JSON_H
#define TLSAUTH_REPORT_JSON_H

void tlsauth_report_json_register(void);

#endif
