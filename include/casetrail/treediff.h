/*
 * casetrail treediff: the files that differ between two trees, found by
 * descending only into subtrees whose ids differ.
 *
 * A commit of a 100,000-case store changes one case: its root, cases/,
 * shard and case trees.  git_diff_tree_to_tree() (libgit2 1.5) walks every
 * tree of both sides to find that, 0.3 s a commit; this reads eight trees.
 * Entries are merged in git's tree order (a directory sorts as its name
 * followed by '/'), so a file replaced by a directory of the same name is
 * a deletion and additions.
 */
#ifndef CASETRAIL_TREEDIFF_H
#define CASETRAIL_TREEDIFF_H

#include <git2.h>

#include "casetrail/error.h"
#include "casetrail/yaml.h"

/* One changed file; valid during the callback only. */
typedef struct ct_tree_change {
	git_delta_t status;      /* GIT_DELTA_ADDED, _DELETED or _MODIFIED */
	const char *path;        /* "cases/3f/ACT-0042/case.yaml" */
	git_oid old_id, new_id;  /* zero on the side where it is absent */
	git_filemode_t old_mode, new_mode;  /* 0 on that side */
} ct_tree_change;

/* Called for every changed file, in git's tree order; non-zero stops the walk
 * and is returned. */
typedef int (*ct_tree_change_fn)(const ct_tree_change *c, void *arg,
    ct_error *err);

/* Compare tree a (old; may be NULL) with tree b (new; may be NULL). */
int ct_tree_diff(git_repository *repo, const git_tree *a, const git_tree *b,
    ct_tree_change_fn fn, void *arg, ct_error *err);

/*
 * The same changes as an array (*out, *n; paths owned by it), freed with
 * ct_tree_changes_free().
 */
int ct_tree_diff_list(git_repository *repo, const git_tree *a,
    const git_tree *b, ct_tree_change **out, size_t *n, ct_error *err);
void ct_tree_changes_free(ct_tree_change *v, size_t n);

/*
 * The YAML document of the blob id, a version of the record at path (the
 * name its messages give it).  CT_ERROR when the blob can not be read;
 * CT_EINVALID, with the parser's message, when it is not YAML.
 */
int ct_blob_yaml(git_repository *repo, const git_oid *id, const char *path,
    ct_node **doc, ct_error *err);

#endif
