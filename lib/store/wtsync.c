/*
 * The index and work tree of the paths a write touches (DESIGN.md §2
 * "Writing"): before the commit, refuse a path the user has edited;
 * after it, bring the index (index.c, else libgit2's) and the work tree
 * (worktree.c) of those paths to what the branch holds.  A bare store has
 * neither.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "casetrail/index.h"
#include "casetrail/worktree.h"
#include "store_int.h"

#define STALE_DEPTH 32       /* ancestors searched for a stale index entry */

/* The blob id of path in commit c; false when absent. */
static bool
blob_at(git_commit *c, const char *path, git_oid *out)
{
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool found = false;

	if (git_commit_tree(&t, c) == 0 &&
	    git_tree_entry_bypath(&e, t, path) == 0) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = true;
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	return found;
}

int
store_idx_open(ct_store *st, struct idx *x, ct_error *err)
{
	int rc;

	if (st->bare || x->fast != NULL || x->slow != NULL)
		return 0;
	rc = ct_index_open(st->gitdir, &x->fast, err);
	if (rc == 0)
		return 0;
	if (rc != CT_ENOTSUP && rc != CT_ENOTFOUND)
		return rc;
	ct_error_clear(err);
	if (git_repository_index(&x->slow, st->repo) < 0)
		return ct_git_fail(err, "reading the index");
	return 0;
}

void
store_idx_close(struct idx *x)
{
	ct_index_free(x->fast);
	git_index_free(x->slow);
	x->fast = NULL;
	x->slow = NULL;
}

/* path's stage-0 blob id: 1 found, 0 absent, -1 in conflict. */
static int
idx_get(const struct idx *x, const char *path, git_oid *id)
{
	const git_index_entry *ie;
	bool conflict = false;

	if (x->fast != NULL) {
		if (ct_index_find(x->fast, path, id->id, &conflict))
			return 1;
		return conflict ? -1 : 0;
	}
	if ((ie = git_index_get_bypath(x->slow, path, 0)) != NULL) {
		git_oid_cpy(id, &ie->id);
		return 1;
	}
	return git_index_get_bypath(x->slow, path, 1) != NULL ? -1 : 0;
}

/*
 * True when the index holds for path what some recent ancestor of HEAD
 * held (ie NULL: held nothing): a tool committed and was stopped before
 * it updated the index.
 */
static bool
index_is_stale(git_commit *head, const char *path, const git_oid *ie)
{
	git_commit *c = NULL, *p;
	git_oid got;
	bool stale = false;
	int depth;

	if (head == NULL || git_commit_dup(&c, head) < 0)
		return false;
	for (depth = 0; depth < STALE_DEPTH && !stale; depth++) {
		if (git_commit_parentcount(c) == 0 ||
		    git_commit_parent(&p, c, 0) < 0)
			break;
		git_commit_free(c);
		c = p;
		if (blob_at(c, path, &got))
			stale = ie != NULL && git_oid_equal(&got, ie);
		else
			stale = ie == NULL;
	}
	git_commit_free(c);
	return stale;
}

/* True when the regular file path of the work tree holds the blob id. */
static bool
file_is_blob(int wfd, const char *path, const git_oid *id)
{
	ct_error err = { 0 };
	char *buf = NULL;
	size_t len;
	git_oid got;
	bool same;

	if (id == NULL || ct_wt_read(wfd, path, &buf, &len, &err) < 0) {
		ct_error_clear(&err);
		return false;
	}
	same = git_odb_hash(&got, buf, len, GIT_OBJECT_BLOB) == 0 &&
	    git_oid_equal(&got, id);
	free(buf);
	return same;
}

/*
 * True when the user has uncommitted edits in path: the work tree file
 * differs from the index (hashed, so no stat race), or the index differs
 * from HEAD other than by a stale sync.  A tool killed while it synced
 * (after the commit) leaves the index stale and the work tree file either
 * still old or already HEAD's: neither is an edit.
 */
bool
store_path_edited(ct_txn *txn, const struct idx *idx, int wfd,
    const char *path)
{
	const git_tree_entry *he;
	const git_oid *head_id;
	ct_error err = { 0 };
	git_oid ie;
	struct stat sb;
	bool in_wt;
	int got;

	if ((got = idx_get(idx, path, &ie)) < 0)
		return true;                    /* a merge conflict */
	he = store_path_entry(txn->snap, path);
	head_id = he != NULL ? git_tree_entry_id(he) : NULL;
	in_wt = ct_wt_stat(wfd, path, &sb, &err) != 1;
	ct_error_clear(&err);
	if (got == 0)
		return (in_wt && !file_is_blob(wfd, path, head_id)) ||
		    (he != NULL && !index_is_stale(txn->snap->commit, path,
		    NULL));
	if (!in_wt)                     /* removed from the work tree */
		return he != NULL ||
		    !index_is_stale(txn->snap->commit, path, &ie);
	if (!file_is_blob(wfd, path, &ie))   /* unstaged edit? */
		return !file_is_blob(wfd, path, head_id) ||
		    !index_is_stale(txn->snap->commit, path, &ie);
	return (head_id == NULL || !git_oid_equal(&ie, head_id)) &&
	    !index_is_stale(txn->snap->commit, path, &ie);
}

/*
 * Refuse when the user has uncommitted edits in a path we will write.
 * One read of the index serves every path (it is large in a big store).
 */
