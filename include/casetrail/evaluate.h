/*
 * casetrail evaluation of the deadline rules on the cases of one snapshot,
 * the way deadline-check(1) does it, for every tool that reports
 * deadlines (deadline-check, csp-pack).
 *
 * An evaluator holds the snapshot's holiday calendars (the computed ones
 * of each jurisdiction with the store's calendars/<JUR>.yaml applied) and,
 * while one case is evaluated, a cache of the case's records that the
 * rules read (csp.yaml, cmp/<kind>.yaml, the newest
 * assessments/<date>-lsi-r.yaml for a pattern, authority-notices.yaml,
 * ...).  Records are read from the snapshot, never the work tree.
 */
#ifndef CASETRAIL_EVALUATE_H
#define CASETRAIL_EVALUATE_H

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/evalcache.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

typedef struct ct_evaluator ct_evaluator;

/* The snapshot's rules/deadlines.yaml, validated and compiled. */
int ct_snapshot_rules(ct_snapshot *snap, ct_rules **out, ct_error *err);

/* The holiday calendar of j as the snapshot has it: the computed one
 * with calendars/<JUR>.yaml applied when there is one. */
int ct_snapshot_calendar(ct_snapshot *snap, ct_jurisdiction j,
    ct_calendar **out, ct_error *err);

/*
 * A new evaluator of rules (borrowed, must outlive it) on snap (borrowed)
 * as of today.  Loads the calendars of both jurisdictions: an invalid
 * calendars/<JUR>.yaml fails here, naming its file and line.
 */
int ct_evaluator_new(ct_snapshot *snap, const ct_rules *rules, ct_date today,
    ct_evaluator **out, ct_error *err);
/* The same, with the calendars of calsnap (another revision's: what a
 * proposed calendar would do to the cases of snap). */
int ct_evaluator_new_cal(ct_snapshot *snap, const ct_rules *rules,
    ct_snapshot *calsnap, ct_date today, ct_evaluator **out, ct_error *err);
void ct_evaluator_free(ct_evaluator *ev);

/*
 * Evaluate every rule on the case whose directory is dir
 * ("cases/<xx>/<id>") and append its findings to out.  Errors: the case
 * record missing or invalid, no known jurisdiction, a record the rules
 * read that is not valid YAML.
 */
int ct_evaluator_case(ct_evaluator *ev, const char *dir, ct_findings *out,
    ct_error *err);

/*
 * Read and keep findings in the store's evaluation cache (evalcache.h):
 * from then on ct_evaluator_case takes the findings of a case whose
 * directory is unchanged from the cache, when they hold for today, and
 * records those it evaluates; ct_evaluator_free writes what is new.  A
 * cache that can not be read or written is not used, silently.
 */
int ct_evaluator_use_cache(ct_evaluator *ev, ct_error *err);

/*
 * Keep only the findings keep (pure: it runs on every worker thread)
 * keeps, from then on: cached findings are filtered before their strings
 * are copied, evaluated ones after they are cached (the cache holds them
 * all).  For a caller that would drop the others anyway; NULL keeps all.
 */
void ct_evaluator_filter(ct_evaluator *ev, ct_finding_keep_fn keep,
    void *arg);

/* How many cases came from the cache and how many were evaluated. */
void ct_evaluator_counts(const ct_evaluator *ev, size_t *cached,
    size_t *evaluated);

/*
 * Every case of the evaluator's snapshot, evaluated on jobs threads
 * (ct_evaluator_jobs), handed on in tree order on the calling thread: fn
 * with the case's findings (fn may take them with ct_findings_move; the
 * rest are freed after it) and, when the case could not be evaluated,
 * the error (else NULL); bad, when not NULL, for a misplaced directory,
 * as ct_snapshot_each_case does.  A non-zero return from either stops
 * the walk and is returned.  The findings' rules are ev's; with the cache
 * in use, every thread reads and writes it.  The output is the same for
 * any number of jobs.
 */
typedef int (*ct_found_fn)(const char *case_id, ct_findings *fs,
    const ct_error *failed, void *arg);
int ct_evaluator_each_case(ct_evaluator *ev, int jobs, ct_found_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err);

/* The number of threads for jobs asked (0: the online processors, at most
 * CT_EVAL_JOBS_DEFAULT_MAX); 1 when libgit2 was built without threads. */
#define CT_EVAL_JOBS_DEFAULT_MAX 8
int ct_evaluator_jobs(int asked);

/* Sort findings as deadline-check prints them: by due date, case, rule,
 * then anchor date, key and anchor, a total order (the same every run). */
void ct_findings_sort(ct_findings *fs);

#endif
