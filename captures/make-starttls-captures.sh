#!/usr/bin/env bash
# STARTTLS captures beyond SMTP and PostgreSQL (make-breadth-captures.sh): real servers that
# upgrade a plaintext protocol to TLS on the same TCP connection, each on its protocol's
# standard port so that Wireshark decodes it without any option:
#   IMAP STARTTLS and POP3 STLS (Dovecot 2.3), FTP AUTH TLS (vsftpd 3.0), LDAP StartTLS
#   (OpenLDAP slapd 2.5, GnuTLS), XMPP STARTTLS (Prosody 0.12), MySQL protocol SSL (MariaDB 10.11).
# The client is always openssl s_client -starttls PROTO (its key log), trusting only pki/ca.pem,
# one-way (no client certificate). Each server runs from a private configuration in the work
# folder, on 127.0.0.1 only, with pki/server-chain.pem + server.key, never as the system service.
# Same machinery as make-captures.sh (lib.sh): dumpcap on lo, the key log injected, packet
# comments from the notes below, check-captures.sh before anything is replaced.
# Usage: bash captures/make-starttls-captures.sh [NAME...]   (default: all scenarios here)
#        bash captures/make-starttls-captures.sh --rows   (only write the rows below into scenarios.tsv)
# Needs, besides make-captures.sh's tools: dovecot-imapd dovecot-pop3d vsftpd slapd prosody
# mariadb-server (Debian 12 packages). Their system services need not (and should not) run: the
# ports 143 110 21 389 5222 3306 must be free.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh  # settings, peers, dumpcap, notes, annotate, check_and_replace (shared)

# The servers drop privileges (dovenull, ftp, mysql...): they must reach their folders in $W.
chmod 711 "$W"
srvdir() {  # srvdir NAME: a fresh folder for NAME's server, readable by its service users
  SRV=$W/srv-$1
  rm -rf "$SRV"; mkdir -p "$SRV"; chmod 755 "$SRV"
}
PKI=$PWD/$P  # the servers get absolute paths
# Refuse a busy standard port, and tell who holds it (a system instance of the service?).
free_port() {
  listening "$1" || return 0
  echo "port $1 is in use (stop that service first):" >&2; ss -Hltnp "sport = :$1" >&2; return 1
}
# The client: s_client -starttls PROTO, one-way, trusting ca.pem only, with a key log. INPUT is
# written (printf %b) once TLS is up; stdin stays open 1 s more, then s_client closes with
# close_notify. -nocommands: a line starting with Q or R is data, not a command.
stls() {  # stls NAME PORT PROTO INPUT [s_client-args...]
  local name=$1 port=$2 proto=$3 input=$4; shift 4
  { printf '%b' "$input"; sleep 1; } | timeout $T openssl s_client -connect 127.0.0.1:$port \
    -starttls "$proto" -nocommands -servername $SNI -verify_hostname $SNI -CAfile $P/ca.pem \
    -verify_return_error -keylogfile "$W/$name.keys" "$@" >>"$log/$name.client.log" 2>&1 ||
    echo "client exit $?" >>"$log/$name.client.log"
}
# mariadbd stops slowly, and a leftover one would hold port 3306 for the next run.
mysql_pid=
cleanup_extra() {
  [[ -n $mysql_pid ]] && kill "$mysql_pid" 2>/dev/null && sleep 2 || true
}

