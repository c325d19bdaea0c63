/*
 * Snapshots (store.h): one commit's tree, read through a memo of the
 * directory trees of the last path looked up; the records of it read,
 * parsed and checked against their kind's schema; its case directories
 * walked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/kind.h"
#include "casetrail/path.h"
#include "casetrail/schema.h"
#include "casetrail/util.h"
#include "casetrail/yaml.h"
#include "store_int.h"

static int
snapshot_from_commit(ct_store *st, git_commit *commit, ct_snapshot **out,
    ct_error *err)
{
	ct_snapshot *snap;

	if ((snap = calloc(1, sizeof(*snap))) == NULL) {
		git_commit_free(commit);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	snap->st = st;
	snap->commit = commit;
	if (commit != NULL) {
		if (git_commit_tree(&snap->tree, commit) < 0) {
			ct_snapshot_free(snap);
			return ct_git_fail(err, "reading commit tree");
		}
		git_oid_tostr(snap->id, sizeof(snap->id), git_commit_id(commit));
	}
	*out = snap;
	return 0;
}

int
ct_snapshot_open(ct_store *st, const char *rev, ct_snapshot **out,
    ct_error *err)
{
	git_object *obj = NULL, *peeled = NULL;
	git_reference *head = NULL;
	int rc;

	*out = NULL;
	if (rev == NULL) {
		rc = git_repository_head(&head, st->repo);
		if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND)
			return snapshot_from_commit(st, NULL, out, err);
		if (rc < 0)
			return ct_git_fail(err, "reading HEAD");
		rc = git_reference_peel(&peeled, head, GIT_OBJECT_COMMIT);
		git_reference_free(head);
		if (rc < 0)
			return ct_git_fail(err, "reading HEAD");
	} else {
		if (git_revparse_single(&obj, st->repo, rev) < 0)
			return ct_error_set(err, CT_ENOTFOUND,
			    "unknown revision '%s'", rev);
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
		git_object_free(obj);
		if (rc < 0)
			return ct_error_set(err, CT_ENOTFOUND,
			    "revision '%s' is not a commit", rev);
	}
	return snapshot_from_commit(st, (git_commit *)peeled, out, err);
}

int
ct_snapshot_open_at(ct_store *st, long long t, ct_snapshot **out,
    ct_error *err)
{
	git_commit *c = NULL, *parent;
	ct_snapshot *head;
	int rc;

	*out = NULL;
	if ((rc = ct_snapshot_open(st, NULL, &head, err)) < 0)
		return rc;
	if (head->commit != NULL &&
	    git_commit_dup(&c, head->commit) < 0)
		c = NULL;
	ct_snapshot_free(head);
	while (c != NULL && (long long)git_commit_time(c) > t) {
		if (git_commit_parentcount(c) == 0 ||
		    git_commit_parent(&parent, c, 0) < 0) {
			git_commit_free(c);
			c = NULL;
			break;
		}
		git_commit_free(c);
		c = parent;
	}
	if (c == NULL)
		return ct_error_set(err, CT_ENOTFOUND,
		    "the store has no commit on or before that date");
	return snapshot_from_commit(st, c, out, err);
}

void
ct_snapshot_free(ct_snapshot *snap)
{
	int k;

	if (snap == NULL)
		return;
	for (k = 0; k < MEMO_DEPTH; k++) {
		free(snap->memo[k].path);
		git_tree_free(snap->memo[k].tree);
	}
	git_tree_free(snap->tree);
	git_commit_free(snap->commit);
	free(snap);
}

const char *
ct_snapshot_id(const ct_snapshot *snap)
{
	return snap->id;
}

long long
ct_snapshot_time(const ct_snapshot *snap)
{
	return snap->commit != NULL ? (long long)git_commit_time(snap->commit)
	    : 0;
}

/*
 * The tree of directory dir[0..len) ("" is the root), through the memo.
 * Returns a borrowed tree, or NULL when there is no such directory.
 */
