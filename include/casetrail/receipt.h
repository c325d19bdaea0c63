/*
 * casetrail receipts: "the central repository received these commits
 * from this pusher at this time", said and signed by the central
 * repository for every accepted push (store-verify --post-receive).
 *
 * A receipt is a git tag object, like a checkpoint (checkpoint.h): its
 * target is main's new tip, its tagger the central repository's identity
 * (the bare repository's git config user.name and user.email) at the
 * time the push was taken, and its message
 *
 *   casetrail receipt: main received at YYYY-MM-DD HH:MM:SSZ
 *
 *   Received: YYYY-MM-DDTHH:MM:SSZ
 *   Pusher: <who> (<how it is known>)
 *   Update: <old hex> <new hex> refs/heads/main
 *   Update: ...                          (every ref the push updated)
 *
 * signed, in a store that signs commits, the same way (the signature
 * appended, as git signs tags: git verify-tag checks it).  Its ref is
 *
 *   refs/receipts/<YYYYMMDDTHHMMSSZ>-<new tip, 12 hex>
 *
 * in the central repository; clones fetch them to
 * refs/remotes/<remote>/receipts/ (store-sync).  A push never makes,
 * moves or removes one: the pre-receive hook refuses it.
 *
 * The commits a receipt covers are those its main update accepted, the
 * commits of new not in old (a merge of store-sync brings in the
 * office's commits: they are received when the merge is).  A commit's
 * received time is that of the earliest receipt covering it.  Only a
 * receipt whose tagger is the store's receipts signer counts; its
 * signature is checked by store-sync when it fetches it and by
 * store-verify (ct_receipt_verify).
 *
 * The store's settings say who signs receipts and how far back an entry
 * may be dated before it counts as backdated:
 *
 *   receipts:
 *     signer: central        # the operator id of the central repository
 *     backdate_days: 14      # default CT_BACKDATE_DAYS
 *
 * A store whose settings have no receipts section is not reviewed for
 * backdating: its history may well be older than its use of the tools.
 */
#ifndef CASETRAIL_RECEIPT_H
#define CASETRAIL_RECEIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "casetrail/date.h"
#include "casetrail/diff.h"
#include "casetrail/error.h"
#include "casetrail/store.h"

#define CT_RECEIPT_REFS "refs/receipts/"
#define CT_BACKDATE_DAYS 14

/* The receipts settings of a parsed casetrail.yaml (NULL: none): whether
 * it has them at all (a store that has none is not reviewed for
 * backdating), the signer's operator id (NULL when none is named; it
 * points into settings) and the backdating window in days. */
typedef struct ct_receipt_policy {
	bool set;
	const char *signer;
	int backdate_days;
} ct_receipt_policy;

void ct_receipt_policy_of(const ct_node *settings, ct_receipt_policy *p);

/* One ref update of a push, hex ids (all zeros: none). */
typedef struct ct_ref_update {
	const char *old, *new_, *ref;
} ct_ref_update;

/*
 * Write the receipt of a push whose updates were accepted (a post-receive
 * hook, in the central repository): the tagger is git config user.name
 * and user.email, which must be the e-mail of the operator the settings
 * name as receipts.signer; it is signed as the store signs commits
 * (git config user.signingKey, else signing.key).  pusher is who pushed
 * and how that is known ("jlee (CASETRAIL_PUSHER)"); NULL: the committer
 * of main's new tip, as the commit claims it.  *ref (owned) is
 * the receipt's ref, NULL when the push did not move main (no receipt).
 * Errors: CT_EINVALID (no signer named, another identity), CT_ERROR.
 */
int ct_receipt_create(ct_store *st, const ct_ref_update *u, size_t n,
    const char *pusher, char **ref, ct_error *err);

/*
 * The post-receive hook (store-verify --post-receive): the receipt
 * (ct_receipt_create) of the push whose "old new ref" lines in holds.
 * The pusher is who pusher names, the value of $CASETRAIL_PUSHER (set by
 * what authenticated the push: a forge, an ssh forced command), else
 * (NULL or "") the committer of main's new tip.  *read is true when the
 * lines were read, so that an error after is one of writing the receipt
 * of a push already taken; CT_EINVALID for a line that is not
 * "old new ref".
 */
