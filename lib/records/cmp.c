/*
 * Case Management Plans (ACT): the records cmp/<kind>.yaml, the policy
 * rules ACT-CMP-CONTENT, ACT-LSIR, ACT-REMAND-CMP, ACT-CONSENT,
 * ACT-CMP-CUSTODIAL and ACT-CMP-COMMUNITY, and the transaction of
 * cmp-new, cmp-review and cmp-approve (ct_cmp_apply), which re-reads and
 * re-checks everything on every try, so a lost race is re-judged on the
 * new HEAD.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/record.h"
#include "casetrail/assess.h"
#include "casetrail/buf.h"
#include "casetrail/case.h"
#include "casetrail/diff.h"
#include "casetrail/cmp.h"
#include "casetrail/episode.h"
#include "casetrail/evaluate.h"
#include "casetrail/kind.h"
#include "casetrail/registry.h"
#include "casetrail/role.h"
#include "casetrail/schema.h"
#include "casetrail/util.h"

#define MAX_PROBLEMS 20

static const char *const kind_names[] = { "custodial", "remand", "community" };
static const char *const action_names[] = { "new", "review", "approve",
    "copy" };
static const char *const editable[] = { "goals", "needs", "s78", "comments",
    NULL };
static const char *const s78_parts[][2] = {
	{ "work_activities", "outlines the work and other activities the "
	    "detainee may undertake" },
	{ "needs_capacity_welfare", "includes an assessment of the needs, "
	    "capacity and welfare of the detainee" },
	{ "release_preparation", "outlines how the detainee will be prepared "
	    "for release and reintegration at the earliest possible release "
	    "date" },
};

const char *const ct_cmp_reasons[] = {
	"goals-change", "circumstances-change", "needs-unmet",
	"serious-offence", "risk-rating-change", "stage-transition",
	"scheduled", "other", NULL,
};

const char *
ct_cmp_kind_name(ct_cmp_kind k)
{
	return (unsigned)k < 3 ? kind_names[k] : "?";
}

const char *
ct_cmp_action_name(ct_cmp_action a)
{
	return (unsigned)a < 4 ? action_names[a] : "?";
}

int
ct_cmp_kind_parse(const char *s, const char *what, ct_cmp_kind *out,
    ct_error *err)
{
	int i;

	for (i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (ct_cmp_kind)i;
			return 0;
		}
	return ct_error_set(err, CT_EINVALID, "%s: '%s' is not a plan kind "
	    "(custodial, remand or community)", what, s ? s : "");
}

int
ct_cmp_path(const char *case_id, ct_cmp_kind kind, char **out, ct_error *err)
{
	char rel[32];

	snprintf(rel, sizeof(rel), "cmp/%s.yaml", ct_cmp_kind_name(kind));
	return ct_case_path(case_id, rel, out, err);
}

/* The table's approval of a kind of plan, or NULL (remand). */
static const ct_approval *
approval_of(ct_cmp_kind kind)
{
	char file[32];

	snprintf(file, sizeof(file), "%s.yaml", ct_cmp_kind_name(kind));
	return ct_kind_approval_find(&ct_kinds[CT_KIND_CMP], file);
}

const char *
ct_cmp_approval_role(const ct_node *settings, ct_cmp_kind kind)
{
	const ct_approval *a = approval_of(kind);

	return a != NULL ? ct_kind_approval_role(a, settings) : NULL;
}

/* The rule a kind's approval falls under. */
static const char *
approval_rule(ct_cmp_kind kind)
{
	const ct_approval *a = approval_of(kind);

	return a != NULL ? a->rule : NULL;
}

/*
 * Problems: every one found, one per line, "file:line:column: message"
 * (or "file: message" at a node built in memory).
 */
struct probs {
	const char *file;
	ct_buf b;
	int n;
};

