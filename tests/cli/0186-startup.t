#!/usr/bin/env bash
# Start-up: a tool reading a local store loads no TLS certificates (the
# tools never use libgit2's network transports), and --help opens no
# store at all; the tools still read, write and sync as before.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-03-01 --cohort sentenced ACT-0042 >/dev/null 2>&1 ||
    { echo "Bail out! cannot fill the store"; exit 1; }

# st CMD...: strace CMD; LeakSanitizer (the sanitizer build) can not run
# under ptrace, so only there it is off
st() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"; }
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
	st -f -e trace=open,openat,stat,newfstatat,statx -o "$T/trace" \
	    case-show -C "$S" ACT-0042 >"$T/out" 2>"$T/err"
	rc=$?
	expect 0 "case-show under strace"
	out_has "ACT-0042" "it shows the case"
	check "the store was read (the trace sees its files)" grep -q "$S/.git" "$T/trace"
	is "$(grep -E '^[0-9]+ +open' "$T/trace" | grep -c -e '/etc/ssl' -e 'ca-certificates' -e '\.crt"')" "0" \
	    "no certificate file is opened (libgit2 still looks whether there is one)"
	st -f -e trace=open,openat -o "$T/trace" deadline-check -C "$S" \
	    --today 2026-03-02 >/dev/null 2>&1
	is "$(grep -c -e '/etc/ssl' -e 'ca-certificates' "$T/trace")" "0" \
	    "deadline-check neither"
	st -f -e trace=open,openat -o "$T/trace" case-show --help >/dev/null 2>&1
	is "$(grep -c -e '/etc/ssl' -e "$S" -e 'gitconfig' "$T/trace")" "0" \
	    "--help reads no certificate, store or git configuration"
else
	for i in 1 2 3 4 5 6; do ok "# SKIP strace is not usable here"; done
fi

# the tools work as before: a write, a read, a verify
run case-event -C "$S" ACT-0042 sentence-commenced --date 2026-03-02
expect 0 "a write"
run deadline-check -C "$S" --today 2026-03-03 --case ACT-0042
check "a read" test "$rc" -le 1
run store-verify -C "$S" -q
expect 0 "a verify"
clean "$S" "at the end"

echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
