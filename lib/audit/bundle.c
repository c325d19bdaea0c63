/*
 * Case bundles: one case's history as raw git objects, made from a store
 * and checked with nothing but the file (bundle.h).
 *
 * The checker loads the objects into an in-memory object database
 * (libgit2's mempack), each only when its bytes hash to the id the file
 * gives it, so that a changed object is simply absent under its id and
 * everything that names it fails to find it.  Then the case's commits are
 * walked in the file's order as store-verify walks a store: the tree down
 * to the case, the files below it, the signature against the keys the
 * commit's own tree registers (a case commit changes nothing outside the
 * case: ct_bundle_make refuses one that does).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>

#include "casetrail/bundle.h"
#include "casetrail/case.h"
#include "casetrail/checkpoint.h"
#include "casetrail/diff.h"
#include "casetrail/disclosure.h"
#include "casetrail/kind.h"
#include "casetrail/output.h"
#include "casetrail/registry.h"
#include "casetrail/schema.h"
#include "casetrail/sign.h"
#include "casetrail/treediff.h"
#include "casetrail/util.h"
#include "casetrail/walk.h"
#include "casetrail/yaml.h"

/* One commit of the case: its id, the case directory before and after. */
struct ccommit {
	git_oid id, before, after;
	bool has_before, has_after;
};

struct ccommits {
	struct ccommit *v;
	size_t n, cap;
};

struct objs {
	git_oid *v;
	size_t n, cap;
};

static int
objs_add(struct objs *o, const git_oid *id, ct_error *err)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		git_oid *v = realloc(o->v, cap * sizeof(*v));

		if (v == NULL)
			return ct_nomem(err);
		o->v = v;
		o->cap = cap;
	}
	git_oid_cpy(&o->v[o->n++], id);
	return 0;
}

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* The id of the entry at path in root; false when there is none. */
static bool
entry_at(git_tree *root, const char *path, git_oid *out)
{
	git_tree_entry *e = NULL;

	if (git_tree_entry_bypath(&e, root, path) < 0)
		return false;
	git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return true;
}

/* The tree id and everything below it. */
static int
add_all(git_repository *repo, const git_oid *id, struct objs *o,
    ct_error *err)
{
	git_tree *t = NULL;
	size_t i;
	int rc;

	if ((rc = objs_add(o, id, err)) < 0)
		return rc;
	if (git_tree_lookup(&t, repo, id) < 0)
		return ct_git_fail(err, "reading a tree");
	for (i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);

		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = add_all(repo, git_tree_entry_id(e), o, err);
		else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			rc = objs_add(o, git_tree_entry_id(e), err);
	}
	git_tree_free(t);
	return rc;
}

/* The trees on the path from root to path and what is there (all of it
 * below a directory); nothing when path is absent. */
static int
add_path(git_repository *repo, git_tree *root, const char *path,
    struct objs *o, ct_error *err)
{
	char *p;
	git_oid id;
	int rc = 0;

	if ((p = strdup(path)) == NULL)
		return ct_nomem(err);
	for (char *s = strchr(p, '/'); rc == 0 && s != NULL;
	    s = strchr(s + 1, '/')) {
		*s = '\0';
		if (entry_at(root, p, &id))
			rc = objs_add(o, &id, err);
		*s = '/';
	}
	if (rc == 0 && entry_at(root, p, &id)) {
		git_object_t t = GIT_OBJECT_BLOB;
		git_tree_entry *e = NULL;

		if (git_tree_entry_bypath(&e, root, p) == 0)
			t = git_tree_entry_type(e);
		git_tree_entry_free(e);
		rc = t == GIT_OBJECT_TREE ? add_all(repo, &id, o, err) :
		    objs_add(o, &id, err);
	}
	free(p);
	return rc;
}

/* Does dir in the tree of some parent of the merge c other than the
 * first hold what c has (present: after)?  Then c brought nothing new to
 * it: the parent's side did. */
static bool
from_a_side(git_commit *c, const char *dir, bool present,
    const git_oid *after)
{
	unsigned i;
	bool same = false;

	for (i = 1; !same && i < git_commit_parentcount(c); i++) {
		git_commit *p = NULL;
		git_tree *t = NULL;
		git_oid id;

		if (git_commit_parent(&p, c, i) == 0 &&
		    git_commit_tree(&t, p) == 0) {
			bool has = entry_at(t, dir, &id);

			same = has == present && (!has ||
			    git_oid_equal(&id, after));
		}
		git_tree_free(t);
		git_commit_free(p);
	}
	return same;
}

/*
 * The commits of tip's history that changed dir (compared with their
 * first parent), oldest first.  A merge is one of them only when it made
 * a directory that none of its parents had: both sides changed the case
 * (different files; store-sync reports the same file changed on both),
 * and the commit after it starts from what the merge made.
 */
static int
collect(git_repository *repo, const git_oid *tip, const char *dir,
    struct ccommits *out, ct_error *err)
{
	const ct_walk_step *s;
	ct_walk *w = NULL;
	int rc;

	if ((rc = ct_walk_open(repo, tip, NULL, 0, &w, err)) < 0)
		return rc;
	while ((rc = ct_walk_next(w, &s, err)) == 1) {
		struct ccommit c = { 0 };

		c.has_after = entry_at(s->tree, dir, &c.after);
		c.has_before = s->ptree != NULL &&
		    entry_at(s->ptree, dir, &c.before);
		if (c.has_after == c.has_before && (!c.has_after ||
		    git_oid_equal(&c.after, &c.before)))
			continue;
		if (s->nparents > 1 && from_a_side(s->commit, dir, c.has_after,
		    &c.after))
			continue;
		git_oid_cpy(&c.id, git_commit_id(s->commit));
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			struct ccommit *v = realloc(out->v, cap * sizeof(*v));

			if (v == NULL) {
				rc = ct_nomem(err);
				break;
			}
			out->v = v;
			out->cap = cap;
		}
		out->v[out->n++] = c;
	}
	ct_walk_free(w);
	return rc < 0 ? rc : 0;
}

/* The "commit" header line of a commit and the case directory before it
 * (NULL: none). */
static void
commit_line(ct_buf *b, const git_oid *id, const git_oid *before)
{
	char hex[GIT_OID_HEXSZ + 1], bhex[GIT_OID_HEXSZ + 1] = "-";

	if (before != NULL)
		git_oid_tostr(bhex, sizeof(bhex), before);
	ct_buf_printf(b, "commit %s %s\n", git_oid_tostr(hex, sizeof(hex),
	    id), bhex);
}

/* The register entry's reference for n commits whose header lines are
 * lines. */
static int
binding_ref(const ct_buf *lines, size_t n, char **ref, ct_error *err)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid id;

	*ref = NULL;
	if (lines->failed)
		return ct_nomem(err);
	if (git_odb_hash(&id, lines->s != NULL ? lines->s : "", lines->len,
	    GIT_OBJECT_BLOB) < 0)
		return ct_git_fail(err, "hashing the list of commits");
	if (asprintf(ref, CT_BUNDLE_REF_PREFIX "%zu commits of the case "
	    "before this one, list %s", n, git_oid_tostr(hex, sizeof(hex),
	    &id)) < 0) {
		*ref = NULL;
		return ct_nomem(err);
	}
	return 0;
}

