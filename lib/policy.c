/*
 * The change policy (policy.h).
 *
 * The parent's operators and settings are loaded once per check; the
 * author is looked up in them by e-mail.  Each changed path is matched
 * with its kind (kind.h): the administered kinds take the admin-only
 * clause, the approved plans the approval clauses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/kind.h"
#include "casetrail/policy.h"
#include "casetrail/registry.h"
#include "casetrail/store.h"

#define ADMIN_ROLE CT_ADMIN_ROLE

struct check {
	const ct_policy_input *in;
	ct_policy_fn fn;
	void *arg;
	bool loaded;                /* ops and settings, when needed */
	ct_node *ops, *settings;    /* at the parent */
	const ct_node *me;          /* the author at the parent, or NULL */
	const char *me_id;
};

/* The parent's operators and settings, loaded once, and only for a
 * change that needs them (most commits touch one case's records). */
static int
load_parent(struct check *c, ct_error *err)
{
	const ct_policy_side *p = &c->in->parent;
	int rc;

	if (c->loaded)
		return 0;
	c->loaded = true;
	if ((rc = p->load(p->arg, CT_OPERATORS_PATH, &c->ops, err)) < 0 ||
	    (rc = p->load(p->arg, CT_SETTINGS_PATH, &c->settings, err)) < 0)
		return rc;
	c->me = ct_registry_find(c->ops, "operators", "email", c->in->email);
	c->me_id = ct_map_str(c->me, "id");
	return 0;
}

