#!/usr/bin/env bash
# The keys a case bundle carries are only as good as the bundle: a forger
# can make a consistent store of their own, with the same names and
# e-mail addresses and keys of their own, and its bundle verifies against
# the keys it carries.  case-bundle --verify --signers checks every
# signature against keys the reader trusts (the agency's
# registry/allowed_signers, had from it directly): the real bundle is
# valid, the forged one is refused.
. "$(dirname "$0")/lib.sh"

ssh_keys ada eve

# store DIR KEY: a signing store with ada (signing with KEY) and one case
store() {
	signing_store "$1" "$2" &&
	case-new -C "$1" --today 2026-03-01 --cohort post-sentence VIC-0007 &&
	case-event -C "$1" --today 2026-03-03 VIC-0007 order-made --order "$3" --date 2026-03-03
}
{
	store "$T/s" "$K/ada" supervision &&
	store "$T/forged" "$K/eve" interim-supervision
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! cannot make the stores: $(head -3 "$T/setup.err")"; exit 1; }
cp "$T/s/registry/allowed_signers" "$T/trusted"

run case-bundle -C "$T/s" VIC-0007 -o "$T/real.bundle"
expect 0 "the agency's bundle"
run case-bundle -C "$T/forged" VIC-0007 -o "$T/forged.bundle"
expect 0 "a forger's bundle of the same case"

run case-bundle --verify "$T/forged.bundle"
expect 0 "the forged bundle is consistent with the keys it carries"
out_has "signatures checked against the keys the bundle carries" "... which is said"
out_has "a forged bundle can carry keys of its own" "... with the warning"

run case-bundle --verify "$T/real.bundle" --signers "$T/trusted"
expect 0 "the real bundle against the agency's keys: valid"
out_has "signatures checked against the keys given" "... says which keys"
run case-bundle --verify "$T/forged.bundle" --signers "$T/trusted"
expect 1 "the forged bundle against the agency's keys: refused"
out_has "bad-signature: the signature is not made by a key registered for <ada@example.org>" "... each commit's signature"
is "$(grep -c bad-signature "$T/out")" "$(grep -c '^commit ' <(sed '/^objects /q' "$T/forged.bundle"))" "... every commit of it"

run case-bundle --verify "$T/real.bundle" --signers "$T/none"
expect 2 "keys that can not be read"
run case-bundle -C "$T/s" VIC-0007 -o "$T/x" --signers "$T/trusted"
expect 2 "--signers only with --verify"
err_has "--signers is for --verify" "... saying so"

done_testing