static int
binding_of(const struct ccommit *v, size_t n, char **ref, ct_error *err)
{
	ct_buf b = { 0 };
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		commit_line(&b, &v[i].id, v[i].has_before ? &v[i].before :
		    NULL);
	rc = binding_ref(&b, n, ref, err);
	ct_buf_free(&b);
	return rc;
}

static int
resolve_tip(git_repository *repo, const char *tip, git_oid *out,
    ct_error *err)
{
	if (tip == NULL) {
		if (git_reference_name_to_id(out, repo, CT_BRANCH) < 0)
			return ct_git_fail(err, "reading main");
		return 0;
	}
	if (git_oid_fromstr(out, tip) < 0)
		return ct_error_set(err, CT_EINVALID, "not a commit id: %s",
		    tip);
	return 0;
}

int
ct_bundle_binding(ct_store *st, const char *case_id, const char *at,
    char **ref, ct_error *err)
{
	struct ccommits cs = { 0 };
	char *dir = NULL;
	git_oid tip;
	int rc;

	*ref = NULL;
	if ((rc = ct_case_dir(case_id, &dir, err)) == 0 &&
	    (rc = resolve_tip(ct_store_repo(st), at, &tip, err)) == 0 &&
	    (rc = collect(ct_store_repo(st), &tip, dir, &cs, err)) == 0)
		rc = binding_of(cs.v, cs.n, ref, err);
	free(cs.v);
	free(dir);
	return rc;
}

/* A case commit must leave the settings and the registry as its parent
 * had them: its signature is checked against the keys of its own tree.
 * A merge's other side may have changed them (and was checked by the
 * central hook against its own parent); the merge is checked against the
 * keys it holds. */
static int
keys_kept(git_repository *repo, const struct ccommit *c, ct_error *err)
{
	static const char *const paths[] = { CT_SETTINGS_PATH, "registry" };
	git_commit *cm = NULL, *p = NULL;
	git_tree *t = NULL, *pt = NULL;
	git_oid a, b;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc = 0;

	if (git_commit_lookup(&cm, repo, &c->id) < 0 ||
	    git_commit_tree(&t, cm) < 0)
		return ct_git_fail(err, "reading a commit");
	if (git_commit_parentcount(cm) != 1)
		goto out;
	if (git_commit_parent(&p, cm, 0) < 0 || git_commit_tree(&pt, p) < 0) {
		rc = ct_git_fail(err, "reading a commit");
		goto out;
	}
	for (i = 0; i < 2; i++) {
		bool x = entry_at(t, paths[i], &a), y = entry_at(pt, paths[i],
		    &b);

		if (x != y || (x && !git_oid_equal(&a, &b)))
			rc = ct_error_set(err, CT_EINVALID, "commit %.12s "
			    "changes the case and %s together: its signature "
			    "could not be checked offline against its "
			    "parent's keys; no bundle made",
			    git_oid_tostr(hex, sizeof(hex), &c->id), paths[i]);
	}
out:
	git_tree_free(pt);
	git_tree_free(t);
	git_commit_free(p);
	git_commit_free(cm);
	return rc;
}

/* The objects of one commit of the case. */
static int
commit_objects(git_repository *repo, const struct ccommit *c,
    const char *dir, struct objs *o, ct_error *err)
{
	static const char *const paths[] = { CT_SETTINGS_PATH,
	    CT_OPERATORS_PATH, CT_ALLOWED_SIGNERS_PATH, CT_OPENPGP_KEYS_DIR };
	git_commit *cm = NULL;
	git_tree *t = NULL;
	size_t i;
	int rc;

	if (git_commit_lookup(&cm, repo, &c->id) < 0 ||
	    git_commit_tree(&t, cm) < 0) {
		git_commit_free(cm);
		return ct_git_fail(err, "reading a commit");
	}
	if ((rc = objs_add(o, &c->id, err)) == 0 &&
	    (rc = objs_add(o, git_tree_id(t), err)) == 0)
		rc = add_path(repo, t, dir, o, err);
	for (i = 0; rc == 0 && i < sizeof(paths) / sizeof(paths[0]); i++)
		rc = add_path(repo, t, paths[i], o, err);
	git_tree_free(t);
	git_commit_free(cm);
	return rc;
}

/*
 * The checkpoints held that hold a commit of the case.  Of a nightly
 * checkpoint's years only these are kept: for each operator, the first
 * that holds each commit (the witness that it was there by then) and the
 * last (the history as lately seen).
 */
struct cand {
	git_oid tag;
	size_t covers;         /* the newest commit of the case it holds */
	long long when;
	char *by;
	bool keep;
};

struct cps {
	git_repository *repo;
	const struct ccommits *cs;
	struct cand *v;
	size_t n;
};

static int
checkpoint_fn(const ct_checkpoint *cp, void *arg, ct_error *err)
{
	struct cps *c = arg;
	struct cand *g;
	git_oid tag, at;
	size_t i;

	if (cp->commit[0] == '\0' || cp->by == NULL ||
	    git_reference_name_to_id(&tag, c->repo, cp->ref) < 0 ||
	    git_oid_fromstr(&at, cp->commit) < 0)
		return 0;
	for (i = 0; i < c->n; i++)
		if (git_oid_equal(&c->v[i].tag, &tag))
			return 0;
	for (i = c->cs->n; i-- > 0;) {
		const git_oid *id = &c->cs->v[i].id;

		if (git_oid_equal(id, &at) ||
		    git_graph_descendant_of(c->repo, &at, id) == 1)
			break;
	}
	if (i == (size_t)-1)
		return 0;
	if ((g = realloc(c->v, (c->n + 1) * sizeof(*g))) == NULL)
		return ct_nomem(err);
	c->v = g;
	g[c->n] = (struct cand){ .covers = i, .when = cp->when,
	    .by = strdup(cp->by) };
	git_oid_cpy(&g[c->n].tag, &tag);
	if (g[c->n].by == NULL)
		return ct_nomem(err);
	c->n++;
	return 0;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return git_oid_cmp(&x->tag, &y->tag);
}

/* Keep the first of each operator and commit, and each operator's last;
 * the kept ones first, in time order. */
static size_t
select_checkpoints(struct cps *c)
{
	size_t i, j, kept = 0;

	if (c->n == 0)
		return 0;
	qsort(c->v, c->n, sizeof(*c->v), cand_cmp);
	for (i = 0; i < c->n; i++) {
		bool first = true, last = true;

		for (j = 0; j < c->n; j++) {
			if (j == i || strcmp(c->v[j].by, c->v[i].by) != 0)
				continue;
			if (j < i && c->v[j].covers == c->v[i].covers)
				first = false;
			if (j > i)
				last = false;
		}
		c->v[i].keep = first || last;
	}
	for (i = 0; i < c->n; i++)
		if (c->v[i].keep) {
			struct cand t = c->v[kept];

			c->v[kept++] = c->v[i];
			c->v[i] = t;
		}
	return kept;
}