int ct_receipt_hook(ct_store *st, FILE *in, const char *pusher, char **ref,
    bool *read, ct_error *err);

/* One receipt as read from its tag; strings are valid while the set
 * that read it is. */
typedef struct ct_receipt {
	const char *ref;
	char tag[41];          /* the tag object, hex */
	char commit[41];       /* main's new tip, hex; "" when the tag is
	                          not a receipt */
	char old[41];          /* main's old tip; "" when main was made */
	const char *by;        /* the tagger's e-mail */
	long long when;        /* received, seconds since the epoch */
	bool is_signed;
} ct_receipt;

typedef struct ct_receipts ct_receipts;

/*
 * Every receipt this repository holds: its own (refs/receipts/, the
 * central repository's) and those fetched from remotes
 * (refs/remotes/<remote>/receipts/), oldest first, one of each tag.
 * The signer's e-mail is read from the settings and registry at rev
 * (NULL: HEAD; store-sync reads them at the remote's tip it takes).
 */
int ct_receipts_open(ct_store *st, const char *rev, ct_receipts **out,
    ct_error *err);
void ct_receipts_free(ct_receipts *rs);

size_t ct_receipts_count(const ct_receipts *rs);
const ct_receipt *ct_receipts_get(const ct_receipts *rs, size_t i);

/* The receipts settings at HEAD. */
const ct_receipt_policy *ct_receipts_policy(const ct_receipts *rs);

/*
 * The earliest receipt by the signer that covers the commit (hex), or
 * NULL (*r) when none does.  The first call walks the commits each
 * receipt accepted, once.
 */
int ct_receipts_covering(ct_receipts *rs, const char *commit,
    const ct_receipt **r, ct_error *err);

/*
 * Check one receipt: a tag of a commit with a receipt's message, by the
 * signer the settings name, signed by the signer's registered key as the
 * store requires, of a commit the history of tip (a revision; NULL:
 * main) holds.  0 when good; CT_EINVALID with the reason, and *rule
 * "receipt-bad", "receipt-signer", "receipt-signature" or
 * "receipt-rewritten"; CT_ERROR.
 */
int ct_receipt_verify(ct_store *st, ct_receipts *rs, const ct_receipt *r,
    const char *tip, const char **rule, ct_error *err);

/* Remove a fetched receipt's ref (refs/remotes/<remote>/receipts/...),
 * or put it back at the tag keep (hex): store-sync keeps no receipt it
 * found bad, so that the next fetch brings it, and its refusal, again,
 * and keeps a receipt as it first fetched it. */
int ct_receipt_drop(ct_store *st, const char *ref, const char *keep,
    ct_error *err);

/*
 * The date a change of a record says something happened: a field named
 * "date" (of the record, or of an entry of one of its lists: an event, an
 * approval, an endorsement) set to a date.  False for any other change.
 */
bool ct_event_date_of(const ct_diff_change *ch, ct_date *d);

/*
 * When each date of some cases' entries was first recorded: for every
 * commit of main's history that sets a dated field (ct_event_date_of) in
 * one of the cases, the time it was received (rs: its receipt), else
 * made; of each date the earliest.  One walk of the history for all the
 * cases.  cases[0..n) is sorted by case_id (the caller's); each gets v
 * (owned by the caller, sorted by date) with n entries.
 */
typedef struct ct_recorded {
	ct_date date;
	long long when;
	bool received;         /* when is a receipt's, not a commit's */
} ct_recorded;

typedef struct ct_case_recorded {
	const char *case_id;
	ct_recorded *v;
	size_t n, cap;
} ct_case_recorded;

int ct_receipt_recorded(ct_store *st, ct_receipts *rs,
    ct_case_recorded *cases, size_t n, ct_error *err);

/* The local day (in the store's time zone tz) of the Unix time t; 0 when
 * the zone cannot be read. */
ct_date ct_receipt_day(const char *tz, long long t);

#endif
