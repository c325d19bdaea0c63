/*
 * casetrail sync: many clones of one store meeting at a central repository
 * (DESIGN.md §7, store-sync(1)).
 *
 * Transport is the git CLI's business (git fetch, git push; the tool runs
 * them).  This module does what happens in between, on the local clone:
 * after a fetch has updated the remote-tracking branch and the fetched tip
 * has been found fit to take (incoming.h), ct_sync_merge() joins the local
 * branch and that tip with a merge commit, so that every author's own
 * commit, and its signature, stays in the history as it was made:
 *
 *   for every path the local side changed since the merge base B, compare
 *   three versions: B's, the local tip's (ours) and the remote tip's
 *   (theirs):
 *     theirs == B's   the other side left it alone: take ours;
 *     theirs == ours  the same change is on both sides: nothing to do;
 *     otherwise       both sides changed the record: a conflict, except
 *                     for a new disclosure entry whose name the remote
 *                     has taken for another entry: the merge carries the
 *                     same entry, byte for byte, under the next free name
 *                     (entries are one file each and never conflict;
 *                     store-verify accepts exactly this and nothing else
 *                     a merge adds of its own).
 *
 * The merge's first parent is the remote's tip, its second the local tip:
 * `git log --first-parent` of the central repository is then the line of
 * tips it held.  Its author and committer are the operator running the
 * sync (git config, a registered operator of the remote's registry), and
 * it is made through ct_store_commit_create(), so a store that signs
 * commits signs it.  Its tree is the remote's tree with the local changes
 * applied (git_tree_create_updated: no checkout, cost by the size of the
 * change).  The merge is only made: the branch is moved by
 * ct_sync_move(), after the push, so a push that loses a race leaves
 * nothing to undo.
 *
 * When a record conflicts nothing is made and every conflict is reported
 * with both sides' commits and their field-level changes (ct_node_diff).
 * With CT_SYNC_SET_ASIDE the local commits from the first one whose merge
 * would conflict on are left out instead (along the first-parent line of
 * the local branch); the old local tip is kept on a branch
 * "set-aside/<time>" so nothing is lost, and the rest goes ahead.
 *
 * Moving refs/heads/main takes the store's write lock (the one every tool
 * takes), refuses when the user has uncommitted edits in a path the move
 * changes or when such a path would lead outside the work tree or into
 * .git (a part "", ".", ".." or ".git"), is a compare-and-swap on the old
 * tip, and is followed by the update of the index and work tree of the
 * changed paths only.
 */
#ifndef CASETRAIL_SYNC_H
#define CASETRAIL_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/error.h"
#include "casetrail/store.h"
#include "casetrail/verify.h"

#define CT_SYNC_HEXSZ 40

typedef enum ct_sync_state {
	CT_SYNC_UP_TO_DATE,   /* the local tip is the remote's */
	CT_SYNC_AHEAD,        /* the remote's tip is in the local history:
	                         nothing to merge, tip is to be pushed */
	CT_SYNC_FAST_FORWARD, /* the local branch moved to the remote's tip
	                         (nothing local was missing there) */
	CT_SYNC_MERGED,       /* a merge of the remote's tip and the local
	                         branch made at tip, to be pushed, then the
	                         branch moved there (ct_sync_move) */
	CT_SYNC_CONFLICT,     /* conflicts reported; nothing changed */
} ct_sync_state;

/* One side of a conflict. */
typedef struct ct_sync_side {
	char commit[CT_SYNC_HEXSZ + 1];
	char *author;        /* "Name <email>" */
	char *subject;       /* the first line of its message */
	char *changes;       /* field-level changes, one line each ending in a
	                        newline (diff.h), or a one-line note when the
	                        record is not YAML or was removed */
} ct_sync_side;

/* A record both sides changed.  local is the oldest local commit that
 * changed it (where the two sides parted), remote the newest commit of
 * the remote's side that did; both changes are shown from the merge
 * base's version to each side's tip. */
typedef struct ct_sync_conflict {
	char *path;          /* the store path */
	char *case_id;       /* NULL when the path is not in a case */
	char *record;        /* "case", "cmp/custodial", ... or the path */
	ct_sync_side local;
	ct_sync_side remote;
} ct_sync_conflict;

/* A local commit set aside (a conflict, or after one). */
typedef struct ct_sync_skipped {
	char commit[CT_SYNC_HEXSZ + 1];
	char *subject;
} ct_sync_skipped;

