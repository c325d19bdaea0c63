#!/usr/bin/env bash
# csp-pack --out writes only a regular file outside the store, or - for
# standard output.  A symbolic link (to a file outside or to a record), a
# directory, a FIFO, a device, a path inside the work tree or the git
# directory (also through a linked directory) are refused with exit 2 and
# a message naming the path: nothing written, nothing committed, no
# temporary file left.  A regular file is replaced through a temporary
# file of its directory.
. "$(dirname "$0")/lib.sh"

S="$T/s"
{
	new_store "$S" VIC &&
	case-new -C "$S" --today 2026-03-01 --cohort sentenced VIC-0001
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }
n0=$(commits "$S")
O="$T/o"
mkdir "$O"
record=$(cat "$S/casetrail.yaml")

# files FILE...: the names in $O, one line
files() { (cd "$O" && ls -A | tr '\n' ' '); }

pack() { csp-pack -C "$S" --today 2026-03-10 --meeting MAP-1 "$@"; }

run pack --out "$O/pack.html" VIC-0001
expect 0 "a new regular file"
check "the pack was written" grep -q '<h1>MAP meeting pack: MAP-1</h1>' "$O/pack.html"
is "$(cat "$T/out")" "" "nothing on standard output"
is "$(files)" "pack.html " "no temporary file left"

echo old >"$O/pack.html"
chmod 0640 "$O/pack.html"
run pack --out "$O/pack.html" VIC-0001
expect 0 "an existing regular file is replaced"
check "with the new pack" grep -q '<h1>MAP meeting pack: MAP-1</h1>' "$O/pack.html"
is "$(files)" "pack.html " "still no temporary file"

(cd "$O" && pack --out rel.html VIC-0001 >/dev/null 2>&1)
check "a relative path, in the current directory" grep -q 'MAP-1' "$O/rel.html"
rm -f "$O/rel.html"

cd "$O" || exit 1
run pack --out - VIC-0001
cd - >/dev/null || exit 1
expect 0 "--out - is standard output"
out_has '<h1>MAP meeting pack: MAP-1</h1>' "the pack on standard output"
check "no file named -" test ! -e "$O/-"

# refused OUT MESSAGE DESC [ARGS...]: exit 2, the message, nothing written
refused() {
	local out=$1 msg=$2 desc=$3 before
	shift 3
	before=$(files)
	run pack --out "$out" "$@" VIC-0001
	expect 2 "$desc"
	err_has "csp-pack: --out: $msg" "$desc: the message names the path"
	is "$(cat "$T/out")" "" "$desc: nothing on standard output"
	is "$(files)" "$before" "$desc: no file made or removed"
	is "$(commits "$S")" "$n0" "$desc: no commit"
	is "$(cat "$S/casetrail.yaml")" "$record" "$desc: the store's record untouched"
	clean "$S" "$desc"
}

echo victim >"$T/victim"
ln -s "$T/victim" "$O/link.html"
refused "$O/link.html" "$O/link.html: is a symbolic link, not a regular file" \
    "a symbolic link to a file outside the store"
is "$(cat "$T/victim")" victim "the link's target untouched"
check "the link is still a link" test -L "$O/link.html"

ln -s "$S/casetrail.yaml" "$O/record.yaml"
refused "$O/record.yaml" "$O/record.yaml: is a symbolic link, not a regular file" \
    "a symbolic link to a record of the store"

ln -s "$T/nowhere" "$O/dangling.html"
refused "$O/dangling.html" "$O/dangling.html: is a symbolic link, not a regular file" \
    "a dangling symbolic link"
check "nothing made where it points" test ! -e "$T/nowhere"

mkdir "$O/dir"
refused "$O/dir" "$O/dir: is a directory, not a regular file" "a directory"
refused "$O/dir/" "$O/dir/: names a directory, not a regular file" \
    "a path ending in a slash"

if mkfifo "$O/fifo" 2>/dev/null; then
	refused "$O/fifo" "$O/fifo: is a FIFO, not a regular file" "a FIFO"
else
	ok "# SKIP mkfifo is not available"
fi

# a device node of our own (making one needs root): never the system's
# /dev/null, which a regression would replace
if mknod "$O/null" c 1 3 2>/dev/null; then
	refused "$O/null" "$O/null: is a device, not a regular file" "a device"
	check "the device is still a device" test -c "$O/null"
else
	ok "# SKIP cannot make a device node"
fi

refused "$S/pack.html" "$S/pack.html: lies inside the store" \
    "a new file in the store's work tree"
check "no file made in the store" test ! -e "$S/pack.html"
refused "$S/casetrail.yaml" "$S/casetrail.yaml: lies inside the store" \
    "a record of the store"
C1="$S/$(shard VIC-0001)/case.yaml"
refused "$C1" "$C1: lies inside the store" "a case record"
refused "$S/.git/pack.html" "$S/.git/pack.html: lies inside the store" \
    "the store's git directory"
check "nothing made in the git directory" test ! -e "$S/.git/pack.html"
ln -s "$S/cases" "$O/cases"
refused "$O/cases/pack.html" "$O/cases/pack.html: lies inside the store" \
    "a directory of the store through a link"
refused "$O/cases/../pack.html" "$O/cases/../pack.html: lies inside the store" \
    "a path that climbs back into the store"

refused "$T/nodir/pack.html" "$T/nodir: No such file or directory" \
    "a directory that does not exist"

# with -C pointing into the store through a link
ln -s "$S" "$T/slink"
run csp-pack -C "$T/slink" --today 2026-03-10 --meeting MAP-1 \
    --out "$S/pack.html" VIC-0001
expect 2 "a store opened through a link"
err_has "lies inside the store" "still recognised as inside the store"

# sharing: a refused --out is found before any check or commit
refused "$S/shared.html" "$S/shared.html: lies inside the store" \
    "--share-with-map to a file in the store" --share-with-map
refused "$S/shared.html" "$S/shared.html: lies inside the store" \
    "a dry run of the sharing to a file in the store" -n --share-with-map
run pack --out - --share-with-map VIC-0001
expect 2 "--share-with-map to standard output"
err_has "--share-with-map needs --out file" "says it needs a file"
is "$(commits "$S")" "$n0" "no commit"

run pack --out "$O/shared.html" --share-with-map VIC-0001
expect 0 "--share-with-map to a regular file outside the store"
check "the shared pack was written" grep -q 'MAP-1' "$O/shared.html"
is "$(commits "$S")" "$((n0 + 1))" "one commit for the case"

rm -rf "$O/dir" "$O/fifo" "$O/null" "$O"/*.html "$O/record.yaml" "$O/cases"
is "$(files)" "" "no temporary file was ever left behind"
clean "$S" "csp-pack --out"
done_testing
