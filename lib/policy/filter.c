/*
 * Report filters (filter.h).
 */
#include <string.h>

#include "casetrail/filter.h"

/* The status and window tests. */
static bool
wanted(const ct_finding *f, int status, int within)
{
	if (status == CT_FILTER_ALL)
		return within < 0 || f->days <= within;
	if (status >= 0) {
		/* met: on time or late; met-late: late only */
		if ((int)f->status != status && !(status == CT_STATUS_MET &&
		    ct_status_met(f->status)))
			return false;
		return within < 0 || f->status == CT_STATUS_OVERDUE ||
		    ct_status_met(f->status) || f->days <= within;
	}
	/* default: overdue, and what is not met within the window; a
	 * deferral when it ends within it, never a waiver */
	if (f->status == CT_STATUS_OVERDUE)
		return true;
	if (ct_status_met(f->status) || f->status == CT_STATUS_WAIVED)
		return false;
	if (f->status == CT_STATUS_DEFERRED)
		return f->exception_until - (f->due - f->days) <=
		    (within < 0 ? 30 : within);  /* due - days: today */
	return f->days >= 0 && f->days <= (within < 0 ? 30 : within);
}

/* One of the rules asked for (all when none is). */
static bool
rule_asked(const ct_filter *fl, const ct_finding *f)
{
	size_t j;

	for (j = 0; j < fl->nrules; j++)
		if (strcmp(fl->rules[j], ct_rule_id(f->rule)) == 0)
			return true;
	return fl->nrules == 0;
}

int
ct_filter_check(const ct_filter *fl, const ct_rules *rules, ct_error *err)
{
	size_t i;

	for (i = 0; i < fl->nrules; i++)
		if (ct_rules_find(rules, fl->rules[i]) == NULL)
			return ct_error_set(err, CT_ENOTFOUND,
			    "no rule '%s' in %s", fl->rules[i], CT_RULES_PATH);
	return 0;
}

bool
ct_filter_early(const ct_finding *f, void *arg)
{
	const ct_filter *fl = arg;

	return wanted(f, fl->status, fl->within) && rule_asked(fl, f);
}

bool
ct_filter_shows(const ct_filter *fl, const ct_finding *f)
{
	return wanted(f, fl->status, fl->within) && rule_asked(fl, f) &&
	    (fl->queue == NULL || ct_queue_has(fl->queue, f));
}

bool
ct_filter_keep(const ct_filter *fl, ct_findings *fs, size_t from)
{
	size_t i, kept = from;
	bool overdue = false;

	for (i = from; i < fs->n; i++) {
		ct_finding *f = &fs->v[i];

		if (!ct_filter_shows(fl, f)) {
			ct_finding_clear(f);
			continue;
		}
		overdue |= f->status == CT_STATUS_OVERDUE;
		fs->v[kept++] = *f;
	}
	fs->n = kept;
	return overdue;
}
