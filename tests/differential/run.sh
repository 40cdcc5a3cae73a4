#!/usr/bin/env bash
# Differential test of the chain verifier: every row of CASES_TSV (see its header) is run with
# verify_chain over the chains make-chains.sh wrote into OUTDIR, and compared with the hand-written
# verdict and tokens. As an independent oracle, `openssl verify` and `certtool --verify` judge the
# rows whose `oracle` column lists them; tlsauth saying trusted where every reference listed
# rejects is a failure too. Prints a table of the three opinions and every mismatch, not just the
# first. It also checks that "signed by the next" agrees with the verdict (issue 15): a trusted
# chain sent in order has no "no", and a signature problem shows on some certificate.
# certtool has no -attime: it is asked at today's date, which make-chains.sh made
# equivalent to 2030-01-01 from 2025-01-02 to 2034-12-31 (outside that window it is n/a).
# Usage: run.sh VERIFY_CHAIN_BINARY OUTDIR CASES_TSV  (DIFF_VERBOSE=1: every opinion in full)
set -uo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 VERIFY_CHAIN_BINARY OUTDIR CASES_TSV" >&2; exit 2; }
bin=$(realpath "$1") dir=$2 tsv=$3
[[ -x $bin ]] || { echo "run.sh: $bin is not executable" >&2; exit 2; }
[[ -d $dir && -f $tsv ]] || { echo "run.sh: no $dir or $tsv" >&2; exit 2; }
export TZ=UTC
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

have_openssl=0; command -v openssl >/dev/null && have_openssl=1
have_certtool=0; command -v certtool >/dev/null && have_certtool=1
today=$(date -u +%Y%m%d)
certtool_today_ok=0; ((today > 20250101 && today < 20350101)) && certtool_today_ok=1

# sorted_set "b,a": sets $sorted to "a,b" (duplicates dropped; "-" stays "-"), without forking.
sorted_set() {
  sorted=$1
  [[ $1 == - ]] && return
  local -a in out=()
  local t u i
  IFS=, read -ra in <<<"$1"
  for t in "${in[@]}"; do
    [[ -z $t ]] && continue
    for ((i = 0; i <= ${#out[@]}; i++)); do
      u=${out[i]-}
      [[ $u == "$t" ]] && break
      if [[ -z $u || $t < $u ]]; then out=("${out[@]:0:i}" "$t" "${out[@]:i}"); break; fi
    done
  done
  local IFS=,
  sorted="${out[*]}"
}

# openssl_opinion CASEDIR: accept, reject: <first error>, or n/a: <why>. Uses the parsed options.
openssl_opinion() {
  local d=$1
  [[ $have_openssl == 1 ]] || { echo "n/a: no openssl"; return; }
  [[ $system == 1 || -z $ca_file ]] && { echo "n/a: store not a CA file"; return; }
  [[ -f $d/chain.pem ]] || { echo "n/a: entries not PEM"; return; }
  local level
  case $profile in low) level=1 ;; medium) level=2 ;; high) level=3 ;; *) echo "n/a: profile $profile"; return ;; esac
  awk -v out="$tmp/part" '/-----BEGIN CERTIFICATE-----/{n++} n{print > (out n ".pem")}' "$d/chain.pem"
  local args=(-x509_strict -purpose "ssl$purpose" -attime "$epoch" -auth_level "$level" -CAfile "$d/$ca_file")
  if [[ -n $host ]]; then
    if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then args+=(-verify_ip "$host"); else args+=(-verify_hostname "$host"); fi
  fi
  local n=2
  while [[ -f $tmp/part$n.pem ]]; do cat "$tmp/part$n.pem" >>"$tmp/rest.pem"; n=$((n + 1)); done
  [[ -f $tmp/rest.pem ]] && args+=(-untrusted "$tmp/rest.pem")
  [[ -n $crl_file ]] && args+=(-crl_check_all -CRLfile "$d/$crl_file")
  local out
  if out=$(openssl verify "${args[@]}" "$tmp/part1.pem" 2>&1 </dev/null); then
    echo accept
  else
    echo "reject: $(grep -m1 -o 'error [0-9]* at [0-9]* depth lookup: .*' <<<"$out" | sed 's/.*lookup: //' ||
      head -1 <<<"$out")"
  fi
  rm -f "$tmp"/part*.pem "$tmp/rest.pem"
}

