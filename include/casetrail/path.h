/*
 * casetrail path rule (DESIGN.md §2, casetrail(7)): what a store path may
 * be, wherever it comes from — a tree of a commit (the tools' own, a
 * push, a fetch), the journal, or a user.
 *
 * A path is accepted only when
 *   - every component is a valid name: not empty, ".", ".." or ".git" in
 *     any spelling git's own verify_path refuses (any case; NTFS "git~1",
 *     trailing dots or spaces, "::$DATA"-style streams; HFS+ ignorable
 *     code points inside), without control characters, DEL, C1 controls,
 *     backslashes or invalid UTF-8;
 *   - it has a place in the store layout (kind.h), with a case directory
 *     in its own shard;
 *   - its entry is a regular file (mode 100644) or a tree; symbolic
 *     links, gitlinks (submodules) and executables are refused.
 * A violation of the first or the third is rule "bad-path" (a hostile or
 * broken tree), of the second "misplaced-record".
 */
#ifndef CASETRAIL_PATH_H
#define CASETRAIL_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"

#define CT_MODE_TREE 0040000u
#define CT_MODE_FILE 0100644u

#define CT_RULE_BAD_PATH  "bad-path"
#define CT_RULE_MISPLACED "misplaced-record"

/* True when name[0..len) is a valid component; else *why (may be NULL)
 * says why in a few words. */
bool ct_path_name_ok(const char *name, size_t len, const char **why);

/*
 * What is wrong with path as an entry of git file mode mode: NULL when it
 * keeps the rule; else a static phrase ("a symbolic link (...)") and
 * *rule CT_RULE_BAD_PATH or CT_RULE_MISPLACED.
 */
const char *ct_path_problem(const char *path, unsigned mode,
    const char **rule);

/*
 * Check path with the git file mode of its entry (CT_MODE_FILE,
 * CT_MODE_TREE, or what a tree holds).  0 when it keeps the rule; else
 * CT_EINVALID with "<path>: <why>" in err (the path quoted with \xNN for
 * anything unprintable) and *rule (may be NULL) CT_RULE_BAD_PATH or
 * CT_RULE_MISPLACED.
 */
int ct_path_check(const char *path, unsigned mode, const char **rule,
    ct_error *err);

/* path with bytes below 0x20, DEL and all non-ASCII bytes shown as \xNN,
 * at most about 200 bytes of it; NULL when out of memory.  For messages
 * about paths that may be hostile. */
char *ct_path_quote(const char *path);

#endif