static int
write_objects(git_repository *repo, struct objs *o, ct_buf *out,
    ct_error *err)
{
	git_odb *odb = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (o->n > 0)
		qsort(o->v, o->n, sizeof(*o->v), oid_cmp);
	for (i = 0; i < o->n; i++)
		if (n == 0 || !git_oid_equal(&o->v[n - 1], &o->v[i]))
			git_oid_cpy(&o->v[n++], &o->v[i]);
	o->n = n;
	if (git_repository_odb(&odb, repo) < 0)
		return ct_git_fail(err, "opening the object database");
	ct_buf_printf(out, "objects %zu\n", o->n);
	for (i = 0; rc == 0 && i < o->n; i++) {
		git_odb_object *obj = NULL;
		char hex[GIT_OID_HEXSZ + 1];

		if (git_odb_read(&obj, odb, &o->v[i]) < 0) {
			rc = ct_git_fail(err, "reading an object");
			break;
		}
		ct_buf_printf(out, "%s %s %zu\n",
		    git_object_type2string(git_odb_object_type(obj)),
		    git_oid_tostr(hex, sizeof(hex), &o->v[i]),
		    git_odb_object_size(obj));
		ct_buf_add(out, git_odb_object_data(obj),
		    git_odb_object_size(obj));
		ct_buf_putc(out, '\n');
		git_odb_object_free(obj);
	}
	ct_buf_puts(out, "end\n");
	git_odb_free(odb);
	if (rc == 0 && out->failed)
		rc = ct_nomem(err);
	return rc;
}

int
ct_bundle_make(ct_store *st, const char *case_id, const char *tip,
    bool disclosure, ct_buf *out, ct_bundle_stats *stats, ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	struct ccommits cs = { 0 };
	struct cps cp = { .repo = repo, .cs = &cs };
	struct objs o = { 0 };
	char *dir = NULL, hex[GIT_OID_HEXSZ + 1];
	git_oid at;
	size_t i, ncps = 0;
	int rc;

	if ((rc = ct_case_dir(case_id, &dir, err)) < 0 ||
	    (rc = resolve_tip(repo, tip, &at, err)) < 0 ||
	    (rc = collect(repo, &at, dir, &cs, err)) < 0)
		goto out;
	if (cs.n == 0) {
		rc = ct_error_set(err, CT_ENOTFOUND, "case %s has no commits "
		    "on main", case_id);
		goto out;
	}
	if (disclosure && !git_oid_equal(&cs.v[cs.n - 1].id, &at)) {
		rc = ct_error_set(err, CT_ERROR, "the register entry's "
		    "commit is not the case's last");
		goto out;
	}
	for (i = 0; rc == 0 && i < cs.n; i++)
		if ((rc = keys_kept(repo, &cs.v[i], err)) == 0)
			rc = commit_objects(repo, &cs.v[i], dir, &o, err);
	if (rc == 0 && (rc = ct_checkpoint_each(st, CT_CHECKPOINT_REFS,
	    checkpoint_fn, &cp, err)) == 0)
		rc = ct_checkpoint_each(st, "refs/remotes/*/checkpoints/",
		    checkpoint_fn, &cp, err);
	if (rc < 0)
		goto out;
	ct_buf_printf(out, "%s\ncase %s\ndir %s\n", CT_BUNDLE_MAGIC, case_id,
	    dir);
	for (i = 0; i < cs.n; i++)
		commit_line(out, &cs.v[i].id, cs.v[i].has_before ?
		    &cs.v[i].before : NULL);
	ncps = select_checkpoints(&cp);
	for (i = 0; rc == 0 && i < ncps; i++) {
		ct_buf_printf(out, "checkpoint %s",
		    git_oid_tostr(hex, sizeof(hex), &cp.v[i].tag));
		ct_buf_printf(out, " %s\n", git_oid_tostr(hex, sizeof(hex),
		    &cs.v[cp.v[i].covers].id));
		rc = objs_add(&o, &cp.v[i].tag, err);
	}
	if (disclosure)
		ct_buf_printf(out, "disclosure %s\n", git_oid_tostr(hex,
		    sizeof(hex), &at));
	if (rc == 0)
		rc = write_objects(repo, &o, out, err);
	if (rc == 0 && stats != NULL) {
		stats->commits = cs.n;
		stats->checkpoints = ncps;
		stats->objects = o.n;
	}
out:
	for (i = 0; i < cp.n; i++)
		free(cp.v[i].by);
	free(cp.v);
	free(o.v);
	free(cs.v);
	free(dir);
	return rc;
}

/*
 * Checking.
 */

struct centry {
	git_oid id, before, after;
	bool has_before, has_after, present;
};

struct cpentry {
	git_oid tag, covers;
};

struct vb {
	git_repository *repo;
	const ct_bundle_opts *o;
	ct_bundle_problem_fn fn;
	void *arg;
	ct_buf *out;
	size_t problems;
	char *case_id, *dir;
	struct centry *commits;
	size_t ncommits;
	struct cpentry *cps;
	size_t ncps;
	bool has_disclosure;
	git_oid disclosure;
	size_t nobjects, signatures, unsigned_store, bindings;
	bool last_entry;     /* the last commit adds a bundle's entry */
	struct objs missing; /* the objects reported missing */
	struct objs keys;    /* the key files of the bundle used */
	ct_schema *schemas[CT_KIND_COUNT];
	ct_node *entry;      /* the disclosure entry of the last commit */
};

static int
vproblem(struct vb *v, const git_oid *id, const char *rule, ct_error *err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

struct vproblem {
	struct vb *v;
	const char *id, *rule;
};

static int
vproblem_fn(const char *what, void *arg, ct_error *err)
{
	const struct vproblem *p = arg;

	p->v->problems++;
	return p->v->fn(p->id, p->rule, what, p->v->arg, err);
}

static int
vproblem(struct vb *v, const git_oid *id, const char *rule, ct_error *err,
    const char *fmt, ...)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct vproblem p = { v, id != NULL ? hex : NULL, rule };
	va_list ap;
	int rc;

	if (id != NULL)
		git_oid_tostr(hex, sizeof(hex), id);
	va_start(ap, fmt);
	rc = ct_vformat_to(vproblem_fn, &p, err, fmt, ap);
	va_end(ap);
	return rc;
}

/* The next line of the header: [*p, nl) with *p moved past it. */
static bool
next_line(const char **p, const char *end, char *buf, size_t size)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));

	if (nl == NULL || (size_t)(nl - *p) >= size)
		return false;
	memcpy(buf, *p, (size_t)(nl - *p));
	buf[nl - *p] = '\0';
	*p = nl + 1;
	return true;
}

static int
bad(ct_error *err, const char *what)
{
	return ct_error_set(err, CT_EINVALID, "not a casetrail bundle: %s",
	    what);
}

static int
add_commit_line(struct vb *v, const char *id, const char *before,
    ct_error *err)
{
	struct centry *c, *g;

	if ((g = realloc(v->commits, (v->ncommits + 1) * sizeof(*g))) == NULL)
		return ct_nomem(err);
	v->commits = g;
	c = &v->commits[v->ncommits];
	memset(c, 0, sizeof(*c));
	if (git_oid_fromstr(&c->id, id) < 0 || (strcmp(before, "-") != 0 &&
	    git_oid_fromstr(&c->before, before) < 0))
		return bad(err, "a commit line without two ids");
	c->has_before = strcmp(before, "-") != 0;
	v->ncommits++;
	return 0;
}

static int
add_checkpoint_line(struct vb *v, const char *tag, const char *covers,
    ct_error *err)
{
	struct cpentry *g;

	if ((g = realloc(v->cps, (v->ncps + 1) * sizeof(*g))) == NULL)
		return ct_nomem(err);
	v->cps = g;
	if (git_oid_fromstr(&g[v->ncps].tag, tag) < 0 ||
	    git_oid_fromstr(&g[v->ncps].covers, covers) < 0)
		return bad(err, "a checkpoint line without two ids");
	v->ncps++;
	return 0;
}

