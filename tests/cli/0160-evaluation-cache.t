#!/usr/bin/env bash
# deadline-check's evaluation cache (deadline-check(1), "The evaluation
# cache"): a second run reuses it, a changed case is evaluated again, a
# change of the rules, a calendar or the settings evaluates everything,
# and whatever happens to the cache (deleted, damaged, not writable,
# bypassed), on whatever day and snapshot, the output is the output
# without it.
. "$(dirname "$0")/lib.sh"

: "${CT_BENCH:?CT_BENCH must name the directory of gen-store}"
S="$T/g"
C="$S/.git/casetrail/cache"
"$CT_BENCH/gen-store" --seed 11 --history 2 300 "$S" 2>/dev/null
registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org \
    --role administrator,case-manager >/dev/null 2>&1
# a remandee received on Mon 30 Mar 2026: engagement due Wed 8 Apr (5
# business days over Easter), within the 2-day warning from Mon 6 Apr
case-new -C "$S" --today 2026-03-02 --cohort remandee ACT-900001 >/dev/null 2>&1
case-event -C "$S" ACT-900001 reception --date 2026-03-30 >/dev/null 2>&1
ncases=$(git -C "$S" ls-tree -r --name-only HEAD | grep -c '/case.yaml$')
n=$(commits "$S")
DAY=2026-04-07
made=4        # the commits this test makes: a change, rules, calendar, settings

# same ARGS... DESC: deadline-check ARGS with the cache (its --stats line
# in $stats) gives the output of deadline-check ARGS --no-cache
same() {
	local desc=${*: -1}
	set -- "${@:1:$#-1}"
	deadline-check -C "$S" "$@" --no-cache >"$T/want" 2>"$T/want.err"
	run deadline-check -C "$S" "$@" --stats
	stats=$(grep 'cases from cache' "$T/err")
	if cmp -s "$T/out" "$T/want"; then ok "$desc: the output without the cache"
	else not_ok "$desc: the output without the cache" \
	    "$(diff "$T/want" "$T/out" | head -5)"; fi
}

all=(--today $DAY --status all --format json)
same "${all[@]}" "first run"
expect 0 "first run"
is "$stats" "deadline-check: 0 cases from cache, $ncases evaluated" "first run evaluates every case"
check "the cache is written under the git directory" test -d "$C"
is "$(git -C "$S" status --porcelain)" "" "the cache is not in the work tree"
same "${all[@]}" "second run"
is "$stats" "deadline-check: $ncases cases from cache, 0 evaluated" "second run: every case from the cache"
same --today $DAY --explain "text with --explain"
same --today $DAY --format csv --explain "csv"
same --today $DAY --format ics "ics"

# one case changed
case-event -C "$S" ACT-000002 engaged --date 2026-04-01 >/dev/null 2>&1
same "${all[@]}" "one case changed"
is "$stats" "deadline-check: $((ncases - 1)) cases from cache, 1 evaluated" "only the changed case is evaluated"

# the day boundaries of ACT-900001: upcoming, due on the 6th, overdue
# after the 8th; every day as without the cache
statuses=""
for d in 01 02 03 05 06 07 08 09 10 14; do
	same --today 2026-04-$d --status all --format csv "2026-04-$d"
	statuses="$statuses $(grep '^ACT-900001,ACT-REMAND-ENGAGE,' "$T/out" | cut -d, -f7)"
done
is "$statuses" " upcoming upcoming upcoming upcoming due due due overdue overdue overdue" \
    "ACT-900001 goes from upcoming to due to overdue"
same --today 2026-04-14 --status all --format csv "the last day again"
is "$stats" "deadline-check: $ncases cases from cache, 0 evaluated" "the same day again: every case from the cache"
same --today 2026-04-15 --status all --format csv "the next day"
check "the next day: most cases from the cache" test "${stats#deadline-check: }" != "${stats#deadline-check: 0 }"

# rules, calendars and settings are part of the key
same "${all[@]}" "warm"
sed -i 's/^    warn_days: 2$/    warn_days: 3/' "$S/rules/deadlines.yaml"
git -C "$S" commit -qam "rules: warn 3 days ahead"
same "${all[@]}" "rules changed"
is "$stats" "deadline-check: 0 cases from cache, $ncases evaluated" "a rules change evaluates every case"
mkdir -p "$S/calendars"
printf 'jurisdiction: ACT\nadd:\n  - date: "2026-04-07"\n    name: A day off\n    source: a test\n' >"$S/calendars/ACT.yaml"
git -C "$S" add calendars && git -C "$S" commit -qm "calendar: a day off"
same "${all[@]}" "calendar changed"
is "$stats" "deadline-check: 0 cases from cache, $ncases evaluated" "a calendar change evaluates every case"
printf '# a comment\n' >>"$S/casetrail.yaml"
git -C "$S" commit -qam "settings: a comment"
same "${all[@]}" "settings changed"
is "$stats" "deadline-check: 0 cases from cache, $ncases evaluated" "a settings change evaluates every case"

