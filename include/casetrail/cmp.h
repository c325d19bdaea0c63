/*
 * casetrail Case Management Plans (ACT Corrections Management (Case
 * Management) Policy 2022): the records cases/<xx>/<id>/cmp/<kind>.yaml,
 * kind custodial, remand or community, the policy rules checked when a
 * plan is made, reviewed or approved, and the one transaction the cmp-*
 * tools run (DESIGN.md §4):
 *
 *   ACT-CMP-CONTENT    every need has at least one intervention, support
 *                      or activity and a target date, a completion date
 *                      exactly when completed (not after today); a
 *                      custodial plan has the three parts of the
 *                      Corrections Management Act 2007 s 78
 *   ACT-LSIR           a custodial plan is made with an LSI-R still
 *                      current by the store's rule ACT-LSIR-CURRENT (12
 *                      months as shipped)
 *   ACT-REMAND-CMP     a remand plan is made only once the remandee has
 *                      spent the store's rule's time in custody (4 weeks
 *                      as shipped) since the latest reception on or
 *                      before the day, with no release since; it needs
 *                      no approval
 *   ACT-CONSENT        a referral needs the offender's expressed consent
 *                      unless the case is recorded At Risk on the
 *                      referral's date
 *   ACT-REMAND-CMP-COPY  a copy of the completed remand plan (each
 *                      version, from its "version_date") is given to the
 *                      remandee's Accommodation Area Supervisor (CO2):
 *                      "supervisor_copy", recorded by the copy action
 *   ACT-CMP-CUSTODIAL  a custodial plan's every version is approved by
 *   ACT-CMP-COMMUNITY  the CMU Team Leader, a community plan's by a
 *                      Community Corrections Team Leader (the store's
 *                      approval_roles), never by the operator who made
 *                      that version
 *
 * Refusals name the rule id ("ACT-CONSENT: ..."); record errors name
 * "file:line:column: field".  Lifecycle: a plan is made as version 1; a
 * custodial or community plan starts pending-approval (with "submitted"
 * the day it entered that status), a remand plan approved (in force: it
 * needs no approval).  Each review appends a review entry, makes the next
 * version and, for custodial and community plans, returns the plan to
 * pending-approval; each approval appends an approvals entry.
 * "changed_by" is the operator who made the current version, which is how
 * the approval is checked not to be by the same person.
 *
 * The editable part of a plan, given from a file or an editor, is a
 * mapping of goals, needs, s78 and comments; the tools keep every other
 * field.
 *
 * Every function returns 0 or a negative CT_E* code with err set.  Nodes
 * passed in stay owned by the caller; *out nodes and strings are the
 * caller's to free.
 */
#ifndef CASETRAIL_CMP_H
#define CASETRAIL_CMP_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

#define CT_CMP_SCHEMA "cmp"

typedef enum ct_cmp_kind {
	CT_CMP_CUSTODIAL,
	CT_CMP_REMAND,
	CT_CMP_COMMUNITY,
} ct_cmp_kind;

/* "custodial", "remand", "community" <-> kind; parse fails with a message
 * naming what (e.g. "--kind"). */
const char *ct_cmp_kind_name(ct_cmp_kind k);
int ct_cmp_kind_parse(const char *s, const char *what, ct_cmp_kind *out,
    ct_error *err);

/* Review reasons, NULL-terminated: goals-change, circumstances-change,
 * needs-unmet, serious-offence, risk-rating-change, stage-transition,
 * scheduled, other. */
extern const char *const ct_cmp_reasons[];

/* "cases/<xx>/<id>/cmp/<kind>.yaml". */
int ct_cmp_path(const char *case_id, ct_cmp_kind kind, char **out,
    ct_error *err);

/* "cases/<xx>/<id>/cmp/closed/<YYYY-MM-DD>-<kind>.yaml": the plan of kind
 * of the episode that began on start, closed. */
int ct_cmp_closed_path(const char *case_id, ct_cmp_kind kind, ct_date start,
    char **out, ct_error *err);

/*
 * Plans follow episodes (episode.h), after a change of the case record
 * casedoc whose episodes were before: the plan of the episode the change
 * ended moves to its closed path with a closed entry (date, event,
 * episode, episode_start), kept and never changed again; the plan of an
 * episode the change reopened (the ending event withdrawn) comes back
 * from there, unless a plan of that kind has been made since.
 */
struct ct_episodes;
enum ct_episode_kind;
/* The kind of plan of an episode: remand, custodial (custody) or
 * community. */
ct_cmp_kind ct_cmp_of_episode(enum ct_episode_kind k);
int ct_cmp_follow_episodes(ct_txn *txn, const char *case_id,
    const struct ct_episodes *before, const ct_node *casedoc, ct_error *err);

/* The role that approves a kind of plan: the store settings'
 * approval_roles (settings may be NULL), else the kind table's
 * (cmu-team-leader for custodial and community-team-leader for community
 * plans); NULL for remand plans, which need no approval. */
const char *ct_cmp_approval_role(const ct_node *settings, ct_cmp_kind kind);

/*
 * Load the editable part of a plan from buf[0..len) (YAML; name in
 * messages) and check it as ct_cmp_input_check() does.
 */
int ct_cmp_input_load(const char *buf, size_t len, const char *name,
    ct_cmp_kind kind, const ct_node *casedoc, ct_date today, ct_node **out,
    ct_error *err);

/*
 * Check an editable part: only goals, needs, s78 and comments; valid
 * against the plan's schema; need ids unique; ACT-CMP-CONTENT for kind;
 * and, when casedoc (the case record) is not NULL, ACT-CONSENT.  Every
 * problem found is reported (up to 20), one per line.
 */
