/*
 * Fuzz the path rule (path.h, kind.h).  The first byte picks the entry's
 * mode, the rest (to the first NUL) is the path.  Whatever the rule
 * accepts must be a relative path of printable ASCII components none of
 * which is empty, "." or "..", or ".git" in any case; a file must have a
 * kind and a directory none; a path in a case directory must begin with
 * the directory ct_case_dir() computes for its id.  The quoted form of any
 * input must hold no control character and no non-ASCII byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "casetrail/case.h"
#include "casetrail/kind.h"
#include "casetrail/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned modes[] = {
	CT_MODE_FILE, CT_MODE_TREE, 0120000, 0160000, 0100755, 0100664,
};

static void
check_accepted(const char *path, unsigned mode)
{
	const char *s = path, *id;
	const ct_kind *k;
	ct_error err = { 0 };
	char *dir = NULL;
	size_t n, idlen;

	if (*path == '/')
		abort();
	for (;;) {
		n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.') ||
		    (n == 4 && strncasecmp(s, ".git", 4) == 0))
			abort();
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
	for (s = path; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			abort();
	k = ct_kind_of(path);
	if ((k != NULL) != (mode == CT_MODE_FILE))
		abort();
	(void)ct_kind_place(path, NULL, &id, &idlen);
	if (id != NULL) {
		char *one = strndup(id, idlen);

		if (one == NULL)
			return;
		if (ct_case_dir(one, &dir, &err) < 0 ||
		    strncmp(path, dir, strlen(dir)) != 0)
			abort();
		free(one);
		free(dir);
	}
	ct_error_clear(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ct_error err = { 0 };
	const char *rule;
	unsigned mode;
	char *path, *q, *p;

	if (size < 1)
		return 0;
	mode = modes[data[0] % (sizeof(modes) / sizeof(modes[0]))];
	if ((path = strndup((const char *)data + 1, size - 1)) == NULL)
		return 0;
	if (ct_path_check(path, mode, &rule, &err) == 0)
		check_accepted(path, mode);
	else if (rule == NULL || (strcmp(rule, CT_RULE_BAD_PATH) != 0 &&
	    strcmp(rule, CT_RULE_MISPLACED) != 0))
		abort();
	if ((q = ct_path_quote(path)) != NULL) {
		for (p = q; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 ||
			    (unsigned char)*p >= 0x7f)
				abort();
		free(q);
	}
	ct_error_clear(&err);
	free(path);
	return 0;
}
