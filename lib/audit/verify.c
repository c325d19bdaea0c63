/*
 * The check of a store's whole history (verify.h, store-verify(1)).
 *
 * One walk (walk.h) over every commit, oldest first, merges and their
 * sides included.  Each commit is diffed against its first parent with
 * ct_tree_diff (which skips unchanged
 * subtrees, so a commit costs the few trees it touched; libgit2's
 * git_diff_tree_to_tree walked every tree of a large store); only the
 * records that changed are read.  Every changed entry is held to the path
 * rule (path.h), every change to the change policy (policy.h) that the
 * writer also runs; a merge only to bringing in nothing its parents lack.
 * The operators registry is read through a two-entry cache keyed by blob
 * id, since consecutive commits share one.  The disclosure register is
 * checked on the same walk, commit by commit (ct_disclosure_audit_commit),
 * and its problems are passed on under the rule "disclosure".
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/disclosure.h"
#include "casetrail/kind.h"
#include "casetrail/path.h"
#include "casetrail/policy.h"
#include "casetrail/registry.h"
#include "casetrail/schema.h"
#include "casetrail/sign.h"
#include "casetrail/trailers.h"
#include "casetrail/treediff.h"
#include "casetrail/util.h"
#include "casetrail/checkpoint.h"
#include "casetrail/receipt.h"
#include "casetrail/verify.h"
#include "casetrail/walk.h"


/* A cached registry document, by blob id; doc NULL when it is absent or
 * not valid YAML. */
struct cached {
	bool have;
	git_oid id;
	ct_node *doc;
};

struct vw {
	git_repository *repo;
	const ct_verify_opts *o;
	ct_schema *schemas[CT_KIND_COUNT];
	struct cached ops[2];
	int next_slot;
	size_t problems, commits;
	bool ever;             /* a walked commit had an operator */
	char id[GIT_OID_HEXSZ + 1];
	/* the backdating review (o->review): the receipts, and when the
	 * walked commit was received (else committed) */
	ct_store *st;
	ct_receipts *rs;
	git_commit *commit;
	bool have_when;
	ct_date when_day;
	const ct_receipt *receipt;
	bool imported;         /* Action: import (bulk intake: history) */
};

static int
report(struct vw *w, const char *commit, const char *path, const char *rule,
    const char *what, ct_error *err)
{
	ct_verify_problem p = { commit, path, rule, what };

	w->problems++;
	return w->o->fn != NULL ? w->o->fn(&p, w->o->arg, err) : 0;
}

/* s with its lines joined by "; " (a schema error lists one line per
 * field), in new memory; NULL when out of memory. */
