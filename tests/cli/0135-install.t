#!/usr/bin/env bash
# make install (cmake --install): casetrail beside the tools, its page,
# bash completion for casetrail and, by links, for each tool's name, zsh's
# completion; and the installed casetrail runs the installed tools.
. "$(dirname "$0")/lib.sh"

B="$CT_BIN/.."
P="$T/prefix"
if ! run cmake --install "$B" --prefix "$P"; then
	echo "1..0 # SKIP cmake --install did not run: $(head -1 "$T/err")"
	exit 77
fi
ok "cmake --install"

check "bin/casetrail" test -x "$P/bin/casetrail"
check "man/man1/casetrail.1" test -f "$P/share/man/man1/casetrail.1"
C="$P/share/bash-completion/completions"
check "bash completion for casetrail" cmp "$C/casetrail" "$CT_SOURCE_DIR/completion/casetrail.bash"
bad=$("$P/bin/casetrail" tools | while read -r tool _; do
	[ -x "$P/bin/$tool" ] || echo "no bin/$tool"
	[ "$(readlink "$C/$tool")" = casetrail ] || echo "no completion link $tool"
done)
is "$bad" "" "every tool installed, its completion a link to casetrail's"
check "zsh completion" grep -qx "#compdef casetrail .*case-show.*" \
    "$P/share/zsh/site-functions/_casetrail"

# the installed front door runs the installed tool, whatever PATH says
printf '#!/bin/sh\necho wrong\n' >"$T/case-show"
chmod +x "$T/case-show"
PATH="$T:$PATH" run "$P/bin/casetrail" case-show --version
is "$(cat "$T/out")" "case-show 0.1.0" "the tool beside casetrail, not PATH's"

done_testing
