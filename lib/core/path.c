/*
 * The path rule (path.h).
 *
 * The name check follows what git's verify_path() refuses with
 * core.protectHFS and core.protectNTFS, for ".git" only (a store has no
 * .gitmodules to protect): a name that some file system would read as
 * ".git" — any case, trailing dots or spaces, an NTFS stream suffix, the
 * short name "git~1", or HFS+ ignorable code points anywhere in it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/kind.h"
#include "casetrail/path.h"
#include "casetrail/yaml.h"
#include "casetrail/util.h"

#define QUOTE_MAX 200

/* Code points HFS+ ignores when it compares names (git's utf8.c). */
static bool
hfs_ignorable(uint32_t c)
{
	return (c >= 0x200c && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x206a && c <= 0x206f) || c == 0xfeff;
}

/* True when name would be read as ".git" by some file system. */
static bool
is_dotgit(const char *name, size_t len)
{
	char folded[16];
	size_t n = 0, i = 0, k;
	uint32_t c;

	while (i < len) {
		k = ct_utf8_decode((const unsigned char *)name + i, len - i, &c);
		if (k == 0)
			return false;  /* refused anyway, as invalid UTF-8 */
		i += k;
		if (hfs_ignorable(c))
			continue;
		if (n == sizeof(folded) - 1)
			break;  /* long names matter only for the prefix */
		folded[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' :
		    c < 0x80 ? c : 0x80);
	}
	folded[n] = '\0';
	if (strncmp(folded, ".git:", 5) == 0)
		return true;   /* an NTFS stream of .git */
	while (n > 0 && (folded[n - 1] == '.' || folded[n - 1] == ' '))
		folded[--n] = '\0';
	return strcmp(folded, ".git") == 0 || strcmp(folded, "git~1") == 0;
}

bool
ct_path_name_ok(const char *name, size_t len, const char **why)
{
	const char *w = NULL;
	uint32_t c;
	size_t i = 0, k;

	if (len == 0)
		w = "an empty name";
	else if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		w = "'.' and '..' are not names";
	while (w == NULL && i < len) {
		k = ct_utf8_decode((const unsigned char *)name + i, len - i, &c);
		if (k == 0)
			w = "not valid UTF-8";
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			w = "a control character";
		else if (c == '\\')
			w = "a backslash";
		i += k ? k : 1;
	}
	if (w == NULL && is_dotgit(name, len))
		w = "a name that reads as .git";
	if (why != NULL)
		*why = w;
	return w == NULL;
}

char *
ct_path_quote(const char *path)
{
	size_t n = strlen(path), i;
	char *q, *p;

	if (n > QUOTE_MAX)
		n = QUOTE_MAX;
	if ((q = malloc(n * 4 + 4)) == NULL)
		return NULL;
	for (p = q, i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c < 0x20 || c >= 0x7f)
			p += sprintf(p, "\\x%02x", c);
		else
			*p++ = (char)c;
	}
	if (strlen(path) > n)
		p += sprintf(p, "...");
	*p = '\0';
	return q;
}

static const char *
mode_problem(unsigned mode)
{
	switch (mode) {
	case CT_MODE_FILE:
	case CT_MODE_TREE:
		return NULL;
	case 0120000:
		return "a symbolic link (store files are regular files)";
	case 0160000:
		return "a gitlink (submodule); store files are regular files";
	case 0100755:
		return "an executable file (store files are mode 100644)";
	default:
		return "not a regular file or directory";
	}
}

const char *
ct_path_problem(const char *path, unsigned mode, const char **rule)
{
	const char *s = path, *slash, *why;
	ct_place place;

	*rule = CT_RULE_BAD_PATH;
	for (;;) {
		slash = strchr(s, '/');
		if (!ct_path_name_ok(s, slash != NULL ? (size_t)(slash - s) :
		    strlen(s), &why))
			return why;
		if (slash == NULL)
			break;
		s = slash + 1;
	}
	if ((why = mode_problem(mode)) != NULL)
		return why;
	*rule = CT_RULE_MISPLACED;
	place = ct_kind_place(path, NULL, NULL, NULL);
	if (place == CT_PLACE_SHARD)
		return "the case directory is not in its own shard (cases/<xx>/ "
		    "with <xx> the first two hex digits of the case id's git "
		    "blob id)";
	if (place == CT_PLACE_NONE)
		return "not a place of the store layout (see casetrail(7))";
	if (place == CT_PLACE_FILE && mode == CT_MODE_TREE)
		return "a directory where the layout has a file";
	if (place == CT_PLACE_DIR && mode != CT_MODE_TREE)
		return "a file where the layout has a directory";
	*rule = NULL;
	return NULL;
}

int
ct_path_check(const char *path, unsigned mode, const char **rule,
    ct_error *err)
{
	const char *why, *r;
	char *q;

	if (rule != NULL)
		*rule = NULL;
	if ((why = ct_path_problem(path, mode, &r)) == NULL)
		return 0;
	if (rule != NULL)
		*rule = r;
	q = ct_path_quote(path);
	ct_error_set(err, CT_EINVALID, "%s: %s", q != NULL ? q : "?", why);
	free(q);
	return CT_EINVALID;
}
