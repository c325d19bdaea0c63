#!/usr/bin/env bash
# Man pages: every tool built has man/man1/<tool>.1; the page lints clean;
# the long options of its SYNOPSIS and OPTIONS are exactly those --help
# prints; -C is documented; casetrail(7) lists the tool and refers to its
# page.  casetrail-records(5) and casetrail(7) lint clean too.  Every
# page's NAME line (.Nd) names casetrail, so that man -k casetrail (apropos)
# finds every page.
. "$(dirname "$0")/lib.sh"

: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source tree}"
MAN1="$CT_SOURCE_DIR/man/man1"
MAN7="$CT_SOURCE_DIR/man/man7/casetrail.7"

# lint PAGE: print the linter's complaints (nothing when clean); return 3
# when no linter is installed.
#
# mandoc: "referenced manual not found" and "outdated mandoc.db" depend on
# which pages the machine has installed, not on the page; everything else
# counts, the order of the sections too.
lint() {
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint "$1" 2>&1 | grep -v \
		    -e 'referenced manual not found' \
		    -e 'outdated mandoc.db'
		return 0
	fi
	if command -v groff >/dev/null 2>&1; then
		groff -mandoc -z -ww "$1" 2>&1
		return 0
	fi
	if command -v man >/dev/null 2>&1; then
		man --warnings -l "$1" 2>&1 >/dev/null
		return 0
	fi
	return 3
}

# sections PAGE NAME...: the lines of the page's sections NAME...
sections() {
	local page=$1
	shift
	awk -v want="$(IFS='|'; echo "$*")" '
		/^\.Sh / { sec = substr($0, 5); next }
		sec ~ ("^(" want ")$") { print }' "$page"
}

# long options marked up as flags (".Fl -name", "Op Fl -name", ...)
page_longopts() {
	sections "$1" SYNOPSIS OPTIONS |
	    grep -oE '(^\.|[[:space:](])Fl -[a-z][a-z0-9-]*' |
	    sed 's/.*Fl -/--/' | sort -u
}

help_longopts() {
	grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

ntools=0
for bin in "$CT_BIN"/*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	tool=${bin##*/}
	ntools=$((ntools + 1))
	page="$MAN1/$tool.1"

	if [ ! -f "$page" ]; then
		not_ok "$tool: man/man1/$tool.1 exists" "no $page"
		continue
	fi
	ok "$tool: man/man1/$tool.1 exists"

	want=".Dt $(printf %s "$tool" | tr '[:lower:]' '[:upper:]') 1"
	if grep -qxF "$want" "$page"; then ok "$tool: page is $want"; else
		not_ok "$tool: page is $want" "$(grep '^\.Dt' "$page")"; fi

	msgs=$(lint "$page")
	case $? in
	3) ok "$tool: page lints clean # SKIP no mandoc, groff or man installed" ;;
	*) if [ -z "$msgs" ]; then ok "$tool: page lints clean"; else
		not_ok "$tool: page lints clean" "$msgs"; fi ;;
	esac

	if ! help=$("$bin" --help 2>&1); then
		not_ok "$tool: --help exits 0"
		continue
	fi
	from_help=$(printf '%s\n' "$help" | help_longopts)
	from_page=$(page_longopts "$page")
	missing=$(comm -23 <(printf '%s\n' "$from_help") <(printf '%s\n' "$from_page") | sed '/^$/d')
	extra=$(comm -13 <(printf '%s\n' "$from_help") <(printf '%s\n' "$from_page") | sed '/^$/d')
	if [ -z "$missing" ]; then ok "$tool: every long option of --help is in SYNOPSIS/OPTIONS"; else
		not_ok "$tool: every long option of --help is in SYNOPSIS/OPTIONS" \
		    "missing from the page: $(echo $missing)"; fi
	if [ -z "$extra" ]; then ok "$tool: every long option of SYNOPSIS/OPTIONS is in --help"; else
		not_ok "$tool: every long option of SYNOPSIS/OPTIONS is in --help" \
		    "not in --help: $(echo $extra)"; fi

	if sections "$page" OPTIONS | grep -qE '^\.It Fl C( |$)'; then
		ok "$tool: -C is documented in OPTIONS"; else
		not_ok "$tool: -C is documented in OPTIONS"; fi

	if grep -qxF ".It Xr $tool 1" "$MAN7" &&
	    sections "$MAN7" 'SEE ALSO' | grep -qE "^\.Xr $tool 1( ,)?$"; then
		ok "$tool: casetrail(7) lists it and refers to its page"; else
		not_ok "$tool: casetrail(7) lists it and refers to its page"; fi
