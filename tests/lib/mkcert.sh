# Sourced by the scripts that make test PKIs: mk writes NAME.key, NAME.pem and NAME.der in the
# current folder, with certtool, from a template in $tmp (the caller's scratch folder).
# mk NAME SERIAL SIGNER(basename or "self") KEY(ec|rsa|rsa1024|key:NAME) FROM TO TEMPLATE-LINE...
mk() {
  local name=$1 serial=$2 signer=$3 key=$4 from=$5 to=$6; shift 6
  case $key in
    ec) certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text --outfile "$name.key" 2>/dev/null ;;
    rsa) certtool --generate-privkey --key-type=rsa --bits=2048 --no-text --outfile "$name.key" 2>/dev/null ;;
    rsa1024) certtool --generate-privkey --key-type=rsa --bits=1024 --no-text --outfile "$name.key" 2>/dev/null ;;
    key:*) cp "${key#key:}.key" "$name.key" ;;
    *) echo "mk: unknown key $key" >&2; exit 1 ;;
  esac
  printf '%s\n' "serial = $serial" "activation_date = $from" "expiration_date = $to" "$@" >"$tmp/$name.tmpl"
  if [[ $signer == self ]]; then
    certtool --generate-self-signed --load-privkey "$name.key" --template "$tmp/$name.tmpl" \
      --no-text --outfile "$name.pem" 2>/dev/null
  else
    certtool --generate-certificate --load-privkey "$name.key" --load-ca-certificate "$signer.pem" \
      --load-ca-privkey "$signer.key" --template "$tmp/$name.tmpl" --no-text --outfile "$name.pem" 2>/dev/null
  fi
  certtool --certificate-info --infile "$name.pem" --outder --outfile "$name.der" 2>/dev/null
}