static void prob(struct probs *p, const ct_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
prob(struct probs *p, const ct_node *at, const char *fmt, ...)
{
	va_list ap;

	if (++p->n > MAX_PROBLEMS)
		return;
	if (p->b.len > 0)
		ct_buf_putc(&p->b, '\n');
	if (at != NULL && at->line > 0)
		ct_buf_printf(&p->b, "%s:%u:%u: ", p->file, at->line, at->col);
	else
		ct_buf_printf(&p->b, "%s: ", p->file);
	va_start(ap, fmt);
	ct_buf_vprintf(&p->b, fmt, ap);
	va_end(ap);
}

/* CT_EINVALID with the problems, or 0 when none; frees them. */
static int
probs_done(struct probs *p, ct_error *err)
{
	int rc = 0;

	if (p->b.failed)
		rc = ct_nomem(err);
	else if (p->n > MAX_PROBLEMS)
		rc = ct_error_set(err, CT_EINVALID, "%s\n%s: ... and %d more",
		    p->b.s, p->file, p->n - MAX_PROBLEMS);
	else if (p->n > 0)
		rc = ct_error_set(err, CT_EINVALID, "%s", p->b.s);
	ct_buf_free(&p->b);
	return rc;
}

/* "needs[N1]" (by id) or "needs[3]" (by position, when the id is not a
 * string); buf must hold 64 bytes (ids are at most 20 characters by the
 * schema, and longer ones are cut). */
static const char *
need_label(const ct_node *need, size_t i, char buf[64])
{
	const char *id = ct_map_str(need, "id");

	if (id != NULL)
		snprintf(buf, 64, "needs[%.40s]", id);
	else
		snprintf(buf, 64, "needs[%zu]", i);
	return buf;
}

/*
 * ACT-CMP-CONTENT.
 */
static void
content(struct probs *p, const ct_node *plan, ct_cmp_kind kind, ct_date today)
{
	const ct_node *needs = ct_map_get(plan, "needs"), *s78, *v;
	char label[64], d[CT_DATE_BUFSZ], t[CT_DATE_BUFSZ];
	const char *status;
	size_t i;
	ct_date done;

	for (i = 0; i < ct_rec_len(needs); i++) {
		const ct_node *need = needs->items[i];

		if (need->kind != CT_NODE_MAP)
			continue;
		need_label(need, i, label);
		status = ct_map_str(need, "status");
		if (ct_rec_len(ct_map_get(need, "interventions")) == 0)
			prob(p, need, "ACT-CMP-CONTENT: %s: no interventions, "
			    "supports or activities: every need identified "
			    "must be addressed by at least one (cl 1.8)", label);
		if (ct_map_get(need, "target") == NULL)
			prob(p, need, "ACT-CMP-CONTENT: %s: no target date: "
			    "every need has a timeframe for completion "
			    "(cl 1.8)", label);
		v = ct_map_get(need, "completed");
		if (ct_streq(status, "completed") && v == NULL)
			prob(p, need, "ACT-CMP-CONTENT: %s: status is "
			    "'completed' but there is no completion date "
			    "(completed: YYYY-MM-DD, cl 1.8)", label);
		if (v != NULL && status != NULL &&
		    !ct_streq(status, "completed"))
			prob(p, v, "ACT-CMP-CONTENT: %s.completed: a completion "
			    "date on a need whose status is '%s'", label,
			    status);
		if (v != NULL && ct_rec_date(need, "completed", &done) &&
		    done > today)
			prob(p, v, "ACT-CMP-CONTENT: %s.completed: %s is after "
			    "today (%s)", label, ct_date_format(done, d),
			    ct_date_format(today, t));
	}
	if (kind != CT_CMP_CUSTODIAL)
		return;
	s78 = ct_map_get(plan, "s78");
	for (i = 0; i < 3; i++)
		if (ct_map_get(s78, s78_parts[i][0]) == NULL)
			prob(p, s78 != NULL ? s78 : plan, "ACT-CMP-CONTENT: "
			    "s78.%s: missing: a custodial plan %s "
			    "(Corrections Management Act 2007 s 78)",
			    s78_parts[i][0], s78_parts[i][1]);
}

int
ct_cmp_check_content(const ct_node *plan, const char *file, ct_cmp_kind kind,
    ct_date today, ct_error *err)
{
	struct probs p = { .file = file };

	content(&p, plan, kind, today);
	return probs_done(&p, err);
}

/*
 * ACT-CONSENT.
 */
bool
ct_cmp_at_risk_on(const ct_node *casedoc, ct_date day)
{
	const ct_node *events = ct_map_get(casedoc, "events"), *e, *c;
	bool at_risk = false;
	size_t i;
	ct_date d;

	/* events are in date order, one day's in the order recorded */
	for (i = 0; i < ct_rec_len(events); i++) {
		e = events->items[i];
		if (!ct_streq(ct_map_str(e, "type"), "at-risk") ||
		    ct_event_withdrawn(e) || !ct_rec_date(e, "date", &d) ||
		    d > day)
			continue;
		c = ct_map_get(e, "cleared");
		at_risk = !(c != NULL && c->type == CT_SCALAR_BOOL && c->ival);
	}
	return at_risk;
}

static void
consent(struct probs *p, const ct_node *plan, const ct_node *casedoc)
{
	const ct_node *needs = ct_map_get(plan, "needs"), *r;
	char label[64];
	const char *c;
	size_t i;
	ct_date d;

	for (i = 0; i < ct_rec_len(needs); i++) {
		r = ct_map_get(needs->items[i], "referral");
		if (r == NULL || r->kind != CT_NODE_MAP)
			continue;
		c = ct_map_str(r, "consent");
		if (c == NULL || ct_streq(c, "given") || !ct_rec_date(r, "date", &d))
			continue;
		if (ct_cmp_at_risk_on(casedoc, d))
			continue;
		prob(p, r, "ACT-CONSENT: %s.referral: consent is '%s' and the "
		    "case is not recorded At Risk on %s, the referral's date: "
		    "a referral needs the offender's expressed consent unless "
		    "they are At Risk (record it with case-event at-risk)",
		    need_label(needs->items[i], i, label), c,
		    ct_map_str(r, "date"));
	}
}

int
ct_cmp_check_consent(const ct_node *plan, const char *file,
    const ct_node *casedoc, ct_error *err)
{
	struct probs p = { .file = file };

	consent(&p, plan, casedoc);
	return probs_done(&p, err);
}

/* Record the At Risk exception on every referral made without consent
 * (the checks have passed, so the case was At Risk then). */
static int
mark_referrals(ct_node *plan, ct_error *err)
{
	ct_node *needs = ct_map_get(plan, "needs"), *r;
	size_t i;

	for (i = 0; i < ct_rec_len(needs); i++) {
		r = ct_map_get(needs->items[i], "referral");
		if (r == NULL || r->kind != CT_NODE_MAP)
			continue;
		if (ct_streq(ct_map_str(r, "consent"), "given"))
			ct_map_del(r, "at_risk_exception");
		else if (ct_rec_set(r, "at_risk_exception",
		    ct_node_new_bool(true), err) < 0)
			return CT_ERROR;
	}
	return 0;
}

/*
 * ACT-REMAND-CMP, ACT-LSIR: the windows are the store's rules
 * ACT-REMAND-CMP and ACT-LSIR-CURRENT (rules.h, ct_rule_anchor), so that
 * cmp-new refuses by the number deadline-check counts with.  A store
 * whose rules have no such rule sets no window.
 */
int
ct_cmp_check_remand(const ct_rule *rule, const ct_calendar *cal,
    const ct_node *casedoc, const char *case_id, ct_date day, ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ], c[CT_DATE_BUFSZ], off[32];
	ct_anchor an;
	int rc;

	if (rule == NULL)
		return 0;
	if ((rc = ct_rule_anchor(rule, cal, casedoc, day, &an, err)) < 0)
		return rc;
	ct_rule_offset(rule, off, sizeof(off));
	if (!an.found)
		return ct_error_set(err, CT_EINVALID, "ACT-REMAND-CMP: %s has "
		    "no reception recorded on or before %s: a remand plan may "
		    "be made once the remandee has spent %s in custody "
		    "(record the reception with case-event %s reception)",
		    case_id, ct_date_format(day, a), off, case_id);
	if (an.lapsed_by != NULL)
		return ct_error_set(err, CT_EINVALID, "ACT-REMAND-CMP: %s was "
		    "received on %s and %s on %s: a remand plan may be made "
		    "after %s in custody since a reception, with no release",
		    case_id, ct_date_format(an.anchor, a), an.lapsed_by,
		    ct_date_format(an.lapsed_on, b), off);
	if (day < an.due)
		return ct_error_set(err, CT_EINVALID, "ACT-REMAND-CMP: %s was "
		    "received on %s: a remand plan may be made from %s, after "
		    "%s in custody, not on %s", case_id,
		    ct_date_format(an.anchor, a), ct_date_format(an.due, b),
		    off, ct_date_format(day, c));
	return 0;
}