done

for page in "$CT_SOURCE_DIR/man/man5/casetrail-records.5" "$MAN7"; do
	name=${page##*/}
	if [ ! -f "$page" ]; then
		not_ok "$name exists" "no $page"
		continue
	fi
	msgs=$(lint "$page")
	case $? in
	3) ok "$name lints clean # SKIP no mandoc, groff or man installed" ;;
	*) if [ -z "$msgs" ]; then ok "$name lints clean"; else
		not_ok "$name lints clean" "$msgs"; fi ;;
	esac
done

# man -k casetrail: every page's .Nd names casetrail, and mandoc's apropos
# (mapropos on Debian), given a database of the source tree's pages, finds
# every one of them
for page in "$CT_SOURCE_DIR"/man/man[157]/*.[157]; do
	name=${page##*/}
	nd=$(sed -n 's/^\.Nd //p' "$page")
	case $nd in
	*casetrail*) ok "$name: its NAME line names casetrail" ;;
	*) not_ok "$name: its NAME line names casetrail" ".Nd $nd" ;;
	esac
done
apropos=$(command -v mapropos || { command -v makewhatis >/dev/null &&
    command -v apropos; })
if [ -n "$apropos" ] && command -v makewhatis >/dev/null 2>&1; then
	cp -R "$CT_SOURCE_DIR/man" "$T/man"
	makewhatis "$T/man" 2>/dev/null
	found=$("$apropos" -M "$T/man" casetrail 2>/dev/null | sed 's/ - .*//' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | sort -u)
	for page in "$T"/man/man[157]/*.[157]; do
		name=${page##*/}
		want="${name%.*}(${name##*.})"
		if printf '%s\n' "$found" | grep -qxF "$want"; then
			ok "man -k casetrail finds $want"; else
			not_ok "man -k casetrail finds $want"; fi
	done
else
	ok "man -k casetrail finds every page # SKIP no mandoc makewhatis and apropos"
fi

# deadline-check(1) lists every shipped rule, in its table and in detail
DC="$CT_SOURCE_DIR/man/man1/deadline-check.1"
for id in $(sed -n 's/^  - id: \([A-Z0-9-]*\)$/\1/p' "$CT_SOURCE_DIR/rules/deadlines.yaml"); do
	if grep -qE "^\.It $id Ta " "$DC" && grep -qE "^\.It Sy (.* , )?$id( , .*)?$" "$DC"; then
		ok "deadline-check(1) lists the shipped rule $id"; else
		not_ok "deadline-check(1) lists the shipped rule $id" \
		    "no '.It $id Ta' row or '.It Sy $id' entry"; fi
done
# ACT-EVENT-REVIEW's triggers are the rule's anchor events
for ev in $(awk '/^  - id: ACT-EVENT-REVIEW$/{r=1} r&&/^    anchor:/{a=1;next}
    a&&/^      each:/{exit} a&&/^        - /{print $2}' "$CT_SOURCE_DIR/rules/deadlines.yaml"); do
	if awk '/^\.It Sy ACT-EVENT-REVIEW$/,/^\.It Sy VIC-CSP-REQUIRED$/' "$DC" |
	    grep -qE "^\.Cm $ev( ,)?$"; then
		ok "deadline-check(1): ACT-EVENT-REVIEW names $ev"; else
		not_ok "deadline-check(1): ACT-EVENT-REVIEW names $ev"; fi
done

if [ "$ntools" -gt 0 ]; then ok "found $ntools tools in \$CT_BIN"; else
	not_ok "found tools in \$CT_BIN" "none in $CT_BIN"; fi

done_testing
