/*
 * The commits that changed one directory of the store (history.h).
 *
 * A revwalk over the first-parent history of the main branch.  For each
 * commit the id of the directory's tree entry is looked up (one
 * git_tree_entry_bypath) and compared with the parent's; the parent's is
 * kept, so the walk looks up each commit once.  Only when the ids differ
 * is the commit reported, with the files that changed below the
 * directory (git_diff_tree_to_tree of the two directory trees).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/history.h"

struct ct_history {
	git_repository *repo;
	git_revwalk *walk;
	char *dir;
	git_commit *cur;          /* the commit last reported */
	ct_history_file *files;
	size_t nfiles;
	/* the directory entry of the last parent looked up */
	git_oid cached_commit;
	bool cached;
	bool cached_present;
	git_oid cached_entry;
};

static void
clear_files(ct_history *h)
{
	size_t i;

	for (i = 0; i < h->nfiles; i++)
		free(h->files[i].path);
	free(h->files);
	h->files = NULL;
	h->nfiles = 0;
}

int
ct_history_open(ct_store *st, const char *dir, ct_history **out,
    ct_error *err)
{
	ct_history *h;
	int rc;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->dir = strdup(dir)) == NULL) {
		free(h);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	if (git_repository_open_ext(&h->repo, ct_store_workdir(st),
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		rc = ct_git_fail(err, "opening the store's repository");
		goto fail;
	}
	if (git_revwalk_new(&h->walk, h->repo) < 0 ||
	    git_revwalk_sorting(h->walk, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_TIME) < 0) {
		rc = ct_git_fail(err, "walking the history");
		goto fail;
	}
	rc = git_revwalk_push_ref(h->walk, CT_BRANCH);
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
		git_revwalk_free(h->walk);  /* unborn: an empty history */
		h->walk = NULL;
	} else if (rc < 0) {
		rc = ct_git_fail(err, "walking the history");
		goto fail;
	}
	*out = h;
	return 0;
fail:
	ct_history_free(h);
	return rc;
}

/* The id of dir's tree entry in commit c; *present false when absent. */
static int
dir_entry(ct_history *h, const git_commit *c, bool *present, git_oid *id,
    ct_error *err)
{
	git_tree *tree = NULL;
	git_tree_entry *ent = NULL;
	int rc;

	*present = false;
	if (git_commit_tree(&tree, c) < 0)
		return ct_git_fail(err, "reading a commit's tree");
	rc = git_tree_entry_bypath(&ent, tree, h->dir);
	if (rc == 0) {
		if (git_tree_entry_type(ent) == GIT_OBJECT_TREE) {
			git_oid_cpy(id, git_tree_entry_id(ent));
			*present = true;
		}
		git_tree_entry_free(ent);
	} else if (rc != GIT_ENOTFOUND) {
		rc = ct_git_fail(err, "reading a commit's tree");
		git_tree_free(tree);
		return rc;
	}
	git_tree_free(tree);
	return 0;
}

/* The entry of dir in commit id, from the cache when it is the last one
 * looked up (the walk goes from child to parent). */
static int
dir_entry_of(ct_history *h, const git_oid *cid, bool *present, git_oid *id,
    ct_error *err)
{
	git_commit *c;
	int rc;

	if (h->cached && git_oid_equal(&h->cached_commit, cid)) {
		*present = h->cached_present;
		git_oid_cpy(id, &h->cached_entry);
		return 0;
	}
	if (git_commit_lookup(&c, h->repo, cid) < 0)
		return ct_git_fail(err, "reading a commit");
	rc = dir_entry(h, c, present, id, err);
	git_commit_free(c);
	return rc;
}