int
ct_cmp_check_lsir(ct_snapshot *snap, const ct_rule *rule,
    const ct_calendar *cal, const char *case_id, ct_date day, ct_date *lsir,
    ct_error *err)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ], c[CT_DATE_BUFSZ], off[32];
	ct_date from, until;
	bool found;
	int rc;

	if ((rc = ct_lsir_latest(snap, case_id, day, &found, lsir, err)) < 0)
		return rc;
	if (found && rule == NULL)
		return 0;
	if (!found && rule == NULL)
		return ct_error_set(err, CT_EINVALID, "ACT-LSIR: %s has no "
		    "LSI-R: a custodial plan is made on one (record it with "
		    "assess-add %s lsi-r)", case_id, case_id);
	if (found && (rc = ct_rule_due(rule, cal, *lsir, &until, err)) < 0)
		return rc;
	if (found && until >= day)
		return 0;
	from = ct_rule_earliest_anchor(rule, cal, day);
	ct_rule_offset(rule, off, sizeof(off));
	if (found)
		return ct_error_set(err, CT_EINVALID, "ACT-LSIR: the newest "
		    "LSI-R of %s is of %s, more than %s before %s: a "
		    "custodial plan needs an LSI-R completed on or after %s "
		    "(record it with assess-add %s lsi-r)", case_id,
		    ct_date_format(*lsir, a), off, ct_date_format(day, b),
		    ct_date_format(from, c), case_id);
	return ct_error_set(err, CT_EINVALID, "ACT-LSIR: %s has no LSI-R: a "
	    "custodial plan needs an LSI-R completed in the %s before it, on "
	    "or after %s (record it with assess-add %s lsi-r)", case_id, off,
	    ct_date_format(from, c), case_id);
}

/* The store's rule id and the ACT calendar, for a gate; *rule NULL when
 * the store's rules have none. */
static int
gate_open(ct_snapshot *snap, const char *id, ct_rules **rules,
    const ct_rule **rule, ct_calendar **cal, ct_error *err)
{
	int rc;

	*rule = NULL;
	*cal = NULL;
	if ((rc = ct_snapshot_rules(snap, rules, err)) < 0 ||
	    (rc = ct_snapshot_calendar(snap, CT_JUR_ACT, cal, err)) < 0)
		return rc;
	*rule = ct_rules_find(*rules, id);
	return 0;
}

/*
 * The editable part.
 */
static bool
is_editable(const char *key)
{
	size_t i;

	for (i = 0; editable[i] != NULL; i++)
		if (strcmp(editable[i], key) == 0)
			return true;
	return false;
}