int
store_check_clean(ct_txn *txn, const struct idx *idx, ct_error *err)
{
	struct stat sb;
	size_t i;
	int wfd, rc = 0;

	if (txn->st->bare)
		return 0;
	if ((wfd = open(txn->st->workdir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return ct_error_set(err, CT_ERROR, "%s: %s", txn->st->workdir,
		    strerror(errno));
	for (i = 0; rc == 0 && i < txn->nchanges; i++) {
		const char *path = txn->changes[i].path;

		/* a path outside the rule, or a link on the way */
		if ((rc = ct_wt_stat(wfd, path, &sb, err)) > 0)
			rc = 0;
		if (rc == 0 && store_path_edited(txn, idx, wfd, path))
			rc = ct_error_set(err, CT_EINVALID,
			    "%s%s has uncommitted changes; commit or discard "
			    "them first (git diff -- %s; git checkout HEAD -- "
			    "%s)", txn->st->workdir, path, path, path);
	}
	close(wfd);
	return rc;
}

/* Write the fast index; re-read it when a git command changed it since
 * it was read (ct_index_write notices that under the lock). */
static int
fast_index_write(ct_store *st, struct idx *x, ct_index_update *u, size_t n)
{
	ct_error err = { 0 };
	int rc, tries;

	for (tries = 0; tries < MAX_TRIES; tries++) {
		rc = ct_index_write(x->fast, u, n, &err);
		ct_error_clear(&err);
		if (rc != CT_ECONFLICT)
			break;
		ct_index_free(x->fast);
		x->fast = NULL;
		if ((rc = ct_index_open(st->gitdir, &x->fast, &err)) < 0)
			break;
	}
	ct_error_clear(&err);
	return rc;
}

/*
 * Bring the index and work tree of the touched paths to what the branch
 * holds now.  Failure here does not undo the commit: it becomes a warning.
 */
int
store_sync_worktree(ct_txn *txn, struct idx *idx, char **warning)
{
	ct_store *st = txn->st;
	ct_snapshot *head = NULL;
	ct_index_update *u = NULL;
	const git_tree_entry *te;
	ct_error err = { 0 };
	char *buf;
	const char *failed = NULL;
	size_t i, len;
	int rc, wfd = -1;

	*warning = NULL;
	if (st->bare)
		return 0;
	/* re-read only if someone (a git command) changed it meanwhile */
	if (ct_snapshot_open(st, NULL, &head, &err) < 0 ||
	    (idx->slow != NULL && git_index_read(idx->slow, 0) < 0) ||
	    (u = calloc(txn->nchanges, sizeof(*u))) == NULL ||
	    (wfd = open(st->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		failed = "reading the index";
		goto out;
	}
	for (i = 0; i < txn->nchanges && failed == NULL; i++) {
		const char *path = txn->changes[i].path;

		u[i].path = path;
		rc = ct_snapshot_read(head, path, &buf, &len, &err);
		if (rc == CT_ENOTFOUND) {
			u[i].remove = true;
			if (ct_wt_remove(wfd, path, &err) < 0 ||
			    (idx->slow != NULL &&
			    git_index_remove_bypath(idx->slow, path) < 0))
				failed = ct_error_msg(&err);
			continue;
		}
		if (rc < 0 || ct_wt_write(wfd, path, buf, len, &u[i].st,
		    &err) < 0 ||
		    (te = store_path_entry(head, path)) == NULL ||
		    (idx->slow != NULL &&
		    git_index_add_bypath(idx->slow, path) < 0))
			failed = err.msg != NULL ? err.msg : path;
		else
			memcpy(u[i].id, git_tree_entry_id(te)->id,
			    CT_OID_RAWSZ);
		free(buf);
	}
	if (failed == NULL && (idx->slow != NULL ?
	    git_index_write(idx->slow) < 0 :
	    fast_index_write(st, idx, u, txn->nchanges) < 0))
		failed = "writing the index (is another git command running? "
		    "a crashed one may have left .git/index.lock)";
out:
	free(u);
	if (wfd >= 0)
		close(wfd);
	if (failed != NULL &&
	    asprintf(warning, "committed, but the work tree was not updated "
	    "(%s); run 'git reset --keep HEAD' to bring it up to date",
	    failed) < 0)
		*warning = NULL;
	ct_snapshot_free(head);
	ct_error_clear(&err);
	return failed != NULL ? -1 : 0;
}

/*
 * The check (warning NULL) or the sync of paths, through a transaction
 * whose changes name those paths only; the check compares with HEAD, the
 * sync reads HEAD itself.
 */
static int
paths_run(ct_store *st, const char *const *paths, size_t n, char **warning,
    ct_error *err)
{
	struct idx idx = { 0 };
	ct_txn txn = { .st = st };
	size_t i;
	int rc;

	if (st->bare || n == 0)
		return 0;
	if ((txn.changes = calloc(n, sizeof(*txn.changes))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < n; i++)
		txn.changes[i].path = (char *)paths[i];
	txn.nchanges = n;
	rc = warning != NULL ? 0 : ct_snapshot_open(st, NULL, &txn.snap, err);
	if (rc == 0 && (rc = store_idx_open(st, &idx, err)) == 0) {
		if (warning != NULL)
			store_sync_worktree(&txn, &idx, warning);
		else
			rc = store_check_clean(&txn, &idx, err);
	}
	store_idx_close(&idx);
	ct_snapshot_free(txn.snap);
	free(txn.changes);
	return rc;
}

int
ct_store_check_clean(ct_store *st, const char *const *paths, size_t n,
    ct_error *err)
{
	return paths_run(st, paths, n, NULL, err);
}

int
ct_store_sync_paths(ct_store *st, const char *const *paths, size_t n,
    char **warning, ct_error *err)
{
	*warning = NULL;
	return paths_run(st, paths, n, warning, err);
}
