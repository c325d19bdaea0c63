#!/usr/bin/env bash
# An object whose bytes do not match its id (a record's blob rewritten in
# place, as disk damage or a hand at .git/objects would leave it): every
# tool that writes or verifies refuses it, the store unchanged; the
# reporting tools (deadline-check, csp-pack) read objects as git reads
# them, without hashing each again (docs/decisions.md, "Reading
# objects"), and git fsck and store-verify --all name the damage.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{ case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 &&
    case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-01; } >/dev/null 2>&1 ||
    { echo "Bail out! cannot fill the store"; exit 1; }
p="$(shard ACT-0042)/case.yaml"
id=$(git -C "$S" rev-parse "HEAD:$p")
loose="$S/.git/objects/${id:0:2}/${id:2}"
[ -f "$loose" ] || { echo "Bail out! the record's blob is not a loose object"; exit 1; }

run deadline-check -C "$S" --today 2026-03-02 --format csv --status all
check "deadline-check reads the store before the damage" test "$rc" -le 1
cp "$T/out" "$T/before.csv"

# the same record with another sentence date, stored under the old id
git -C "$S" show "HEAD:$p" | sed 's/2026-03-01/2025-03-01/' >"$T/forged"
check "the forged record differs" sh -c "! git -C '$S' show 'HEAD:$p' | cmp -s - '$T/forged'"
chmod u+w "$loose"
python3 - "$T/forged" "$loose" <<'PY'
import sys, zlib
data = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(zlib.compress(b"blob %d\0" % len(data) + data))
PY
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

echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