# --as-of: another snapshot; the entries of the rules before the change
# are still there, beside those of the rules now
same --as-of HEAD~3 --today $DAY --status all --format json "--as-of"
is "$stats" "deadline-check: $ncases cases from cache, 0 evaluated" "--as-of the old rules: their entries kept"
same --as-of HEAD~4 --today $DAY --status all --format json "--as-of an older commit"
is "$stats" "deadline-check: $ncases cases from cache, 0 evaluated" "--as-of before a case changed: its old version's entry kept"
same "${all[@]}" "HEAD after --as-of"
is "$stats" "deadline-check: $ncases cases from cache, 0 evaluated" "--as-of kept HEAD's entries"

# deleted
rm -rf "$C"
same "${all[@]}" "cache deleted"
is "$stats" "deadline-check: 0 cases from cache, $ncases evaluated" "deleted: every case evaluated"

# damaged files: not trusted, not fatal, replaced
f1=$(ls "$C" | sed -n 1p) f2=$(ls "$C" | sed -n 2p) f3=$(ls "$C" | sed -n 3p)
head -c 2000 /dev/urandom >"$C/$f1"
truncate -s 50 "$C/$f2"
printf 'X' | dd of="$C/$f3" bs=1 seek=300 conv=notrunc 2>/dev/null
same "${all[@]}" "damaged cache files"
expect 0 "damaged cache files: not fatal"
inshards=$(git -C "$S" ls-tree -r --name-only HEAD "cases/$f1" "cases/$f2" "cases/$f3" | grep -c '/case.yaml$')
is "$stats" "deadline-check: $((ncases - inshards)) cases from cache, $inshards evaluated" "the damaged shards' cases are evaluated"
same "${all[@]}" "after the damage"
is "$stats" "deadline-check: $ncases cases from cache, 0 evaluated" "the damaged files were replaced"

# --no-cache neither reads nor writes
rm -rf "$C"
run deadline-check -C "$S" "${all[@]}" --no-cache --stats
err_has "0 cases from cache, $ncases evaluated" "--no-cache evaluates every case"
check "--no-cache writes no cache" test ! -e "$C"

# a cache that can not be written: a file where its directory would be
rm -rf "$S/.git/casetrail"
: >"$S/.git/casetrail"
same "${all[@]}" "cache directory not writable"
expect 0 "cache directory not writable: not fatal"
check "nothing said about the cache" test "$(grep -vc 'cases from cache' "$T/err")" -eq 0
rm -f "$S/.git/casetrail"

# a read-only store (as a user other than root, whom modes do not stop)
if [ "$(id -u)" -ne 0 ]; then
	deadline-check -C "$S" "${all[@]}" >/dev/null 2>&1
	case-event -C "$S" ACT-000004 engaged --date 2026-04-02 >/dev/null 2>&1
	chmod -R a-w "$S/.git"
	same "${all[@]}" "read-only store"
	is "$stats" "deadline-check: $((ncases - 1)) cases from cache, 1 evaluated" "read-only: the cache is read"
	chmod -R u+w "$S/.git"
	made=$((made + 1))
else
	ok "# SKIP read-only store: running as root"
	ok "# SKIP read-only store: running as root"
fi

# csp-pack reads the same cache
vic=$(git -C "$S" ls-tree -r --name-only HEAD | sed -n 's,^cases/[^/]*/\(VIC-[0-9]*\)/case.yaml$,\1,p' | head -2)
csp-pack -C "$S" --today $DAY --meeting M1 --no-cache $vic >"$T/want" 2>/dev/null
run csp-pack -C "$S" --today $DAY --meeting M1 $vic
expect 0 "csp-pack with the cache"
check "csp-pack: the pack without the cache" cmp -s "$T/out" "$T/want"
run csp-pack -C "$S" --today $DAY --meeting M1 $vic
check "csp-pack again: the same pack" cmp -s "$T/out" "$T/want"

is "$(commits "$S")" "$((n + made))" "the runs made no commit"
clean "$S" "at the end"
done_testing
