#!/usr/bin/env bash
# Case bundles (case-bundle(1)): one case's history as raw git objects,
# verified offline in a fresh directory with the store deleted; a bundle
# with one blob changed, one signature removed or one commit dropped is
# refused, each with its own message.  Other cases appear only as names
# and ids in the shard's tree: their commits and records are not there.
. "$(dirname "$0")/lib.sh"

ssh_keys ada
S="$T/s"
{
	signing_store "$S" &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0099 &&
	case-event -C "$S" --today 2026-03-03 VIC-0007 order-made --order supervision --date 2026-03-03 &&
	case-event -C "$S" --today 2026-03-03 VIC-0099 order-made --order supervision --date 2026-03-02 &&
	store-checkpoint -C "$S" -m nightly &&
	disclose-log -C "$S" add VIC-0007 --to djcs --purpose csp --info "CSP summary" --date 2026-03-04
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! cannot make the store: $(head -3 "$T/setup.err")"; exit 1; }
# three more checkpoints after the last commit (one a second)
for i in 1 2 3; do
	sleep 1
	store-checkpoint -C "$S" -m "nightly $i" >/dev/null 2>&1 || echo "Bail out! store-checkpoint"
done
n=$(commits "$S")

run case-bundle -C "$S" VIC-0007 -o "$T/b"
expect 0 "case-bundle writes the bundle"
err_has "case VIC-0007, 3 commits, 3 checkpoints," "... of the case's three commits and three checkpoints"
is "$(commits "$S")" "$n" "... and commits nothing"
err_has "not recorded as a disclosure: for anyone outside your agency, name its --recipient and --purpose" "... saying it is no disclosure"
clean "$S" "case-bundle"
is "$(head -1 "$T/b")" "casetrail-bundle 1" "the file says what it is"
sed '/^objects /q' "$T/b" >"$T/head"
is "$(grep -c '^commit ' "$T/head")" "3" "it lists the three commits"
is "$(grep -c '^checkpoint ' "$T/head")" "3" "... and the checkpoints: the first to hold each commit and the last"
check "... not the second after the last commit" sh -c "! grep -aq 'nightly 2' '$T/b'"
check "... but the one before and the one after it" sh -c "grep -aq 'nightly 1' '$T/b' && grep -aq 'nightly 3' '$T/b'"
check "the other case's commits are not in it" sh -c "! grep -aq 'VIC-0099 order-made' '$T/b'"
check "... nor its records" sh -c "! grep -aq 'id: VIC-0099' '$T/b'"
run case-bundle -C "$S" VIC-0404 -o "$T/none"
expect 2 "a case that does not exist"
check "... writes no file" test ! -e "$T/none"

# offline: a fresh directory, no store, no git identity
F="$T/fresh"
mkdir -p "$F/home"
cp "$T/b" "$F/VIC-0007.bundle"
rm -rf "$S"
(cd "$F" && HOME="$F/home" case-bundle --verify VIC-0007.bundle) >"$T/out" 2>"$T/err"
rc=$?
expect 0 "--verify with the store deleted: valid"
out_has "case VIC-0007 (cases/" "names the case"
out_has "Ada Admin <ada@example.org>" "prints the history: the author"
out_has "case-new: VIC-0007 case created (post-sentence)" "... the subjects"
out_has "case-event: VIC-0007 order-made on 2026-03-03" "... each commit"
out_has "added    disclosures/20260304T000000Z-1.yaml" "... and what changed"
out_has "events[0].type: (none) -> order-made" "... field by field"
out_has "checkpoint by <ada@example.org>" "the checkpoints' signatures check out"
is "$(grep -c '^checkpoint by' "$T/out")" "3" "... all three"
out_has "valid:" "says it is valid"
is "$(ls -A "$F" | tr '\n' ' ')" "VIC-0007.bundle home " "... and leaves nothing behind"

# tampering: each changed bundle is refused with its own message
cat >"$T/tamper.py" <<'PY'
import hashlib, re, sys
import bundlefile
how, src, dst = sys.argv[1:4]
lines, objs, rest = bundlefile.read(src)
commits = [l.split(b" ")[1] for l in lines if l.startswith(b"commit ")]
def oid(t, body):
    return hashlib.sha1(t + b" %d\0" % len(body) + body).hexdigest().encode()
if how == "blob":
    # change one record in place, its id kept
    o = next(o for o in objs if o[0] == b"blob" and b"order-made" in o[2])
    o[2] = o[2].replace(b"supervision", b"detention")
elif how == "unsign":
    # remove the second commit's signature and give it its new id
    o = next(o for o in objs if o[1] == commits[1])
    o[2] = re.sub(rb"gpgsig [^\n]*\n( [^\n]*\n)*", b"", o[2])
    new = oid(b"commit", o[2])
    lines = [l.replace(o[1], new) for l in lines]
    o[1] = new
elif how == "drop":
    # drop the second commit: its object and its line
    objs = [o for o in objs if o[1] != commits[1]]
    lines = [l for l in lines if not l.startswith(b"commit " + commits[1])]
bundlefile.write(dst, lines, objs, rest)
PY
for how in blob unsign drop; do
	PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$CT_SOURCE_DIR/tests/cli" \
	    python3 "$T/tamper.py" "$how" "$T/b" "$F/$how.bundle" || not_ok "tamper $how"
done
(cd "$F" && HOME="$F/home" case-bundle --verify blob.bundle) >"$T/out" 2>"$T/err"
rc=$?
expect 1 "a changed blob is refused"
out_has "object-changed: the blob's content does not hash to its id" "... the object named"
out_has "object-missing: cases/" "... and the record it was"
is "$(grep -c object-missing "$T/out")" "1" "... once, by the first commit that holds it"
err_has "blob.bundle: 2 problems found: the bundle is not valid" "... not valid"
(cd "$F" && HOME="$F/home" case-bundle --verify unsign.bundle) >"$T/out" 2>"$T/err"
rc=$?
expect 1 "a commit whose signature was removed is refused"
out_has "unsigned: the commit is not signed, but the store requires ssh signatures: its signature was removed" "... saying so"
(cd "$F" && HOME="$F/home" case-bundle --verify drop.bundle) >"$T/out" 2>"$T/err"
rc=$?
expect 1 "a bundle with a commit dropped is refused"
out_has "history-gap: the case directory before this commit is that of no earlier commit of the bundle: a commit of the case is missing" "... a commit is missing"
check "... named by the commit after it" grep -q "^$(grep '^commit ' "$T/head" | sed -n 3p | cut -c8-19) history-gap" "$T/out"
printf 'casetrail-bundle 1\ncase VIC-0007\n' >"$F/cut.bundle"
(cd "$F" && HOME="$F/home" case-bundle --verify cut.bundle) >"$T/out" 2>"$T/err"
rc=$?
expect 2 "a truncated file is an error"
err_has "not a casetrail bundle" "... saying so"
head -c $(($(wc -c <"$T/b") - 20)) "$T/b" >"$F/cut2.bundle"
(cd "$F" && HOME="$F/home" case-bundle --verify cut2.bundle) >"$T/out" 2>"$T/err"
rc=$?
expect 2 "a bundle cut in its objects is an error"
err_has "the file is truncated" "... saying so"
run case-bundle --verify "$F/none.bundle"
expect 2 "a bundle that does not exist"

done_testing
