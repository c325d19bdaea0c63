/*
 * casetrail disclosures: the register of information use and disclosure
 * under s 284 of the Serious Offenders Act 2018 (Vic), rule VIC-S284.
 *
 * A relevant person may use or disclose information to another relevant
 * person only for the purposes s 284 lists.  A relevant person is anyone
 * employed in a MAP member agency or delivering services on its behalf (a
 * funded service).  In a store that is: an operator whose agency, or an
 * agency that itself, is a MAP member (map_member: true in
 * registry/agencies.yaml) or is funded_by a registered MAP member.
 *
 * Each use or disclosure is one entry, one file that is written once and
 * never changed:
 *
 *   cases/<xx>/<id>/disclosures/<YYYYMMDDTHHMMSSZ>-<n>.yaml
 *
 * The timestamp is the entry's "at" (UTC), so the file names of a case sort
 * in time order; <n> (1, 2, ...) tells apart entries of the same second.
 * The fields are in schemas/disclosure.schema.json and
 * casetrail-records(5).
 *
 * ct_disclosure_verify() walks the history of the branch and reports every
 * entry modified or deleted after it was added, added by a commit without
 * matching Purpose and Case trailers, or naming a recipient (or discloser)
 * who was not a relevant person at that commit.
 */
#ifndef CASETRAIL_DISCLOSURE_H
#define CASETRAIL_DISCLOSURE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/error.h"
#include "casetrail/rows.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

/* The rule this module implements (DESIGN.md §4). */
#define CT_S284_RULE "VIC-S284"

/* Directory of a case's entries, relative to the case directory. */
#define CT_DISCLOSURES_DIR "disclosures"

/* "YYYY-MM-DDTHH:MM:SSZ" and a NUL, with room to spare. */
#define CT_TIMESTAMP_BUFSZ 32

/*
 * The s 284 purposes: id (the value of --purpose and of the entry's
 * "purpose"), the seed's wording, and whether the purpose needs stated
 * reasonable grounds.  ct_purposes ends with an entry whose id is NULL.
 */
typedef struct ct_purpose {
	const char *id;
	const char *wording;
	bool needs_grounds;
} ct_purpose;

extern const ct_purpose ct_purposes[];

/* The purpose of that id, or NULL. */
const ct_purpose *ct_purpose_find(const char *id);

/* The means of a disclosure, NULL-terminated: verbal, written, electronic,
 * meeting. */
extern const char *const ct_disclosure_means[];

/*
 * Times.  ct_timestamp_parse accepts a day "YYYY-MM-DD" (that day at
 * 00:00:00 UTC; *day_only set when not NULL) or an RFC 3339 date-time
 * "YYYY-MM-DDTHH:MM:SS" followed by "Z" or an offset "+HH:MM"/"-HH:MM",
 * without fractions; the result is a Unix time.  CT_EINVALID quoting s
 * otherwise.
 */
int ct_timestamp_parse(const char *s, long long *out, bool *day_only,
    ct_error *err);

/* Write "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf; returns buf. */
char *ct_timestamp_format(long long t, char buf[CT_TIMESTAMP_BUFSZ]);

/*
 * A registered operator or agency, resolved as a possible party to a
 * disclosure.  The strings are borrowed from the registry documents.
 */
typedef struct ct_party {
	const char *id;
	const char *kind;     /* "operator" or "agency" */
	const char *name;
	const char *agency;   /* the operator's agency, or the agency's id */
} ct_party;

/*
 * Resolve who (an operator id or agency id; "operator:ID" or "agency:ID"
 * when an id names both) in the registry documents and check that it is a
 * relevant person under s 284.  operator_only: who must be an operator
 * (the discloser).  Messages begin with what ("--to", "the discloser"):
 *   CT_ENOTFOUND  not a registered operator (or agency);
 *   CT_EINVALID   an ambiguous id, or not a relevant person (and why).
 * *out is filled in both the success and the "not a relevant person"
 * cases.
 */
int ct_s284_party(const ct_node *agencies, const ct_node *operators,
    const char *who, bool operator_only, const char *what, ct_party *out,
    ct_error *err);