/* The header, up to and with its "objects" line. */
static int
parse_header(struct vb *v, const char **p, const char *end, ct_error *err)
{
	char line[256], a[128], b[128];
	int rc;

	if (!next_line(p, end, line, sizeof(line)) ||
	    strcmp(line, CT_BUNDLE_MAGIC) != 0)
		return bad(err, "its first line is not \"" CT_BUNDLE_MAGIC "\"");
	while (next_line(p, end, line, sizeof(line))) {
		if (sscanf(line, "case %127s", a) == 1 && v->case_id == NULL) {
			if ((v->case_id = strdup(a)) == NULL)
				return ct_nomem(err);
		} else if (sscanf(line, "dir %127s", a) == 1 && v->dir == NULL) {
			if ((v->dir = strdup(a)) == NULL)
				return ct_nomem(err);
		} else if (sscanf(line, "commit %127s %127s", a, b) == 2) {
			if ((rc = add_commit_line(v, a, b, err)) < 0)
				return rc;
		} else if (sscanf(line, "checkpoint %127s %127s", a, b) == 2) {
			if ((rc = add_checkpoint_line(v, a, b, err)) < 0)
				return rc;
		} else if (sscanf(line, "disclosure %127s", a) == 1) {
			if (git_oid_fromstr(&v->disclosure, a) < 0)
				return bad(err, "a disclosure line without "
				    "an id");
			v->has_disclosure = true;
		} else if (sscanf(line, "objects %zu", &v->nobjects) == 1)
			return v->case_id != NULL && v->dir != NULL &&
			    v->ncommits > 0 ? 0 :
			    bad(err, "no case, directory or commit");
		else
			return bad(err, "an unknown header line");
	}
	return bad(err, "the header has no objects line");
}

/* The objects: each one kept only when its bytes hash to its id. */
static int
load_objects(struct vb *v, git_odb *odb, const char *p, const char *end,
    ct_error *err)
{
	char line[256], type[16], hex[GIT_OID_HEXSZ + 1];
	git_oid want, got;
	size_t i, size;
	int rc = 0;

	for (i = 0; rc == 0 && i < v->nobjects; i++) {
		git_object_t t;

		if (!next_line(&p, end, line, sizeof(line)) ||
		    sscanf(line, "%15s %40s %zu", type, hex, &size) != 3 ||
		    git_oid_fromstr(&want, hex) < 0 ||
		    (t = git_object_string2type(type)) == GIT_OBJECT_INVALID)
			return bad(err, "an object without type, id and size");
		if (size >= (size_t)(end - p) || p[size] != '\n')
			return bad(err, "an object is cut short (the file is "
			    "truncated)");
		if (git_odb_hash(&got, p, size, t) < 0)
			return ct_git_fail(err, "hashing an object");
		if (!git_oid_equal(&got, &want))
			rc = vproblem(v, &want, "object-changed", err, "the "
			    "%s's content does not hash to its id (it hashes "
			    "to %.12s): it was changed", type,
			    git_oid_tostr(hex, sizeof(hex), &got));
		else if (git_odb_write(&got, odb, p, size, t) < 0)
			return ct_git_fail(err, "keeping an object");
		p += size + 1;
	}
	if (rc == 0 && (!next_line(&p, end, line, sizeof(line)) ||
	    strcmp(line, "end") != 0 || p != end))
		return bad(err, "it does not end after its objects");
	return rc;
}

/* The blob at path in root, NUL-terminated; *buf NULL when absent.  Its
 * id goes to *id when id is not NULL. */
static int
blob_at(struct vb *v, git_tree *root, const char *path, char **buf,
    size_t *len, git_oid *id)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;

	*buf = NULL;
	*len = 0;
	if (git_tree_entry_bypath(&e, root, path) < 0)
		return 0;
	if (git_blob_lookup(&b, v->repo, git_tree_entry_id(e)) == 0 &&
	    (*buf = malloc((size_t)git_blob_rawsize(b) + 1)) != NULL) {
		*len = (size_t)git_blob_rawsize(b);
		if (*len > 0)
			memcpy(*buf, git_blob_rawcontent(b), *len);
		(*buf)[*len] = '\0';
		if (id != NULL)
			git_oid_cpy(id, git_tree_entry_id(e));
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	return 0;
}

static ct_node *
yaml_at(struct vb *v, git_tree *root, const char *path)
{
	ct_error ignored = { 0 };
	ct_node *doc = NULL;
	char *buf;
	size_t len;

	(void)blob_at(v, root, path, &buf, &len, NULL);
	if (buf != NULL && ct_yaml_load(buf, len, path, &doc, &ignored) < 0)
		doc = NULL;
	ct_error_clear(&ignored);
	free(buf);
	return doc;
}

/* Note the key file id among those used. */
static int
note_keys(struct vb *v, const git_oid *id, ct_error *err)
{
	size_t i;

	for (i = 0; i < v->keys.n; i++)
		if (git_oid_equal(&v->keys.v[i], id))
			return 0;
	return objs_add(&v->keys, id, err);
}

/* The author's keys as root registers them: allowed_signers for ssh,
 * registry/openpgp/<id>.asc for OpenPGP; *keys NULL when none. */
static int
keys_at(struct vb *v, git_tree *root, ct_sign_format f, const char *email,
    bool *registered, char **keys, size_t *len, ct_error *err)
{
	ct_node *ops = yaml_at(v, root, CT_OPERATORS_PATH);
	const ct_node *op = ct_registry_find(ops, "operators", "email", email);
	char *path = NULL;
	git_oid id;
	int rc = 0;

	*keys = NULL;
	*registered = op != NULL && ct_map_str(op, "id") != NULL;
	if (f == CT_SIGN_SSH)
		rc = blob_at(v, root, CT_ALLOWED_SIGNERS_PATH, keys, len, &id);
	else if (*registered && asprintf(&path, "%s/%s.asc",
	    CT_OPENPGP_KEYS_DIR, ct_map_str(op, "id")) < 0)
		rc = ct_nomem(err);
	else if (path != NULL)
		rc = blob_at(v, root, path, keys, len, &id);
	if (rc == 0 && *keys != NULL)
		rc = note_keys(v, &id, err);
	free(path);
	ct_node_free(ops);
	return rc;
}

/* Check sig of data by email against the keys given, else root's; a
 * problem when bad. */
static int
check_sig(struct vb *v, const git_oid *id, git_tree *root, ct_sign_format f,
    const char *email, const char *data, size_t len, const char *sig,
    const char *rule, ct_error *err)
{
	const char *keys;
	ct_error why = { 0 };
	char *own = NULL;
	size_t keyslen = 0;
	bool registered = true;
	int rc = 0;

	if (v->o->signers != NULL) {
		keys = v->o->signers;
		keyslen = v->o->signerslen;
	} else if ((rc = keys_at(v, root, f, email, &registered, &own,
	    &keyslen, err)) < 0)
		return rc;
	else
		keys = own;
	if (!registered)
		rc = vproblem(v, id, rule, err, "<%s> is not a registered "
		    "operator in the registry the bundle holds", email);
	else if (keys == NULL)
		rc = vproblem(v, id, rule, err, "no %s key of <%s> is in the "
		    "bundle", ct_sign_format_name(f), email);
	else if ((rc = ct_sign_verify(f, keys, keyslen, email, v->o->tmpdir,
	    data, len, sig, &why)) == CT_EINVALID)
		rc = vproblem(v, id, rule, err, "%s", ct_error_msg(&why));
	else if (rc < 0)
		rc = ct_error_set(err, rc, "%s", ct_error_msg(&why));
	ct_error_clear(&why);
	free(own);
	return rc;
}