typedef struct ct_sync_result {
	ct_sync_state state;
	char local[CT_SYNC_HEXSZ + 1];   /* the local tip before */
	char remote[CT_SYNC_HEXSZ + 1];  /* the remote-tracking tip */
	char tip[CT_SYNC_HEXSZ + 1];     /* the local tip after; "" on
	                                    CT_SYNC_CONFLICT */
	size_t merged;       /* local commits the merge joins */
	size_t renamed;      /* disclosure entries given a free name */
	ct_sync_conflict *conflicts;
	size_t nconflicts;
	ct_sync_skipped *skipped;
	size_t nskipped;
	char *set_aside;     /* CT_SYNC_SET_ASIDE with something skipped: the
	                        branch keeping the old local tip (made by
	                        ct_sync_move) */
	char *warning;       /* the branch moved but the work tree could not
	                        be updated: what to run (owned) */
} ct_sync_result;

enum {
	CT_SYNC_SET_ASIDE = 1 << 0,  /* leave conflicting commits out */
};

/*
 * The remote-tracking branch of main for the configured remote named
 * remote ("refs/remotes/<remote>/main"), in *ref (owned).  CT_ENOTFOUND
 * when there is no such remote; CT_EINVALID for a name git would read as
 * an option.
 */
int ct_sync_tracking_ref(ct_store *st, const char *remote, char **ref,
    ct_error *err);

/*
 * Join the local branch with remote_tip, the remote's tip as a commit id
 * in hex (the one ct_incoming_check() found fit to take, not whatever the
 * remote-tracking branch holds by now), and fill *res (cleared first; free
 * with ct_sync_result_clear()): the state, and in res->tip the commit the
 * branch is to be at (for CT_SYNC_MERGED a new merge commit no ref names
 * yet).  Nothing is moved.  Returns 0 for every state, including
 * CT_SYNC_CONFLICT; CT_ENOTFOUND when the commit is not in the clone,
 * CT_EINVALID for a bad id, unrelated histories, an unregistered
 * operator, uncommitted edits in a path to update or a path outside the
 * work tree, CT_ERROR.
 */
int ct_sync_merge(ct_store *st, const char *remote_tip, unsigned flags,
    ct_sync_result *res, ct_error *err);

/*
 * Move the local branch from res->local to res->tip and update the index
 * and work tree (res->warning when that could not be done; the branch has
 * moved).  For a result with skipped commits the old local tip is first
 * kept on a set-aside branch (res->set_aside).  CT_ECONFLICT when the
 * branch moved since ct_sync_merge() (a tool committed meanwhile: sync
 * again), CT_EINVALID for uncommitted edits in a path the move changes;
 * then nothing was changed.
 */
int ct_sync_move(ct_store *st, ct_sync_result *res, ct_error *err);

void ct_sync_result_clear(ct_sync_result *res);

/*
 * Around the merge (lib/audit/syncrun.c).
 */

/* What a sync's checks tell: one message, without the program's name. */
typedef void ct_sync_warn_fn(const char *msg, void *arg);

/*
 * The receipts of a remote across one sync: opened before the first
 * fetch, so that those the clone held (checked before) are known with
 * their tags.
 */
typedef struct ct_sync_receipts ct_sync_receipts;
int ct_sync_receipts_open(ct_store *st, const char *remote,
    ct_sync_receipts **out, ct_error *err);

/*
 * After a fetch: put back each held receipt the fetch moved, check each
 * new one against tip (the remote's tip to be taken, hex:
 * ct_receipt_verify) and drop one that fails (then a later fetch brings
 * it again, and it is refused again); warn is told of each.  A good
 * receipt is held from then on.  CT_EINVALID when one was put back or
 * dropped (nothing is to be taken), errors reading or dropping.
 */
int ct_sync_receipts_check(ct_sync_receipts *g, const char *tip,
    ct_sync_warn_fn *warn, void *arg, ct_error *err);
void ct_sync_receipts_free(ct_sync_receipts *g);

/*
 * May what a fetch of g's remote to ref brought be taken?  Its history
 * (ct_incoming_check: each problem to problem, then refused; a rewrite
 * refused), every checkpoint this clone holds (held by its tip) and the
 * receipts it brought (ct_sync_receipts_check).  0 with tip set to the
 * fetched tip, hex; CT_EINVALID saying what to do (warn told the rest
 * first); errors.  arg goes to problem and warn.  Nothing is taken: the
 * merge is ct_sync_merge's.
 */
int ct_sync_take(ct_store *st, ct_sync_receipts *g, const char *ref,
    ct_verify_fn problem, ct_sync_warn_fn *warn, void *arg,
    char tip[CT_SYNC_HEXSZ + 1], ct_error *err);

/* Does this clone hold checkpoints of its own (to push)? */
int ct_sync_has_checkpoints(ct_store *st, bool *some, ct_error *err);

/*
 * The conflicts of res as store-sync prints them, appended to b: each
 * record both sides changed with the two commits and their changes,
 * then the commits set aside; data written terminal-safe.
 */
void ct_sync_conflicts_text(const ct_sync_result *res, ct_buf *b);

#endif