/* What disclose-log add records (one entry per case). */
typedef struct ct_disclosure_req {
	const char *to;        /* recipient: operator or agency id */
	const char *purpose;   /* a ct_purposes id */
	const char *info;      /* a description of the information */
	const char *grounds;   /* risk-reduction: the grounds; else NULL */
	const char *means;     /* a ct_disclosure_means value, or NULL */
	const char *ref;       /* a reference, or NULL */
	long long at;          /* when: a Unix time */
} ct_disclosure_req;

/*
 * Check a request without the store: the purpose is known, risk-reduction
 * has grounds and no other purpose has them, the means is known, and the
 * texts are single lines (ct_text_check).  CT_EINVALID naming the option.
 */
int ct_disclosure_check(const ct_disclosure_req *req, ct_error *err);

/*
 * Check that case_id exists in the snapshot and is a VIC case (s 284 is
 * Victorian law).  CT_ENOTFOUND / CT_EINVALID with a message.
 */
int ct_disclosure_case_check(ct_snapshot *snap, const char *case_id,
    ct_error *err);

/*
 * Inside a write transform: record one entry about case_id.  Checks the
 * request (ct_disclosure_check), that the writer and the recipient are
 * registered relevant persons (ct_s284_party) and that the case exists and
 * is a VIC case, then puts a new entry at the first free
 * <timestamp>-<n>.yaml of the case (an existing entry is never
 * overwritten), validated against the disclosure schema.  *path (may be
 * NULL) receives the entry's store path, owned by the caller.
 */
int ct_disclosure_add(ct_txn *txn, const char *case_id,
    const ct_disclosure_req *req, char **path, ct_error *err);

/*
 * Entries read from a snapshot.
 */
typedef struct ct_disclosure {
	char *path;          /* the entry's store path */
	ct_node *doc;        /* the entry, validated */
	long long at;        /* its "at" as a Unix time */
	unsigned long n;     /* the <n> of its file name */
} ct_disclosure;

typedef struct ct_disclosures {
	ct_disclosure *v;
	size_t n, cap;
} ct_disclosures;

/*
 * Append the entries of case_id (NULL: of every case) in the snapshot to
 * *out, sorted as ct_disclosures_sort() sorts.  An entry that is not valid
 * fails the whole load with its file:line:column message; a case that does
 * not exist is CT_ENOTFOUND.
 */
int ct_disclosures_load(ct_snapshot *snap, const char *case_id,
    ct_disclosures *out, ct_error *err);

/* Time order: at, then case, then n. */
void ct_disclosures_sort(ct_disclosures *d);

void ct_disclosures_clear(ct_disclosures *d);

/* Which entries to keep. */
typedef struct ct_disclosure_filter {
	bool has_since, has_until;
	long long since, until;  /* inclusive Unix times */
	const char *purpose;     /* NULL: any */
	const char *to;          /* the recipient or the recipient's agency
	                            (an "operator:"/"agency:" prefix is
	                            ignored); NULL: any */
} ct_disclosure_filter;

/* Drop the entries f does not match (the order is kept). */
void ct_disclosures_filter(ct_disclosures *d, const ct_disclosure_filter *f);

/*
 * Output.  The list is a row table (rows.h) of ct_disclosure_list, one
 * row an entry: text shows AT, CASE, PURPOSE, DISCLOSER, RECIPIENT ("jlee
 * (forensicare)" for an operator), MEANS ("-" when not recorded) and
 * INFORMATION; CSV the columns at, case, purpose, discloser,
 * discloser_agency, recipient, recipient_kind, recipient_name,
 * recipient_agency, means, information, grounds, reference, path; JSON
 * an array of objects, an entry's fields in the order disclose-log add
 * writes them (those it has: grounds, means and reference may be absent)
 * and its path.
 * ct_disclosures_rows() appends the entries of d to out, a table of
 * ct_disclosure_list.
 */