/*
 * Split the raw commit into its signature (the gpgsig header, without
 * its leading spaces) and the signed data (the commit without it), as git
 * does; false when there is no gpgsig header.  libgit2's
 * git_commit_extract_signature reads one byte past an object of the
 * in-memory database, so the bytes are taken from the file as they are.
 */
static bool
split_sig(const char *raw, size_t len, ct_buf *data, ct_buf *sig)
{
	const char *p = raw, *end = raw + len, *nl;
	bool found = false, in_sig = false;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end - 1;
		if (*p == '\n') {          /* the message: kept as it is */
			ct_buf_add(data, p, (size_t)(end - p));
			break;
		}
		if (in_sig && *p == ' ')
			ct_buf_add(sig, p + 1, (size_t)(nl - p));
		else if (!found && (size_t)(nl - p) > 7 &&
		    memcmp(p, "gpgsig ", 7) == 0) {
			found = in_sig = true;
			ct_buf_add(sig, p + 7, (size_t)(nl - p - 6));
		} else {
			in_sig = false;
			ct_buf_add(data, p, (size_t)(nl - p + 1));
		}
		p = nl + 1;
	}
	return found;
}

static int
check_commit_sig(struct vb *v, const struct centry *c, git_commit *cm,
    git_tree *root, ct_error *err)
{
	ct_node *settings = yaml_at(v, root, CT_SETTINGS_PATH);
	const git_signature *a = git_commit_author(cm);
	ct_buf sig = { 0 }, data = { 0 };
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	const char *key;
	ct_sign_format f = ct_sign_settings(settings, &key);
	int rc = 0;

	ct_node_free(settings);
	if (f == CT_SIGN_NONE) {
		v->unsigned_store++;
		return 0;
	}
	if (git_repository_odb(&odb, v->repo) < 0 ||
	    git_odb_read(&obj, odb, &c->id) < 0) {
		git_odb_free(odb);
		return ct_git_fail(err, "reading a commit");
	}
	if (!split_sig(git_odb_object_data(obj), git_odb_object_size(obj),
	    &data, &sig))
		rc = vproblem(v, &c->id, "unsigned", err, "the commit is not "
		    "signed, but the store requires %s signatures: its "
		    "signature was removed", ct_sign_format_name(f));
	else if (data.failed || sig.failed)
		rc = ct_nomem(err);
	else if ((rc = check_sig(v, &c->id, root, f, a->email, data.s,
	    data.len, sig.s, "bad-signature", err)) == 0)
		v->signatures++;
	ct_buf_free(&sig);
	ct_buf_free(&data);
	git_odb_object_free(obj);
	git_odb_free(odb);
	return rc;
}

/* The tree of the case directory in root, looked up one tree at a time
 * so that a tree on its path that is not in the bundle is named. */
static int
case_tree(struct vb *v, struct centry *c, git_tree *root, ct_error *err)
{
	git_tree *t = root, *next = NULL;
	char *p = strdup(v->dir), *name, *slash;
	int rc = 0;

	if (p == NULL)
		return ct_nomem(err);
	for (name = p; name != NULL; name = slash) {
		const git_tree_entry *e;

		if ((slash = strchr(name, '/')) != NULL)
			*slash++ = '\0';
		if ((e = git_tree_entry_byname(t, name)) == NULL ||
		    git_tree_entry_type(e) != GIT_OBJECT_TREE)
			break;    /* the case is not there */
		if (slash == NULL) {
			c->has_after = true;
			git_oid_cpy(&c->after, git_tree_entry_id(e));
			break;
		}
		if (git_tree_lookup(&next, v->repo, git_tree_entry_id(e)) < 0) {
			slash[-1] = '\0';
			rc = vproblem(v, &c->id, "object-missing", err, "the tree "
			    "of %s is not in the bundle", p);
			break;
		}
		if (t != root)
			git_tree_free(t);
		t = next;
		slash[-1] = '/';
	}
	if (t != root)
		git_tree_free(t);
	free(p);
	return rc;
}

/* Was the missing object id reported before?  Once is enough: a record
 * that several commits hold is named by the first. */
static bool
reported(struct vb *v, const git_oid *id, int *rc, ct_error *err)
{
	size_t i;

	for (i = 0; i < v->missing.n; i++)
		if (git_oid_equal(&v->missing.v[i], id))
			return true;
	*rc = objs_add(&v->missing, id, err);
	return false;
}

/* Everything below the case directory is in the bundle. */
static int
below(struct vb *v, const git_oid *cid, const git_oid *tid,
    const char *path, ct_error *err)
{
	git_tree *t = NULL;
	git_odb *odb = NULL;
	size_t i;
	int rc = 0;

	if (git_tree_lookup(&t, v->repo, tid) < 0)
		return vproblem(v, cid, "object-missing", err, "the tree of "
		    "%s is not in the bundle", path);
	if (git_repository_odb(&odb, v->repo) < 0) {
		git_tree_free(t);
		return ct_git_fail(err, "opening the object database");
	}
	for (i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		char *sub;

		if (asprintf(&sub, "%s/%s", path, git_tree_entry_name(e)) < 0) {
			rc = ct_nomem(err);
			break;
		}
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = below(v, cid, git_tree_entry_id(e), sub, err);
		else if (!git_odb_exists(odb, git_tree_entry_id(e)) &&
		    !reported(v, git_tree_entry_id(e), &rc, err) && rc == 0)
			rc = vproblem(v, cid, "object-missing", err, "%s (%s "
			    "%.12s) is not in the bundle", sub, "blob",
			    git_oid_tostr_s(git_tree_entry_id(e)));
		free(sub);
	}
	git_odb_free(odb);
	git_tree_free(t);
	return rc;
}

/*
 * A register entry that a bundle recorded names the case's commits before
 * its own (ct_bundle_binding): those of the bundle before commit i must be
 * exactly those.  Every such entry in the bundle is checked, the bundle's
 * own and those of earlier bundles of the case.
 */
static int
check_entry(struct vb *v, size_t i, const ct_node *entry, ct_error *err)
{
	const char *ref = ct_map_str(entry, "reference");
	ct_buf lines = { 0 };
	char *want = NULL;
	size_t j;
	int rc;

	if (ref == NULL || strncmp(ref, CT_BUNDLE_REF_PREFIX,
	    strlen(CT_BUNDLE_REF_PREFIX)) != 0)
		return 0;
	for (j = 0; j < i; j++)
		commit_line(&lines, &v->commits[j].id,
		    v->commits[j].has_before ? &v->commits[j].before : NULL);
	rc = binding_ref(&lines, i, &want, err);
	ct_buf_free(&lines);
	if (rc < 0)
		return rc;
	if (strcmp(ref, want) != 0)
		rc = vproblem(v, &v->commits[i].id, "bundle-incomplete", err,
		    "the register entry of a bundle says \"%s\", but the "
		    "commits before it in this bundle give \"%s\": a commit "
		    "was removed or added", ref, want);
	else
		v->bindings++;
	free(want);
	return rc;
}

/* One file the commit changed: printed, and its new side validated. */
struct change_arg {
	struct vb *v;
	size_t i;
};