/* Unique need ids. */
static void
unique_ids(struct probs *p, const ct_node *plan)
{
	const ct_node *needs = ct_map_get(plan, "needs");
	const char *a, *b;
	size_t i, j;

	for (i = 0; i < ct_rec_len(needs); i++) {
		if ((a = ct_map_str(needs->items[i], "id")) == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (ct_streq(a, b = ct_map_str(needs->items[j], "id"))) {
				prob(p, ct_map_get(needs->items[i], "id"),
				    "needs[%zu].id: '%s' is the id of needs[%zu] "
				    "too; need ids are unique", i, a, j);
				break;
			}
	}
}

int
ct_cmp_input_check(const ct_node *input, const char *name, ct_cmp_kind kind,
    const ct_node *casedoc, ct_date today, ct_error *err)
{
	struct probs p = { .file = name };
	ct_schema *schema = NULL;
	ct_node *cand = NULL;
	size_t i;
	int rc;

	if (input->kind != CT_NODE_MAP) {
		prob(&p, input, "(root): the plan is a mapping of goals, needs, "
		    "s78 and comments");
		return probs_done(&p, err);
	}
	for (i = 0; i < input->n; i++)
		if (!is_editable(input->pairs[i].key)) {
			ct_node at = { .line = input->pairs[i].line,
			    .col = input->pairs[i].col };

			prob(&p, &at, "%s: not editable: a plan's input has "
			    "goals, needs, s78 and comments (the tools keep "
			    "the other fields)", input->pairs[i].key);
		}
	if (p.n > 0)
		return probs_done(&p, err);
	/* validate as a whole plan, with the input's positions */
	if ((cand = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	cand->line = input->line;
	cand->col = input->col;
	if ((rc = ct_rec_set_str(cand, "case", "X", err)) < 0 ||
	    (rc = ct_rec_set_str(cand, "kind", ct_cmp_kind_name(kind),
	    err)) < 0 ||
	    (rc = ct_rec_set_int(cand, "version", 1, err)) < 0 ||
	    (rc = ct_rec_set_str(cand, "status", "draft", err)) < 0 ||
	    (rc = ct_rec_set_str(cand, "created", "2000-01-01", err)) < 0 ||
	    (rc = ct_rec_set_str(cand, "changed_by", "x", err)) < 0)
		goto out;
	for (i = 0; i < input->n; i++)
		if ((rc = ct_rec_set(cand, input->pairs[i].key,
		    ct_node_dup(input->pairs[i].value), err)) < 0)
			goto out;
	if ((rc = ct_schema_load(CT_CMP_SCHEMA, &schema, err)) < 0 ||
	    (rc = ct_schema_validate(schema, cand, name, err)) < 0)
		goto out;
	unique_ids(&p, input);
	content(&p, input, kind, today);
	if (casedoc != NULL)
		consent(&p, input, casedoc);
	rc = probs_done(&p, err);
out:
	ct_buf_free(&p.b);
	ct_schema_free(schema);
	ct_node_free(cand);
	return rc;
}

int
ct_cmp_input_load(const char *buf, size_t len, const char *name,
    ct_cmp_kind kind, const ct_node *casedoc, ct_date today, ct_node **out,
    ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_yaml_load(buf, len, name, &doc, err)) < 0)
		return rc;
	if ((rc = ct_cmp_input_check(doc, name, kind, casedoc, today,
	    err)) < 0) {
		ct_node_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int
ct_cmp_editable(const ct_node *plan, ct_node **out, ct_error *err)
{
	ct_node *doc, *needs, *r;
	ct_schema *schema = NULL;
	size_t i;
	int rc;

	*out = NULL;
	if ((doc = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	for (i = 0; editable[i] != NULL; i++)
		if (ct_map_get(plan, editable[i]) != NULL &&
		    (rc = ct_rec_set(doc, editable[i],
		    ct_node_dup(ct_map_get(plan, editable[i])), err)) < 0)
			goto fail;
	/* the At Risk exception is the tools' to record */
	needs = ct_map_get(doc, "needs");
	for (i = 0; i < ct_rec_len(needs); i++)
		if ((r = ct_map_get(needs->items[i], "referral")) != NULL)
			ct_map_del(r, "at_risk_exception");
	if ((rc = ct_schema_load(CT_CMP_SCHEMA, &schema, err)) < 0)
		goto fail;
	ct_schema_order(schema, doc);
	ct_schema_free(schema);
	*out = doc;
	return 0;
fail:
	ct_node_free(doc);
	return rc;
}

int
ct_cmp_template(const char *case_id, ct_cmp_kind kind, const ct_node *plan,
    char **out, ct_error *err)
{
	const char *k = ct_cmp_kind_name(kind);
	ct_node *doc = NULL;
	ct_buf b = { 0 };
	int rc = 0;

	*out = NULL;
	if (plan == NULL)
		ct_buf_printf(&b, "# %s Case Management Plan of %s, version 1.\n",
		    kind == CT_CMP_CUSTODIAL ? "Custodial" :
		    kind == CT_CMP_REMAND ? "Remand" : "Community", case_id);
	else
		ct_buf_printf(&b, "# Review of the %s Case Management Plan of "
		    "%s: version %lld (%s) becomes version %lld.\n", k, case_id,
		    ct_rec_int(plan, "version"), ct_map_str(plan, "status"),
		    ct_rec_int(plan, "version") + 1);
	ct_buf_puts(&b,
	    "# goals: the offender's goals, one entry each.\n"
	    "# needs: one entry per need: id (N1, N2, ...; kept from version\n"
	    "#   to version), domain, description, interventions (each with\n"
	    "#   type: intervention, program, support or activity, and a\n"
	    "#   description; at least one), target (YYYY-MM-DD), status\n"
	    "#   (open, in-progress, completed, discontinued), completed\n"
	    "#   (YYYY-MM-DD, exactly when completed), comments, and any\n"
	    "#   referral (to, date, consent: given, refused or not-asked;\n"
	    "#   without consent only while the case is recorded At Risk).\n"
	    "# Domains: criminal-history, education-employment, financial,\n"
	    "#   family-marital, accommodation, leisure-recreation,\n"
	    "#   companions, alcohol-drug, emotional-personal,\n"
	    "#   attitudes-orientation, mental-health, physical-health,\n"
	    "#   disability, cultural, religious, welfare, other.\n");
	if (kind == CT_CMP_CUSTODIAL)
		ct_buf_puts(&b,
		    "# s78: the three parts of a custodial plan (Corrections\n"
		    "#   Management Act 2007 s 78): work_activities,\n"
		    "#   needs_capacity_welfare, release_preparation.\n");
	ct_buf_puts(&b,
	    "# comments: anything else about the plan.\n"
	    "# Save and quit to keep the plan; quit without saving, or make\n"
	    "# the editor fail, to keep nothing.  Lines beginning with # are\n"
	    "# ignored.\n");
	if (plan == NULL) {
		ct_buf_puts(&b, "goals:\n  -\nneeds:\n  - id: N1\n"
		    "    domain:\n    description:\n    interventions:\n"
		    "      - type: program\n        description:\n"
		    "    target:\n    status: open\n");
		if (kind == CT_CMP_CUSTODIAL)
			ct_buf_puts(&b, "s78:\n  work_activities:\n"
			    "  needs_capacity_welfare:\n"
			    "  release_preparation:\n");
		goto done;
	}
	rc = ct_cmp_editable(plan, &doc, err);
done:
	rc = ct_yaml_emit_doc(&b, doc, rc, out, err);
	ct_node_free(doc);
	return rc;
}

/*
 * Preconditions, on the records as a snapshot has them.
 */
static int
load_records(ct_snapshot *snap, const ct_cmp_op *op, ct_node **casedoc,
    ct_node **plan, char **path, ct_error *err)
{
	int rc;

	*casedoc = *plan = NULL;
	*path = NULL;
	if ((rc = ct_cmp_path(op->case_id, op->kind, path, err)) < 0 ||
	    (rc = ct_snapshot_load_case(snap, op->case_id, casedoc, err)) < 0)
		goto out;
	if (!ct_streq(ct_map_str(*casedoc, "jurisdiction"), "ACT")) {
		rc = ct_error_set(err, CT_EINVALID, "%s is a %s case: Case "
		    "Management Plans are kept for ACT cases", op->case_id,
		    ct_map_str(*casedoc, "jurisdiction"));
		goto out;
	}
	rc = ct_snapshot_load(snap, *path, plan, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
out:
	return rc;
}

/* The windows of a new plan: remand (ACT-REMAND-CMP), custodial
 * (ACT-LSIR). */
static int
gate(ct_snapshot *snap, const ct_cmp_op *op, const ct_node *casedoc,
    ct_date *lsir, ct_error *err)
{
	bool remand = op->kind == CT_CMP_REMAND;
	ct_rules *rules = NULL;
	const ct_rule *rule;
	ct_calendar *cal = NULL;
	int rc;

	if (op->kind == CT_CMP_COMMUNITY)
		return 0;
	if ((rc = gate_open(snap, remand ? "ACT-REMAND-CMP" :
	    "ACT-LSIR-CURRENT", &rules, &rule, &cal, err)) == 0)
		rc = remand ? ct_cmp_check_remand(rule, cal, casedoc,
		    op->case_id, op->today, err) : ct_cmp_check_lsir(snap,
		    rule, cal, op->case_id, op->today, lsir, err);
	ct_rules_free(rules);
	ct_calendar_free(cal);
	return rc;
}

/*
 * No plan of the kind in force: say so, and name the closed plan of the
 * kind's latest ended episode when there is one (cmp_close.c).
 */
static int
no_plan(ct_snapshot *snap, const ct_cmp_op *op, const ct_node *casedoc,
    ct_error *err)
{
	const char *k = ct_cmp_kind_name(op->kind);
	ct_episodes eps = { 0 };
	const ct_episode *e = NULL;
	char *path = NULL, *buf, from[CT_DATE_BUFSZ], to[CT_DATE_BUFSZ];
	size_t i, len;

	if (ct_case_episodes(casedoc, &eps, err) == 0)
		for (i = 0; i < eps.n; i++)
			if (eps.v[i].closed && ct_cmp_closed_path(op->case_id,
			    op->kind, eps.v[i].start, &path, err) == 0) {
				if (ct_snapshot_read(snap, path, &buf, &len,
				    err) == 0) {
					free(buf);
					e = &eps.v[i];
				}
				free(path);
			}
	ct_error_clear(err);
	if (e != NULL)
		ct_error_set(err, CT_ENOTFOUND, "%s has no %s plan in force: "
		    "the plan of the %s from %s was closed when it ended (%s "
		    "on %s) and is kept in cmp/closed/; a new episode needs a "
		    "new plan (cmp-new)", op->case_id, k,
		    ct_episode_kind_name(e->kind), ct_date_format(e->start,
		    from), e->closed_by, ct_date_format(e->end, to));
	else
		ct_error_set(err, CT_ENOTFOUND, "%s has no %s plan (make one "
		    "with cmp-new)", op->case_id, k);
	ct_episodes_clear(&eps);
	return CT_ENOTFOUND;
}

static int
precheck(ct_snapshot *snap, const ct_cmp_op *op, const ct_node *casedoc,
    const ct_node *plan, ct_date *lsir, ct_error *err)
{
	const char *k = ct_cmp_kind_name(op->kind);
	const char *status = ct_map_str(plan, "status");
	long long version = ct_rec_int(plan, "version");

	switch (op->action) {
	case CT_CMP_NEW:
		if (plan != NULL && !ct_streq(status, "closed"))
			return ct_error_set(err, CT_EEXISTS, "%s already has a "
			    "%s plan (version %lld, %s): review it with "
			    "cmp-review", op->case_id, k, version, status);
		return gate(snap, op, casedoc, lsir, err);
	case CT_CMP_COPY:
		if (op->kind != CT_CMP_REMAND)
			return ct_error_set(err, CT_EINVALID, "ACT-REMAND-CMP-"
			    "COPY: only a remand plan is copied to the "
			    "Accommodation Area Supervisor");
		/* FALLTHROUGH */
	case CT_CMP_REVIEW:
		if (plan == NULL)
			return no_plan(snap, op, casedoc, err);
		if (ct_streq(status, "closed"))
			return ct_error_set(err, CT_EINVALID, "the %s plan of "
			    "%s is closed", k, op->case_id);
		return 0;
	case CT_CMP_APPROVE:
		if (op->kind == CT_CMP_REMAND)
			return ct_error_set(err, CT_EINVALID, "ACT-REMAND-CMP: "
			    "a remand plan needs no approval (\"Remand CMPs do "
			    "not require the review or approval of the Case "
			    "Management Unit (CMU) Team Leader\")");
		if (plan == NULL)
			return no_plan(snap, op, casedoc, err);
		if (!ct_streq(status, "pending-approval"))
			return ct_error_set(err, CT_EINVALID, "the %s plan of "
			    "%s is %s (version %lld): only a plan pending "
			    "approval is approved", k, op->case_id, status,
			    version);
		return 0;
	}
	return ct_error_set(err, CT_ERROR, "unknown plan action");
}

int
ct_cmp_precheck(ct_snapshot *snap, const ct_cmp_op *op, ct_node **casedoc,
    ct_node **plan, ct_error *err)
{
	ct_node *c = NULL, *p = NULL;
	char *path = NULL;
	ct_date lsir;
	int rc;

	if ((rc = load_records(snap, op, &c, &p, &path, err)) == 0)
		rc = precheck(snap, op, c, p, &lsir, err);
	free(path);
	if (rc == 0 && casedoc != NULL) {
		*casedoc = c;
		c = NULL;
	}
	if (rc == 0 && plan != NULL) {
		*plan = p;
		p = NULL;
	}
	ct_node_free(c);
	ct_node_free(p);
	return rc;
}

/*
 * The changes.
 */

/* Replace the editable part of plan with input's. */
static int
take_input(ct_node *plan, const ct_node *input, ct_error *err)
{
	size_t i;
	int rc;

	for (i = 0; editable[i] != NULL; i++)
		ct_map_del(plan, editable[i]);
	for (i = 0; i < input->n; i++)
		if ((rc = ct_rec_set(plan, input->pairs[i].key,
		    ct_node_dup(input->pairs[i].value), err)) < 0)
			return rc;
	return 0;
}

static int
make_plan(ct_cmp_op *op, const char *who, ct_date lsir, ct_node **out,
    ct_error *err)
{
	ct_node *plan;
	char d[CT_DATE_BUFSZ];
	int rc;

	*out = NULL;
	op->status = op->kind == CT_CMP_REMAND ? "approved" :
	    "pending-approval";
	if ((plan = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = ct_rec_set_str(plan, "case", op->case_id, err)) < 0 ||
	    (rc = ct_rec_set_str(plan, "kind", ct_cmp_kind_name(op->kind),
	    err)) < 0 ||
	    (rc = ct_rec_set_int(plan, "version", 1, err)) < 0 ||
	    (rc = ct_rec_set_str(plan, "status", op->status, err)) < 0 ||
	    (rc = ct_rec_set_date(plan, "created", op->today, err)) < 0 ||
	    (op->kind != CT_CMP_REMAND &&
	    (rc = ct_rec_set_date(plan, "submitted", op->today, err)) < 0) ||
	    (op->kind == CT_CMP_REMAND &&
	    (rc = ct_rec_set_date(plan, "version_date", op->today, err)) < 0) ||
	    (rc = ct_rec_set_str(plan, "changed_by", who, err)) < 0 ||
	    (op->kind == CT_CMP_CUSTODIAL &&
	    (rc = ct_rec_set_date(plan, "lsi_r", lsir, err)) < 0) ||
	    (rc = take_input(plan, op->input, err)) < 0)
		goto fail;
	if (op->kind == CT_CMP_CUSTODIAL &&
	    (op->lsir = strdup(ct_date_format(lsir, d))) == NULL) {
		rc = ct_nomem(err);
		goto fail;
	}
	op->version = 1;
	*out = plan;
	return 0;
fail:
	ct_node_free(plan);
	return rc;
}

/* --complete NEED --date DATE. */
static int
complete_need(ct_node *plan, const char *path, const ct_cmp_op *op,
    ct_error *err)
{
	ct_node *needs = ct_map_get(plan, "needs"), *need = NULL;
	char d[CT_DATE_BUFSZ];
	ct_buf ids = { 0 };
	size_t i;
	int rc;

	for (i = 0; i < ct_rec_len(needs); i++) {
		const char *id = ct_map_str(needs->items[i], "id");

		if (ct_streq(id, op->complete))
			need = needs->items[i];
		ct_buf_printf(&ids, "%s%s", i ? ", " : "", id ? id : "?");
	}
	if (need == NULL) {
		rc = ct_error_set(err, CT_ENOTFOUND, "%s: --complete: no need "
		    "'%s' in the plan (needs: %s)", path, op->complete,
		    ids.len ? ids.s : "none");
		ct_buf_free(&ids);
		return rc;
	}
	ct_buf_free(&ids);
	if (ct_streq(ct_map_str(need, "status"), "completed"))
		return ct_error_set(err, CT_EINVALID, "%s: --complete: need %s "
		    "was completed on %s", path, op->complete,
		    ct_map_str(need, "completed") ? ct_map_str(need,
		    "completed") : "an unrecorded day");
	if (op->completed > op->today)
		return ct_error_set(err, CT_EINVALID, "--date: %s is after "
		    "today", ct_date_format(op->completed, d));
	if ((rc = ct_rec_set_date(need, "completed", op->completed, err)) < 0 ||
	    (rc = ct_rec_set_str(need, "status", "completed", err)) < 0)
		return rc;
	return 0;
}

/* The static string of a status. */
static const char *
status_const(const char *s)
{
	static const char *const statuses[] = { "draft", "pending-approval",
	    "approved", "closed", NULL };
	size_t i;

	for (i = 0; statuses[i] != NULL; i++)
		if (ct_streq(statuses[i], s))
			return statuses[i];
	return "?";
}

static int
review_plan(ct_cmp_op *op, const char *who, const char *path,
    const ct_node *casedoc, const ct_node *plan, ct_node **out,
    ct_error *err)
{
	const ct_node *reviews = ct_map_get(plan, "reviews");
	ct_node *np, *list, *entry;
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	long long version = ct_rec_int(plan, "version");
	ct_date last;
	int rc;

	*out = NULL;
	if (op->base_version > 0 && op->base_version != version)
		return ct_error_set(err, CT_EINVALID, "%s: the plan changed "
		    "meanwhile (version %lld, now %lld): nothing was written; "
		    "review it again",
		    path, op->base_version, version);
	if (ct_rec_len(reviews) > 0 &&
	    ct_rec_date(reviews->items[reviews->n - 1], "date", &last) &&
	    op->today < last)
		return ct_error_set(err, CT_EINVALID, "%s: the review date %s "
		    "is before the last review, of %s", path,
		    ct_date_format(op->today, a), ct_date_format(last, b));
	if (ct_rec_date(plan, "created", &last) && op->today < last)
		return ct_error_set(err, CT_EINVALID, "%s: the review date %s "
		    "is before the plan was made, on %s", path,
		    ct_date_format(op->today, a), ct_date_format(last, b));
	if ((np = ct_node_dup(plan)) == NULL)
		return ct_nomem(err);
	if (op->input != NULL) {
		if ((rc = ct_cmp_input_check(op->input, op->input_name,
		    op->kind, casedoc, op->today, err)) < 0 ||
		    (rc = take_input(np, op->input, err)) < 0)
			goto fail;
	} else if ((rc = complete_need(np, path, op, err)) < 0 ||
	    (rc = ct_cmp_check_content(np, path, op->kind, op->today,
	    err)) < 0 ||
	    (rc = ct_cmp_check_consent(np, path, casedoc, err)) < 0)
		goto fail;
	op->version = version + 1;
	op->status = op->kind == CT_CMP_REMAND ?
	    status_const(ct_map_str(plan, "status")) : "pending-approval";
	if ((rc = ct_rec_set_int(np, "version", op->version, err)) < 0 ||
	    (rc = ct_rec_set_str(np, "changed_by", who, err)) < 0 ||
	    (op->kind != CT_CMP_REMAND &&
	    ((rc = ct_rec_set_str(np, "status", op->status, err)) < 0 ||
	    (rc = ct_rec_set_date(np, "submitted", op->today, err)) < 0)) ||
	    (op->kind == CT_CMP_REMAND &&
	    (rc = ct_rec_set_date(np, "version_date", op->today, err)) < 0))
		goto fail;
	/* the supervisor's copy was of the version before (ACT-REMAND-CMP-COPY) */
	ct_map_del(np, "supervisor_copy");
	if ((list = ct_rec_list(np, "reviews", err)) == NULL ||
	    (entry = ct_node_new_map()) == NULL ||
	    ct_seq_push(list, entry) < 0) {
		rc = ct_nomem(err);
		goto fail;
	}
	if ((rc = ct_rec_set_date(entry, "date", op->today, err)) < 0 ||
	    (rc = ct_rec_set_str(entry, "reason", op->reason, err)) < 0 ||
	    (op->summary != NULL && (rc = ct_rec_set_str(entry, "summary",
	    op->summary, err)) < 0) ||
	    (op->participated >= 0 && (rc = ct_rec_set(entry,
	    "offender_participated", ct_node_new_bool(op->participated),
	    err)) < 0) ||
	    (rc = ct_rec_set_str(entry, "by", who, err)) < 0 ||
	    (rc = ct_rec_set_int(entry, "version", op->version, err)) < 0)
		goto fail;
	*out = np;
	return 0;
fail:
	ct_node_free(np);
	return rc;
}

/* who (me, their operator entry) may approve the plan: they have the
 * role its approval needs, did not make this version, and the day is not
 * before it was submitted. */
static int
may_approve(const ct_cmp_op *op, const char *who, const ct_node *plan,
    const char *role, const ct_node *me, ct_error *err)
{
	const char *rule = approval_rule(op->kind);
	const char *k = ct_cmp_kind_name(op->kind);
	const ct_node *roles;
	char a[CT_DATE_BUFSZ];
	ct_buf have = { 0 };
	ct_date submitted;
	size_t i;
	int rc;

	if (!ct_operator_has_role(me, role)) {
		roles = ct_map_get(me, "roles");
		for (i = 0; i < ct_rec_len(roles); i++)
			ct_buf_printf(&have, "%s%s", i ? ", " : "",
			    roles->items[i]->str);
		rc = ct_error_set(err, CT_EINVALID, "%s: %s may not approve a "
		    "%s plan: its approval needs the %s role (%s), and %s has "
		    "%s", rule, who, k, role, op->kind == CT_CMP_CUSTODIAL ?
		    "the CMU Team Leader" : "a Community Corrections Team "
		    "Leader", who, have.len ? have.s : "no roles");
		ct_buf_free(&have);
		return rc;
	}
	if (ct_streq(ct_map_str(plan, "changed_by"), who))
		return ct_error_set(err, CT_EINVALID, "%s: %s made version %lld "
		    "of the %s plan of %s and may not approve their own "
		    "change: another operator with the %s role approves it",
		    rule, who, ct_rec_int(plan, "version"), k, op->case_id, role);
	if (ct_rec_date(plan, "submitted", &submitted) && op->today < submitted)
		return ct_error_set(err, CT_EINVALID, "the approval date %s is "
		    "before version %lld was submitted, on %s",
		    ct_date_format(op->today, a), ct_rec_int(plan, "version"),
		    ct_map_str(plan, "submitted"));
	return 0;
}

static int
approve_plan(ct_txn *txn, ct_cmp_op *op, const char *who,
    const ct_node *plan, ct_node **out, ct_error *err)
{
	const char *role;
	ct_node *settings = NULL, *ops = NULL, *np = NULL, *list, *entry;
	int rc;

	*out = NULL;
	if ((rc = ct_txn_load(txn, CT_SETTINGS_PATH, &settings,
	    err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_OPERATORS_PATH, &ops,
	    err)) < 0)
		goto out;
	role = ct_cmp_approval_role(settings, op->kind);
	if ((rc = may_approve(op, who, plan, role,
	    ct_registry_find(ops, "operators", "id", who), err)) < 0)
		goto out;
	if ((np = ct_node_dup(plan)) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	op->version = ct_rec_int(plan, "version");
	op->status = "approved";
	if ((rc = ct_rec_set_str(np, "status", op->status, err)) < 0)
		goto out;
	if ((list = ct_rec_list(np, "approvals", err)) == NULL ||
	    (entry = ct_node_new_map()) == NULL ||
	    ct_seq_push(list, entry) < 0) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = ct_rec_set_int(entry, "version", op->version, err)) < 0 ||
	    (rc = ct_rec_set_str(entry, "by", who, err)) < 0 ||
	    (rc = ct_rec_set_str(entry, "role", role, err)) < 0 ||
	    (rc = ct_rec_set_date(entry, "date", op->today, err)) < 0 ||
	    (op->note != NULL && (rc = ct_rec_set_str(entry, "note",
	    op->note, err)) < 0))
		goto out;
	free(op->approved_by);
	if (op->spec != NULL)
		op->spec->approved_by = NULL;
	if (asprintf(&op->approved_by, "%s (%s)", who, role) < 0) {
		op->approved_by = NULL;
		rc = ct_nomem(err);
		goto out;
	}
	if (op->spec != NULL)
		op->spec->approved_by = op->approved_by;
	*out = np;
	np = NULL;
out:
	ct_node_free(np);
	ct_node_free(settings);
	ct_node_free(ops);
	return rc;
}

/*
 * ACT-REMAND-CMP-COPY: "A copy of the completed Remand CMP must be
 * provided to the remandee's Accommodation Area Supervisor (CO2)."
 */
static int
copy_plan(ct_cmp_op *op, const char *who, const char *path,
    const ct_node *plan, ct_node **out, ct_error *err)
{
	const ct_node *old = ct_map_get(plan, "supervisor_copy");
	long long version = ct_rec_int(plan, "version");
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ];
	ct_node *np, *c;
	ct_date from, had;
	bool same_to;
	int rc;

	*out = NULL;
	if (!ct_rec_date(plan, "version_date", &from) &&
	    !ct_rec_date(plan, "created", &from))
		from = op->copy_date;
	if (op->copy_date > op->today)
		return ct_error_set(err, CT_EINVALID, "--date: %s is after "
		    "today (%s)", ct_date_format(op->copy_date, a),
		    ct_date_format(op->today, b));
	if (op->copy_date < from)
		return ct_error_set(err, CT_EINVALID, "%s: --date: %s is "
		    "before version %lld of the plan was completed, on %s",
		    path, ct_date_format(op->copy_date, a), version,
		    ct_date_format(from, b));
	same_to = ct_map_str(old, "to") == NULL ? op->copy_to == NULL :
	    ct_streq(ct_map_str(old, "to"), op->copy_to);
	if (old != NULL && ct_rec_int(old, "version") == version &&
	    ct_rec_date(old, "date", &had) && (had != op->copy_date ||
	    !same_to))
		return ct_error_set(err, CT_EEXISTS, "%s: a copy of version "
		    "%lld was given to the Accommodation Area Supervisor on "
		    "%s, recorded by %s", path, version,
		    ct_date_format(had, a), ct_map_str(old, "by") ?
		    ct_map_str(old, "by") : "?");
	op->version = version;
	op->status = status_const(ct_map_str(plan, "status"));
	if ((np = ct_node_dup(plan)) == NULL)
		return ct_nomem(err);
	if (old != NULL && ct_rec_int(old, "version") == version) {
		*out = np;      /* the same copy again: nothing changes */
		return 0;
	}
	if ((c = ct_node_new_map()) == NULL ||
	    (rc = ct_rec_set(np, "supervisor_copy", c, err)) < 0) {
		ct_node_free(np);
		return ct_nomem(err);
	}
	if ((rc = ct_rec_set_int(c, "version", version, err)) < 0 ||
	    (rc = ct_rec_set_date(c, "date", op->copy_date, err)) < 0 ||
	    (op->copy_to != NULL &&
	    (rc = ct_rec_set_str(c, "to", op->copy_to, err)) < 0) ||
	    (rc = ct_rec_set_str(c, "by", who, err)) < 0) {
		ct_node_free(np);
		return rc;
	}
	*out = np;
	return 0;
}

int
ct_cmp_apply(ct_txn *txn, void *arg, ct_error *err)
{
	ct_cmp_op *op = arg;
	ct_node *casedoc = NULL, *plan = NULL, *np = NULL;
	const char *who = ct_txn_operator(txn);
	char *path = NULL;
	ct_date lsir = 0;
	int rc;

	free(op->lsir);
	op->lsir = NULL;
	if (who == NULL)
		return ct_error_set(err, CT_EINVALID, "register operators "
		    "first (registry add-operator)");
	if ((rc = load_records(ct_txn_snapshot(txn), op, &casedoc, &plan,
	    &path, err)) < 0 ||
	    (rc = precheck(ct_txn_snapshot(txn), op, casedoc, plan, &lsir,
	    err)) < 0)
		goto out;
	switch (op->action) {
	case CT_CMP_NEW:
		if ((rc = ct_txn_require_role(txn, "the writer", who,
		    CT_ROLE_CASE_MANAGER, err)) < 0 ||
		    (rc = ct_cmp_input_check(op->input, op->input_name,
		    op->kind, casedoc, op->today, err)) < 0)
			goto out;
		rc = make_plan(op, who, lsir, &np, err);
		break;
	case CT_CMP_REVIEW:
		if ((rc = ct_txn_require_role(txn, "the writer", who,
		    CT_ROLE_CASE_MANAGER, err)) < 0)
			goto out;
		rc = review_plan(op, who, path, casedoc, plan, &np, err);
		break;
	case CT_CMP_APPROVE:
		rc = approve_plan(txn, op, who, plan, &np, err);
		break;
	case CT_CMP_COPY:
		if ((rc = ct_txn_require_role(txn, "the writer", who,
		    CT_ROLE_CASE_MANAGER, err)) < 0)
			goto out;
		rc = copy_plan(op, who, path, plan, &np, err);
		break;
	}
	if (rc < 0 || (rc = mark_referrals(np, err)) < 0)
		goto out;
	rc = ct_txn_put(txn, path, np, err);
out:
	ct_node_free(casedoc);
	ct_node_free(plan);
	ct_node_free(np);
	free(path);
	return rc;
}

void
ct_cmp_op_clear(ct_cmp_op *op)
{
	free(op->approved_by);
	free(op->lsir);
	free(op->fields);
	op->approved_by = NULL;
	op->lsir = NULL;
	op->fields = NULL;
	if (op->spec != NULL)
		op->spec->approved_by = NULL;
}

int
ct_cmp_review(ct_txn *txn, void *arg, ct_error *err)
{
	ct_cmp_op *op = arg;
	ct_node *before = NULL, *after = NULL;
	char *path = NULL, *subject = NULL;
	int rc;

	free(op->fields);
	op->fields = NULL;
	if ((rc = ct_cmp_apply(txn, op, err)) < 0 ||
	    (rc = ct_cmp_path(op->case_id, op->kind, &path, err)) < 0 ||
	    (rc = ct_snapshot_load(ct_txn_snapshot(txn), path,
	    &before, err)) < 0 ||
	    (rc = ct_txn_load(txn, path, &after, err)) < 0 ||
	    (rc = ct_node_diff(before, after, &op->fields, NULL, err)) < 0)
		goto out;
	if (asprintf(&subject, "%s %s plan reviewed (version %lld, %s)",
	    op->case_id, ct_cmp_kind_name(op->kind), op->version,
	    op->reason) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	rc = ct_txn_set_subject(txn, subject, err);
out:
	ct_node_free(before);
	ct_node_free(after);
	free(subject);
	free(path);
	return rc;
}

int
ct_cmp_apply_versioned(ct_txn *txn, void *arg, ct_error *err)
{
	ct_cmp_op *op = arg;
	const char *what = op->action == CT_CMP_APPROVE ? "approved" :
	    "copied to the Accommodation Area Supervisor";
	char *subject;
	int rc;

	if ((rc = ct_cmp_apply(txn, op, err)) < 0)
		return rc;
	if (asprintf(&subject, "%s %s plan version %lld %s", op->case_id,
	    ct_cmp_kind_name(op->kind), op->version, what) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_txn_set_subject(txn, subject, err);
	free(subject);
	return rc;
}