static char *
one_line(const char *s)
{
	size_t n = strlen(s), i, j = 0;
	char *out;

	while (n > 0 && s[n - 1] == '\n')
		n--;
	if ((out = malloc(2 * n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			out[j++] = ';';
			out[j++] = ' ';
		} else
			out[j++] = s[i];
	}
	out[j] = '\0';
	return out;
}

static int
problem(struct vw *w, const char *path, const char *rule, ct_error *err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

struct problem {
	struct vw *w;
	const char *path, *rule;
};

static int
problem_fn(const char *what, void *arg, ct_error *err)
{
	const struct problem *p = arg;
	char *line;
	int rc;

	if ((line = one_line(what)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = report(p->w, p->w->id, p->path, p->rule, line, err);
	free(line);
	return rc;
}

static int
problem(struct vw *w, const char *path, const char *rule, ct_error *err,
    const char *fmt, ...)
{
	struct problem p = { w, path, rule };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_vformat_to(problem_fn, &p, err, fmt, ap);
	va_end(ap);
	return rc;
}

static int
get_schema(struct vw *w, const ct_kind *k, ct_schema **out, ct_error *err)
{
	int rc;

	if (w->schemas[k->id] == NULL &&
	    (rc = ct_schema_load(k->schema, &w->schemas[k->id], err)) < 0)
		return rc;
	*out = w->schemas[k->id];
	return 0;
}

/* Parse blob id as YAML named path: 0 with *doc, CT_EINVALID with the
 * message in err, CT_ERROR when git fails. */
/* The document at path in tree: NULL when absent or not YAML. */
static int
load_at(struct vw *w, git_tree *tree, const char *path, ct_node **doc,
    ct_error *err)
{
	git_tree_entry *e = NULL;
	int rc;

	*doc = NULL;
	if (tree == NULL || git_tree_entry_bypath(&e, tree, path) < 0)
		return 0;
	rc = ct_blob_yaml(w->repo, git_tree_entry_id(e), path, doc, err);
	git_tree_entry_free(e);
	if (rc == CT_EINVALID) {
		ct_error_clear(err);
		rc = 0;
	}
	return rc;
}

/* The operators registry in tree, through the cache (borrowed). */
static int
operators_at(struct vw *w, git_tree *tree, const ct_node **out,
    ct_error *err)
{
	git_tree_entry *e = NULL;
	struct cached *c;
	int i, rc = 0;

	*out = NULL;
	if (git_tree_entry_bypath(&e, tree, CT_OPERATORS_PATH) < 0)
		return 0;
	for (i = 0; i < 2; i++)
		if (w->ops[i].have &&
		    git_oid_equal(&w->ops[i].id, git_tree_entry_id(e))) {
			*out = w->ops[i].doc;
			git_tree_entry_free(e);
			return 0;
		}
	c = &w->ops[w->next_slot];
	w->next_slot = 1 - w->next_slot;
	ct_node_free(c->doc);
	c->doc = NULL;
	c->have = false;
	rc = ct_blob_yaml(w->repo, git_tree_entry_id(e), CT_OPERATORS_PATH,
	    &c->doc, err);
	if (rc == CT_EINVALID) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc == 0) {
		git_oid_cpy(&c->id, git_tree_entry_id(e));
		c->have = true;
		*out = c->doc;
	}
	git_tree_entry_free(e);
	return rc;
}

static size_t
noperators(const ct_node *ops)
{
	const ct_node *l = ct_registry_list(ops, "operators");

	return l != NULL && l->kind == CT_NODE_SEQ ? l->n : 0;
}

static size_t
napprovals(const ct_node *plan)
{
	const ct_node *a = ct_map_get(plan, "approvals");

	return a != NULL && a->kind == CT_NODE_SEQ ? a->n : 0;
}

/* Add the case id of path to *cases (a NULL-terminated, deduplicated
 * list). */
static int
add_case(char ***cases, size_t *n, const char *path, ct_error *err)
{
	const char *id;
	char **grown;
	size_t len, i;

	(void)ct_kind_place(path, NULL, &id, &len);
	if (id == NULL)
		return 0;
	for (i = 0; i < *n; i++)
		if (strlen((*cases)[i]) == len &&
		    strncmp((*cases)[i], id, len) == 0)
			return 0;
	if ((grown = realloc(*cases, (*n + 2) * sizeof(*grown))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	*cases = grown;
	if ((grown[*n] = strndup(id, len)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	grown[++*n] = NULL;
	return 0;
}

/* True when list (comma-separated) names id. */
static bool
names_case(const char *list, const char *id)
{
	size_t len = strlen(id);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, id, len) == 0 &&
		    (p[len] == '\0' || p[len] == ',' || p[len] == ' '))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

static int
check_cases(struct vw *w, const char *trailer, char **cases, size_t n,
    ct_error *err)
{
	const char *p = trailer, *e;
	char *one = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++)
		if (trailer == NULL)
			rc = problem(w, NULL, "case-mismatch", err, "the commit "
			    "changes case %s but has no Case: trailer",
			    cases[i]);
		else if (!names_case(trailer, cases[i]))
			rc = problem(w, NULL, "case-mismatch", err, "the commit "
			    "changes case %s but its Case: trailer is '%s'",
			    cases[i], trailer);
	while (rc == 0 && p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ',' && *e != ' '; e++)
			;
		if ((one = strndup(p, (size_t)(e - p))) == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		for (i = 0; i < n; i++)
			if (strcmp(cases[i], one) == 0)
				break;
		if (i == n)
			rc = problem(w, NULL, "case-mismatch", err, "the Case: "
			    "trailer names %s but the commit does not change "
			    "its directory", one);
		free(one);
		p = e;
	}
	return rc;
}

/* Per commit: what the deltas showed. */
struct seen {
	bool records;
	bool grew;             /* some plan's approvals grew */
	char **cases;
	size_t ncases;
	char **paths;          /* the records changed */
	size_t npaths;
};

static int
add_path(char ***v, size_t *n, const char *path, ct_error *err)
{
	char **grown;

	if ((grown = realloc(*v, (*n + 1) * sizeof(*grown))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	*v = grown;
	if ((grown[*n] = strdup(path)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	(*n)++;
	return 0;
}

/* The path rule for an added or changed entry: false (and a problem
 * reported) when it breaks it. */
static bool
path_ok(struct vw *w, const ct_tree_change *d, int *rc, ct_error *err)
{
	const char *rule, *why;
	char *q;

	if ((why = ct_path_problem(d->path, d->new_mode, &rule)) == NULL)
		return true;
	if ((q = ct_path_quote(d->path)) == NULL)
		*rc = ct_error_set(err, CT_ERROR, "out of memory");
	else
		*rc = problem(w, q, rule, err, "%s", why);
	free(q);
	return false;
}

/* A case.yaml whose id is not the name of its directory. */
static int
check_case_id(struct vw *w, const char *path, const ct_node *doc,
    ct_error *err)
{
	const char *id, *have = ct_map_str(doc, "id");
	size_t n;

	(void)ct_kind_place(path, NULL, &id, &n);
	if (have != NULL && strlen(have) == n && strncmp(have, id, n) == 0)
		return 0;
	return problem(w, path, CT_RULE_MISPLACED, err, "the record's id "
	    "'%s' is not the name of its directory '%.*s'",
	    have != NULL ? have : "", (int)n, id);
}

/* Load the new side of d and validate it against its kind's schema:
 * *doc NULL (and a problem reported) when it is not valid. */
static int
load_valid(struct vw *w, const ct_tree_change *d, const ct_kind *k,
    ct_node **doc, ct_error *err)
{
	ct_schema *schema = NULL;
	char *why;
	int rc;

	if ((rc = get_schema(w, k, &schema, err)) < 0)
		return rc;
	rc = ct_blob_yaml(w->repo, &d->new_id, d->path, doc, err);
	if (rc < 0 && rc != CT_EINVALID)
		return rc;
	if (rc == 0)
		rc = ct_schema_validate(schema, *doc, d->path, err);
	if (rc == 0)
		return 0;
	ct_node_free(*doc);
	*doc = NULL;
	if ((why = strdup(ct_error_msg(err))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	ct_error_clear(err);
	rc = problem(w, d->path, "record-invalid", err, "%s", why);
	free(why);
	return rc;
}

/* When the walked commit was received (its receipt), else committed:
 * the day, in the store's time zone. */
static int
received(struct vw *w, ct_error *err)
{
	long long t;
	int rc;

	if (w->have_when)
		return 0;
	if ((rc = ct_receipts_covering(w->rs, w->id, &w->receipt, err)) < 0)
		return rc;
	t = w->receipt != NULL ? w->receipt->when :
	    (long long)git_commit_time(w->commit);
	w->when_day = ct_receipt_day(ct_store_timezone(w->st), t);
	w->have_when = true;
	return 0;
}

/* "events[3] (engaged)": the entry of a dated change, and its type when
 * the same change sets one. */
static void
entry_label(const ct_diff *df, const ct_diff_change *ch, ct_buf *b)
{
	size_t n = strlen(ch->path) - strlen("date"), i;

	if (n == 0) {
		ct_buf_puts(b, "the record");
		return;
	}
	ct_buf_add(b, ch->path, n - 1);
	for (i = 0; i < df->n; i++)
		if (strncmp(df->v[i].path, ch->path, n) == 0 &&
		    strcmp(df->v[i].path + n, "type") == 0 &&
		    ct_node_is_str(df->v[i].new))
			ct_buf_printf(b, " (%s)", df->v[i].new->str);
}

static int
review(struct vw *w, const char *path, const char *what, ct_error *err)
{
	ct_verify_problem p = { w->id, path, "backdated", what };

	return w->o->review(&p, w->o->arg, err);
}

/*
 * The entries a record's change dates more than the store's window
 * before the commit was received (else committed): each a finding for
 * review, not a problem (receipt.h).
 */
static int
check_backdated(struct vw *w, const ct_tree_change *d, const ct_node *doc,
    ct_error *err)
{
	const ct_receipt_policy *pol = ct_receipts_policy(w->rs);
	ct_node *old = NULL;
	ct_diff df = { 0 };
	ct_buf b = { 0 };
	char day[CT_DATE_BUFSZ], on[CT_DATE_BUFSZ];
	const char *id;
	ct_date date;
	size_t n, i;
	int rc = 0;

	(void)ct_kind_place(d->path, NULL, &id, &n);
	if (id == NULL || w->imported)
		return 0;
	if (d->status != GIT_DELTA_ADDED &&
	    (rc = ct_blob_yaml(w->repo, &d->old_id, d->path, &old, err)) < 0) {
		if (rc != CT_EINVALID)
			return rc;
		ct_error_clear(err);
	}
	if ((rc = ct_diff_trees(old, doc, &df, err)) < 0)
		goto out;
	for (i = 0; rc == 0 && i < df.n; i++) {
		if (!ct_event_date_of(&df.v[i], &date))
			continue;
		if ((rc = received(w, err)) < 0 || w->when_day == 0 ||
		    w->when_day - date <= pol->backdate_days)
			continue;
		ct_buf_truncate(&b, 0);
		entry_label(&df, &df.v[i], &b);
		ct_buf_printf(&b, " is dated %s, %lld days before its commit "
		    "was %s%s%s on %s; the window is %d days "
		    "(receipts.backdate_days): review why it was recorded late",
		    ct_date_format(date, on), (long long)(w->when_day - date),
		    w->receipt != NULL ? "received (" : "made (no receipt",
		    w->receipt != NULL ? w->receipt->ref : "",
		    ")", ct_date_format(w->when_day, day), pol->backdate_days);
		rc = b.failed ? ct_nomem(err) : review(w, d->path, b.s, err);
	}
out:
	ct_buf_free(&b);
	ct_diff_clear(&df);
	ct_node_free(old);
	return rc;
}

/* One changed file of the commit. */
static int
check_delta(struct vw *w, const ct_tree_change *d, struct seen *s,
    ct_error *err)
{
	bool removed = d->status == GIT_DELTA_DELETED;
	const char *path = d->path;
	const ct_kind *k;
	ct_node *doc = NULL, *old = NULL;
	bool plan;
	int rc = 0;

	if (!removed && !path_ok(w, d, &rc, err))
		return rc;
	if ((k = ct_kind_of(path)) == NULL)
		return 0;  /* removed, and refused when it was added */
	s->records = true;
	if ((rc = add_case(&s->cases, &s->ncases, path, err)) < 0 ||
	    (rc = add_path(&s->paths, &s->npaths, path, err)) < 0)
		return rc;
	plan = ct_kind_approval_of(path) != NULL;
	if (removed || k->schema == NULL)
		return 0;
	if ((rc = load_valid(w, d, k, &doc, err)) != 0 || doc == NULL)
		goto out;
	if (w->rs != NULL && (rc = check_backdated(w, d, doc, err)) != 0)
		goto out;
	if (k->id == CT_KIND_CASE &&
	    (rc = check_case_id(w, path, doc, err)) != 0)
		goto out;
	if (!plan)
		goto out;
	if (d->status != GIT_DELTA_ADDED &&
	    (rc = ct_blob_yaml(w->repo, &d->old_id, path, &old, err)) < 0) {
		if (rc != CT_EINVALID)
			goto out;
		ct_error_clear(err);
		rc = 0;
	}
	if (napprovals(doc) > napprovals(old))
		s->grew = true;
out:
	ct_node_free(doc);
	ct_node_free(old);
	return rc;
}

/*
 * The author of one commit is a registered operator at the parent
 * (unless no operator was ever registered: the bootstrap), and its
 * committer: the tools make every commit under one identity, so that the
 * signature, checked against the author's key, binds the author.
 */
static int
check_author(struct vw *w, git_commit *c, git_tree *ptree, ct_error *err)
{
	const git_signature *a = git_commit_author(c);
	const git_signature *cm = git_commit_committer(c);
	const char *email = a != NULL && a->email != NULL ? a->email : "";
	const char *cemail = cm != NULL && cm->email != NULL ? cm->email : "";
	const ct_node *ops = NULL, *op;
	int rc;

	if (strcmp(email, cemail) != 0 &&
	    (rc = problem(w, NULL, "committer-not-author", err, "the "
	    "committer <%s> is not the author <%s>: the tools make every "
	    "commit under one identity", cemail, email)) != 0)
		return rc;
	if ((rc = operators_at(w, ptree, &ops, err)) < 0)
		return rc;
	if (noperators(ops) == 0 && !w->ever)
		return 0;  /* bootstrap: the policy checks the first ones */
	if ((op = ct_registry_find(ops, "operators", "email", email)) == NULL)
		return problem(w, NULL, "unregistered-author", err, "the author "
		    "<%s> is not a registered operator", email);
	if (!ct_operator_active(op))
		return problem(w, NULL, "inactive-author", err, "the author <%s> "
		    "is the operator %s, deactivated at the parent commit",
		    email, ct_map_str(op, "id"));
	return 0;
}

/* The change policy (policy.h) of one commit. */
struct side {
	struct vw *w;
	git_tree *tree;
};

static int
side_load(void *arg, const char *path, ct_node **doc, ct_error *err)
{
	struct side *sd = arg;

	return load_at(sd->w, sd->tree, path, doc, err);
}

static int
violation_fn(const char *path, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	return problem(arg, path, rule, err, "%s", what);
}

static int
check_policy(struct vw *w, git_commit *c, git_tree *tree, git_tree *ptree,
    const struct seen *s, const char *approved_by, ct_error *err)
{
	const git_signature *a = git_commit_author(c);
	struct side parent = { w, ptree }, child = { w, tree };
	ct_policy_input in = {
		.parent = { side_load, &parent },
		.child = { side_load, &child },
		.paths = (const char *const *)s->paths,
		.npaths = s->npaths,
		.email = a != NULL && a->email != NULL ? a->email : "",
		.approved_by = approved_by,
		.bootstrap = !w->ever,
	};

	return ct_policy_check(&in, violation_fn, w, err);
}

/* The raw text at path in tree (NUL-terminated, owned); *buf is NULL
 * when absent. */
static int
read_at(struct vw *w, git_tree *tree, const char *path, char **buf,
    size_t *len, ct_error *err)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (git_tree_entry_bypath(&e, tree, path) < 0)
		return 0;
	if (git_blob_lookup(&b, w->repo, git_tree_entry_id(e)) < 0)
		rc = ct_git_fail(err, "reading a registry file");
	else if ((*buf = malloc((size_t)git_blob_rawsize(b) + 1)) == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	else {
		*len = (size_t)git_blob_rawsize(b);
		memcpy(*buf, git_blob_rawcontent(b), *len);
		(*buf)[*len] = '\0';
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	return rc;
}

/*
 * The author's registered key as tree has it: for ssh the allowed_signers
 * text, for OpenPGP registry/openpgp/<operator>.asc; *keys NULL when none.
 */
static int
author_keys(struct vw *w, ct_sign_format f, const char *email,
    git_tree *at, char **keys, size_t *len, ct_error *err)
{
	const ct_node *ops = NULL, *op;
	char *path = NULL;
	int rc;

	*keys = NULL;
	if (f == CT_SIGN_SSH)
		return read_at(w, at, CT_ALLOWED_SIGNERS_PATH, keys, len, err);
	if ((rc = operators_at(w, at, &ops, err)) < 0)
		return rc;
	if ((op = ct_registry_find(ops, "operators", "email", email)) == NULL ||
	    ct_map_str(op, "id") == NULL)
		return 0;
	if (asprintf(&path, "%s/%s.asc", CT_OPENPGP_KEYS_DIR,
	    ct_map_str(op, "id")) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = read_at(w, at, path, keys, len, err);
	free(path);
	return rc;
}

/* The signature of commit id in format f: signed at all, and (keys_at
 * not NULL) by the author's key as keys_at registers it. */
static int
verify_sig(struct vw *w, const git_oid *id, ct_sign_format f,
    git_tree *keys_at, ct_error *err)
{
	git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
	git_commit *c = NULL;
	const git_signature *a;
	const char *email;
	char *keys = NULL;
	size_t keyslen = 0;
	ct_error why = { 0 };
	int rc = 0, grc;

	if (git_commit_lookup(&c, w->repo, id) < 0)
		return ct_git_fail(err, "reading a commit");
	a = git_commit_author(c);
	email = a != NULL && a->email != NULL ? a->email : "";
	grc = git_commit_extract_signature(&sig, &data, w->repo,
	    (git_oid *)id, NULL);
	if (grc == GIT_ENOTFOUND) {
		rc = problem(w, NULL, "unsigned", err, "the commit is not "
		    "signed, but the store requires %s signatures",
		    ct_sign_format_name(f));
		goto out;
	}
	if (grc < 0) {
		rc = ct_git_fail(err, "reading a commit signature");
		goto out;
	}
	if (keys_at == NULL)
		goto out;
	if ((rc = author_keys(w, f, email, keys_at, &keys, &keyslen,
	    err)) < 0)
		goto out;
	if (keys == NULL) {
		rc = problem(w, NULL, "bad-signature", err, "no %s key is "
		    "registered for the author <%s>",
		    ct_sign_format_name(f), email);
		goto out;
	}
	rc = ct_sign_verify(f, keys, keyslen, email,
	    git_repository_path(w->repo), data.ptr, data.size, sig.ptr, &why);
	if (rc == CT_EINVALID)
		rc = problem(w, NULL, "bad-signature", err, "%s", why.msg);
	else if (rc < 0)
		rc = ct_error_set(err, rc, "%s", why.msg);
out:
	ct_error_clear(&why);
	free(keys);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	git_commit_free(c);
	return rc;
}

/*
 * The signature of one commit, when the parent's settings require one,
 * against the author's key as the parent registers it; while the parent
 * has no operator, as the commit itself does (the first registration
 * registers its author's key).  Before that, in the bootstrap of a new
 * store, any identity may write (check_author) and no key is registered
 * yet: such a commit is only checked to be signed, as the writer, which
 * can not know the keys to come, makes it.
 */
static int
check_signature(struct vw *w, git_commit *c, git_tree *tree,
    git_tree *ptree, ct_error *err)
{
	const ct_node *ops = NULL;
	ct_node *settings = NULL;
	ct_sign_format f;
	const char *key;
	int rc;

	if ((rc = load_at(w, ptree, CT_SETTINGS_PATH, &settings, err)) < 0)
		return rc;
	f = ct_sign_settings(settings, &key);
	ct_node_free(settings);
	if (f == CT_SIGN_NONE)
		return 0;
	if ((rc = operators_at(w, ptree, &ops, err)) < 0)
		return rc;
	if (noperators(ops) > 0)
		return verify_sig(w, git_commit_id(c), f, ptree, err);
	if (!w->ever && (rc = operators_at(w, tree, &ops, err)) < 0)
		return rc;
	return verify_sig(w, git_commit_id(c), f, w->ever ||
	    noperators(ops) > 0 ? tree : NULL, err);
}

static void
seen_clear(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->ncases; i++)
		free(s->cases[i]);
	free(s->cases);
	for (i = 0; i < s->npaths; i++)
		free(s->paths[i]);
	free(s->paths);
	memset(s, 0, sizeof(*s));
}

struct delta_arg {
	struct vw *w;
	struct seen *s;
};

static int
delta_fn(const ct_tree_change *c, void *arg, ct_error *err)
{
	struct delta_arg *a = arg;

	return check_delta(a->w, c, a->s, err);
}

/*
 * A merge joins histories whose commits are each checked on their own; it
 * may bring in nothing that none of its parents holds.  Each path it
 * changes against its first parent must be, entry for entry, what another
 * parent has there.  The one exception is store-sync's: a disclosure
 * entry both sides added under one name is carried, byte for byte, under
 * another name of the same stem (sync.h).
 */
struct merge_arg {
	struct vw *w;
	git_tree *tree;        /* the merge's */
	git_tree **others;     /* the trees of parents 2.. */
	size_t n;
};

/* The entry at path in t has the given id and mode. */
static bool
holds(git_tree *t, const char *path, const git_oid *id, git_filemode_t mode)
{
	git_tree_entry *e = NULL;
	bool same;

	if (git_tree_entry_bypath(&e, t, path) < 0)
		return false;
	same = git_oid_equal(git_tree_entry_id(e), id) &&
	    git_tree_entry_filemode(e) == mode;
	git_tree_entry_free(e);
	return same;
}

/* d adds a disclosure entry that parent tree o has under another name of
 * the same stem, where the merge holds another entry. */
static bool
renamed_entry(const struct merge_arg *m, git_tree *o, const ct_tree_change *d)
{
	const ct_kind *k = ct_kind_of(d->path);
	const char *slash = strrchr(d->path, '/');
	const char *dash = strrchr(d->path, '-');
	git_tree_entry *de = NULL;
	git_tree *dir = NULL;
	char *dirpath, *other = NULL;
	bool found = false;
	size_t i;

	if (k == NULL || k->id != CT_KIND_DISCLOSURE ||
	    (dirpath = strndup(d->path, (size_t)(slash - d->path))) == NULL)
		return false;
	if (git_tree_entry_bypath(&de, o, dirpath) == 0 &&
	    git_tree_lookup(&dir, m->w->repo, git_tree_entry_id(de)) == 0)
		for (i = 0; !found && i < git_tree_entrycount(dir); i++) {
			const git_tree_entry *e = git_tree_entry_byindex(dir, i);
			const char *name = git_tree_entry_name(e);

			if (!git_oid_equal(git_tree_entry_id(e), &d->new_id) ||
			    strncmp(name, slash + 1, (size_t)(dash - slash)) !=
			    0 || asprintf(&other, "%s/%s", dirpath, name) < 0)
				continue;
			found = strcmp(other, d->path) != 0 &&
			    !holds(m->tree, other, &d->new_id, d->new_mode);
			free(other);
		}
	git_tree_free(dir);
	git_tree_entry_free(de);
	free(dirpath);
	return found;
}

static int
merge_fn(const ct_tree_change *d, void *arg, ct_error *err)
{
	struct merge_arg *m = arg;
	git_tree_entry *e = NULL;
	bool found = false;
	size_t i;

	for (i = 0; !found && i < m->n; i++) {
		if (d->status != GIT_DELTA_DELETED)
			found = holds(m->others[i], d->path, &d->new_id,
			    d->new_mode) || (d->status == GIT_DELTA_ADDED &&
			    renamed_entry(m, m->others[i], d));
		else if ((found = git_tree_entry_bypath(&e, m->others[i],
		    d->path) == GIT_ENOTFOUND) == false)
			git_tree_entry_free(e);
	}
	if (found)
		return 0;
	return problem(m->w, d->path, "merge-introduces", err, "the merge %s "
	    "it, which none of its parents does", d->status ==
	    GIT_DELTA_DELETED ? "removes" : d->status == GIT_DELTA_ADDED ?
	    "adds" : "changes");
}

static int
check_merge(struct vw *w, git_commit *c, git_tree *tree, git_tree *ptree,
    ct_error *err)
{
	struct merge_arg m = { .w = w, .tree = tree };
	git_commit *p;
	size_t i, n = git_commit_parentcount(c) - 1;
	int rc = 0;

	if ((m.others = calloc(n, sizeof(*m.others))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (m.n = 0; rc == 0 && m.n < n; m.n++) {
		p = NULL;
		if (git_commit_parent(&p, c, (unsigned)m.n + 1) < 0 ||
		    git_commit_tree(&m.others[m.n], p) < 0)
			rc = ct_git_fail(err, "reading a merge's parent");
		git_commit_free(p);
	}
	if (rc == 0)
		rc = ct_tree_diff(w->repo, ptree, tree, merge_fn, &m, err);
	for (i = 0; i < n; i++)
		git_tree_free(m.others[i]);
	free(m.others);
	return rc;
}

/* Remember whether an operator has been registered by this commit. */
static int
note_operators(struct vw *w, git_tree *tree, ct_error *err)
{
	const ct_node *ops = NULL;
	int rc;

	if (w->ever)
		return 0;
	rc = operators_at(w, tree, &ops, err);
	w->ever = noperators(ops) > 0;
	return rc;
}

/* The root commit (store-init's) is checked for the path rule only. */
static int
root_fn(const ct_tree_change *c, void *arg, ct_error *err)
{
	int rc = 0;

	(void)path_ok(arg, c, &rc, err);
	return rc;
}

static int
walk_commit(struct vw *w, const ct_walk_step *st, ct_error *err)
{
	git_commit *c = st->commit;
	git_tree *tree = st->tree, *ptree = st->ptree;
	char *tool = NULL, *cs = NULL, *action = NULL, *appr = NULL;
	const char *msg;
	struct seen s = { 0 };
	int rc = 0;

	memcpy(w->id, st->id, sizeof(w->id));
	w->commit = c;
	w->have_when = false;
	w->receipt = NULL;
	if (st->nparents == 0) {
		rc = ct_tree_diff(w->repo, NULL, tree, root_fn, w, err);
		goto out;
	}
	if (st->nparents > 1) {
		if ((rc = check_merge(w, c, tree, ptree, err)) == 0 &&
		    (rc = check_author(w, c, ptree, err)) == 0)
			rc = check_signature(w, c, tree, ptree, err);
		goto out;
	}
	msg = git_commit_message(c) != NULL ? git_commit_message(c) : "";
	if ((rc = ct_trailer_get(msg, "Tool", &tool, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Case", &cs, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Action", &action, err)) < 0 ||
	    (rc = ct_trailer_get(msg, "Approved-by", &appr, err)) < 0)
		goto out;
	w->imported = action != NULL && strcmp(action, "import") == 0;
	{
		struct delta_arg da = { w, &s };

		if ((rc = ct_tree_diff(w->repo, ptree, tree, delta_fn, &da,
		    err)) != 0)
			goto out;
	}
	if (s.records && tool == NULL &&
	    (rc = problem(w, NULL, "no-trailers", err, "the commit changes "
	    "records but has no Tool: trailer")) != 0)
		goto out;
	if (s.records &&
	    (rc = check_cases(w, cs, s.cases, s.ncases, err)) != 0)
		goto out;
	if (action != NULL && strcmp(action, "approve") == 0 && !s.grew &&
	    (rc = problem(w, NULL, "action-mismatch", err, "Action: approve "
	    "but no plan's approvals grew")) != 0)
		goto out;
	if ((rc = check_author(w, c, ptree, err)) != 0 ||
	    (rc = check_policy(w, c, tree, ptree, &s, appr, err)) != 0)
		goto out;
	rc = check_signature(w, c, tree, ptree, err);
out:
	if (rc == 0)
		rc = note_operators(w, tree, err);
	seen_clear(&s);
	free(tool);
	free(cs);
	free(action);
	free(appr);
	return rc;
}

/* The register's problems; an entry changed or removed is the change
 * policy's (append-only), reported there. */
static int
disclosure_fn(const ct_audit_item *it, void *arg, ct_error *err)
{
	if (it->kind != CT_AUDIT_PROBLEM)
		return 0;
	return report(arg, it->commit, it->path, "disclosure", it->what, err);
}

static bool
is_zero(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

static int
resolve(struct vw *w, const char *rev, const char *what, git_oid *out,
    ct_error *err)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0;

	if (git_revparse_single(&obj, w->repo, rev) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
		rc = ct_error_set(err, CT_ENOTFOUND, "%s: unknown revision "
		    "'%s'", what, rev);
	else
		git_oid_cpy(out, git_object_id(peeled));
	git_object_free(obj);
	git_object_free(peeled);
	return rc;
}

/* The store's repository, reading also the object directories of o. */
static int
open_repo(ct_store *st, const ct_verify_opts *o, git_repository **repo,
    ct_error *err)
{
	git_odb *odb = NULL;
	size_t i;
	int rc = 0;

	if (git_repository_open_ext(repo, ct_store_workdir(st),
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, *repo) < 0)
		rc = ct_git_fail(err, "opening the store's repository");
	for (i = 0; rc == 0 && o->object_dirs != NULL &&
	    o->object_dirs[i] != NULL; i++)
		if (git_odb_add_disk_alternate(odb, o->object_dirs[i]) < 0)
			rc = ct_git_fail(err, o->object_dirs[i]);
	git_odb_free(odb);
	return rc;
}

/*
 * Where an incremental walk starts: *hide set and *use true when the tip
 * descends from the remembered commit or is it.  Otherwise (none, a
 * rewrite, a ref that names no commit or can not be read) everything is
 * walked.
 */
static int
remembered(struct vw *w, const git_oid *tip, ct_verify_result *r,
    git_oid *hide, bool *use, ct_error *err)
{
	git_commit *c = NULL;
	int grc;

	*use = false;
	r->from = CT_VERIFY_FROM_START;
	r->verified[0] = '\0';
	if ((grc = git_reference_name_to_id(hide, w->repo,
	    CT_VERIFIED_REF)) == GIT_ENOTFOUND)
		return 0;
	if (grc < 0) {
		r->from = CT_VERIFY_FROM_UNREADABLE;
		git_error_clear();
		return 0;
	}
	r->from = CT_VERIFY_FROM_REWRITTEN;
	git_oid_tostr(r->verified, sizeof(r->verified), hide);
	if (git_commit_lookup(&c, w->repo, hide) < 0) {
		git_error_clear();
		return 0;
	}
	git_commit_free(c);
	if (!git_oid_equal(hide, tip) &&
	    (grc = git_graph_descendant_of(w->repo, tip, hide)) != 1) {
		if (grc < 0)
			return ct_git_fail(err, "reading the history");
		return 0;
	}
	r->from = CT_VERIFY_FROM_VERIFIED;
	*use = true;
	return 0;
}

/* After a clean walk: the ref names the tip.  Failing to write it (a
 * read-only store, a race with another run) only leaves it as it was. */
static void
record(struct vw *w, const git_oid *tip, const git_oid *was, bool have,
    ct_verify_result *r)
{
	git_reference *ref = NULL;

	if (have && git_oid_equal(was, tip)) {
		r->recorded = 1;
		return;
	}
	if (git_reference_create_matching(&ref, w->repo, CT_VERIFIED_REF, tip,
	    1, have ? was : NULL, "store-verify: verified") == 0)
		r->recorded = 1;
	else
		git_error_clear();
	git_reference_free(ref);
}

/* One walk from tip (since and what it reaches hidden, when not NULL):
 * each commit's own checks, then its disclosure entries.  0 when it
 * completed; else an error or what the callback returned. */
static int
walk_all(struct vw *w, const git_oid *tip, const git_oid *since,
    ct_error *err)
{
	const ct_verify_opts *o = w->o;
	ct_disclosure_audit *dc = NULL;
	const ct_walk_step *step;
	ct_walk *walk = NULL;
	int rc;

	if ((rc = ct_walk_open(w->repo, tip, since, 0, &walk, err)) < 0 ||
	    (rc = ct_disclosure_audit_new(w->repo, NULL, disclosure_fn, w,
	    &dc, err)) < 0)
		goto out;
	while ((rc = ct_walk_next(walk, &step, err)) > 0) {
		if ((rc = walk_commit(w, step, err)) != 0 ||
		    (rc = ct_disclosure_audit_commit(dc, step, err)) != 0)
			break;
		if (++w->commits % (o->every ? o->every : 1) == 0 &&
		    o->every > 0 && o->progress != NULL)
			o->progress(w->commits, o->arg);
	}
	if (rc > 0)
		rc = 0;
out:
	ct_disclosure_audit_free(dc, NULL);
	ct_walk_free(walk);
	return rc;
}

int
ct_verify(ct_store *st, const ct_verify_opts *o, size_t *problems,
    ct_error *err)
{
	struct vw w = { .o = o, .st = st };
	ct_verify_result res = { 0 };
	git_oid tip, since;
	bool open, hide = o->since != NULL, incremental;
	size_t i;
	int rc = 0, grc;

	if (problems != NULL)
		*problems = 0;
	incremental = o->incremental && o->since == NULL && o->tip == NULL;
	if ((rc = open_repo(st, o, &w.repo, err)) < 0)
		goto out;
	if (o->tip != NULL) {
		if ((rc = resolve(&w, o->tip, "tip", &tip, err)) < 0)
			goto out;
	} else if ((grc = git_reference_name_to_id(&tip, w.repo,
	    CT_BRANCH)) == GIT_ENOTFOUND) {
		goto out;  /* an unborn branch: nothing to check */
	} else if (grc < 0) {
		rc = ct_git_fail(err, "reading " CT_BRANCH);
		goto out;
	}
	if (o->since != NULL &&
	    (rc = resolve(&w, o->since, "--since", &since, err)) < 0)
		goto out;
	if (o->review != NULL && (rc = ct_receipts_open(st, NULL, &w.rs,
	    err)) < 0)
		goto out;
	if (w.rs != NULL && !ct_receipts_policy(w.rs)->set) {
		ct_receipts_free(w.rs);   /* no receipts policy: no review */
		w.rs = NULL;
	}
	/* the review of backdated entries reads the receipts as they are
	 * now, which may have come after a commit was checked: a store
	 * with a receipts policy is walked whole */
	if (w.rs != NULL)
		incremental = false;
	if (incremental &&
	    (rc = remembered(&w, &tip, &res, &since, &hide, err)) < 0)
		goto out;
	if (hide) {
		if ((rc = ct_policy_bootstrap_open(w.repo, &since, &open,
		    err)) < 0)
			goto out;
		w.ever = !open;
	}
	if ((rc = walk_all(&w, &tip, hide ? &since : NULL, err)) < 0)
		goto out;
	if (incremental && rc == 0 && w.problems == 0 &&
	    res.from != CT_VERIFY_FROM_UNREADABLE)
		record(&w, &tip, &since, hide, &res);
out:
	res.commits = w.commits;
	res.walked = rc == 0;
	if (o->result != NULL)
		*o->result = res;
	if (problems != NULL)
		*problems = w.problems;
	ct_receipts_free(w.rs);
	for (i = 0; i < CT_KIND_COUNT; i++)
		ct_schema_free(w.schemas[i]);
	for (i = 0; i < 2; i++)
		ct_node_free(w.ops[i].doc);
	git_repository_free(w.repo);
	return rc;
}

/* True when ref matches one of the fnmatch(3) patterns. */
static bool
ref_allowed(const char *ref, const char *const *allow)
{
	size_t i;

	for (i = 0; allow != NULL && allow[i] != NULL; i++)
		if (fnmatch(allow[i], ref, 0) == 0)
			return true;
	return false;
}

/* The update of refs/heads/main from old to new (hex ids; all zeros:
 * none): deleted, or not a fast-forward? */
static int
check_main(struct vw *w, const char *old, const char *new, bool *walk,
    ct_error *err)
{
	git_oid o, n;
	int d;

	*walk = false;
	if (is_zero(new))
		return report(w, old, NULL, "branch-deleted", CT_BRANCH " may "
		    "not be deleted", err);
	if (git_oid_fromstr(&n, new) < 0)
		return ct_error_set(err, CT_EINVALID, "--pre-receive: '%s' is "
		    "not a commit id", new);
	*walk = true;
	if (is_zero(old))
		return 0;
	if (git_oid_fromstr(&o, old) < 0)
		return ct_error_set(err, CT_EINVALID, "--pre-receive: '%s' is "
		    "not a commit id", old);
	if (git_oid_equal(&o, &n) ||
	    (d = git_graph_descendant_of(w->repo, &n, &o)) == 1)
		return 0;
	if (d < 0)
		return ct_git_fail(err, "reading the pushed history");
	*walk = false;
	return report(w, new, NULL, "non-fast-forward", "the push would move "
	    CT_BRANCH " to a commit that does not descend from its tip; "
	    "history is never rewritten", err);
}

/* A checkpoint pushed (checkpoint.h): only made, never moved or removed,
 * and a good one. */
static int
push_checkpoint(ct_store *st, const ct_verify_opts *o, struct vw *w,
    const char *old, const char *new, const char *ref, ct_error *err)
{
	ct_error why = { 0 };
	int rc;

	if (!is_zero(old))
		return report(w, old, ref, "checkpoint-refused", "a checkpoint "
		    "is never moved or removed", err);
	if ((rc = open_repo(st, o, &w->repo, err)) == 0 &&
	    (rc = ct_checkpoint_check_new(st, w->repo, ref, new, &why)) < 0)
		rc = rc == CT_EINVALID ? report(w, new, ref,
		    "checkpoint-refused", ct_error_msg(&why), err) :
		    ct_error_set(err, rc, "%s", ct_error_msg(&why));
	ct_error_clear(&why);
	git_repository_free(w->repo);
	w->repo = NULL;
	return rc;
}

int
ct_verify_push(ct_store *st, const ct_verify_opts *o, const char *old,
    const char *new, const char *ref, const char *const *allow,
    size_t *problems, ct_error *err)
{
	struct vw w = { .o = o };
	ct_verify_opts walk_o = *o;
	size_t more = 0;
	bool walk = false;
	int rc;

	*problems = 0;
	if (strncmp(ref, CT_RECEIPT_REFS, strlen(CT_RECEIPT_REFS)) == 0) {
		rc = report(&w, is_zero(new) ? old : new, ref,
		    "receipt-refused", "receipts are written by the central "
		    "repository itself, after it takes a push; a push never "
		    "makes, moves or removes one", err);
		*problems = w.problems;
		return rc;
	}
	if (strncmp(ref, CT_CHECKPOINT_REFS, strlen(CT_CHECKPOINT_REFS)) == 0) {
		rc = push_checkpoint(st, o, &w, old, new, ref, err);
		*problems = w.problems;
		return rc;
	}
	if (strcmp(ref, CT_BRANCH) != 0) {
		if (ref_allowed(ref, allow))
			return 0;
		rc = report(&w, is_zero(new) ? old : new, NULL, "ref-refused",
		    "only " CT_BRANCH " may be pushed to this store", err);
		*problems = w.problems;
		return rc;
	}
	if ((rc = open_repo(st, o, &w.repo, err)) == 0)
		rc = check_main(&w, old, new, &walk, err);
	git_repository_free(w.repo);
	*problems = w.problems;
	if (rc != 0 || !walk)
		return rc;
	walk_o.since = is_zero(old) ? NULL : old;
	walk_o.tip = new;
	rc = ct_verify(st, &walk_o, &more, err);
	*problems += more;
	return rc;
}

/* A receipt held (receipt.h): a good one, by the signer, of main's
 * history; a bad one reported under its commit (else its tag) and ref. */
static int
verify_receipt(ct_store *st, ct_receipts *rs, const ct_receipt *r,
    const ct_verify_opts *o, size_t *problems, ct_error *err)
{
	ct_error why = { 0 };
	const char *rule;
	int rc;

	if ((rc = ct_receipt_verify(st, rs, r, NULL, &rule, &why)) ==
	    CT_EINVALID) {
		ct_verify_problem p = { r->commit[0] ? r->commit : r->tag,
		    r->ref, rule, ct_error_msg(&why) };

		(*problems)++;
		rc = o->fn != NULL ? o->fn(&p, o->arg, err) : 0;
	} else if (rc < 0)
		rc = ct_error_set(err, rc, "%s", ct_error_msg(&why));
	ct_error_clear(&why);
	return rc;
}

static int
verify_receipts(ct_store *st, const ct_verify_opts *o, size_t *problems,
    ct_error *err)
{
	ct_receipts *rs;
	size_t i;
	int rc;

	if ((rc = ct_receipts_open(st, NULL, &rs, err)) < 0)
		return rc;
	for (i = 0; rc == 0 && i < ct_receipts_count(rs); i++)
		rc = verify_receipt(st, rs, ct_receipts_get(rs, i), o, problems,
		    err);
	ct_receipts_free(rs);
	return rc;
}

static int
checkpoint_fn(const ct_checkpoint *cp, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	const ct_verify_opts *o = arg;
	ct_verify_problem p = { cp->commit[0] ? cp->commit : "-", cp->ref,
	    rule, what };

	return o->fn != NULL ? o->fn(&p, o->arg, err) : 0;
}

/* Main holds every checkpoint of the clone (checkpoint.h). */
static int
verify_checkpoints(ct_store *st, const ct_verify_opts *o, size_t *problems,
    ct_error *err)
{
	ct_snapshot *snap;
	size_t n = 0;
	int rc;

	if ((rc = ct_snapshot_open(st, CT_BRANCH, &snap, err)) < 0)
		return rc;
	rc = ct_checkpoint_check(st, ct_snapshot_id(snap), checkpoint_fn,
	    (void *)o, &n, err);
	*problems += n;
	ct_snapshot_free(snap);
	return rc;
}

int
ct_verify_store(ct_store *st, const ct_verify_opts *o, unsigned flags,
    size_t *problems, ct_error *err)
{
	int rc;

	*problems = 0;
	if ((rc = ct_verify(st, o, problems, err)) != 0 ||
	    (rc = verify_receipts(st, o, problems, err)) != 0)
		return rc;
	if (flags & CT_VERIFY_CHECKPOINTS)
		rc = verify_checkpoints(st, o, problems, err);
	return rc;
}

static void
free_dirs(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* The hook's object directories, a NULL-terminated list. */
static int
quarantine(const ct_verify_hook *h, char ***out, ct_error *err)
{
	const char *obj = h->objects, *alt = h->alternates;
	char **v = NULL, *all = NULL, *p, *save = NULL;
	size_t n = 0;
	int rc = 0;

	if (asprintf(&all, "%s:%s", obj != NULL ? obj : "",
	    alt != NULL ? alt : "") < 0) {
		all = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	} else if ((v = calloc(strlen(all) + 2, sizeof(*v))) == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	for (p = v != NULL ? strtok_r(all, ":", &save) : NULL; p != NULL;
	    p = strtok_r(NULL, ":", &save))
		if ((v[n++] = strdup(p)) == NULL) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			break;
		}
	free(all);
	if (rc < 0) {
		free_dirs(v);
		v = NULL;
	}
	*out = v;
	return rc;
}

int
ct_verify_pre_receive(ct_store *st, const ct_verify_opts *o,
    const ct_verify_hook *h, size_t *problems, ct_error *err)
{
	ct_verify_opts hook = *o;
	char *line = NULL, old[64], new[64], ref[1024], **dirs;
	size_t cap = 0, more;
	int rc;

	*problems = 0;
	if ((rc = quarantine(h, &dirs, err)) < 0)
		return rc;
	hook.object_dirs = (const char *const *)dirs;
	while (rc == 0 && getline(&line, &cap, h->in) > 0) {
		if (strlen(line) >= sizeof(ref) ||
		    sscanf(line, "%63s %63s %1023s", old, new, ref) != 3)
			rc = ct_error_set(err, CT_EINVALID, "--pre-receive: "
			    "expected \"old new ref\" lines, not '%s'", line);
		else if ((rc = ct_verify_push(st, &hook, old, new, ref,
		    h->allow, &more, err)) == 0)
			*problems += more;
	}
	free(line);
	free_dirs(dirs);
	return rc;
}