enum {
	CT_DISC_COL_CASE, CT_DISC_COL_AT, CT_DISC_COL_DISCLOSER,
	CT_DISC_COL_DISCLOSER_AGENCY, CT_DISC_COL_RECIPIENT,
	CT_DISC_COL_RECIPIENT_KIND, CT_DISC_COL_RECIPIENT_NAME,
	CT_DISC_COL_RECIPIENT_AGENCY, CT_DISC_COL_PURPOSE,
	CT_DISC_COL_INFORMATION, CT_DISC_COL_GROUNDS, CT_DISC_COL_MEANS,
	CT_DISC_COL_REFERENCE, CT_DISC_COL_PATH, CT_DISC_COL_TO,
	CT_DISC_NCOLS
};
extern const ct_rowspec ct_disclosure_list;
void ct_disclosures_rows(const ct_disclosures *d, ct_rows *out);


/*
 * Verification of the history (DESIGN.md §5 "disclosures append-only").
 */
typedef enum ct_audit_kind {
	CT_AUDIT_ADDED,      /* an entry was added (whether or not well) */
	CT_AUDIT_PROBLEM,    /* what is wrong with it or with its commit */
	CT_AUDIT_REWRITTEN,  /* it was changed or removed after it was
	                        recorded: a problem, which store-verify
	                        reports under the change policy's
	                        append-only clause (policy.h) */
} ct_audit_kind;

typedef struct ct_audit_item {
	ct_audit_kind kind;
	const char *commit;  /* hex id */
	long long time;      /* the commit's time */
	const char *author;  /* "Name <email>" */
	const char *path;    /* the entry's store path */
	const char *what;    /* a problem: one line, what is wrong */
} ct_audit_item;

/* Called for every item, oldest commit first; non-zero stops the walk
 * and is returned. */
typedef int (*ct_audit_fn)(const ct_audit_item *item, void *arg,
    ct_error *err);

typedef struct ct_audit_stats {
	size_t commits;      /* commits walked */
	size_t added;        /* entries added */
	size_t problems;
} ct_audit_stats;

/*
 * Walk every commit of the history of the branch main, oldest first (only
 * the commits after since when since, a revision, is not NULL, like
 * "git rev-list since..main"), skipping merges (which store-verify checks
 * bring nothing new), and diff each commit's tree against its parent's
 * under cases/<xx>/<id>/disclosures/
 * (only that case's when case_id is not NULL).  Problems:
 *   - an entry modified or deleted (entries are never changed);
 *   - an entry added by a commit whose Purpose and Case trailers are not
 *     the entry's purpose and case;
 *   - an added entry whose recipient or discloser was not a relevant
 *     person in the registries of that commit, whose discloser is not the
 *     registered operator who authored the commit, that is not a valid
 *     entry, whose file name or directory does not match its time or case,
 *     or that has purpose risk-reduction without grounds.
 * stats may be NULL.  Returns 0 when the walk completed (whatever it
 * found), < 0 on an error reading the store.
 */
int ct_disclosure_verify(ct_store *st, const char *since,
    const char *case_id, ct_audit_fn fn, void *arg, ct_audit_stats *stats,
    ct_error *err);

/*
 * The same checks one commit at a time, for store-verify, which walks the
 * history once (walk.h) and reads a pushed tip with the push's
 * quarantined objects before any ref moves.  A check keeps the schemas
 * and the registries by blob id from one commit to the next; merges are
 * passed over.  ct_disclosure_audit_free() gives the totals (stats may be
 * NULL).
 */
typedef struct ct_disclosure_audit ct_disclosure_audit;
struct ct_walk_step;

int ct_disclosure_audit_new(struct git_repository *repo,
    const char *case_id, ct_audit_fn fn, void *arg,
    ct_disclosure_audit **out, ct_error *err);
int ct_disclosure_audit_commit(ct_disclosure_audit *dc,
    const struct ct_walk_step *step, ct_error *err);
void ct_disclosure_audit_free(ct_disclosure_audit *dc,
    ct_audit_stats *stats);

/*
 * Everything disclosed about one case, for an oversight body: the entries
 * at HEAD in time order, each with the purpose's wording, the parties'
 * registered names, and the commit that recorded it; and the result of
 * ct_disclosure_verify() for the case.  Text when json is false, its
 * fields of data terminal-safe (ct_text_safe); JSON exact.  *problems
 * receives the number of verification problems.
 */
int ct_disclosure_report(ct_store *st, const char *case_id, bool json,
    ct_buf *out, size_t *problems, ct_error *err);

#endif
