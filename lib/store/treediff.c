/*
 * casetrail treediff: a two-tree diff that skips equal subtrees by id
 * (see include/casetrail/treediff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "casetrail/buf.h"
#include "casetrail/store.h"
#include "casetrail/treediff.h"

struct walk {
	git_repository *repo;
	ct_tree_change_fn fn;
	void *arg;
	ct_buf path;
};

static int
walk_trees(struct walk *w, const git_tree *a, const git_tree *b,
    ct_error *err);

static bool
is_tree(const git_tree_entry *e)
{
	return git_tree_entry_type(e) == GIT_OBJECT_TREE;
}

/* git's order of tree entries: a directory compares as "name/". */
static int
entry_cmp(const git_tree_entry *x, const git_tree_entry *y)
{
	const char *a = git_tree_entry_name(x), *b = git_tree_entry_name(y);
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = la > n ? (unsigned char)a[n] : is_tree(x) ? '/' : '\0';
	cb = lb > n ? (unsigned char)b[n] : is_tree(y) ? '/' : '\0';
	return (int)ca - (int)cb;
}

/* Descend into entry e of one side (the other side has nothing there),
 * or report it; a NULL side is x == NULL. */
static int
one_side(struct walk *w, const git_tree_entry *x, const git_tree_entry *y,
    ct_error *err)
{
	const git_tree_entry *e = x != NULL ? x : y;
	size_t keep = w->path.len;
	git_tree *t = NULL;
	ct_tree_change c;
	int rc;

	if (keep > 0)
		ct_buf_putc(&w->path, '/');
	ct_buf_puts(&w->path, git_tree_entry_name(e));
	if (w->path.failed) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if (is_tree(e)) {
		if (git_tree_lookup(&t, w->repo, git_tree_entry_id(e)) < 0) {
			rc = ct_error_set(err, CT_ERROR, "%s: cannot read the "
			    "tree", w->path.s);
			goto out;
		}
		rc = x != NULL ? walk_trees(w, t, NULL, err) :
		    walk_trees(w, NULL, t, err);
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.status = x != NULL ? GIT_DELTA_DELETED : GIT_DELTA_ADDED;
	c.path = w->path.s;
	git_oid_cpy(x != NULL ? &c.old_id : &c.new_id, git_tree_entry_id(e));
	*(x != NULL ? &c.old_mode : &c.new_mode) = git_tree_entry_filemode(e);
	rc = w->fn(&c, w->arg, err);
out:
	git_tree_free(t);
	ct_buf_truncate(&w->path, keep);
	return rc;
}

/* Both sides have an entry of this name and kind, with different ids. */
static int
both_sides(struct walk *w, const git_tree_entry *x, const git_tree_entry *y,
    ct_error *err)
{
	size_t keep = w->path.len;
	git_tree *ta = NULL, *tb = NULL;
	ct_tree_change c;
	int rc;

	if (keep > 0)
		ct_buf_putc(&w->path, '/');
	ct_buf_puts(&w->path, git_tree_entry_name(x));
	if (w->path.failed) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if (is_tree(x)) {
		if (git_tree_lookup(&ta, w->repo, git_tree_entry_id(x)) < 0 ||
		    git_tree_lookup(&tb, w->repo, git_tree_entry_id(y)) < 0) {
			rc = ct_error_set(err, CT_ERROR, "%s: cannot read the "
			    "tree", w->path.s);
			goto out;
		}
		rc = walk_trees(w, ta, tb, err);
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.status = GIT_DELTA_MODIFIED;
	c.path = w->path.s;
	git_oid_cpy(&c.old_id, git_tree_entry_id(x));
	git_oid_cpy(&c.new_id, git_tree_entry_id(y));
	c.old_mode = git_tree_entry_filemode(x);
	c.new_mode = git_tree_entry_filemode(y);
	rc = w->fn(&c, w->arg, err);
out:
	git_tree_free(ta);
	git_tree_free(tb);
	ct_buf_truncate(&w->path, keep);
	return rc;
}

static int
walk_trees(struct walk *w, const git_tree *a, const git_tree *b,
    ct_error *err)
{
	size_t na = a != NULL ? git_tree_entrycount(a) : 0;
	size_t nb = b != NULL ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	int rc = 0, c;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *x = i < na ?
		    git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ?
		    git_tree_entry_byindex(b, j) : NULL;

		c = x == NULL ? 1 : y == NULL ? -1 : entry_cmp(x, y);
		if (c < 0) {
			rc = one_side(w, x, NULL, err);
			i++;
		} else if (c > 0) {
			rc = one_side(w, NULL, y, err);
			j++;
		} else {
			if (!git_oid_equal(git_tree_entry_id(x),
			    git_tree_entry_id(y)) ||
			    git_tree_entry_filemode(x) !=
			    git_tree_entry_filemode(y))
				rc = both_sides(w, x, y, err);
			i++;
			j++;
		}
	}
	return rc;
}

int
ct_tree_diff(git_repository *repo, const git_tree *a, const git_tree *b,
    ct_tree_change_fn fn, void *arg, ct_error *err)
{
	struct walk w = { .repo = repo, .fn = fn, .arg = arg };
	int rc;

	ct_buf_puts(&w.path, "");
	rc = walk_trees(&w, a, b, err);
	ct_buf_free(&w.path);
	return rc;
}

struct list {
	ct_tree_change *v;
	size_t n, cap;
};

static int
list_add(const ct_tree_change *c, void *arg, ct_error *err)
{
	struct list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		ct_tree_change *g = realloc(l->v, cap * sizeof(*g));

		if (g == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		l->v = g;
		l->cap = cap;
	}
	l->v[l->n] = *c;
	if ((l->v[l->n].path = strdup(c->path)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	l->n++;
	return 0;
}

int
ct_tree_diff_list(git_repository *repo, const git_tree *a, const git_tree *b,
    ct_tree_change **out, size_t *n, ct_error *err)
{
	struct list l = { 0 };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ct_tree_diff(repo, a, b, list_add, &l, err)) != 0) {
		ct_tree_changes_free(l.v, l.n);
		return rc;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

void
ct_tree_changes_free(ct_tree_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)v[i].path);
	free(v);
}

int
ct_blob_yaml(git_repository *repo, const git_oid *id, const char *path,
    ct_node **doc, ct_error *err)
{
	git_blob *b = NULL;
	int rc;

	*doc = NULL;
	if (git_blob_lookup(&b, repo, id) < 0)
		return ct_git_fail(err, path);
	rc = ct_yaml_load(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
	    path, doc, err);
	git_blob_free(b);
	return rc < 0 ? CT_EINVALID : 0;
}
