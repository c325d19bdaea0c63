#!/usr/bin/env bash
# The plan schema (schemas/csp.schema.json) on the record fixtures of
# tests/fixtures/csp/schema/, by Python's jsonschema: it must give each
# record the verdict of its directory, as lib/core/schema.c does in
# tests/unit/test_csp.c, so the two validators agree on the CSP schema.
. "$(dirname "$0")/lib.sh"

: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source tree}"
FIX="${CT_FIXTURES:-$(dirname "$0")/../fixtures}/csp"

mkdir -p "$T/sets"
ln -s "$FIX/schema" "$T/sets/csp"
python3 "$CT_SOURCE_DIR/tests/schema_crosscheck.py" "$CT_SOURCE_DIR/schemas" "$T/sets" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "1..0 # SKIP $(grep -o 'python module missing.*' "$T/out")"
	exit 0
fi
n=$(grep -c '^ok ' "$T/out")
expect 0 "jsonschema agrees on every CSP fixture"
if [ "$n" -ge 11 ]; then ok "$n fixtures checked"; else not_ok "at least 11 fixtures checked" "$(cat "$T/out")"; fi
done_testing