static int
validate(struct vb *v, size_t i, const char *path, const git_oid *id,
    bool added, ct_error *err)
{
	const struct centry *c = &v->commits[i];
	const ct_kind *k = NULL;
	ct_error why = { 0 };
	git_blob *b = NULL;
	ct_node *doc = NULL;
	int rc = 0;

	if (ct_kind_place(path, &k, NULL, NULL) != CT_PLACE_FILE ||
	    k == NULL || !k->in_case)
		return vproblem(v, &c->id, "record-misplaced", err, "%s has no "
		    "place in a case directory", path);
	if (k->schema == NULL)
		return 0;
	if (v->schemas[k->id] == NULL &&
	    (rc = ct_schema_load(k->schema, &v->schemas[k->id], err)) < 0)
		return rc;
	if (git_blob_lookup(&b, v->repo, id) < 0)
		return 0;    /* reported as missing */
	if (ct_yaml_load(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
	    path, &doc, &why) < 0 || ct_schema_validate(v->schemas[k->id],
	    doc, path, &why) < 0)
		rc = vproblem(v, &c->id, "record-invalid", err, "%s",
		    ct_error_msg(&why));
	else if (k->id == CT_KIND_CASE &&
	    !ct_streq(ct_map_str(doc, "id"), v->case_id))
		rc = vproblem(v, &c->id, "record-misplaced", err, "%s: the "
		    "record's id is not the case's", path);
	else if (k->id == CT_KIND_DISCLOSURE && added) {
		size_t had = v->problems, bound = v->bindings;

		if (i + 1 == v->ncommits && ct_map_str(doc, "reference") &&
		    strncmp(ct_map_str(doc, "reference"), CT_BUNDLE_REF_PREFIX,
		    strlen(CT_BUNDLE_REF_PREFIX)) == 0)
			v->last_entry = true;
		if ((rc = check_entry(v, i, doc, err)) == 0 &&
		    v->problems == had && v->bindings > bound &&
		    v->has_disclosure && i + 1 == v->ncommits &&
		    v->entry == NULL) {
			v->entry = doc;
			doc = NULL;
		}
	}
	ct_error_clear(&why);
	ct_node_free(doc);
	git_blob_free(b);
	return rc;
}

static ct_node *
yaml_blob(struct vb *v, const git_oid *id, const char *path)
{
	ct_error ignored = { 0 };
	ct_node *doc = NULL;

	(void)ct_blob_yaml(v->repo, id, path, &doc, &ignored);
	ct_error_clear(&ignored);
	return doc;
}

/* The fields a change of a record changed, one line each, as case-log
 * shows them; nothing when a side can not be read (reported already). */
static int
fields(struct vb *v, const ct_tree_change *d, ct_error *err)
{
	ct_node *a = yaml_blob(v, &d->old_id, d->path);
	ct_node *b = yaml_blob(v, &d->new_id, d->path);
	char *text = NULL, *line, *nl;
	int rc = 0;

	if (a != NULL && b != NULL &&
	    (rc = ct_node_diff(a, b, &text, NULL, err)) == 0)
		for (line = text; *line != '\0'; line = nl + 1) {
			if ((nl = strchr(line, '\n')) == NULL)
				break;
			*nl = '\0';
			ct_buf_puts(v->out, "             ");
			ct_text_safe(v->out, line);
			ct_buf_putc(v->out, '\n');
		}
	free(text);
	ct_node_free(a);
	ct_node_free(b);
	return rc;
}

static int
change_fn(const ct_tree_change *d, void *arg, ct_error *err)
{
	struct change_arg *a = arg;
	static const char *const how[] = { [GIT_DELTA_ADDED] = "added",
	    [GIT_DELTA_DELETED] = "removed", [GIT_DELTA_MODIFIED] = "changed" };
	char *path;
	int rc = 0;

	ct_buf_printf(a->v->out, "    %-8s ", d->status <= GIT_DELTA_MODIFIED &&
	    how[d->status] != NULL ? how[d->status] : "changed");
	ct_text_safe(a->v->out, d->path);
	ct_buf_putc(a->v->out, '\n');
	if (d->status == GIT_DELTA_DELETED)
		return 0;
	if (d->status == GIT_DELTA_MODIFIED && (rc = fields(a->v, d, err)) < 0)
		return rc;
	if (asprintf(&path, "%s/%s", a->v->dir, d->path) < 0)
		return ct_nomem(err);
	rc = validate(a->v, a->i, path, &d->new_id,
	    d->status == GIT_DELTA_ADDED, err);
	free(path);
	return rc;
}

static void
put_time(ct_buf *b, long long t)
{
	char s[CT_STAMP_SIZE];

	ct_utc_stamp(t, false, s);
	ct_buf_puts(b, s);
}

/* The case directory before commit i is that of an earlier commit (the
 * first's: none). */
static int
check_before(struct vb *v, size_t i, git_commit *cm, ct_error *err)
{
	const struct centry *c = &v->commits[i];
	const git_oid *parent = git_commit_parent_id(cm, 0);
	size_t j;

	for (j = 0; parent != NULL && j < i; j++)
		if (git_oid_equal(&v->commits[j].id, parent) &&
		    (c->has_before != v->commits[j].has_after ||
		    (c->has_before && !git_oid_equal(&c->before,
		    &v->commits[j].after))))
			return vproblem(v, &c->id, "history-gap", err, "its "
			    "parent is a commit of the bundle whose case "
			    "directory is not the one the bundle gives as "
			    "before it");
	if (!c->has_before)
		return i == 0 ? 0 : vproblem(v, &c->id, "history-gap", err,
		    "the bundle says the case did not exist before this "
		    "commit, yet it has earlier commits");
	for (j = i; j-- > 0;)
		if (v->commits[j].has_after &&
		    git_oid_equal(&v->commits[j].after, &c->before))
			return 0;
	return vproblem(v, &c->id, "history-gap", err, "the case directory "
	    "before this commit is that of no earlier commit of the "
	    "bundle: a commit of the case is missing%s", i == 0 ?
	    " (the case existed before the bundle's first commit)" : "");
}

static int
check_commit(struct vb *v, size_t i, ct_error *err)
{
	struct centry *c = &v->commits[i];
	git_commit *cm = NULL;
	git_tree *root = NULL, *before = NULL, *after = NULL;
	const git_signature *a;
	const char *msg;
	char hex[GIT_OID_HEXSZ + 1];
	size_t had;
	int rc;

	had = v->problems;
	if (git_commit_lookup(&cm, v->repo, &c->id) < 0)
		return vproblem(v, &c->id, "commit-missing", err, "the commit "
		    "is listed but not in the bundle (or was changed)");
	c->present = true;
	if (git_commit_tree(&root, cm) < 0) {
		rc = vproblem(v, &c->id, "object-missing", err, "its root tree "
		    "is not in the bundle");
		goto out;
	}
	a = git_commit_author(cm);
	msg = git_commit_summary(cm);
	put_time(v->out, (long long)a->when.time);
	ct_buf_printf(v->out, "  %s  ", git_oid_tostr(hex, 13, &c->id));
	ct_text_safe(v->out, a->name);
	ct_buf_puts(v->out, " <");
	ct_text_safe(v->out, a->email);
	ct_buf_puts(v->out, ">\n    ");
	ct_text_safe(v->out, msg != NULL ? msg : "");
	ct_buf_putc(v->out, '\n');
	if (git_commit_parentcount(cm) > 1)
		ct_buf_puts(v->out, "    a merge; what its other side "
		    "brought:\n");
	if ((rc = case_tree(v, c, root, err)) != 0 ||
	    (c->has_after && (rc = below(v, &c->id, &c->after, v->dir,
	    err)) != 0) ||
	    (rc = check_before(v, i, cm, err)) != 0)
		goto out;
	if (c->has_before)
		(void)git_tree_lookup(&before, v->repo, &c->before);
	if (c->has_after)
		(void)git_tree_lookup(&after, v->repo, &c->after);
	/* in memory, a tree that can not be read is one not in the bundle */
	{
		struct change_arg ca = { v, i };

		if ((rc = ct_tree_diff(v->repo, before, after, change_fn, &ca,
		    err)) < 0) {
			ct_buf_puts(v->out, "    (the rest can not be listed: "
			    "objects are missing)\n");
			rc = v->problems > had ? 0 : vproblem(v, &c->id,
			    "object-missing", err, "what the commit changed "
			    "can not be read: %s", ct_error_msg(err));
			ct_error_clear(err);
		}
		if (rc != 0)
			goto out;
	}
	rc = check_commit_sig(v, c, cm, root, err);
out:
	git_tree_free(before);
	git_tree_free(after);
	git_tree_free(root);
	git_commit_free(cm);
	return rc;
}