# ---- scenarios --------------------------------------------------------------------------------
dovecot_conf() {  # dovecot_conf NAME imap|pop3 PORT: a private Dovecot serving that protocol only
  local proto=$2 port=$3
  srvdir $1
  mkdir -p "$SRV/home" "$SRV/mail"
  cat >"$SRV/dovecot.conf" <<EOF
# tlsauth capture $1: one protocol on 127.0.0.1:$port, STARTTLS/STLS with the test chain
base_dir = $SRV/run
state_dir = $SRV/state
instance_name = tlsauth-$1
protocols = $proto
listen = 127.0.0.1
log_path = /dev/stderr
ssl = yes
ssl_cert = <$PKI/server-chain.pem
ssl_key = <$PKI/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$SRV/home
}
mail_location = maildir:$SRV/mail
service $proto-login {
  inet_listener $proto {
    address = 127.0.0.1
    port = $port
  }
  inet_listener ${proto}s {
    port = 0
  }
}
EOF
}
imap-starttls-dovecot() {  # port 143
  free_port $2
  dovecot_conf $1 imap $2
  server $1 $2 dovecot -F -c "$SRV/dovecot.conf"
  cap_start $1 $2
  stls $1 $2 imap 'a1 CAPABILITY\na2 LOGOUT\n' -crlf
  cap_stop $1
}
note imap-starttls-dovecot <<'EOF'
- capture imap-starttls-dovecot: openssl s_client -starttls imap -> Dovecot 2.3 on port 143: plaintext greeting (capabilities include STARTTLS), CAPABILITY, STARTTLS, "OK Begin TLS negotiation now", then TLS 1.3 on the same TCP connection (one-way, completes); CAPABILITY and LOGOUT inside TLS.
1 ch ClientHello, after the plaintext IMAP exchange (greeting, CAPABILITY, STARTTLS, OK Begin TLS negotiation now): s_client offers TLS 1.3 with SNI server.tlsauth.test, trusts only the tlsauth Test Root CA.
1 scert Encrypted: Dovecot presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: one-way.
1 capp The client accepted the chain and sends "a1 CAPABILITY" inside TLS.
1 sapp Dovecot answers inside TLS (the capabilities after STARTTLS): IMAP goes on over a one-way authenticated connection; LOGOUT follows, Dovecot closes with close_notify.
EOF
pop3-stls-dovecot() {  # port 110
  free_port $2
  dovecot_conf $1 pop3 $2
  server $1 $2 dovecot -F -c "$SRV/dovecot.conf"
  cap_start $1 $2
  stls $1 $2 pop3 'CAPA\nQUIT\n' -crlf
  cap_stop $1
}
note pop3-stls-dovecot <<'EOF'
- capture pop3-stls-dovecot: openssl s_client -starttls pop3 -> Dovecot 2.3 on port 110: plaintext +OK greeting, STLS, "+OK Begin TLS negotiation now", then TLS 1.3 on the same TCP connection (one-way, completes); CAPA and QUIT inside TLS.
1 ch ClientHello, after the plaintext POP3 exchange (+OK greeting, STLS, +OK Begin TLS negotiation): s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: Dovecot presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: one-way.
1 capp The client accepted the chain and sends CAPA inside TLS.
1 sapp Dovecot answers inside TLS (+OK and its capability list): POP3 goes on over a one-way authenticated connection.
EOF
ftp-authtls-vsftpd() {  # port 21
  free_port $2
  srvdir $1
  mkdir -p "$SRV/empty" "$SRV/root"
  cat >"$SRV/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$2
background=NO
anonymous_enable=YES
local_enable=NO
write_enable=NO
anon_root=$SRV/root
secure_chroot_dir=$SRV/empty
ftp_username=ftp
pasv_enable=NO
port_enable=NO
syslog_enable=NO
xferlog_enable=NO
ssl_enable=YES
allow_anon_ssl=YES
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
ssl_request_cert=NO
require_ssl_reuse=NO
rsa_cert_file=$PKI/server-chain.pem
rsa_private_key_file=$PKI/server.key
EOF
  server $1 $2 vsftpd "$SRV/vsftpd.conf"
  cap_start $1 $2
  # No QUIT: vsftpd answers it by closing the TCP connection without close_notify, and
  # OpenSSL 3.0 then sends a fatal decode_error alert (unexpected EOF). s_client closes first.
  stls $1 $2 ftp 'USER anonymous\nPASS tlsauth@\nPWD\n' -crlf
  cap_stop $1
}
note ftp-authtls-vsftpd <<'EOF'
- capture ftp-authtls-vsftpd: openssl s_client -starttls ftp -> vsftpd 3.0.3 on port 21: 220 greeting, AUTH TLS, "234 Proceed with negotiation.", then TLS 1.3 on the same control connection (a HelloRetryRequest, one-way, completes); USER anonymous, PASS and PWD inside TLS; the client closes with close_notify.
1 ch ClientHello, after the plaintext FTP exchange (220 greeting, AUTH TLS, 234 Proceed with negotiation): s_client offers TLS 1.3 with SNI server.tlsauth.test and an X25519 key share.
1 sh HelloRetryRequest: vsftpd accepts only the P-256 group and asks for another key share.
1 ch#2 Second ClientHello, with a P-256 key share.
1 scert Encrypted: vsftpd presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest (ssl_request_cert=NO): one-way.
1 capp The client accepted the chain and sends "USER anonymous" inside TLS.
1 sapp vsftpd answers inside TLS (331, then 230 Login successful and the PWD reply): FTP control goes on over a one-way authenticated connection.
EOF
ldap-starttls-slapd() {  # port 389
  free_port $2
  srvdir $1
  cat >"$SRV/slapd.conf" <<EOF
pidfile $SRV/slapd.pid
argsfile $SRV/slapd.args
TLSCertificateFile $PKI/server-chain.pem
TLSCertificateKeyFile $PKI/server.key
EOF
  server $1 $2 slapd -d stats -h "ldap://127.0.0.1:$2/" -f "$SRV/slapd.conf"
  cap_start $1 $2
  # Inside TLS: an LDAPv3 SearchRequest (BER), message 2, for the root DSE: base "", scope
  # base, filter (objectClass=*), all attributes.
  stls $1 $2 ldap '\x30\x25\x02\x01\x02\x63\x20\x04\x00\x0a\x01\x00\x0a\x01\x00\x02\x01\x00\x02\x01\x00\x01\x01\x00\x87\x0bobjectClass\x30\x00' -tls1_2
  cap_stop $1
}
note ldap-starttls-slapd <<'EOF'
- capture ldap-starttls-slapd: openssl s_client -starttls ldap -tls1_2 -> OpenLDAP slapd 2.5 (GnuTLS) on port 389: the StartTLS extended request (1.3.6.1.4.1.1466.20037) and its success response, then TLS 1.2 on the same TCP connection (one-way, completes: readable without keys); a root DSE search inside TLS.
1 ch ClientHello, after the plaintext StartTLS extendedReq/extendedResp: s_client offers TLS 1.2 only, with SNI server.tlsauth.test.
1 scert slapd presents its chain in the clear (leaf server.tlsauth.test + tlsauth Test Intermediate CA); GnuTLS sends each handshake message in a record of its own.
1 skx ServerKeyExchange (ECDHE); no CertificateRequest follows: one-way.
1 capp The client accepted the chain and sends a searchRequest for the root DSE inside TLS.
1 sapp slapd answers inside TLS (searchResEntry, searchResDone): LDAP goes on over a one-way authenticated connection.
EOF
xmpp-starttls-prosody() {  # port 5222
  free_port $2
  srvdir $1
  mkdir -p "$SRV/data" "$SRV/certs"
  cat >"$SRV/prosody.cfg.lua" <<EOF
-- tlsauth capture $1: client-to-server on 127.0.0.1:$2 only, STARTTLS with the test chain
run_as_root = true
daemonize = false
pidfile = "$SRV/prosody.pid"
data_path = "$SRV/data"
certificates = "$SRV/certs"
log = { info = "*stdout" }
interfaces = { "127.0.0.1" }
c2s_ports = { $2 }
c2s_direct_tls_ports = {}
legacy_ssl_ports = {}
s2s_ports = {}
component_ports = {}
http_ports = {}
https_ports = {}
modules_enabled = { "tls"; "saslauth"; "disco" }
modules_disabled = { "s2s"; "offline"; "c2s_offline"; "posix" }
c2s_require_encryption = true
authentication = "internal_plain"
VirtualHost "$SNI"
  ssl = { certificate = "$PKI/server-chain.pem"; key = "$PKI/server.key" }
EOF
  server $1 $2 prosody --config "$SRV/prosody.cfg.lua" -F
  cap_start $1 $2
  # Inside TLS: the client restarts the stream (RFC 6120); the server answers with its stream
  # header and features (SASL); then both close the stream.
  { printf "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='%s' version='1.0'>" $SNI
    sleep 1; printf '</stream:stream>'; sleep 0.5; } |
    timeout $T openssl s_client -connect 127.0.0.1:$2 -starttls xmpp -xmpphost $SNI -nocommands \
      -servername $SNI -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error \
      -keylogfile "$W/$1.keys" >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  cap_stop $1
}
note xmpp-starttls-prosody <<'EOF'
- capture xmpp-starttls-prosody: openssl s_client -starttls xmpp -> Prosody 0.12 on port 5222: stream header, stream features (starttls required), <starttls/>, <proceed/>, then TLS 1.3 on the same TCP connection (one-way, completes); the stream restarts inside TLS.
1 ch ClientHello, after the plaintext XMPP exchange (stream headers, features with starttls, <starttls/>, <proceed/>): s_client offers TLS 1.3 with SNI server.tlsauth.test.
1 scert Encrypted: Prosody presents its chain (leaf server.tlsauth.test + tlsauth Test Intermediate CA), no CertificateRequest: one-way.
1 capp The client accepted the chain and restarts the XML stream inside TLS.
1 sapp Prosody answers inside TLS with its stream header and features (SASL PLAIN): XMPP goes on over a one-way authenticated connection.
EOF
mysql-ssl-mariadb() {  # port 3306
  free_port $2
  srvdir $1
  install -o mysql -m 644 $P/server-chain.pem "$SRV/"
  install -o mysql -m 600 $P/server.key "$SRV/"
  chown mysql: "$SRV"
  mariadb-install-db --no-defaults --user=mysql --datadir="$SRV/data" \
    --auth-root-authentication-method=socket --skip-test-db >"$log/$1.install.log" 2>&1
  timeout $((T * 4)) mariadbd --no-defaults --user=mysql --datadir="$SRV/data" \
    --socket="$SRV/mysqld.sock" --pid-file="$SRV/mysqld.pid" --bind-address=127.0.0.1 --port=$2 \
    --skip-name-resolve --skip-log-bin --innodb-buffer-pool-size=16M \
    --ssl-cert="$SRV/server-chain.pem" --ssl-key="$SRV/server.key" --tls-version=TLSv1.2 \
    </dev/null >"$log/$1.server.log" 2>&1 &
  pids+=($!); mysql_pid=$!
  local _; for _ in $(seq 150); do listening $2 && break; sleep 0.1; done
  listening $2 || { echo "mariadbd did not start" >&2; return 1; }
  # alice, no password, from 127.0.0.1 (the capture's login)
  mariadb --no-defaults -S "$SRV/mysqld.sock" -u root -e "CREATE USER alice@'127.0.0.1' IDENTIFIED BY ''"
  cap_start $1 $2
  # s_client sends the SSLRequest (capabilities 0x007fae85, sequence 1) itself. Inside TLS: the
  # HandshakeResponse41 (sequence 2) with the same capabilities (so: an empty auth response as a
  # length-encoded string, empty connection attributes), user alice, mysql_native_password;
  # then COM_QUERY "SELECT @@version" (sequence 0). No COM_QUIT: MariaDB answers it by closing
  # without close_notify (OpenSSL 3.0 would then send decode_error); s_client closes first.
  local login
  login="\x3e\x00\x00\x02\x85\xae\x7f\x00\x00\x00\x00\x01\x21$(printf '\\x00%.0s' $(seq 23))alice\x00\x00mysql_native_password\x00\x00"
  { printf '%b' "$login"; sleep 0.5; printf '%b' '\x11\x00\x00\x00\x03SELECT @@version'; sleep 1; } |
    timeout $T openssl s_client -connect 127.0.0.1:$2 -starttls mysql -nocommands -servername $SNI \
      -verify_hostname $SNI -CAfile $P/ca.pem -verify_return_error -keylogfile "$W/$1.keys" \
      >>"$log/$1.client.log" 2>&1 || echo "client exit $?" >>"$log/$1.client.log"
  cap_stop $1
  mysql_pid=
}
note mysql-ssl-mariadb <<'EOF'
- capture mysql-ssl-mariadb: openssl s_client -starttls mysql -> MariaDB 10.11 on port 3306 (tls_version = TLSv1.2, readable without keys): the server greeting, the client's SSLRequest (a short login packet with CLIENT_SSL), then TLS 1.2 on the same TCP connection; MariaDB always sends a CertificateRequest and the client answers with an empty Certificate (mutual-requested, completes); login as alice and a query inside TLS.
1 ch ClientHello, after the plaintext MySQL greeting and the client's SSLRequest: s_client offers TLS 1.3 and 1.2 with SNI server.tlsauth.test; MariaDB is limited to TLS 1.2.
1 scert MariaDB presents its chain in the clear (leaf server.tlsauth.test + tlsauth Test Intermediate CA)
1 creq and asks for a client certificate: MariaDB always does (SSL_VERIFY_PEER), whether or not it checks client certificates (no ssl-ca here).
1 ccert The client has no certificate: an empty Certificate message (mutual-requested). MariaDB goes on.
1 capp The client's login (HandshakeResponse, user alice) inside TLS.
1 sapp MariaDB answers inside TLS (OK, then the result of SELECT @@version): asked for a certificate, the client authenticated only the server.
EOF

