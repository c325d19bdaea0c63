/*
 * casetrail incoming: what a fetch brought from a remote, checked before
 * store-sync takes any of it (DESIGN.md §7, store-sync(1)).
 *
 * A clone remembers, for each remote, the remote's tip it last synced
 * with: the ref refs/casetrail/synced/<remote>, which store-sync sets
 * after every sync that succeeded (ct_incoming_record()).  After a fetch,
 * ct_incoming_check() reads the fetched tip and refuses it when it does
 * not descend from, or equal, the remembered one: the remote's history was
 * rewritten (a commit amended or rebased, the branch forced back), and
 * what this clone took from it before may no longer be there.
 *
 * Then it runs the checks of store-verify over what is new to this clone:
 * the commits from the merge base of the local branch and the fetched tip
 * up to the fetched tip (ct_verify with since = the merge base, tip = the
 * fetched tip; git fetch has put their objects in the clone already).
 * Every problem goes to the caller's callback, as store-verify prints it;
 * one is enough to refuse the tip.  Commits of the local branch are not
 * checked again: the tools made them, or an earlier sync checked them.
 *
 * A clone that remembers nothing yet (a fresh clone, or one older than
 * this record) cannot tell; it starts remembering at its first sync.
 *
 * Everything here reads and writes through libgit2; nothing runs git.
 * The caller serialises the syncs of a clone (store-sync holds
 * casetrail-sync.lock).
 */
#ifndef CASETRAIL_INCOMING_H
#define CASETRAIL_INCOMING_H

#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/store.h"
#include "casetrail/sync.h"
#include "casetrail/verify.h"

#define CT_SYNCED_REFS "refs/casetrail/synced/"

typedef enum ct_incoming_state {
	CT_INCOMING_OK,         /* the fetched tip may be taken */
	CT_INCOMING_REWRITTEN,  /* it does not descend from synced */
	CT_INCOMING_PROBLEMS,   /* what it brings fails store-verify */
} ct_incoming_state;

typedef struct ct_incoming {
	ct_incoming_state state;
	char tip[CT_SYNC_HEXSZ + 1];     /* the fetched tip */
	char synced[CT_SYNC_HEXSZ + 1];  /* the tip last synced with; ""
	                                    when none is remembered */
	char base[CT_SYNC_HEXSZ + 1];    /* the merge base with the local
	                                    branch; "" when REWRITTEN */
	size_t problems;     /* reported through fn */
} ct_incoming;

/*
 * Check the tip of remote_ref (the remote-tracking branch a fetch of
 * remote just updated) against what this clone remembers of remote, then
 * verify what it would bring in, calling fn(problem, arg, err) for every
 * problem found (verify.h), and fill *in.  The rewrite check comes first:
 * a rewritten tip is not verified.  Returns 0 whatever the state;
 * CT_ENOTFOUND when remote_ref does not exist, CT_EINVALID for a remote
 * name that makes no ref name or a history with nothing in common with
 * the local branch, CT_ERROR, or what fn returned when not 0.  Reads only.
 */
int ct_incoming_check(ct_store *st, const char *remote,
    const char *remote_ref, ct_verify_fn fn, void *arg, ct_incoming *in,
    ct_error *err);

/*
 * Remember tip (a commit id in hex) as the tip of remote this clone is in
 * sync with.  CT_EINVALID for a bad id or remote name, CT_ERROR.
 */
int ct_incoming_record(ct_store *st, const char *remote, const char *tip,
    ct_error *err);

#endif