int ct_cmp_input_check(const ct_node *input, const char *name,
    ct_cmp_kind kind, const ct_node *casedoc, ct_date today, ct_error *err);

/* ACT-CMP-CONTENT on a plan or editable part already valid against the
 * schema (file names it in messages); every problem, one per line. */
int ct_cmp_check_content(const ct_node *plan, const char *file,
    ct_cmp_kind kind, ct_date today, ct_error *err);

/* ACT-CONSENT on a plan or editable part (valid against the schema)
 * against the case record. */
int ct_cmp_check_consent(const ct_node *plan, const char *file,
    const ct_node *casedoc, ct_error *err);

/* True when the case record has the person recorded At Risk on day (the
 * latest at-risk event on or before it is not a --cleared one). */
bool ct_cmp_at_risk_on(const ct_node *casedoc, ct_date day);

/*
 * The windows of a new plan, read from the store's rules (rule: the
 * store's ACT-REMAND-CMP or ACT-LSIR-CURRENT, NULL when its rules have
 * none; cal: the ACT calendar).
 *
 * ACT-REMAND-CMP: CT_EINVALID unless a remand plan may be made on day:
 * the rule's offset after the latest reception on or before day, with no
 * release (the rule's lapses_on) since.
 *
 * ACT-LSIR: CT_EINVALID unless the case has an LSI-R whose ACT-LSIR-CURRENT
 * due date is not before day (with no such rule: any LSI-R); *lsir gets
 * its date.
 */
int ct_cmp_check_remand(const ct_rule *rule, const ct_calendar *cal,
    const ct_node *casedoc, const char *case_id, ct_date day, ct_error *err);
int ct_cmp_check_lsir(ct_snapshot *snap, const ct_rule *rule,
    const ct_calendar *cal, const char *case_id, ct_date day, ct_date *lsir,
    ct_error *err);

/* The editable part of a plan (goals, needs, s78, comments; schema
 * order). */
int ct_cmp_editable(const ct_node *plan, ct_node **out, ct_error *err);

/*
 * The text an editor starts from: for a new plan (plan NULL) a commented
 * skeleton of the kind; for a review, the plan's editable part under a
 * comment naming the plan and its version.  *out is owned by the caller.
 */
int ct_cmp_template(const char *case_id, ct_cmp_kind kind,
    const ct_node *plan, char **out, ct_error *err);

typedef enum ct_cmp_action {
	CT_CMP_NEW,
	CT_CMP_REVIEW,
	CT_CMP_APPROVE,
	CT_CMP_COPY,
} ct_cmp_action;

/* The Action trailer: "new", "review", "approve", "copy". */
const char *ct_cmp_action_name(ct_cmp_action a);

/*
 * One change to a plan, run by ct_cmp_apply() as a transaction (arg is a
 * ct_cmp_op), so that a lost race re-reads and re-checks everything.
 */
typedef struct ct_cmp_op {
	ct_cmp_action action;
	const char *case_id;
	ct_cmp_kind kind;
	ct_date today;          /* the day of the plan, review or approval */

	/* new, review: the editable part (NULL for review --complete) */
	const ct_node *input;
	const char *input_name; /* names it in messages */

	/* review */
	const char *reason;     /* one of ct_cmp_reasons */
	const char *summary;    /* may be NULL */
	int participated;       /* 1 took part, 0 declined, -1 not recorded */
	const char *complete;   /* --complete: the need's id, else NULL */
	ct_date completed;      /* ... and its completion date */
	long long base_version; /* > 0: refuse if the plan is no longer at
	                           this version (edited meanwhile) */

	/* approve */
	const char *note;       /* may be NULL */
	ct_commit_spec *spec;   /* approve: its approved_by is set to the
	                           approver ("id (role)", owned by the op) */

	/* copy (remand plans, ACT-REMAND-CMP-COPY) */
	ct_date copy_date;      /* the day the copy was given */
	const char *copy_to;    /* the supervisor or area, or NULL */

	/* out */
	long long version;      /* the plan's version after the change */
	const char *status;     /* its status after (static string) */
	char *approved_by;      /* approve: "id (role)" */
	char *lsir;             /* new custodial: the LSI-R's date */
	char *fields;           /* ct_cmp_review: the fields it changed */
} ct_cmp_op;

/*
 * The checks that can be made before the writer's input is known, on a
 * snapshot: the case exists and is an ACT case; for new, no open plan of
 * the kind, ACT-REMAND-CMP (remand) and ACT-LSIR (custodial); for review,
 * the plan exists and is not closed; for approve, it is pending approval
 * and not a remand plan; for copy, a remand plan exists and is not
 * closed.  *casedoc and *plan (NULL when none) get the
 * records when not NULL.
 */
int ct_cmp_precheck(ct_snapshot *snap, const ct_cmp_op *op,
    ct_node **casedoc, ct_node **plan, ct_error *err);

int ct_cmp_apply(ct_txn *txn, void *arg, ct_error *err);

/*
 * ct_cmp_apply for a review, which then sets op->fields to the fields of
 * the plan it changed (ct_node_diff's lines) and the commit's subject to
 * "<id> <kind> plan reviewed (version N, <reason>)".
 */
int ct_cmp_review(ct_txn *txn, void *arg, ct_error *err);

/*
 * ct_cmp_apply for an approval or a copy, which then sets the commit's
 * subject to the version it was of: "<id> <kind> plan version N approved"
 * or "... copied to the Accommodation Area Supervisor".
 */
int ct_cmp_apply_versioned(ct_txn *txn, void *arg, ct_error *err);

/* Free what ct_cmp_apply left in op. */
void ct_cmp_op_clear(ct_cmp_op *op);

#endif