# certtool_opinion CASEDIR: the same with certtool --verify, at today's date.
certtool_opinion() {
  local d=$1
  [[ $have_certtool == 1 ]] || { echo "n/a: no certtool"; return; }
  [[ $certtool_today_ok == 1 ]] || { echo "n/a: today is outside 2025-2034"; return; }
  [[ $epoch == 1893456000 ]] || { echo "n/a: --time"; return; }
  [[ $system == 1 || -z $ca_file ]] && { echo "n/a: store not a CA file"; return; }
  [[ -f $d/chain.pem ]] || { echo "n/a: entries not PEM"; return; }
  local oid=1.3.6.1.5.5.7.3.1
  [[ $purpose == client ]] && oid=1.3.6.1.5.5.7.3.2
  local args=(--verify --load-ca-certificate "$d/$ca_file" --infile "$d/chain.pem" --verify-purpose "$oid"
              --verify-profile "$profile")
  [[ -n $host ]] && args+=(--verify-hostname "$host")
  [[ -n $crl_file ]] && args+=(--load-crl "$d/$crl_file")
  local out
  out=$(certtool "${args[@]}" 2>&1 </dev/null)
  if grep -q '^Chain verification output: Verified' <<<"$out"; then
    echo accept
  else
    local line
    line=$(grep -m1 -e '^Chain verification output:' -e 'error' <<<"$out")
    line=${line#Chain verification output: }
    echo "reject: ${line:-certtool said nothing}"
  fi
}

failures=() disagreements=()
total=0
printf '%-34s %-11s %-11s %-8s %-8s %s\n' case expected tlsauth openssl certtool result
while IFS=$'\t' read -r name opts want_verdict want_tokens oracle want_prefix want_contains why; do
  [[ -z $name || $name == \#* || $name == case ]] && continue
  total=$((total + 1))
  if [[ -z ${why-} ]]; then
    failures+=("$name: the row has fewer than 8 tab-separated columns")
    continue
  fi
  d=$dir/$name
  if [[ ! -d $d ]]; then
    failures+=("$name: no folder $d (make-chains.sh and cases.tsv disagree)")
    continue
  fi
  # Options, and what the references need to know of them.
  opt=()
  [[ $opts != - ]] && read -ra opt <<<"$opts"
  host="" purpose=server profile=medium epoch=1893456000 system=0 ca_file="" ca_dir="" crl_file=""
  for ((i = 0; i < ${#opt[@]}; i++)); do
    case ${opt[i]} in
      --host) host=${opt[i + 1]} ;;
      --purpose) purpose=${opt[i + 1]} ;;
      --profile) profile=${opt[i + 1]} ;;
      --system) system=1 ;;
      --ca-file) ca_file=${opt[i + 1]} ;;
      --ca-dir) ca_dir=${opt[i + 1]} ;;
      --crl) crl_file=${opt[i + 1]} ;;
      --time)
        t=${opt[i + 1]}
        if [[ $t == @* ]]; then epoch=${t#@}; else epoch=$(date -u -d "$t" +%s); fi ;;
    esac
  done
  args=("${opt[@]}")
  [[ -z $ca_file && -z $ca_dir ]] && ca_file=ca.pem && args+=(--ca-file ca.pem)
  [[ -z $crl_file && -f $d/crl.pem ]] && crl_file=crl.pem && args+=(--crl crl.pem)
  if [[ -f $d/chain.pem ]]; then
    files=(chain.pem)
  else
    mapfile -t files < <(cd "$d" && ls chain-* 2>/dev/null | sort -t- -k2 -n)
  fi

  out=$(cd "$d" && "$bin" "${args[@]}" "${files[@]}" 2>"$tmp/stderr" </dev/null)
  rc=$?
  problems=()
  got_verdict="?" got_tokens="?" reason=""
  if [[ $rc != 0 ]]; then
    problems+=("verify_chain exited $rc: $(head -c 300 "$tmp/stderr")")
  else
    IFS=$'\t' read -r got_verdict got_tokens reason <<<"$(head -1 <<<"$out")"
    [[ $got_verdict == "$want_verdict" ]] || problems+=("verdict $got_verdict, expected $want_verdict")
    if [[ $want_tokens != '*' ]]; then
      sorted_set "$got_tokens"; g=$sorted
      sorted_set "$want_tokens"; w=$sorted
      [[ $g == "$w" ]] || problems+=("tokens $g, expected $w")
    fi
    [[ $want_prefix == - || $reason == "$want_prefix"* ]] ||
      problems+=("reason \"$reason\" does not start with \"$want_prefix\"")
    [[ $want_contains == - || $out == *"$want_contains"* ]] ||
      problems+=("output does not contain \"$want_contains\"")
    # "Signed by the next" agrees with the verdict (issue 15, point 1): on a trusted chain sent in
    # order every leaf and intermediate says yes; a signature problem shows on some certificate.
    signed=$(awk -F'\t' '$1 == "cert" && ($3 == "leaf" || $3 == "intermediate") { printf "%s ", $4 }' <<<"$out")
    if [[ $got_verdict == trusted && ,$got_tokens, != *,chain-order,* && " $signed" == *" no "* ]]; then
      problems+=("trusted and in order, but a certificate is not signed by the next: $signed")
    fi
    if [[ ,$got_tokens, == *,bad-signature,* || ,$got_tokens, == *,unknown-algorithm,* ]] &&
      [[ " $signed" != *" no "* && " $signed" != *" not-checked "* ]]; then
      problems+=("$got_tokens, but every certificate says signed by the next: yes")
    fi
  fi

  # The references.
  o_op="n/a" c_op="n/a"
  [[ $oracle == both || $oracle == openssl ]] && o_op=$(openssl_opinion "$d")
  [[ $oracle == both || $oracle == certtool ]] && c_op=$(certtool_opinion "$d")
  asked=0 rejected=0
  for op in "$o_op" "$c_op"; do
    case $op in
      accept) asked=$((asked + 1)) ;;
      reject*) asked=$((asked + 1)); rejected=$((rejected + 1)) ;;
    esac
  done
  if [[ $got_verdict == trusted && $asked -gt 0 && $rejected == "$asked" ]]; then
    problems+=("trusted, but every reference rejects it (openssl: $o_op; certtool: $c_op)")
  fi
  want_accept=reject; [[ $want_verdict == trusted ]] && want_accept=accept
  for ref in openssl certtool; do
    op=$o_op; [[ $ref == certtool ]] && op=$c_op
    [[ $op == n/a* || ${op%%:*} == "$want_accept" ]] || disagreements+=("$name: $ref says $op; expected $want_verdict")
  done

  result=ok
  if [[ ${#problems[@]} -gt 0 ]]; then
    result=FAIL
    for p in "${problems[@]}"; do failures+=("$name: $p"); done
  fi
  printf '%-34s %-11s %-11s %-8s %-8s %s\n' "$name" "$want_verdict" "$got_verdict" "${o_op%%:*}" "${c_op%%:*}" \
    "$result"
  if [[ -n ${DIFF_VERBOSE-} ]]; then
    printf '    tlsauth: %s\n    openssl: %s\n    certtool: %s\n' "$(head -1 <<<"$out")" "$o_op" "$c_op"
  fi
done <"$tsv"

if [[ ${#disagreements[@]} -gt 0 ]]; then
  echo
  echo "References that disagree with the hand-written verdict (information, not failures):"
  printf '  %s\n' "${disagreements[@]}"
fi
echo
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "FAILED: ${#failures[@]} mismatches in $total cases:"
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
echo "all $total cases as expected"