static int
list_files(ct_history *h, bool old_present, const git_oid *old_id,
    bool new_present, const git_oid *new_id, ct_error *err)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	const git_diff_delta *d;
	size_t i, n;
	int rc = 0;

	if ((old_present && git_tree_lookup(&a, h->repo, old_id) < 0) ||
	    (new_present && git_tree_lookup(&b, h->repo, new_id) < 0) ||
	    git_diff_tree_to_tree(&diff, h->repo, a, b, NULL) < 0) {
		rc = ct_git_fail(err, "comparing two trees");
		goto cleanup;
	}
	n = git_diff_num_deltas(diff);
	if (n > 0 && (h->files = calloc(n, sizeof(*h->files))) == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		ct_history_file *f = &h->files[h->nfiles];

		d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_ADDED) {
			f->status = CT_HISTORY_ADDED;
			f->path = strdup(d->new_file.path);
		} else if (d->status == GIT_DELTA_DELETED) {
			f->status = CT_HISTORY_REMOVED;
			f->path = strdup(d->old_file.path);
		} else {
			f->status = CT_HISTORY_MODIFIED;
			f->path = strdup(d->new_file.path);
		}
		if (f->path == NULL) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			goto cleanup;
		}
		h->nfiles++;
	}
cleanup:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

int
ct_history_next(ct_history *h, ct_history_entry *e, ct_error *err)
{
	git_oid cid, new_id, old_id;
	const git_oid *pid;
	const git_signature *au;
	git_commit *c = NULL;
	bool new_present, old_present;
	int rc;

	memset(e, 0, sizeof(*e));
	git_commit_free(h->cur);
	h->cur = NULL;
	clear_files(h);
	if (h->walk == NULL)
		return 0;
	for (;;) {
		rc = git_revwalk_next(&cid, h->walk);
		if (rc == GIT_ITEROVER)
			return 0;
		if (rc < 0)
			return ct_git_fail(err, "walking the history");
		if (git_commit_lookup(&c, h->repo, &cid) < 0)
			return ct_git_fail(err, "reading a commit");
		if (git_commit_parentcount(c) > 1) {
			/* a merge: its sides' commits are walked themselves */
			git_commit_free(c);
			c = NULL;
			continue;
		}
		if ((rc = dir_entry_of(h, &cid, &new_present, &new_id,
		    err)) < 0) {
			git_commit_free(c);
			return rc;
		}
		old_present = false;
		memset(&old_id, 0, sizeof(old_id));
		pid = git_commit_parentcount(c) > 0 ?
		    git_commit_parent_id(c, 0) : NULL;
		if (pid != NULL) {
			if ((rc = dir_entry_of(h, pid, &old_present, &old_id,
			    err)) < 0) {
				git_commit_free(c);
				return rc;
			}
			git_oid_cpy(&h->cached_commit, pid);
			h->cached = true;
			h->cached_present = old_present;
			git_oid_cpy(&h->cached_entry, &old_id);
		}
		if (old_present == new_present && (!new_present ||
		    git_oid_equal(&old_id, &new_id))) {
			git_commit_free(c);
			c = NULL;
			continue;
		}
		break;
	}
	if ((rc = list_files(h, old_present, &old_id, new_present, &new_id,
	    err)) < 0) {
		git_commit_free(c);
		clear_files(h);
		return rc;
	}
	h->cur = c;
	git_oid_tostr(e->commit, sizeof(e->commit), &cid);
	if (pid != NULL)
		git_oid_tostr(e->parent, sizeof(e->parent), pid);
	if (old_present)
		git_oid_tostr(e->old_tree, sizeof(e->old_tree), &old_id);
	if (new_present)
		git_oid_tostr(e->new_tree, sizeof(e->new_tree), &new_id);
	au = git_commit_author(c);
	e->author_name = au != NULL && au->name != NULL ? au->name : "";
	e->author_email = au != NULL && au->email != NULL ? au->email : "";
	e->time = (long long)git_commit_time(c);
	e->offset = git_commit_time_offset(c);
	e->message = git_commit_message(c) != NULL ?
	    git_commit_message(c) : "";
	e->files = h->files;
	e->nfiles = h->nfiles;
	return 1;
}

void
ct_history_free(ct_history *h)
{
	if (h == NULL)
		return;
	clear_files(h);
	git_commit_free(h->cur);
	git_revwalk_free(h->walk);
	git_repository_free(h->repo);
	free(h->dir);
	free(h);
}
