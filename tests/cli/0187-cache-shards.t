#!/usr/bin/env bash
# The evaluation cache lists each shard's case directories: a warm run
# takes an unchanged shard's cases from the list without reading the
# shard's tree or the cases' trees; cases added to, removed from or
# misplaced in a shard, a damaged list and a read-only run give the
# output (and the warnings and exit status) of a run without the cache.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
sh() { printf %s "$1" | git hash-object --stdin | cut -c1-2; }
# two ids in one shard, found by trying
a=ACT-0001
b=""
for i in $(seq 2 400); do
	id=$(printf 'ACT-%04d' "$i")
	if [ "$(sh "$id")" = "$(sh "$a")" ]; then b=$id; break; fi
done
[ -n "$b" ] || { echo "Bail out! no two ids in one shard"; exit 1; }
{
	case-new -C "$S" --today 2026-03-01 --cohort remandee "$a" ACT-0500 ACT-0501 &&
	case-event -C "$S" "$a" reception --date 2026-03-30 &&
	case-event -C "$S" ACT-0500 reception --date 2026-03-27
} >/dev/null 2>&1 || { echo "Bail out! cannot fill the store"; exit 1; }
args=(--today 2026-04-07 --status all --format json)

# same DESC: the output, warnings and exit status with the cache are
# those without it
same() {
	deadline-check -C "$S" "${args[@]}" --no-cache >"$T/want" 2>"$T/want.err"
	wrc=$?
	run deadline-check -C "$S" "${args[@]}" --stats
	grep -v 'cases from cache' "$T/err" >"$T/got.err"
	stats=$(grep 'cases from cache' "$T/err")
	if cmp -s "$T/out" "$T/want" && cmp -s "$T/got.err" "$T/want.err" &&
	    [ "$rc" -eq "$wrc" ]; then ok "$1: as without the cache"
	else not_ok "$1: as without the cache" "exit $rc, wanted $wrc" \
	    "$(diff "$T/want" "$T/out" | head -5)" \
	    "$(diff "$T/want.err" "$T/got.err" | head -5)"; fi
}

same "the first run"
is "$stats" "deadline-check: 0 cases from cache, 3 evaluated" "every case evaluated"
same "the second run"
is "$stats" "deadline-check: 3 cases from cache, 0 evaluated" "every case from the cache"
cp "$T/out" "$T/warm"

# --- the trees of an unchanged shard are not read: take them away
obj() { printf '%s/.git/objects/%s/%s' "$S" "$(printf %s "$1" | cut -c1-2)" "$(printf %s "$1" | cut -c3-)"; }
st=$(git -C "$S" rev-parse "HEAD:cases/$(sh ACT-0501)")
ct=$(git -C "$S" rev-parse "HEAD:$(shard ACT-0501)")
mkdir -p "$T/kept"
check "the shard's and the case's trees are loose objects" test -f "$(obj "$st")" -a -f "$(obj "$ct")"
mv "$(obj "$st")" "$T/kept/shard"
mv "$(obj "$ct")" "$T/kept/case"
run deadline-check -C "$S" "${args[@]}" --no-cache
expect 2 "without the cache, the missing trees are an error"
run deadline-check -C "$S" "${args[@]}" --stats
expect 0 "with the cache, the shard's cases come from its list"
check "the same output as before" cmp -s "$T/out" "$T/warm"
mv "$T/kept/shard" "$(obj "$st")"
mv "$T/kept/case" "$(obj "$ct")"

# --- a case added to a listed shard, then removed by hand
case-new -C "$S" --today 2026-03-01 --cohort remandee "$b" >/dev/null 2>&1
case-event -C "$S" "$b" reception --date 2026-03-31 >/dev/null 2>&1
same "a case added to a shard"
is "$stats" "deadline-check: 3 cases from cache, 1 evaluated" "only the new case is evaluated"
check "it is in the output" grep -q "\"case\": \"$b\"" "$T/out"
same "the next run"
is "$stats" "deadline-check: 4 cases from cache, 0 evaluated" "all from the cache"
git -C "$S" rm -q -r "$(shard "$b")"
git -C "$S" commit -q -m "drop $b by hand"
same "a case removed from a shard"
check "it is gone from the output" test "$(grep -c "\"case\": \"$b\"" "$T/out")" -eq 0
same "the next run, after the removal"

# --- a misplaced directory in a listed shard: reported on every run
D="$S/cases/$(sh "$a")/bad$(printf '\t')name"
mkdir -p "$D"
printf 'id: x\n' >"$D/case.yaml"
git -C "$S" add -A && git -C "$S" commit -q -m "a bad directory by hand"
same "a misplaced directory"
expect 2 "it is an error"
err_has "cases/$(sh "$a")/bad" "it is named"
same "the next run reports it again"
expect 2 "still an error"
git -C "$S" rm -q -r "cases/$(sh "$a")/bad	name"
git -C "$S" commit -q -m "remove it"
same "the misplaced directory removed"
expect 0 "no error"

# --- damaged shard files: the output stands
for f in "$S/.git/casetrail/cache/"*; do
	head -c 60 "$f" >"$f.t" && mv "$f.t" "$f"
done
same "every cache file cut short"
is "$stats" "deadline-check: 0 cases from cache, 3 evaluated" "every case evaluated again"
same "and after"
is "$stats" "deadline-check: 3 cases from cache, 0 evaluated" "from the cache again"

# --- a store whose cache can not be written (a file where its directory
# would be)
rm -rf "$S/.git/casetrail/cache"
: >"$S/.git/casetrail/cache"
same "a cache that can not be written"
is "$stats" "deadline-check: 0 cases from cache, 3 evaluated" "evaluated, nothing cached"
rm -f "$S/.git/casetrail/cache"
clean "$S" "at the end"

echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