# ---- expectations: the rows of scenarios.tsv, written by hand from how each scenario is made --
# Columns as in scenarios.tsv's header, separated by "|" here.
rows imap-starttls-dovecot <<'ROWS'
imap-starttls-dovecot|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||Dovecot 2.3 on 127.0.0.1:143 (private config: protocols imap, ssl = yes, ssl_cert server-chain.pem, no client certificate) + openssl s_client -starttls imap -crlf -servername server.tlsauth.test -CAfile ca.pem; TLS 1.3; a1 CAPABILITY and a2 LOGOUT inside TLS, Dovecot closes with close_notify
ROWS
rows pop3-stls-dovecot <<'ROWS'
pop3-stls-dovecot|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||Dovecot 2.3 on 127.0.0.1:110 (private config: protocols pop3, ssl = yes, server-chain.pem) + openssl s_client -starttls pop3 -crlf (STLS) -CAfile ca.pem; TLS 1.3; CAPA and QUIT inside TLS
ROWS
rows ftp-authtls-vsftpd <<'ROWS'
ftp-authtls-vsftpd|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||vsftpd 3.0.3 on 127.0.0.1:21 (private config: ssl_enable, allow_anon_ssl, ssl_request_cert=NO, rsa_cert_file server-chain.pem) + openssl s_client -starttls ftp (AUTH TLS) -CAfile ca.pem; TLS 1.3 with a HelloRetryRequest (vsftpd accepts only P-256); USER anonymous, PASS, PWD inside TLS; the client closes with close_notify
ROWS
rows ldap-starttls-slapd <<'ROWS'
ldap-starttls-slapd|1|TLSv1.2|server.tlsauth.test|one-way|completed|-|-|2|-|||||trusted|-|-|-|-|-|||||-||verified|-|||OpenLDAP slapd 2.5 (GnuTLS) on 127.0.0.1:389 (private slapd.conf: TLSCertificateFile server-chain.pem, no TLSVerifyClient) + openssl s_client -starttls ldap -tls1_2 -CAfile ca.pem; a root DSE searchRequest inside TLS, answered; the client closes with close_notify
ROWS
rows xmpp-starttls-prosody <<'ROWS'
xmpp-starttls-prosody|1|TLSv1.3|server.tlsauth.test|one-way|completed|-|-|2|-|||-|-|trusted|-|-|-|-|-|-|-|-|-|-||verified|-|not-visible||Prosody 0.12 on 127.0.0.1:5222 (private config: c2s only, c2s_require_encryption, VirtualHost server.tlsauth.test with server-chain.pem) + openssl s_client -starttls xmpp -xmpphost server.tlsauth.test -CAfile ca.pem; TLS 1.3; stream restarted inside TLS (features answered), then closed both ways
ROWS
rows mysql-ssl-mariadb <<'ROWS'
mysql-ssl-mariadb|1|TLSv1.2|server.tlsauth.test|mutual-requested|completed|-|-|2|0|||||trusted|-|-|-|-|-|||||-||verified|-|||MariaDB 10.11 on 127.0.0.1:3306 (private datadir; ssl-cert server-chain.pem, tls_version TLSv1.2, no ssl-ca) + openssl s_client -starttls mysql -CAfile ca.pem, no client certificate: MariaDB always sends a CertificateRequest, the client an empty Certificate; login as alice (HandshakeResponse written by hand) and SELECT @@version inside TLS
ROWS

# The protocols' standard ports, so that Wireshark decodes the plaintext part and the upgrade.
SCENARIOS=(imap-starttls-dovecot pop3-stls-dovecot ftp-authtls-vsftpd ldap-starttls-slapd
  xmpp-starttls-prosody mysql-ssl-mariadb)
declare -A PORT=([imap-starttls-dovecot]=143 [pop3-stls-dovecot]=110 [ftp-authtls-vsftpd]=21
  [ldap-starttls-slapd]=389 [xmpp-starttls-prosody]=5222 [mysql-ssl-mariadb]=3306)
# These protocols hand over to TLS themselves: Wireshark must decode their ports as theirs.
PROTOCOL_PORTS='^(imap|pop3|ftp|ldap|xmpp|mysql)-'
run_scenarios "$@"
