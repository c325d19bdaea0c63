# Sourced by the preview scripts (pack-preview.sh, report-preview.sh):
# the set-up they share.
# usage: name=NAME user=USER email=EMAIL; . scripts/preview-env.sh
#   with the calling script's arguments BIN OUT as $1 and $2 (a dot
#   script takes no arguments of its own in sh):
#   NAME   the preview's name: its store is OUT/NAME-store, its HOME
#          OUT/NAME-home, its log OUT/NAME.log
#   USER, EMAIL  the git identity the store is made with
#   BIN    the directory of the built tools (put first on PATH)
#   OUT    where the preview is written
# Sets src (the source tree), out and S (the store); preview_render
# renders OUT/NAME.html as a PDF and a PNG, or says why it did not.
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
S="$out/$name-store"
rm -rf "$S" "$out/$name-home"
mkdir -p "$out/$name-home"
HOME="$out/$name-home"
PATH="$bin:$PATH"
export HOME PATH
unset GIT_DIR GIT_WORK_TREE CASETRAIL_STORE CASETRAIL_TODAY
git config --global user.name "$user"
git config --global user.email "$email"

# When making the store failed: name the log and stop.
preview_failed() {
	echo "$name: making the store failed; see $out/$name.log" >&2
	exit 1
}

preview_render() {
	if ! sh "$src/scripts/render.sh" "$out/$name.html" "$out/$name" \
	    "$out/$name-home"; then
		echo "$name: no chromium: wrote $out/$name.html only" >&2
		exit 0
	fi
	echo "$name: $out/$name.html, .pdf and .png"
}