static int
violation(struct check *c, const char *path, const char *rule,
    ct_error *err, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
violation(struct check *c, const char *path, const char *rule,
    ct_error *err, const char *fmt, ...)
{
	char *what = NULL;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = c->fn(path, rule, what, c->arg, err);
	free(what);
	return rc;
}

static size_t
count(const ct_node *doc, const char *list)
{
	const ct_node *l = ct_map_get(doc, list);

	return l != NULL && l->kind == CT_NODE_SEQ ? l->n : 0;
}

/* The change registers the first operators: its author must be one, an
 * administrator. */
static int
check_bootstrap(struct check *c, ct_error *err)
{
	const ct_node *op;
	ct_node *ops = NULL;
	int rc;

	if ((rc = c->in->child.load(c->in->child.arg, CT_OPERATORS_PATH, &ops,
	    err)) < 0)
		return rc;
	op = ct_registry_find(ops, "operators", "email", c->in->email);
	if (count(ops, "operators") > 0 &&
	    (op == NULL || !ct_operator_has_role(op, ADMIN_ROLE)))
		rc = violation(c, CT_OPERATORS_PATH, "bootstrap", err, "the "
		    "first operators registered must include the author <%s> "
		    "as an administrator", c->in->email);
	ct_node_free(ops);
	return rc;
}

/* After a change of the operators, some active administrator is left
 * (the bootstrap clause covers a store that had none). */
static int
check_last_admin(struct check *c, ct_error *err)
{
	const ct_node *l;
	ct_node *ops = NULL;
	size_t i;
	int rc;

	if (count(c->ops, "operators") == 0)
		return 0;
	if ((rc = c->in->child.load(c->in->child.arg, CT_OPERATORS_PATH, &ops,
	    err)) < 0)
		return rc;
	l = ct_registry_list(ops, "operators");
	for (i = 0; l != NULL && i < l->n; i++)
		if (ct_operator_has_role(l->items[i], ADMIN_ROLE))
			break;
	if (l == NULL || i == l->n)
		rc = violation(c, CT_OPERATORS_PATH, "last-admin", err, "the "
		    "change would leave no active administrator, and nobody "
		    "could change the registry again");
	ct_node_free(ops);
	return rc;
}

/* The kind's change_role: only its holders change such a file. */
static int
check_role(struct check *c, const char *path, const ct_kind *k,
    ct_error *err)
{
	if (c->me != NULL && ct_operator_has_role(c->me, k->change_role))
		return 0;
	if (count(c->ops, "operators") == 0 && c->in->bootstrap)
		return 0;
	return violation(c, path, "admin-only", err, "changed by <%s>, who "
	    "%s the %s role at the parent commit; only an operator with "
	    "that role changes %s", c->in->email, c->me == NULL ?
	    "is not a registered operator with" : "does not hold",
	    k->change_role, k->name);
}

/* A case record whose kind names its writers: the author holds one of
 * their roles at the parent (an approval is the approval clauses'). */
static int
check_writer(struct check *c, const char *path, const ct_kind *k,
    ct_error *err)
{
	char roles[128];

	if (c->me == NULL || ct_kind_writer(k, c->me))
		return 0;  /* an unregistered author is the verifier's */
	return violation(c, path, "writer-role", err, "changed by %s, who "
	    "holds none of the roles %s at the parent commit; only they "
	    "write %s", c->me_id != NULL ? c->me_id : c->in->email,
	    ct_kind_writers_text(k, roles, sizeof(roles)), k->name);
}

/* A file of an append-only kind that the parent has: the change alters
 * or removes it. */
static int
check_append_only(struct check *c, const char *path, const ct_kind *k,
    ct_error *err)
{
	ct_node *old = NULL, *new = NULL;
	int rc;

	if ((rc = c->in->parent.load(c->in->parent.arg, path, &old, err)) < 0)
		return rc;
	if (old != NULL && (rc = c->in->child.load(c->in->child.arg, path,
	    &new, err)) == 0)
		rc = violation(c, path, "append-only", err, "%s after it was "
		    "recorded: a %s is never %s", new != NULL ? "changed" :
		    "removed", k->name, new != NULL ? "changed" : "removed");
	ct_node_free(old);
	ct_node_free(new);
	return rc;
}

/* The approvals entries the change added to a plan. */
static int
check_approval(struct check *c, const char *path, const ct_approval *a,
    const ct_node *old, const ct_node *new, ct_error *err)
{
	const ct_node *list = ct_map_get(new, "approvals");
	const char *role = ct_kind_approval_role(a, c->settings);
	const char *by, *wrote = ct_map_str(new, "changed_by");
	size_t i;
	int rc = 0;

	if (c->me == NULL || !ct_operator_has_role(c->me, role))
		rc = violation(c, path, "approval-role", err, "approved by "
		    "<%s>, who does not hold the role %s at the parent commit",
		    c->in->email, role);
	for (i = count(old, "approvals"); rc == 0 && i < count(new,
	    "approvals"); i++) {
		by = ct_map_str(list->items[i], "by");
		if (c->me_id == NULL || by == NULL || strcmp(by, c->me_id) != 0)
			rc = violation(c, path, "approval-by", err, "the "
			    "approval names '%s' but the commit's author is "
			    "<%s>", by != NULL ? by : "", c->in->email);
	}
	if (rc == 0 && c->me_id != NULL && wrote != NULL &&
	    strcmp(wrote, c->me_id) == 0)
		rc = violation(c, path, "approval-own", err, "%s approved a "
		    "version they wrote (changed_by); another operator with "
		    "the %s role approves it", c->me_id, role);
	return rc;
}

static bool
approved(const ct_node *plan)
{
	const char *st = ct_map_str(plan, "status");

	return st != NULL && strcmp(st, "approved") == 0;
}

static int
check_plan(struct check *c, const char *path, const ct_approval *a,
    bool *grew, ct_error *err)
{
	ct_node *old = NULL, *new = NULL;
	int rc;

	if ((rc = c->in->parent.load(c->in->parent.arg, path, &old, err)) < 0 ||
	    (rc = c->in->child.load(c->in->child.arg, path, &new, err)) < 0)
		goto out;
	if (new != NULL && count(new, "approvals") > count(old, "approvals")) {
		*grew = true;
		rc = check_approval(c, path, a, old, new, err);
	} else if (old != NULL && new != NULL && !ct_node_equal(old, new) &&
	    approved(new))
		rc = violation(c, path, "approval-stale", err, "the plan "
		    "changed without a new approval and is still 'approved'; "
		    "a changed plan goes back to 'pending-approval'");
out:
	ct_node_free(old);
	ct_node_free(new);
	return rc;
}

/* The Approved-by trailer names the author ("id (role)"). */
static int
check_trailer(struct check *c, ct_error *err)
{
	const char *t = c->in->approved_by;
	size_t n = strcspn(t, " ");

	if (c->me_id != NULL && strlen(c->me_id) == n &&
	    strncmp(t, c->me_id, n) == 0)
		return 0;
	return violation(c, NULL, "approval-by", err, "Approved-by: %s, but "
	    "the commit's author is <%s>", t, c->in->email);
}

int
ct_policy_check(const ct_policy_input *in, ct_policy_fn fn, void *arg,
    ct_error *err)
{
	struct check c = { .in = in, .fn = fn, .arg = arg };
	bool role_seen = false, grew = false, path_grew;
	const ct_approval *a;
	const ct_kind *k;
	size_t i;
	int rc;

	rc = in->bootstrap ? load_parent(&c, err) : 0;
	if (rc == 0 && in->bootstrap && count(c.ops, "operators") == 0)
		rc = check_bootstrap(&c, err);
	for (i = 0; rc == 0 && i < in->npaths; i++) {
		if ((k = ct_kind_of(in->paths[i])) == NULL)
			continue;
		a = ct_kind_approval_of(in->paths[i]);
		if (k->append_only &&
		    (rc = check_append_only(&c, in->paths[i], k, err)) != 0)
			break;
		if (k->change_role == NULL && k->writers == NULL && a == NULL)
			continue;
		if ((rc = load_parent(&c, err)) != 0)
			break;
		path_grew = false;
		if (a != NULL)
			rc = check_plan(&c, in->paths[i], a, &path_grew, err);
		grew |= path_grew;
		if (rc == 0 && k->writers != NULL && !path_grew &&
		    count(c.ops, "operators") > 0)
			rc = check_writer(&c, in->paths[i], k, err);
		if (rc == 0 && k->change_role != NULL && !role_seen) {
			role_seen = true;  /* one report a commit */
			rc = check_role(&c, in->paths[i], k, err);
		}
		if (rc == 0 && k->id == CT_KIND_OPERATORS)
			rc = check_last_admin(&c, err);
	}
	if (rc == 0 && in->approved_by != NULL && grew)
		rc = check_trailer(&c, err);
	ct_node_free(c.ops);
	ct_node_free(c.settings);
	return rc;
}

/* The number of operators in the registry blob id (0 when not YAML). */
static size_t
operators_in(git_repository *repo, const git_oid *id)
{
	git_blob *b = NULL;
	ct_node *doc = NULL;
	ct_error err = { 0 };
	size_t n = 0;

	if (git_blob_lookup(&b, repo, id) == 0 &&
	    ct_yaml_load(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
	    CT_OPERATORS_PATH, &doc, &err) == 0)
		n = count(doc, "operators");
	ct_error_clear(&err);
	ct_node_free(doc);
	git_blob_free(b);
	return n;
}

int
ct_policy_bootstrap_open(git_repository *repo, const git_oid *commit,
    bool *open, ct_error *err)
{
	git_revwalk *walk = NULL;
	git_oid oid, last;
	bool have_last = false;
	int rc = 0, grc = GIT_ITEROVER;

	*open = true;
	if (commit == NULL)
		return 0;
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_push(walk, commit) < 0) {
		git_revwalk_free(walk);
		return ct_git_fail(err, "walking the history");
	}
	git_revwalk_simplify_first_parent(walk);
	/* newest first: almost always the first commit settles it */
	while (*open && (grc = git_revwalk_next(&oid, walk)) == 0) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		git_tree_entry *e = NULL;

		if (git_commit_lookup(&c, repo, &oid) < 0 ||
		    git_commit_tree(&t, c) < 0)
			rc = ct_git_fail(err, "reading a commit");
		else if (git_tree_entry_bypath(&e, t, CT_OPERATORS_PATH) == 0 &&
		    !(have_last && git_oid_equal(git_tree_entry_id(e), &last))) {
			git_oid_cpy(&last, git_tree_entry_id(e));
			have_last = true;
			*open = operators_in(repo, &last) == 0;
		}
		git_tree_entry_free(e);
		git_tree_free(t);
		git_commit_free(c);
		if (rc < 0)
			break;
	}
	if (rc == 0 && *open && grc != GIT_ITEROVER)
		rc = ct_git_fail(err, "walking the history");
	git_revwalk_free(walk);
	return rc;
}