/* The bundle's own register entry is its last commit's (check_entry has
 * checked the commits it names). */
static int
check_disclosure(struct vb *v, ct_error *err)
{
	const struct centry *last = &v->commits[v->ncommits - 1];

	if (!git_oid_equal(&v->disclosure, &last->id))
		return vproblem(v, &v->disclosure, "bundle-incomplete", err,
		    "the commit of the register entry is not the bundle's "
		    "last");
	if (v->entry == NULL)    /* a wrong entry is reported already */
		return last->present && !v->last_entry ? vproblem(v,
		    &last->id, "bundle-incomplete", err, "the commit adds no "
		    "register entry of a bundle") : 0;
	ct_buf_puts(v->out, "disclosed to ");
	ct_text_safe(v->out, ct_map_str(v->entry, "recipient"));
	ct_buf_puts(v->out, " (");
	ct_text_safe(v->out, ct_map_str(v->entry, "recipient_name"));
	ct_buf_puts(v->out, ") for ");
	ct_text_safe(v->out, ct_map_str(v->entry, "purpose"));
	ct_buf_puts(v->out, " by ");
	ct_text_safe(v->out, ct_map_str(v->entry, "discloser"));
	ct_buf_puts(v->out, " at ");
	ct_text_safe(v->out, ct_map_str(v->entry, "at"));
	ct_buf_printf(v->out, ": the register entry, signed with its commit, "
	    "names the %zu commits before it\n", v->ncommits - 1);
	return 0;
}

/* The index of id among the commits of the bundle, or ncommits. */
static size_t
commit_index(const struct vb *v, const git_oid *id)
{
	size_t i;

	for (i = 0; i < v->ncommits; i++)
		if (git_oid_equal(&v->commits[i].id, id))
			break;
	return i;
}

static int
check_checkpoint(struct vb *v, const struct cpentry *cp, git_tree *keys,
    ct_sign_format f, ct_error *err)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_tag *tag = NULL;
	const git_signature *by;
	char *copy = NULL, *sig, want[80], hex[GIT_OID_HEXSZ + 1];
	size_t i = commit_index(v, &cp->covers);
	int rc = 0;

	if (git_tag_lookup(&tag, v->repo, &cp->tag) < 0)
		return vproblem(v, &cp->tag, "checkpoint-missing", err, "the "
		    "checkpoint is listed but not in the bundle (or was "
		    "changed)");
	by = git_tag_tagger(tag);
	snprintf(want, sizeof(want), "casetrail checkpoint: main at %s",
	    git_oid_tostr(hex, sizeof(hex), git_tag_target_id(tag)));
	if (i == v->ncommits || !v->commits[i].present) {
		rc = vproblem(v, &cp->tag, "checkpoint-bad", err, "it is said "
		    "to hold a commit that is not in the bundle");
		goto out;
	}
	if (by == NULL || strstr(git_tag_message(tag), want) == NULL) {
		rc = vproblem(v, &cp->tag, "checkpoint-bad", err, "the tag is "
		    "not a casetrail checkpoint");
		goto out;
	}
	if (git_repository_odb(&odb, v->repo) < 0 ||
	    git_odb_read(&obj, odb, &cp->tag) < 0) {
		rc = ct_git_fail(err, "reading a checkpoint");
		goto out;
	}
	if ((copy = strndup(git_odb_object_data(obj),
	    git_odb_object_size(obj))) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((sig = strstr(copy, "-----BEGIN ")) == NULL) {
		if (f != CT_SIGN_NONE)
			rc = vproblem(v, &cp->tag, "checkpoint-signature",
			    err, "the checkpoint is not signed, but the store "
			    "requires %s signatures", ct_sign_format_name(f));
	} else if (f == CT_SIGN_NONE)
		rc = vproblem(v, &cp->tag, "checkpoint-signature", err,
		    "signed, but the store does not sign");
	else
		rc = check_sig(v, &cp->tag, keys, f, by->email, copy,
		    (size_t)(sig - copy), sig, "checkpoint-signature", err);
	if (rc != 0)
		goto out;
	ct_buf_puts(v->out, "checkpoint by <");
	ct_text_safe(v->out, by->email);
	ct_buf_puts(v->out, "> at ");
	put_time(v->out, (long long)by->when.time);
	ct_buf_printf(v->out, ": main was at %.12s, ", hex);
	if (git_oid_equal(git_tag_target_id(tag), &cp->covers))
		ct_buf_puts(v->out, "this bundle's commit\n");
	else
		ct_buf_printf(v->out, "which holds commit %.12s (the store's "
		    "word: that commit is not in the bundle)\n",
		    git_oid_tostr(hex, sizeof(hex), &cp->covers));
out:
	free(copy);
	git_odb_object_free(obj);
	git_odb_free(odb);
	git_tag_free(tag);
	return rc;
}

/* Checkpoints are checked against the keys of the bundle's newest
 * commit present. */
static int
check_checkpoints(struct vb *v, ct_error *err)
{
	git_commit *cm = NULL;
	git_tree *root = NULL;
	ct_node *settings = NULL;
	ct_sign_format f = CT_SIGN_NONE;
	const char *key;
	size_t i;
	int rc = 0;

	if (v->ncps == 0)
		return 0;
	for (i = v->ncommits; root == NULL && i-- > 0;) {
		if (!v->commits[i].present ||
		    git_commit_lookup(&cm, v->repo, &v->commits[i].id) < 0)
			continue;
		if (git_commit_tree(&root, cm) < 0)
			root = NULL;
		git_commit_free(cm);
		cm = NULL;
	}
	if (root == NULL) {
		git_commit_free(cm);
		return 0;
	}
	settings = yaml_at(v, root, CT_SETTINGS_PATH);
	f = ct_sign_settings(settings, &key);
	for (i = 0; rc == 0 && i < v->ncps; i++)
		rc = check_checkpoint(v, &v->cps[i], root, f, err);
	ct_node_free(settings);
	git_tree_free(root);
	git_commit_free(cm);
	return rc;
}

