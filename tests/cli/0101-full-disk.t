#!/usr/bin/env bash
# A full disk and a read-only store: the writers of
# tests/reliability/writers.sh on a store in a small tmpfs filled up (to
# nothing left, and to a few KiB), and on a read-only bind mount of a
# store.  Each write either commits or fails with exit 2 and a message
# that says why; HEAD stays a complete commit, git fsck stays clean, and
# once there is room again the next write succeeds and the work tree is
# in sync.  Needs root and a private mount namespace (unshare -m);
# skipped, saying why, when either is missing.
if [ -z "${CT_MOUNT_NS:-}" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root to mount a tmpfs and a read-only bind mount"
		exit 77
	fi
	if ! why=$(unshare -m --propagation private true 2>&1); then
		echo "1..0 # SKIP cannot make a private mount namespace: ${why:-unshare -m failed}"
		exit 77
	fi
	CT_MOUNT_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../reliability/writers.sh"
set -- $REL_WRITERS
kinds=("$@")

M="$T/full"
mkdir -p "$M"
if ! why=$(mount -t tmpfs -o size=8m,mode=0755 tmpfs "$M" 2>&1); then
	echo "1..0 # SKIP cannot mount a tmpfs: $why"
	exit 77
fi
trap 'umount -l "$M" "$T/ro" 2>/dev/null; rm -rf "$T"' EXIT

RS="$M/s"
rel_store "$RS" || { echo "Bail out! cannot make a store on the tmpfs"; exit 1; }
seq=0
fill() {   # leave about $1 bytes free
	rm -f "$M/fill"
	dd if=/dev/zero of="$M/fill" bs=4096 2>/dev/null
	[ "$1" -gt 0 ] && truncate -s "-$1" "$M/fill"
	sync
}

# full: every write fails with exit 2, says so, and commits nothing
fill 0
for k in "${kinds[@]}"; do
	seq=$((seq + 1))
	head=$(git -C "$RS" rev-parse HEAD)
	rel_cmd "$k" $((seq % 8)) "$seq" "rel-2-$seq"
	run "${REL_CMD[@]}"
	expect 2 "$k on a full disk"
	echo "# $(tail -1 "$T/err")"
	err_has "No space left on device" "$k: says the disk is full"
	is "$(git -C "$RS" rev-parse HEAD)" "$head" "$k: nothing committed"
done
check "git fsck --strict clean on the full disk" git -C "$RS" fsck --strict --no-progress --no-dangling

# nearly full: a write commits or fails cleanly, wherever the room ends
: >"$T/ok"
bad=0 committed=0 failed=0
for left in 1024 4096 8192 16384 32768 65536 131072; do
	fill "$left"
	for k in "${kinds[@]}"; do
		seq=$((seq + 1))
		head=$(git -C "$RS" rev-parse HEAD)
		rel_cmd "$k" $((seq % 8)) "$seq" "rel-2-$seq"
		run "${REL_CMD[@]}"
		if [ "$rc" -eq 0 ]; then
			committed=$((committed + 1))
			echo "rel-2-$seq" >>"$T/ok"
		elif [ "$rc" -eq 2 ] && grep -q 'No space left on device' "$T/err" &&
		    [ "$(git -C "$RS" rev-parse HEAD)" = "$head" ]; then
			failed=$((failed + 1))
		else
			bad=$((bad + 1))
			not_ok "$k with $left bytes free: commits, or exit 2 saying the disk is full" "exit $rc"
		fi
		git -C "$RS" fsck --strict --no-progress --no-dangling >/dev/null 2>&1 ||
		    { bad=$((bad + 1)); not_ok "git fsck after $k with $left bytes free"; }
	done
done
echo "# nearly full: $committed writes committed, $failed failed cleanly"
is "$bad" 0 "with 1 to 128 KiB free every write committed or failed cleanly"
rm -f "$M/fill"
seq=$((seq + 1))
run rel_write case_event 0 "$seq" "rel-2-$seq"
expect 0 "with room again, the next write succeeds"
echo "rel-2-$seq" >>"$T/ok"
clean "$RS" "with room again, after the next write"
rel_tags "$RS" | sort >"$T/history"
is "$(sort "$T/ok" | comm -23 - "$T/history" | wc -l)" 0 "every write that succeeded is in the history"
is "$(uniq -d "$T/history" | wc -l)" 0 "none twice"
check "store-verify accepts the history" store-verify -C "$RS" -q

# read-only: a bind mount of the store, remounted read-only
mkdir -p "$T/ro"
if mount --bind "$RS" "$T/ro" && mount -o remount,bind,ro "$T/ro"; then
	head=$(git -C "$RS" rev-parse HEAD)
	for k in "${kinds[@]}"; do
		seq=$((seq + 1))
		RS="$T/ro" rel_cmd "$k" $((seq % 8)) "$seq" "rel-2-$seq"
		run "${REL_CMD[@]}"
		expect 2 "$k on a read-only store"
		echo "# $(tail -1 "$T/err")"
		err_has "Read-only file system" "$k: says the store is read-only"
	done
	is "$(git -C "$RS" rev-parse HEAD)" "$head" "nothing committed"
	run case-show -C "$T/ro" A0
	expect 0 "case-show reads the read-only store"
	run deadline-check -C "$T/ro" --today 2026-08-10
	check "deadline-check reads the read-only store (exit $rc)" test "$rc" -le 1
	umount "$T/ro"
	check "git fsck --strict clean" git -C "$RS" fsck --strict --no-progress --no-dangling
	clean "$RS" "after the read-only store"
else
	not_ok "a read-only bind mount of the store"
fi

done_testing
