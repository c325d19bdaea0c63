#!/usr/bin/env bash
# An object whose bytes do not match its id (a record's blob rewritten in
# place, as disk damage or a hand at .git/objects would leave it): every
# tool that writes or verifies refuses it, the store unchanged (csp-pack
# too when it shares the pack); the reporting tools (deadline-check,
# csp-pack making a pack) read objects as git reads them, without
# hashing each again (docs/decisions.md, "Reading objects"), and git
# fsck and store-verify --all name the damage.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{ case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 &&
    case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-01; } >/dev/null 2>&1 ||
    { echo "Bail out! cannot fill the store"; exit 1; }
p="$(shard ACT-0042)/case.yaml"
id=$(git -C "$S" rev-parse "HEAD:$p")

# forge STORE ID FILE: FILE's bytes stored as the loose object ID
forge() {
	local loose="$1/.git/objects/${2:0:2}/${2:2}"
	[ -f "$loose" ] || { echo "Bail out! $2 is not a loose object"; exit 1; }
	chmod u+w "$loose"
	python3 - "$3" "$loose" <<'PY'
import sys, zlib
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(zlib.compress(b"blob %d\0" % len(data) + data))
PY
}

run deadline-check -C "$S" --today 2026-03-02 --format csv --status all
check "deadline-check reads the store before the damage" test "$rc" -le 1
cp "$T/out" "$T/before.csv"

# the same record with another sentence date, stored under the old id
git -C "$S" show "HEAD:$p" | sed 's/2026-03-01/2025-03-01/' >"$T/forged"
check "the forged record differs" sh -c "! git -C '$S' show 'HEAD:$p' | cmp -s - '$T/forged'"
forge "$S" "$id" "$T/forged"
head0=$(git -C "$S" rev-parse HEAD)

run case-event -C "$S" ACT-0042 engaged --date 2026-03-02
check "a write to the case refuses it" test "$rc" -ne 0
err_has "$id" "and names the object"
is "$(git -C "$S" rev-parse HEAD)" "$head0" "nothing is committed"

run store-verify -C "$S" --all -q
check "store-verify --all refuses it" test "$rc" -ne 0
check "and names the object" grep -q "${id:0:12}" "$T/out" "$T/err"

run git -C "$S" fsck --strict
check "git fsck names it too" grep -q "$id" "$T/out" "$T/err"

run deadline-check -C "$S" --today 2026-03-02 --format csv --status all --no-cache
check "deadline-check answers, reading the object as git does" test "$rc" -le 1
check "its report is read from the object's bytes" sh -c "! cmp -s '$T/out' '$T/before.csv'"

# csp-pack: a pack only reads; sharing it with the MAP writes the s 284
# register, so it checks what it reads
V="$T/v"
{
	new_store "$V" VIC &&
	case-new -C "$V" --today 2026-03-01 --cohort post-sentence VIC-0007 &&
	case-event -C "$V" VIC-0007 order-made --date 2026-03-02 --order supervision &&
	csp-new -C "$V" --today 2026-03-10 \
	    -f "$CT_FIXTURES/csp/plan-djcs-dffh.yaml" VIC-0007 &&
	csp-endorse -C "$V" --today 2026-03-20 --meeting M --date 2026-03-20 \
	    --agency djcs,dffh VIC-0007
} >/dev/null 2>&1 || { echo "Bail out! cannot make the VIC store"; exit 1; }
p="$(shard VIC-0007)/case.yaml"
id=$(git -C "$V" rev-parse "HEAD:$p")
git -C "$V" show "HEAD:$p" | sed 's/2026-03-02/2025-03-02/' >"$T/forged"
forge "$V" "$id" "$T/forged"
head0=$(git -C "$V" rev-parse HEAD)
run csp-pack -C "$V" --today 2026-04-01 --meeting M --out "$T/p.html" VIC-0007
expect 0 "csp-pack makes a pack, reading the object as git does"
run csp-pack -C "$V" --today 2026-04-01 --meeting M --out "$T/p2.html" \
    -m "before the meeting" --share-with-map VIC-0007
check "csp-pack --share-with-map refuses it" test "$rc" -ne 0
err_has "$id" "and names the object"
is "$(git -C "$V" rev-parse HEAD)" "$head0" "nothing is committed"

echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
