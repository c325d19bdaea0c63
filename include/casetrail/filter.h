/*
 * casetrail report filters: which findings of the deadline rules a
 * report shows (deadline-check --status, --within, --rule and the work
 * queues).
 *
 *   default  every overdue finding, and every one not met that falls due
 *            within the window (30 days unless within is given); a
 *            deferred one when its deferral ends within it; never a met
 *            or a waived one;
 *   a status the findings of that status (met: on time or late;
 *            met-late: late only), with within those that fall due
 *            within it, overdue and met ones whenever they fell due;
 *   all      every finding, with within those that fall due within it
 *            (overdue ones too).
 *
 * A rule list keeps only those rules' findings, a work queue only its
 * findings (queue.h).
 */
#ifndef CASETRAIL_FILTER_H
#define CASETRAIL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/queue.h"
#include "casetrail/rules.h"

#define CT_FILTER_DEFAULT (-1)	/* status: overdue and what is due soon */
#define CT_FILTER_ALL (-2)	/* status: every one */

typedef struct ct_filter {
	int status;		/* a ct_status, CT_FILTER_DEFAULT or
				   CT_FILTER_ALL */
	int within;		/* days ahead; -1: not given */
	char **rules;		/* rule ids, nrules of them; none: all */
	size_t nrules;
	const ct_queue *queue;	/* opened (ct_queue_open); NULL: any */
} ct_filter;

/* CT_ENOTFOUND "no rule 'X' in rules/deadlines.yaml" when a rule of fl
 * is not among rules. */
int ct_filter_check(const ct_filter *fl, const ct_rules *rules,
    ct_error *err);

/*
 * The status, window and rule tests, not the work queue's: a
 * ct_finding_keep_fn (arg: the ct_filter) for ct_evaluator_filter, which
 * runs it on findings from the cache before their strings (a case's
 * manager, an entry's agency) are copied.  Pure: it only reads.
 */
bool ct_filter_early(const ct_finding *f, void *arg);

/* Every test: whether the report shows f. */
bool ct_filter_shows(const ct_filter *fl, const ct_finding *f);

/*
 * Of fs->v[from..], keep those the report shows, in order, and free the
 * others (so that findings are filtered as each case is evaluated, never
 * all held at once); true when one kept is overdue.
 */
bool ct_filter_keep(const ct_filter *fl, ct_findings *fs, size_t from);

#endif
