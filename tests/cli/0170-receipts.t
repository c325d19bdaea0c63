#!/usr/bin/env bash
# Push receipts (store-verify --post-receive): for each push the central
# repository takes, a tag object under refs/receipts/ naming main's new
# tip, the ref updates, the pusher and the server's time, signed with the
# key of the operator casetrail.yaml names as receipts.signer; git
# verify-tag accepts it.  A push never makes, moves or removes a receipt;
# a receipt the central repository's owner forges is reported by
# store-verify (unsigned, another signer, another key).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/receipts.sh"

case-event -C "$S" ACT-0001 reception --date "$today" >/dev/null 2>&1
old=$(git -C "$C" rev-parse main)
run store-sync -C "$S"
expect 0 "office 1 pushes through the hooks"
new=$(git -C "$C" rev-parse main)
is "$(git -C "$C" for-each-ref --format='%(refname)' refs/receipts | wc -l)" 1 "one receipt written"
ref=$(git -C "$C" for-each-ref --format='%(refname)' refs/receipts)
case $ref in refs/receipts/20[0-9][0-9][01][0-9][0-3][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-${new:0:12}) ok "ref refs/receipts/<time>-<tip>" ;; *) not_ok "ref refs/receipts/<time>-<tip>" "got $ref" ;; esac
is "$(git -C "$C" cat-file -t "$ref")" tag "a tag object"
is "$(git -C "$C" rev-parse "$ref^{commit}")" "$new" "of main's new tip"
git -C "$C" cat-file tag "$ref" >"$T/tag"
check "tagged by the central repository" grep -q '^tagger Central repository <central@example.org> ' "$T/tag"
check "its message says what it is" grep -q '^casetrail receipt: main received at 20' "$T/tag"
check "the update old -> new of main" grep -qx "Update: $old $new refs/heads/main" "$T/tag"
check "the pusher: the committer, as the commit says" grep -qx "Pusher: ada@example.org (committer of main's new tip)" "$T/tag"
check "the server's time, UTC" grep -q "^Received: $(date -u +%F)T" "$T/tag"
check "signed" grep -q -- '-----BEGIN SSH SIGNATURE-----' "$T/tag"
git -C "$C" config gpg.ssh.allowedSignersFile "$S/registry/allowed_signers"
run git -C "$C" verify-tag "$ref"
expect 0 "git verify-tag accepts it with the store's allowed signers"
err_has 'Good "git" signature for central@example.org' "... as the central repository's"
run store-verify -C "$C" --quiet
expect 0 "store-verify in the central repository: a good receipt"

# a push that authenticates its pusher says so (a forge, an ssh forced
# command: CASETRAIL_PUSHER)
case-event -C "$S" ACT-0001 engaged --date "$today" >/dev/null 2>&1
run env CASETRAIL_PUSHER=jlee git -C "$S" push -q origin main
expect 0 "a plain git push"
ref2=$(git -C "$C" for-each-ref --format='%(refname)' "refs/receipts/*-$(git -C "$C" rev-parse --short=12 main)")
is "$(git -C "$C" for-each-ref --format=x refs/receipts | wc -l)" 2 "... gets its receipt"
check "... naming the pusher the server knows" sh -c "git -C '$C' cat-file tag '$ref2' | grep -qx 'Pusher: jlee (CASETRAIL_PUSHER)'"
err_has "store-verify: receipt $ref2" "the pusher is told"

# only the central repository writes receipts
n=$(git -C "$C" for-each-ref refs/receipts | wc -l)
run git -C "$S" push origin "main:refs/receipts/20990101T000000Z-forged"
expect 1 "a push of a new receipt is refused"
err_has "receipt-refused: receipts are written by the central repository itself" "... as receipt-refused"
run git -C "$S" push origin "+main~1:$ref"
expect 1 "a receipt moved by a push is refused"
run git -C "$S" push origin ":$ref"
expect 1 "a receipt removed by a push is refused"
is "$(git -C "$C" for-each-ref refs/receipts | wc -l)" "$n" "no receipt made, moved or removed"
is "$(git -C "$C" rev-parse "$ref^{commit}")" "$new" "... the first one as it was"

# receipts the central repository's owner makes by hand
forge() { # NAME EMAIL KEY-or-"" : a receipt of main by NAME <EMAIL>
	local msg="casetrail receipt: main received at 2026-01-01 00:00:00Z

Received: 2026-01-01T00:00:00Z
Pusher: nobody
Update: $(git -C "$C" rev-parse main~1) $(git -C "$C" rev-parse main) refs/heads/main"
	if [ -n "$3" ]; then
		git -C "$C" -c user.name="$1" -c user.email="$2" -c gpg.format=ssh \
		    -c user.signingkey="$3" tag -s -m "$msg" "f-$2-$3" main
	else
		git -C "$C" -c user.name="$1" -c user.email="$2" tag -a -m "$msg" "f-$2" main
	fi
}
forge "Central repository" central@example.org ""
git -C "$C" update-ref refs/receipts/20260101T000000Z-unsigned refs/tags/f-central@example.org
forge "Central repository" central@example.org "$K/jo"
git -C "$C" update-ref refs/receipts/20260101T000001Z-jo-key "refs/tags/f-central@example.org-$K/jo"
forge "Jo Lee" jo@example.org "$K/jo"
git -C "$C" update-ref refs/receipts/20260101T000002Z-by-jo "refs/tags/f-jo@example.org-$K/jo"
git -C "$C" update-ref refs/receipts/20260101T000003Z-a-commit main
run store-verify -C "$C" --quiet
expect 1 "store-verify reports forged receipts"
out_has "refs/receipts/20260101T000000Z-unsigned receipt-signature: the receipt is not signed, but the store requires ssh signatures" "an unsigned one"
out_has "refs/receipts/20260101T000001Z-jo-key receipt-signature: the signature is not made by a key registered for <central@example.org>" "one signed with another key"
out_has "refs/receipts/20260101T000002Z-by-jo receipt-signer: the receipt is <jo@example.org>'s, not the receipts signer central's <central@example.org>" "one by another operator"
out_has "refs/receipts/20260101T000003Z-a-commit receipt-bad: not a receipt" "a ref that is no receipt"
is "$(grep -c ' receipt-' "$T/out")" 4 "... and nothing else"
for r in $(git -C "$C" for-each-ref --format='%(refname)' 'refs/receipts/20260101T*'); do
	git -C "$C" update-ref -d "$r"
done
run store-verify -C "$C" --quiet
expect 0 "without them, the central repository verifies"

# a central repository that signs as someone else writes no receipt, and
# says so to the pusher; the push stands
git -C "$C" config user.email jo@example.org
case-event -C "$S" ACT-0001 at-risk --date "$today" >/dev/null 2>&1
run git -C "$S" push -q origin main
expect 0 "the push is taken"
err_has "no receipt was written" "... without a receipt, said"
err_has "receipts are signed by the operator central (casetrail.yaml receipts.signer), <central@example.org>, but this repository's git config user.email is <jo@example.org>" "... saying why"
is "$(git -C "$C" for-each-ref refs/receipts | wc -l)" "$n" "no receipt"
git -C "$C" config user.email central@example.org
clean "$S" "office 1"

done_testing
