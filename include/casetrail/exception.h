/*
 * casetrail exceptions: an obligation deferred to a later day, or waived,
 * with who, when and why (cases/<xx>/<id>/exceptions.yaml; obligation-
 * defer(1), obligation-waive(1)).
 *
 * An entry names its obligation by rule, anchor date and key (the
 * finding's key, for an obligation of a list entry), so it lapses when
 * the anchor changes: a new reception, a new sentence, a new request is a
 * new obligation that owes everything again.  Entries are only added.
 *
 * Who and how much is the store's (casetrail.yaml exceptions:): the roles
 * that may record one on a case of each jurisdiction (ACT: cmu-team-
 * leader or community-team-leader; VIC: soct-officer), a deferral's
 * length from the day it is recorded (30 days) and the number of
 * deferrals of one obligation (2).  The writer (ct_exception_record) and
 * the change policy (policy.h, clause exception) both ask
 * ct_exception_check_entry.
 */
#ifndef CASETRAIL_EXCEPTION_H
#define CASETRAIL_EXCEPTION_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

#define CT_EXCEPTIONS_FILE "exceptions.yaml"

typedef enum ct_exception_action {
	CT_EXCEPTION_DEFER,
	CT_EXCEPTION_WAIVE,
} ct_exception_action;

/*
 * Apply a case's exceptions (its exceptions.yaml, NULL when none) to the
 * case's findings f[0..n) as of today: a finding not met (and not info)
 * with a waiver of its obligation is waived; with a deferral whose last
 * day is today or later, deferred (the latest deferral counts).  The
 * entry's reason and author are copied into the finding.
 */
int ct_exceptions_apply(const ct_node *doc, ct_finding *f, size_t n,
    ct_date today, ct_error *err);

/* The roles that may record an exception on a case of jurisdiction jur
 * (settings may be NULL): "a or b" into buf. */
const char *ct_exception_roles_text(const ct_node *settings,
    const char *jur, char *buf, size_t size);

/*
 * May the operator op (a registry entry) add entry to a case of
 * jurisdiction jur whose exceptions before it are the first before
 * entries of list (NULL: none)?  CT_EINVALID with the reason when not: a role the
 * settings do not name, by not op, a deferral without until, ending
 * before its day or later than the cap allows, one deferral too many of
 * the obligation, a waiver with until.
 */
int ct_exception_check_entry(const ct_node *settings, const char *jur,
    const ct_node *op, const ct_node *list, size_t before,
    const ct_node *entry, ct_error *err);

/* A request: defer (until) or waive the obligation of rule on case_id,
 * as of today: the one not met, or, when the rule has several, the one
 * of the key and (non-zero) anchor date given. */
typedef struct ct_exception_req {
	const char *case_id;
	const char *rule;
	const char *key;
	ct_date anchor;
	ct_exception_action action;
	ct_date until;
	const char *reason;
	ct_date today;
} ct_exception_req;

/*
 * A transaction transform (arg: a ct_exception_req) that evaluates the
 * case as the transaction's snapshot has it, finds the obligation,
 * refuses one that is met, informational or not there, checks the entry
 * (ct_exception_check_entry) and appends it.
 */
int ct_exception_record(ct_txn *txn, void *arg, ct_error *err);

#endif
