/*
 * casetrail history: the commits of the store that changed one directory
 * (a case directory, "cases/<xx>/<id>"), newest first.
 *
 * The walk visits every commit of the main branch, newest first (git's
 * topological order, by commit time where it leaves a choice), and passes
 * over merges: a merge store-sync made joins commits that are walked
 * themselves, each compared with its own parent, so a change is shown
 * once, as its author made it.  A commit is skipped cheaply when the git
 * id of the directory's tree entry is the same in the commit and its
 * parent: no record is read or parsed for a commit that did not touch the
 * directory, so a case's history in a store of many thousand commits takes
 * one tree lookup per commit.  For each commit that did touch it, the walk
 * lists the files below the directory that were added, changed or removed
 * (a tree-to-tree diff of the two directory trees only).
 *
 * The history opens its own handle on the store's git repository, reads
 * only, and never changes the repository.
 *
 * On top of the walk, a case log (ct_case_log_*) is the audit trail of one
 * case: for every commit that changed the case directory, its trailers
 * (tool, action, reason, approval) and the field-level changes of every
 * record it changed (ct_diff_trees of the parsed records before and after
 * the commit, read from the snapshots of the commit and its parent),
 * filtered by record, field and day.
 */
#ifndef CASETRAIL_HISTORY_H
#define CASETRAIL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/diff.h"
#include "casetrail/error.h"
#include "casetrail/receipt.h"
#include "casetrail/store.h"

typedef struct ct_history ct_history;

typedef enum ct_history_status {
	CT_HISTORY_ADDED,
	CT_HISTORY_MODIFIED,
	CT_HISTORY_REMOVED,
} ct_history_status;

/* One file below the directory that a commit changed. */
typedef struct ct_history_file {
	char *path;                  /* relative to the directory */
	ct_history_status status;
} ct_history_file;

/*
 * One commit that changed the directory.  Every string is owned by the
 * history and valid until the next ct_history_next() or ct_history_free().
 */
typedef struct ct_history_entry {
	char commit[CT_OID_HEXSZ + 1];   /* the commit id (hex) */
	char parent[CT_OID_HEXSZ + 1];   /* its parent; "" for a root */
	char old_tree[CT_OID_HEXSZ + 1]; /* the directory's tree id in the
	                                    parent; "" when absent there */
	char new_tree[CT_OID_HEXSZ + 1]; /* ... in the commit; "" when absent */
	const char *author_name;
	const char *author_email;
	long long time;                  /* committer time (Unix) */
	int offset;                      /* its time zone, minutes east of UTC */
	const char *message;             /* the full commit message */
	ct_history_file *files;          /* the files changed, in git order */
	size_t nfiles;
} ct_history_entry;

/*
 * Start a walk over the commits of the main branch (CT_BRANCH) that
 * changed dir (a path relative to the store root, without a trailing
 * slash).  An unborn branch gives an empty walk.  *out is freed with
 * ct_history_free().  Errors: CT_ERROR (git).
 */
int ct_history_open(ct_store *st, const char *dir, ct_history **out,
    ct_error *err);

/*
 * The next commit, newest first: 1 with *e filled, 0 at the end of the
 * history, or a negative CT_E* code.  The caller may stop at any point.
 */
int ct_history_next(ct_history *h, ct_history_entry *e, ct_error *err);

void ct_history_free(ct_history *h);

/* What a case log keeps. */
typedef struct ct_log_filter {
	const char *record;  /* a record's path in the case directory, with
	                        or without ".yaml" ("case", "cmp/custodial"),
	                        or a directory of records ("cmp"); NULL: all */
	const char *field;   /* only this field and those below it ("stage",
	                        "needs[N2]"); NULL: all */
	bool has_since;      /* stop at the first commit whose local day is */
	ct_date since;       /* before since */
} ct_log_filter;

/* One change of a case log: a field of a record, or a removed record. */
typedef struct ct_log_change {
	char *record;         /* its path in the case directory without
	                         ".yaml" ("case", "cmp/custodial") */
	bool removed;         /* the record was removed; field is empty */
	ct_diff_change field; /* path, old and new (diff.h) */
} ct_log_change;

/*
 * One commit of a case log.  The trailers are NULL when the commit has
 * none; tool is the Tool trailer without its version ("case-event").
 * Everything is owned by the log, valid until the next ct_case_log_next()
 * or ct_case_log_free().
 */
typedef struct ct_log_commit {
	ct_history_entry entry;
	char *tool, *action, *reason, *approved_by;
	ct_log_change *changes;
	size_t nchanges;
} ct_log_commit;

typedef struct ct_case_log ct_case_log;

/*
 * Start the log of the case directory dir ("cases/<xx>/<id>", see
 * ct_case_dir) with the filter f (copied; NULL keeps everything).  Errors:
 * CT_EINVALID (an empty record name or field path), CT_ERROR (git).
 */
int ct_case_log_open(ct_store *st, const char *dir, const ct_log_filter *f,
    ct_case_log **out, ct_error *err);

/*
 * The next commit, newest first, that the filter keeps (with a record or
 * field filter, only commits with a change that matches): 1 with *c set,
 * 0 at the end, or a negative CT_E* code (a record that cannot be read).
 */
int ct_case_log_next(ct_case_log *log, const ct_log_commit **c,
    ct_error *err);

void ct_case_log_free(ct_case_log *log);

/*
 * The case log as its reader sees it (lib/audit/caselog.c).
 */

/* When a commit's entries happened, and when it was received. */
typedef struct ct_log_when {
	ct_date dated[16];         /* the distinct dates its changes set
	                              (ct_event_date_of), in order */
	size_t ndated;
	const ct_receipt *receipt; /* the earliest covering it, or NULL;
	                              owned by the receipts */
} ct_log_when;

/* The "when" of c from the receipts rs (ct_receipts_covering's errors). */
int ct_log_when_of(ct_receipts *rs, const ct_log_commit *c,
    ct_log_when *w, ct_error *err);

/*
 * The time t at offset minutes east of UTC: "YYYY-MM-DD HH:MM", or with
 * iso "YYYY-MM-DDTHH:MM:SS+hh:mm" (sz of 32 is enough).
 */
void ct_log_time(long long t, int offset, bool iso, char *buf, size_t sz);

/* A change's path as text: "(root)" for the root of the record. */
const char *ct_log_path_text(const ct_log_change *ch);

/*
 * Append commit c to the sequence all as case-log's JSON object:
 * {"commit", "date", "author", "email", "tool", "action", "reason",
 * "approved_by", "dated", "recorded", "received", "receipt", "changes":
 * [{"record", "kind", "path", "old", "new"}]}.  CT_ERROR when out of
 * memory (all unchanged).
 */
int ct_case_log_json(ct_node *all, const ct_log_commit *c,
    const ct_log_when *w, ct_error *err);

#endif