static int
check_dir(struct vb *v, ct_error *err)
{
	char *dir = NULL;
	int rc;

	if ((rc = ct_case_id_check(v->case_id, err)) < 0 ||
	    (rc = ct_case_dir(v->case_id, &dir, err)) < 0)
		return ct_error_set(err, CT_EINVALID, "not a casetrail bundle: "
		    "%s", ct_error_msg(err));
	if (strcmp(dir, v->dir) != 0)
		rc = bad(err, "its directory is not the case's");
	free(dir);
	return rc;
}

static int
open_memory(git_repository **repo, git_odb **odb, ct_error *err)
{
	git_odb_backend *mp = NULL;

	*repo = NULL;
	*odb = NULL;
	if (git_odb_new(odb) < 0 || git_mempack_new(&mp) < 0 ||
	    git_odb_add_backend(*odb, mp, 1) < 0 ||
	    git_repository_new(repo) < 0 ||
	    git_repository_set_odb(*repo, *odb) < 0)
		return ct_git_fail(err, "making an object database in memory");
	return 0;
}

/* Which keys the signatures were checked against. */
static void
put_keys(struct vb *v)
{
	size_t i;

	if (v->signatures == 0)
		return;
	if (v->o->signers != NULL) {
		ct_buf_puts(v->out, "signatures checked against the keys "
		    "given\n");
		return;
	}
	ct_buf_puts(v->out, "signatures checked against the keys the bundle "
	    "carries (key file");
	for (i = 0; i < v->keys.n; i++)
		ct_buf_printf(v->out, " %.12s", git_oid_tostr_s(&v->keys.v[i]));
	ct_buf_puts(v->out, "): a forged bundle can carry keys of its own; "
	    "compare them with keys you trust\n");
}

int
ct_bundle_verify(const char *data, size_t len, const ct_bundle_opts *o,
    ct_bundle_problem_fn fn, void *arg, ct_buf *out, size_t *problems,
    ct_error *err)
{
	struct vb v = { .o = o, .fn = fn, .arg = arg, .out = out };
	const char *p = data, *end = data + len;
	git_odb *odb = NULL;
	size_t i;
	int rc;

	*problems = 0;
	if ((rc = ct_init(err)) < 0 || (rc = open_memory(&v.repo, &odb, err)) < 0 ||
	    (rc = parse_header(&v, &p, end, err)) < 0 ||
	    (rc = check_dir(&v, err)) < 0 ||
	    (rc = load_objects(&v, odb, p, end, err)) != 0)
		goto out;
	ct_buf_puts(out, "case ");
	ct_text_safe(out, v.case_id);
	ct_buf_printf(out, " (%s): %zu commit%s, %zu checkpoint%s, %zu "
	    "objects\n", v.dir, v.ncommits, v.ncommits == 1 ? "" : "s",
	    v.ncps, v.ncps == 1 ? "" : "s", v.nobjects);
	for (i = 0; rc == 0 && i < v.ncommits; i++)
		rc = check_commit(&v, i, err);
	if (rc == 0 && v.has_disclosure)
		rc = check_disclosure(&v, err);
	if (rc == 0)
		rc = check_checkpoints(&v, err);
	if (rc == 0 && v.bindings > 0)
		ct_buf_printf(out, "%zu %s, signed with %s, name%s the "
		    "commits before %s\n", v.bindings, v.bindings == 1 ?
		    "register entry of a bundle" : "register entries of "
		    "bundles", v.bindings == 1 ? "its commit" :
		    "their commits", v.bindings == 1 ? "s" : "",
		    v.bindings == 1 ? "it" : "them");
	if (rc == 0)
		put_keys(&v);
	if (rc == 0 && v.unsigned_store > 0)
		ct_buf_printf(out, "the store does not sign its commits: "
		    "%zu commits are the store's word only\n",
		    v.unsigned_store);
	if (rc == 0 && out->failed)
		rc = ct_nomem(err);
out:
	*problems = v.problems;
	for (i = 0; i < CT_KIND_COUNT; i++)
		ct_schema_free(v.schemas[i]);
	ct_node_free(v.entry);
	free(v.missing.v);
	free(v.keys.v);
	free(v.commits);
	free(v.cps);
	free(v.case_id);
	free(v.dir);
	git_repository_free(v.repo);
	git_odb_free(odb);
	return rc;
}

int
ct_bundle_entry_fn(ct_txn *txn, void *arg, ct_error *err)
{
	ct_bundle_entry *e = arg;
	ct_snapshot *snap = ct_txn_snapshot(txn);
	int rc;

	ct_bundle_entry_clear(e);
	if ((rc = ct_bundle_binding(ct_snapshot_store(snap), e->case_id,
	    ct_snapshot_id(snap), &e->ref, err)) < 0)
		return rc;
	e->req->ref = e->ref;
	return ct_disclosure_add(txn, e->case_id, e->req, &e->path, err);
}

void
ct_bundle_entry_clear(ct_bundle_entry *e)
{
	free(e->ref);
	free(e->path);
	e->ref = e->path = NULL;
}

int
ct_bundle_write(int fd, const char *tmp, const char *file, const ct_buf *b,
    ct_error *err)
{
	const char *s = b->s;
	size_t len = b->len;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, s, len)) < 0) {
			if (errno == EINTR)
				continue;
			return ct_error_set(err, CT_ERROR, "%s: %s", file,
			    strerror(errno));
		}
		s += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, file) < 0)
		return ct_error_set(err, CT_ERROR, "%s: %s", file,
		    strerror(errno));
	return 0;
}

int
ct_bundle_problem_text(const char *id, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	ct_buf *b = arg;

	(void)err;
	ct_buf_printf(b, "%.12s %s: ", id != NULL ? id : "-", rule);
	ct_text_safe(b, what);
	ct_buf_putc(b, '\n');
	return 0;
}

/* A whole file, at most max bytes. */
static int
read_file(const char *file, size_t max, ct_buf *b, ct_error *err)
{
	char chunk[65536];
	size_t n;
	FILE *f;
	int rc = 0;

	if ((f = fopen(file, "rb")) == NULL)
		return ct_error_set(err, CT_ERROR, "%s: %s", file,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b->len <= max)
		ct_buf_add(b, chunk, n);
	if (ferror(f) || b->failed)
		rc = ct_error_set(err, CT_ERROR, "%s: cannot read it", file);
	else if (b->len > max)
		rc = ct_error_set(err, CT_ERROR, "%s: larger than %zu bytes",
		    file, max);
	fclose(f);
	return rc;
}

int
ct_bundle_verify_file(const char *file, const char *signers,
    const char *tmpdir, ct_buf *out, size_t *problems, ct_error *err)
{
	ct_bundle_opts o = { .tmpdir = tmpdir };
	ct_buf in = { 0 }, keys = { 0 };
	int rc;

	*problems = 0;
	if ((rc = read_file(file, (size_t)1 << 31, &in, err)) < 0 ||
	    (signers != NULL && (rc = read_file(signers, (size_t)1 << 20,
	    &keys, err)) < 0))
		goto out;
	if (signers != NULL) {
		ct_buf_putc(&keys, '\0');
		o.signers = keys.s;
		o.signerslen = keys.len - 1;
	}
	if ((rc = ct_bundle_verify(in.s != NULL ? in.s : "", in.len, &o,
	    ct_bundle_problem_text, out, out, problems, err)) < 0)
		ct_error_prefix(err, "%s", file);
out:
	ct_buf_free(&in);
	ct_buf_free(&keys);
	return rc;
}