static git_tree *
dir_tree(ct_snapshot *snap, const char *dir, size_t len)
{
	git_tree *parent = snap->tree, *t;
	const git_tree_entry *e;
	const char *p = dir, *slash;
	char *name;
	int j, k;

	if (parent == NULL || len == 0)
		return parent;
	for (k = 0; p < dir + len; k++) {
		if (k >= MEMO_DEPTH)
			return NULL; /* deeper than any store path */
		slash = memchr(p, '/', (size_t)(dir + len - p));
		if (slash == NULL)
			slash = dir + len;
		if (snap->memo[k].path != NULL &&
		    strlen(snap->memo[k].path) == (size_t)(slash - dir) &&
		    memcmp(snap->memo[k].path, dir, (size_t)(slash - dir)) == 0) {
			parent = snap->memo[k].tree;
			p = slash + 1;
			continue;
		}
		if ((name = strndup(p, (size_t)(slash - p))) == NULL)
			return NULL;
		e = git_tree_entry_byname(parent, name);
		free(name);
		if (e == NULL || git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&t, git_tree_owner(snap->tree),
		    git_tree_entry_id(e)) < 0)
			return NULL;
		for (j = k; j < MEMO_DEPTH; j++) {
			free(snap->memo[j].path);
			git_tree_free(snap->memo[j].tree);
			snap->memo[j].path = NULL;
			snap->memo[j].tree = NULL;
		}
		if ((snap->memo[k].path = strndup(dir, (size_t)(slash -
		    dir))) == NULL) {
			git_tree_free(t);
			return NULL;
		}
		snap->memo[k].tree = t;
		parent = t;
		p = slash + 1;
	}
	return parent;
}

/* The entry at path, borrowed from a tree of the memo (or the root). */
const git_tree_entry *
store_path_entry(ct_snapshot *snap, const char *path)
{
	const char *slash = strrchr(path, '/');
	git_tree *t;

	t = dir_tree(snap, path, slash != NULL ? (size_t)(slash - path) : 0);
	if (t == NULL)
		return NULL;
	return git_tree_entry_byname(t, slash != NULL ? slash + 1 : path);
}

ct_store *
ct_snapshot_store(const ct_snapshot *snap)
{
	return snap->st;
}

int
ct_snapshot_entry_id(ct_snapshot *snap, const char *path,
    char id[GIT_OID_HEXSZ + 1], ct_error *err)
{
	const git_tree_entry *e = store_path_entry(snap, path);

	if (e == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "%s: not found", path);
	git_oid_tostr(id, GIT_OID_HEXSZ + 1, git_tree_entry_id(e));
	return 0;
}

int
ct_snapshot_read(ct_snapshot *snap, const char *path, char **buf,
    size_t *len, ct_error *err)
{
	const git_tree_entry *e;
	const char *why;
	git_blob *blob = NULL;
	size_t n;
	int rc;

	*buf = NULL;
	*len = 0;
	if ((e = store_path_entry(snap, path)) == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "%s: no such file",
		    path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return ct_error_set(err, CT_ENOTFOUND, "%s: not a file", path);
	if (git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB)
		return ct_error_set(err, CT_EINVALID, "%s: %s", path,
		    ct_path_problem(path, git_tree_entry_filemode(e), &why));
	rc = git_blob_lookup(&blob, git_tree_owner(snap->tree),
	    git_tree_entry_id(e));
	if (rc < 0)
		return ct_git_fail(err, path);
	n = (size_t)git_blob_rawsize(blob);
	if ((*buf = malloc(n + 1)) == NULL) {
		git_blob_free(blob);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	memcpy(*buf, git_blob_rawcontent(blob), n);
	(*buf)[n] = '\0';
	*len = n;
	git_blob_free(blob);
	return 0;
}

/* The schema of a record path, from the kind table. */
int
store_path_schema(ct_store *st, const char *path, const ct_schema **s,
    ct_error *err)
{
	const ct_kind *k = ct_kind_of(path);

	if (k == NULL || k->schema == NULL)
		return ct_error_set(err, CT_ERROR, "%s: not a record of the "
		    "store layout", path);
	return store_schema(st, k->schema, s, err);
}

/* Parse a record and, when validate, check it against its kind's
 * schema. */
static int
parse_record(ct_store *st, const char *path, const char *buf, size_t len,
    bool validate, ct_node **out, ct_error *err)
{
	const ct_schema *s;
	ct_node *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_yaml_load(buf, len, path, &doc, err)) < 0)
		return rc;
	if (validate && ((rc = store_path_schema(st, path, &s, err)) < 0 ||
	    (rc = ct_schema_validate(s, doc, path, err)) < 0)) {
		ct_node_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int
store_load(ct_snapshot *snap, ct_txn *txn, const char *path, bool validate,
    ct_node **out, ct_error *err)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	rc = txn != NULL ? ct_txn_read(txn, path, &buf, &len, err) :
	    ct_snapshot_read(snap, path, &buf, &len, err);
	if (rc < 0)
		return rc;
	rc = parse_record(txn != NULL ? txn->st : snap->st, path, buf, len,
	    validate, out, err);
	free(buf);
	return rc;
}

int
ct_snapshot_load(ct_snapshot *snap, const char *path, ct_node **out,
    ct_error *err)
{
	return store_load(snap, NULL, path, true, out, err);
}

int
ct_snapshot_parse(ct_snapshot *snap, const char *path, ct_node **out,
    ct_error *err)
{
	return store_load(snap, NULL, path, false, out, err);
}

static int
subtree(ct_snapshot *snap, const char *dir, git_tree **out, ct_error *err)
{
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	if (snap->tree == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "%s: no such directory",
		    dir);
	if (*dir == '\0')
		return git_tree_dup(out, snap->tree) < 0 ?
		    ct_git_fail(err, "reading tree") : 0;
	rc = git_tree_entry_bypath(&e, snap->tree, dir);
	if (rc == GIT_ENOTFOUND ||
	    (rc == 0 && git_tree_entry_type(e) != GIT_OBJECT_TREE)) {
		git_tree_entry_free(e);
		return ct_error_set(err, CT_ENOTFOUND, "%s: no such directory",
		    dir);
	}
	if (rc < 0)
		return ct_git_fail(err, dir);
	rc = git_tree_lookup(out, git_tree_owner(snap->tree),
	    git_tree_entry_id(e));
	git_tree_entry_free(e);
	return rc < 0 ? ct_git_fail(err, dir) : 0;
}

int
ct_snapshot_list(ct_snapshot *snap, const char *dir, char ***names,
    size_t *n, ct_error *err)
{
	git_tree *t;
	size_t i, cnt;
	char **v;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = subtree(snap, dir, &t, err)) < 0)
		return rc;
	cnt = git_tree_entrycount(t);
	if ((v = calloc(cnt + 1, sizeof(*v))) == NULL) {
		git_tree_free(t);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	for (i = 0; i < cnt; i++)
		if ((v[i] = strdup(git_tree_entry_name(
		    git_tree_entry_byindex(t, i)))) == NULL) {
			ct_strv_free(v);
			git_tree_free(t);
			return ct_error_set(err, CT_ERROR, "out of memory");
		}
	git_tree_free(t);
	*names = v;
	*n = cnt;
	return 0;
}

