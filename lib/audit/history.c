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
 *
 * The case log reads, for each such commit, only the records the commit
 * changed, from the snapshots of the commit and its parent, and compares
 * the parsed trees (ct_diff_trees).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/history.h"
#include "casetrail/trailers.h"
#include "casetrail/util.h"
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

struct ct_case_log {
	ct_store *st;
	ct_history *h;
	char *dir;
	char *record;        /* the filter's, normalised; NULL: all */
	char *field;
	bool has_since;
	ct_date since;
	bool done;           /* the walk reached a commit before since */
	ct_log_commit c;
};

/* The record name of a file: its relative path without ".yaml". */
static char *
record_name(const char *path)
{
	size_t n = strlen(path);

	if (n > 5 && strcmp(path + n - 5, ".yaml") == 0)
		n -= 5;
	return strndup(path, n);
}

/* True when the record name is the filter's record or lies below it. */
static bool
record_match(const ct_case_log *log, const char *name)
{
	size_t n;

	if (log->record == NULL)
		return true;
	n = strlen(log->record);
	return strncmp(name, log->record, n) == 0 &&
	    (name[n] == '\0' || name[n] == '/');
}

/* True when path is the filter's field or lies below it ("field." or
 * "field["). */
static bool
field_match(const ct_case_log *log, const char *path)
{
	size_t n;

	if (log->field == NULL)
		return true;
	n = strlen(log->field);
	return strncmp(path, log->field, n) == 0 &&
	    (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

static void
commit_clear(ct_log_commit *c)
{
	size_t i;

	for (i = 0; i < c->nchanges; i++) {
		free(c->changes[i].record);
		free(c->changes[i].field.path);
		ct_node_free(c->changes[i].field.old);
		ct_node_free(c->changes[i].field.new);
	}
	free(c->changes);
	free(c->tool);
	free(c->action);
	free(c->reason);
	free(c->approved_by);
	memset(c, 0, sizeof(*c));
}

/* Append a change for name; takes field (and clears it) even on failure. */
static int
add_change(ct_log_commit *c, const char *name, bool removed,
    ct_diff_change *field, ct_error *err)
{
	ct_log_change *grown, *ch;
	ct_diff_change none = { 0 };

	if (field == NULL)
		field = &none;
	grown = realloc(c->changes, (c->nchanges + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(field->path);
		ct_node_free(field->old);
		ct_node_free(field->new);
		memset(field, 0, sizeof(*field));
		return ct_nomem(err);
	}
	c->changes = grown;
	ch = &c->changes[c->nchanges++];
	ch->removed = removed;
	ch->field = *field;
	memset(field, 0, sizeof(*field));
	if ((ch->record = strdup(name)) == NULL)
		return ct_nomem(err);
	return 0;
}

/* The field changes of one file (a record) between the two snapshots. */
static int
record_changes(ct_case_log *log, ct_snapshot *old, ct_snapshot *new_,
    const ct_history_file *f, const char *name, ct_error *err)
{
	ct_node *a = NULL, *b = NULL;
	ct_diff d = { 0 };
	char *path = NULL;
	size_t i;
	int rc = 0;

	if (f->status == CT_HISTORY_REMOVED && log->field == NULL)
		return add_change(&log->c, name, true, NULL, err);
	if (asprintf(&path, "%s/%s", log->dir, f->path) < 0)
		return ct_nomem(err);
	if ((f->status != CT_HISTORY_ADDED &&
	    (rc = ct_snapshot_parse(old, path, &a, err)) < 0) ||
	    (f->status != CT_HISTORY_REMOVED &&
	    (rc = ct_snapshot_parse(new_, path, &b, err)) < 0) ||
	    (rc = ct_diff_trees(a, b, &d, err)) < 0)
		goto cleanup;
	for (i = 0; i < d.n && rc == 0; i++)
		if (field_match(log, d.v[i].path))
			rc = add_change(&log->c, name, false, &d.v[i], err);
cleanup:
	ct_diff_clear(&d);
	ct_node_free(a);
	ct_node_free(b);
	free(path);
	return rc;
}

static int
commit_changes(ct_case_log *log, char **names, ct_error *err)
{
	const ct_history_entry *e = &log->c.entry;
	ct_snapshot *old = NULL, *new_ = NULL;
	size_t i;
	int rc;

	if ((rc = ct_snapshot_open(log->st, e->commit, &new_, err)) < 0 ||
	    (e->parent[0] != '\0' &&
	    (rc = ct_snapshot_open(log->st, e->parent, &old, err)) < 0))
		goto cleanup;
	for (i = 0; i < e->nfiles && rc == 0; i++)
		if (record_match(log, names[i]))
			rc = record_changes(log, old, new_, &e->files[i],
			    names[i], err);
cleanup:
	ct_snapshot_free(old);
	ct_snapshot_free(new_);
	return rc;
}

static int
commit_trailers(ct_log_commit *c, ct_error *err)
{
	const char *msg = c->entry.message;
	int rc;

	if ((rc = ct_trailer_get(msg, "Tool", &c->tool, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Action", &c->action, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Reason", &c->reason, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Approved-by", &c->approved_by,
	    err)) < 0)
		return rc;
	if (c->tool != NULL)
		c->tool[strcspn(c->tool, " ")] = '\0'; /* "case-event 0.1.0" */
	return 0;
}

/* Fill log->c from the entry: 1 when the filter keeps it, 0 when not. */
static int
one_commit(ct_case_log *log, ct_error *err)
{
	const ct_history_entry *e = &log->c.entry;
	bool filtered = log->record != NULL || log->field != NULL;
	char **names;
	size_t i, n = 0;
	int rc = 0;

	if ((names = calloc(e->nfiles + 1, sizeof(*names))) == NULL)
		return ct_nomem(err);
	for (i = 0; i < e->nfiles; i++) {
		if ((names[i] = record_name(e->files[i].path)) == NULL) {
			rc = ct_nomem(err);
			goto cleanup;
		}
		if (record_match(log, names[i]))
			n++;
	}
	if (n == 0 && filtered)
		goto cleanup;
	if ((rc = commit_changes(log, names, err)) < 0)
		goto cleanup;
	if (log->c.nchanges == 0 && filtered)
		goto cleanup;
	if ((rc = commit_trailers(&log->c, err)) == 0)
		rc = 1;
cleanup:
	ct_strv_free(names);
	return rc;
}

int
ct_case_log_open(ct_store *st, const char *dir, const ct_log_filter *f,
    ct_case_log **out, ct_error *err)
{
	ct_case_log *log;
	size_t len;
	int rc;

	*out = NULL;
	if ((log = calloc(1, sizeof(*log))) == NULL ||
	    (log->dir = strdup(dir)) == NULL) {
		free(log);
		return ct_nomem(err);
	}
	log->st = st;
	if (f != NULL && f->record != NULL) {
		if ((log->record = record_name(f->record)) == NULL) {
			rc = ct_nomem(err);
			goto fail;
		}
		len = strlen(log->record);
		while (len > 0 && log->record[len - 1] == '/')
			log->record[--len] = '\0';
		if (len == 0) {
			rc = ct_error_set(err, CT_EINVALID,
			    "--record: empty record name");
			goto fail;
		}
	}
	if (f != NULL && f->field != NULL && (f->field[0] == '\0' ||
	    (log->field = strdup(f->field)) == NULL)) {
		rc = f->field[0] == '\0' ? ct_error_set(err, CT_EINVALID,
		    "--field: empty field path") : ct_nomem(err);
		goto fail;
	}
	log->has_since = f != NULL && f->has_since;
	log->since = f != NULL ? f->since : 0;
	if ((rc = ct_history_open(st, dir, &log->h, err)) < 0)
		goto fail;
	*out = log;
	return 0;
fail:
	ct_case_log_free(log);
	return rc;
}

/* The local day of a commit, days since the epoch. */
static long long
local_day(const ct_history_entry *e)
{
	long long t = e->time + (long long)e->offset * 60;

	return (t - ((t % 86400) + 86400) % 86400) / 86400;
}

int
ct_case_log_next(ct_case_log *log, const ct_log_commit **c, ct_error *err)
{
	int rc;

	*c = NULL;
	for (;;) {
		commit_clear(&log->c);
		if (log->done ||
		    (rc = ct_history_next(log->h, &log->c.entry, err)) <= 0)
			return log->done ? 0 : rc;
		if (log->has_since && local_day(&log->c.entry) < log->since) {
			log->done = true;
			return 0;
		}
		if ((rc = one_commit(log, err)) < 0)
			return rc;
		if (rc > 0) {
			*c = &log->c;
			return 1;
		}
	}
}

void
ct_case_log_free(ct_case_log *log)
{
	if (log == NULL)
		return;
	commit_clear(&log->c);
	ct_history_free(log->h);
	free(log->dir);
	free(log->record);
	free(log->field);
	free(log);
}
