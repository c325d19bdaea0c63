/*
 * store-sync's git commands, run as rungit.h runs git: the fetch of the
 * remote's main, checkpoints and receipts, and the pushes.  dir is the
 * store's work tree, remote the name of a configured remote
 * (ct_sync_tracking_ref checked it).
 */
#ifndef CASETRAIL_SYNCGIT_H
#define CASETRAIL_SYNCGIT_H

#include <stdbool.h>

#include "casetrail/store.h"

/*
 * Fetch main to ref, the remote's checkpoints to
 * refs/remotes/<remote>/checkpoints/ (the remote's copies: "+") and its
 * receipts to refs/remotes/<remote>/receipts/ (no "+": a receipt the
 * remote moved fails the fetch).  Dies, git's words shown, when git
 * fails: nothing was changed.
 */
void cli_sync_fetch(const char *dir, const char *remote, const char *ref);

/* Fetch the remote's receipts only; false, git's words shown, when git
 * fails. */
bool cli_sync_fetch_receipts(const char *dir, const char *remote);

/* Push the commit tip (hex) to the remote's main, which takes it only as
 * a fast-forward; git's status, its words in *out (owned). */
int cli_sync_push(const char *dir, const char *remote, const char *tip,
    char **out);

/* Push this clone's checkpoints (made once, never moved); a refusal is
 * warned of, git's words shown. */
void cli_sync_push_checkpoints(const char *dir, const char *remote);

/* A push was refused: fetch again (cli_sync_fetch); has the tip of ref
 * moved from was (hex)? */
bool cli_sync_refetch(ct_store *st, const char *dir, const char *remote,
    const char *ref, const char *was);

/* Do git's words say a push lost a race with another one? */
bool cli_sync_lost_race(const char *out);

/* A random wait, growing with the rounds lost (at most 1.6 s), so that
 * clones pushing at the same moment spread out. */
void cli_sync_backoff(int round);

#endif
