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

#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/episode.h"
#include "casetrail/exception.h"
#include "casetrail/kind.h"
#include "casetrail/policy.h"
#include "casetrail/policyfile.h"
#include "casetrail/registry.h"
#include "casetrail/store.h"
#include "casetrail/util.h"

#define ADMIN_ROLE CT_ROLE_ADMINISTRATOR

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

struct violation {
	struct check *c;
	const char *path, *rule;
};

static int
violation_fn(const char *what, void *arg, ct_error *err)
{
	const struct violation *v = arg;

	return v->c->fn(v->path, v->rule, what, v->c->arg, err);
}

static int
violation(struct check *c, const char *path, const char *rule,
    ct_error *err, const char *fmt, ...)
{
	struct violation v = { c, path, rule };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_vformat_to(violation_fn, &v, err, fmt, ap);
	va_end(ap);
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

/*
 * A closed plan (cmp/closed/<start>-<kind>.yaml) and its plan in force
 * (cmp/<kind>.yaml) and case record, as paths of the same case.
 */
struct move {
	char *closed, *plan, *casefile;
	ct_date start;
	const char *kind;      /* "custodial" */
};

static void
move_clear(struct move *m)
{
	free(m->closed);
	free(m->plan);
	free(m->casefile);
	memset(m, 0, sizeof(*m));
}

static int
move_paths(const char *closed, struct move *m, ct_error *err)
{
	const char *at = strstr(closed, "/cmp/closed/");
	int n = (int)(at - closed);
	char day[CT_DATE_BUFSZ];

	memset(m, 0, sizeof(*m));
	memcpy(day, at + 12, 10);
	day[10] = '\0';
	m->kind = at + 12 + 11;
	if (ct_date_parse(day, &m->start, err) < 0 ||
	    (m->closed = strdup(closed)) == NULL ||
	    asprintf(&m->plan, "%.*s/cmp/%s", n, closed, m->kind) < 0 ||
	    asprintf(&m->casefile, "%.*s/case.yaml", n, closed) < 0) {
		m->plan = m->casefile = NULL;
		move_clear(m);
		return ct_error_set(err, CT_ERROR, "%s: bad closed plan path",
		    closed);
	}
	return 0;
}

/* The plan file of a closed plan's name ("custodial.yaml") is that of
 * the episode's kind. */
static bool
plan_of_episode(const char *file, ct_episode_kind k)
{
	const char *name = ct_cmp_kind_name(ct_cmp_of_episode(k));
	size_t n = strlen(name);

	return strncmp(file, name, n) == 0 && strcmp(file + n, ".yaml") == 0;
}

/*
 * The child's case record has the episode of m (its kind, its start):
 * closed as the closed entry says (entry non-NULL), or open (entry
 * NULL).
 */
static int
episode_fits(struct check *c, const struct move *m, const ct_node *entry,
    bool *fits, ct_error *err)
{
	ct_episodes eps = { 0 };
	ct_node *casedoc = NULL;
	const ct_episode *e;
	char end[CT_DATE_BUFSZ];
	const char *want;
	size_t i;
	int rc;

	*fits = false;
	if ((rc = c->in->child.load(c->in->child.arg, m->casefile, &casedoc,
	    err)) < 0 || casedoc == NULL ||
	    (rc = ct_case_episodes(casedoc, &eps, err)) < 0)
		goto out;
	for (i = 0; i < eps.n; i++) {
		e = &eps.v[i];
		if (e->start != m->start || !plan_of_episode(m->kind, e->kind))
			continue;
		want = ct_map_str(entry, "date");
		*fits = entry == NULL ? !e->closed : e->closed &&
		    want != NULL && strcmp(ct_date_format(e->end, end),
		    want) == 0 && e->closed_by != NULL &&
		    ct_map_str(entry, "event") != NULL &&
		    strcmp(e->closed_by, ct_map_str(entry, "event")) == 0;
	}
out:
	ct_episodes_clear(&eps);
	ct_node_free(casedoc);
	return rc;
}

/* with, its closed entry left out, equals without. */
static bool
same_plan(const ct_node *with, const ct_node *without)
{
	ct_node *copy = ct_node_dup(with);
	bool same;

	if (copy == NULL)
		return false;
	ct_map_del(copy, "closed");
	same = without != NULL && ct_node_equal(copy, without);
	ct_node_free(copy);
	return same;
}

/*
 * A closed plan changes only by the two moves of the tools: made from the
 * plan in force when the change ends its episode, or put back when the
 * change reopens it.  *moved: the change is such a move (its plan path is
 * then this clause's, not the writer's or the approvals').
 */
static int
check_move(struct check *c, const struct move *m, bool *moved,
    ct_error *err)
{
	const ct_policy_side *pa = &c->in->parent, *ch = &c->in->child;
	ct_node *pc = NULL, *cc = NULL, *pp = NULL, *cp = NULL;
	bool fits = false;
	int rc;

	*moved = false;
	if ((rc = pa->load(pa->arg, m->closed, &pc, err)) < 0 ||
	    (rc = ch->load(ch->arg, m->closed, &cc, err)) < 0 ||
	    (rc = pa->load(pa->arg, m->plan, &pp, err)) < 0 ||
	    (rc = ch->load(ch->arg, m->plan, &cp, err)) < 0)
		goto out;
	if ((pc == NULL) == (cc == NULL))
		goto out;  /* a change of a closed plan: append-only's */
	if (pc == NULL && cp == NULL && same_plan(cc, pp) &&
	    ct_map_get(cc, "closed") != NULL)
		rc = episode_fits(c, m, ct_map_get(cc, "closed"), &fits, err);
	else if (cc == NULL && pp == NULL && same_plan(pc, cp))
		rc = episode_fits(c, m, NULL, &fits, err);
	*moved = fits;
	if (rc == 0 && !fits)
		rc = violation(c, m->closed, "plan-close", err, "a closed plan "
		    "is made only from the plan in force, unchanged, by the "
		    "change of the case record that ends its episode, and "
		    "comes back only when that end is withdrawn");
out:
	ct_node_free(pc);
	ct_node_free(cc);
	ct_node_free(pp);
	ct_node_free(cp);
	return rc;
}

/* A plan in force has no closed entry: only a closed plan has. */
static int
check_in_force(struct check *c, const char *path, ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	if ((rc = c->in->child.load(c->in->child.arg, path, &doc, err)) == 0 &&
	    ct_map_get(doc, "closed") != NULL)
		rc = violation(c, path, "plan-close", err, "a plan in force "
		    "with a closed entry; a closed plan is kept under "
		    "cmp/closed/");
	ct_node_free(doc);
	return rc;
}

/*
 * A case's exceptions: entries only added, each by its author holding,
 * at the parent, a role the parent's settings allow for the case's
 * jurisdiction, within the deferral caps (exception.h).
 */
static int
check_exceptions(struct check *c, const char *path, ct_error *err)
{
	ct_node *old = NULL, *new = NULL, *casedoc = NULL;
	const ct_node *ol, *nl;
	char *casefile = NULL;
	ct_error why = { 0 };
	size_t i, n;
	int rc;

	if ((rc = c->in->parent.load(c->in->parent.arg, path, &old, err)) < 0 ||
	    (rc = c->in->child.load(c->in->child.arg, path, &new, err)) < 0)
		goto out;
	ol = ct_map_get(old, "exceptions");
	nl = ct_map_get(new, "exceptions");
	n = ol != NULL ? ol->n : 0;
	for (i = 0; nl != NULL && i < n && i < nl->n; i++)
		if (!ct_node_equal(ol->items[i], nl->items[i]))
			break;
	if (old != NULL && (new == NULL || nl == NULL || i < n)) {
		rc = violation(c, path, "exception", err, "an exception was "
		    "%s: entries are only ever added", new == NULL ? "removed "
		    "with its file" : "changed or removed");
		goto out;
	}
	if (asprintf(&casefile, "%.*s/case.yaml", (int)(strrchr(path, '/') -
	    path), path) < 0) {
		casefile = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if ((rc = c->in->child.load(c->in->child.arg, casefile, &casedoc,
	    err)) < 0)
		goto out;
	for (i = n; rc == 0 && nl != NULL && i < nl->n; i++)
		if (ct_exception_check_entry(c->settings, ct_map_str(casedoc,
		    "jurisdiction"), c->me, nl, i, nl->items[i], &why) < 0) {
			rc = violation(c, path, "exception", err, "%s",
			    ct_error_msg(&why));
			ct_error_clear(&why);
		}
out:
	free(casefile);
	ct_node_free(casedoc);
	ct_node_free(old);
	ct_node_free(new);
	return rc;
}

/* The Approved-by trailer names the author ("id (role)"). */
/* The settings keep the parent's jurisdiction. */
static int
check_jurisdiction(struct check *c, const char *path, ct_error *err)
{
	const ct_policy_side *s = &c->in->child;
	const char *was, *is;
	ct_node *now = NULL;
	int rc;

	if ((rc = load_parent(c, err)) != 0 ||
	    (was = ct_map_str(c->settings, "jurisdiction")) == NULL)
		return rc;
	if ((rc = s->load(s->arg, path, &now, err)) < 0)
		return rc;
	is = ct_map_str(now, "jurisdiction");
	if (is == NULL || strcmp(was, is) != 0)
		rc = violation(c, path, "jurisdiction", err, "the store's "
		    "jurisdiction changed from %s to %s: a store keeps the "
		    "jurisdiction it was made with", was, is != NULL ? is :
		    "none");
	ct_node_free(now);
	return rc;
}

/* A policy file reads as its reader will read it (policyfile.h): rules
 * that compile, bands in order, a calendar that applies, a time zone the
 * system knows. */
static int
check_policyfile(struct check *c, const char *path, ct_error *err)
{
	const ct_policy_side *s = &c->in->child;
	ct_node *now = NULL;
	ct_error why = { 0 };
	int rc;

	if ((rc = s->load(s->arg, path, &now, err)) < 0)
		return rc;
	rc = ct_policyfile_check_doc(path, now, &why);
	ct_node_free(now);
	if (rc == CT_EINVALID)
		rc = violation(c, path, "policy-file", err, "%s",
		    ct_error_msg(&why));
	else if (rc < 0)
		rc = ct_error_set(err, rc, "%s", ct_error_msg(&why));
	ct_error_clear(&why);
	return rc;
}

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

/* The plan moves of a change: the closed plans it makes or puts back
 * and their plans in force, whose paths the other clauses then pass. */
struct moves {
	char **paths;
	size_t n;
};

static void
moves_clear(struct moves *ms)
{
	while (ms->n > 0)
		free(ms->paths[--ms->n]);
	free(ms->paths);
	ms->paths = NULL;
}

static bool
moved(const struct moves *ms, const char *path)
{
	size_t i;

	for (i = 0; i < ms->n; i++)
		if (strcmp(ms->paths[i], path) == 0)
			return true;
	return false;
}

static int
check_moves(struct check *c, struct moves *ms, ct_error *err)
{
	const ct_kind *k;
	struct move m;
	bool ok;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < c->in->npaths; i++) {
		if ((k = ct_kind_of(c->in->paths[i])) == NULL ||
		    k->id != CT_KIND_CMP_CLOSED)
			continue;
		if ((rc = move_paths(c->in->paths[i], &m, err)) < 0)
			break;
		if ((rc = check_move(c, &m, &ok, err)) == 0 && ok) {
			char **grown = realloc(ms->paths, (ms->n + 2) *
			    sizeof(*grown));

			if (grown == NULL)
				rc = ct_error_set(err, CT_ERROR, "out of memory");
			else {
				ms->paths = grown;
				ms->paths[ms->n++] = m.closed;
				ms->paths[ms->n++] = m.plan;
				m.closed = m.plan = NULL;
			}
		}
		move_clear(&m);
	}
	return rc;
}

int
ct_policy_check(const ct_policy_input *in, ct_policy_fn fn, void *arg,
    ct_error *err)
{
	struct check c = { .in = in, .fn = fn, .arg = arg };
	struct moves moves = { 0 };
	bool role_seen = false, grew = false, path_grew;
	const ct_approval *a;
	const ct_kind *k;
	size_t i;
	int rc;

	rc = in->bootstrap ? load_parent(&c, err) : 0;
	if (rc == 0 && in->bootstrap && count(c.ops, "operators") == 0)
		rc = check_bootstrap(&c, err);
	if (rc == 0)
		rc = check_moves(&c, &moves, err);
	for (i = 0; rc == 0 && i < in->npaths; i++) {
		if ((k = ct_kind_of(in->paths[i])) == NULL ||
		    moved(&moves, in->paths[i]))
			continue;
		a = ct_kind_approval_of(in->paths[i]);
		if (k->id == CT_KIND_CMP &&
		    (rc = check_in_force(&c, in->paths[i], err)) != 0)
			break;
		if (k->append_only &&
		    (rc = check_append_only(&c, in->paths[i], k, err)) != 0)
			break;
		if (k->id == CT_KIND_EXCEPTIONS) {
			if ((rc = load_parent(&c, err)) == 0 &&
			    count(c.ops, "operators") > 0)
				rc = check_exceptions(&c, in->paths[i], err);
			continue;
		}
		if (k->id == CT_KIND_SETTINGS &&
		    (rc = check_jurisdiction(&c, in->paths[i], err)) != 0)
			break;
		if (ct_policyfile_is(in->paths[i]) &&
		    (rc = check_policyfile(&c, in->paths[i], err)) != 0)
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
	moves_clear(&moves);
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
