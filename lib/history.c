/*
 * The commits that changed one directory of the store (history.h).
 *
 * The history walk (walk.h), newest first, merges passed over.  For each
 * commit the id of the directory's tree entry is looked up (one
 * git_tree_entry_bypath) and compared with the parent's; the last one
 * looked up is kept by tree id, so along a line of commits each tree is
 * looked into once.  Only when the ids differ
 * is the commit reported, with the files that changed below the
 * directory (git_diff_tree_to_tree of the two directory trees).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/history.h"
#include "casetrail/walk.h"

struct ct_history {
	git_repository *repo;
	ct_walk *walk;
	char *dir;
	ct_history_file *files;
	size_t nfiles;
	/* the directory entry in the last tree looked up */
	git_oid cached_tree;
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
	git_oid tip;
	int rc, grc;

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
	grc = git_reference_name_to_id(&tip, h->repo, CT_BRANCH);
	if (grc == GIT_ENOTFOUND || grc == GIT_EUNBORNBRANCH) {
		*out = h;           /* unborn: an empty history */
		return 0;
	}
	if (grc < 0) {
		rc = ct_git_fail(err, "reading " CT_BRANCH);
		goto fail;
	}
	if ((rc = ct_walk_open(h->repo, &tip, NULL, CT_WALK_NEWEST_FIRST |
	    CT_WALK_NO_MERGES, &h->walk, err)) < 0)
		goto fail;
	*out = h;
	return 0;
fail:
	ct_history_free(h);
	return rc;
}

/* The id of dir's tree entry in tree; *present false when absent.  The
 * last tree looked into is remembered (a commit's tree is its child's
 * parent tree). */
static int
dir_entry(ct_history *h, const git_tree *tree, bool *present, git_oid *id,
    ct_error *err)
{
	git_tree_entry *ent = NULL;
	int rc;

	if (h->cached && git_oid_equal(&h->cached_tree, git_tree_id(tree))) {
		*present = h->cached_present;
		git_oid_cpy(id, &h->cached_entry);
		return 0;
	}
	*present = false;
	memset(id, 0, sizeof(*id));
	rc = git_tree_entry_bypath(&ent, tree, h->dir);
	if (rc == 0) {
		if (git_tree_entry_type(ent) == GIT_OBJECT_TREE) {
			git_oid_cpy(id, git_tree_entry_id(ent));
			*present = true;
		}
		git_tree_entry_free(ent);
	} else if (rc != GIT_ENOTFOUND) {
		return ct_git_fail(err, "reading a commit's tree");
	}
	git_oid_cpy(&h->cached_tree, git_tree_id(tree));
	h->cached = true;
	h->cached_present = *present;
	git_oid_cpy(&h->cached_entry, id);
	return 0;
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
	const ct_walk_step *st;
	const git_signature *au;
	git_commit *c;
	git_oid new_id, old_id;
	bool new_present, old_present;
	int rc;

	memset(e, 0, sizeof(*e));
	clear_files(h);
	if (h->walk == NULL)
		return 0;
	for (;;) {
		if ((rc = ct_walk_next(h->walk, &st, err)) <= 0)
			return rc;
		old_present = false;
		memset(&old_id, 0, sizeof(old_id));
		/* the parent's last: it is the next commit's own tree */
		if ((rc = dir_entry(h, st->tree, &new_present, &new_id,
		    err)) < 0 || (st->ptree != NULL && (rc = dir_entry(h,
		    st->ptree, &old_present, &old_id, err)) < 0))
			return rc;
		if (old_present != new_present || (new_present &&
		    !git_oid_equal(&old_id, &new_id)))
			break;
	}
	if ((rc = list_files(h, old_present, &old_id, new_present, &new_id,
	    err)) < 0) {
		clear_files(h);
		return rc;
	}
	c = st->commit;
	memcpy(e->commit, st->id, sizeof(e->commit));
	if (st->parent != NULL)
		git_oid_tostr(e->parent, sizeof(e->parent),
		    git_commit_id(st->parent));
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
	ct_walk_free(h->walk);
	git_repository_free(h->repo);
	free(h->dir);
	free(h);
}