bool
ct_snapshot_is_dir(ct_snapshot *snap, const char *path)
{
	return dir_tree(snap, path, strlen(path)) != NULL;
}

/* Call bad (when not NULL) for case directory dir that breaks the path
 * rule. */
static int
misplaced(ct_snapshot *snap, const char *dir, ct_misplaced_fn bad, void *arg,
    ct_error *err)
{
	const char *why, *rule;

	if ((why = ct_path_problem(dir, CT_MODE_TREE, &rule)) == NULL)
		return 1;
	return bad != NULL ? bad(snap, dir, why, arg, err) : 0;
}

/* The case directories of the shard tree of cases/name. */
static int
each_case_of(ct_snapshot *snap, git_tree *shard, const char *name,
    ct_case_fn fn, ct_misplaced_fn bad, void *arg, ct_error *err)
{
	const git_tree_entry *ce;
	char *dir = NULL;
	size_t j;
	int rc = 0;

	for (j = 0; rc == 0 && j < git_tree_entrycount(shard); j++) {
		ce = git_tree_entry_byindex(shard, j);
		if (git_tree_entry_type(ce) != GIT_OBJECT_TREE)
			continue;
		if (asprintf(&dir, "cases/%s/%s", name,
		    git_tree_entry_name(ce)) < 0)
			return ct_error_set(err, CT_ERROR, "out of memory");
		if ((rc = misplaced(snap, dir, bad, arg, err)) == 1)
			rc = fn(snap, git_tree_entry_name(ce), dir, arg, err);
		free(dir);
	}
	return rc;
}

int
ct_snapshot_each_case(ct_snapshot *snap, ct_case_fn fn, ct_misplaced_fn bad,
    void *arg, ct_error *err)
{
	git_repository *repo = snap->st->repo;
	git_tree *cases = NULL, *shard;
	const git_tree_entry *se;
	size_t i;
	int rc;

	rc = subtree(snap, "cases", &cases, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	for (i = 0; rc == 0 && i < git_tree_entrycount(cases); i++) {
		se = git_tree_entry_byindex(cases, i);
		if (git_tree_entry_type(se) != GIT_OBJECT_TREE)
			continue;
		if (git_tree_lookup(&shard, repo, git_tree_entry_id(se)) < 0) {
			rc = ct_git_fail(err, "reading cases/");
			break;
		}
		rc = each_case_of(snap, shard, git_tree_entry_name(se), fn, bad,
		    arg, err);
		git_tree_free(shard);
	}
	git_tree_free(cases);
	return rc;
}

int
ct_snapshot_each_case_in(ct_snapshot *snap, const char *shard, ct_case_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err)
{
	git_tree *t = NULL;
	char *dir = NULL;
	int rc;

	if (asprintf(&dir, "cases/%s", shard) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = subtree(snap, dir, &t, err);
	free(dir);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		return 0;
	}
	if (rc == 0)
		rc = each_case_of(snap, t, shard, fn, bad, arg, err);
	git_tree_free(t);
	return rc;
}
