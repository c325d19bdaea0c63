/*
 * casetrail sync: many clones of one store meeting at a central repository
 * (DESIGN.md §7, store-sync(1)).
 *
 * Transport is the git CLI's business (git fetch, git push; the tool runs
 * them).  This module does what happens in between, on the local clone:
 * after a fetch has updated the remote-tracking branch and the fetched tip
 * has been found fit to take (incoming.h), ct_sync_rebase() puts the
 * local commits the remote does not have on top of that tip, one by one,
 * oldest first along the first-parent line:
 *
 *   for every path a local commit C changed against its parent P, compare
 *   three versions: P's (what C started from), C's (ours) and the tip's
 *   being built (theirs, at first the remote's):
 *     theirs == P's   the other side left it alone: take ours;
 *     theirs == ours  the same change is already there: nothing to do;
 *     otherwise       both sides changed the record: a conflict, except
 *                     for a new disclosure entry whose name the remote
 *                     has taken for another entry: it gets the next free
 *                     name (entries are one file each and never conflict).
 *
 * A replayed commit keeps the author, message and trailers of the
 * original; its committer is the operator running the sync (git config,
 * a registered operator of the remote's registry), and it is made through
 * ct_store_commit_create(), so a store that signs commits signs it.  Its
 * tree is the tip's tree with C's changes applied (git_tree_create_updated:
 * no checkout, cost by the size of the change).  A local commit whose
 * changes are all on the remote already is dropped.
 *
 * When a record conflicts nothing is changed: the local branch stays where
 * it was and every conflict is reported with both sides' commits and their
 * field-level changes (ct_node_diff).  With CT_SYNC_SET_ASIDE the
 * conflicting local commits (and the later ones that build on what they
 * changed) are left out instead; the old local tip is kept on a branch
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

#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/store.h"

#define CT_SYNC_HEXSZ 40

typedef enum ct_sync_state {
	CT_SYNC_UP_TO_DATE,   /* the local tip is the remote's */
	CT_SYNC_AHEAD,        /* the remote's tip is in the local history:
	                         nothing to replay, tip is to be pushed */
	CT_SYNC_FAST_FORWARD, /* the local branch moved to the remote's tip
	                         (nothing local was missing there) */
	CT_SYNC_REPLAYED,     /* local commits replayed onto the remote's tip;
	                         the local branch is at tip, to be pushed */
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

/* A record both sides changed.  local is the local commit; remote is the
 * newest commit of the remote's side that changed the record; both
 * changes are shown from the version local started from. */
typedef struct ct_sync_conflict {
	char *path;          /* the store path */
	char *case_id;       /* NULL when the path is not in a case */
	char *record;        /* "case", "cmp/custodial", ... or the path */
	ct_sync_side local;
	ct_sync_side remote;
} ct_sync_conflict;

/* A local commit that was not replayed (conflict, or builds on one). */
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
	size_t replayed;     /* local commits made anew on the remote's tip */
	size_t dropped;      /* local commits whose change was there already */
	size_t renamed;      /* disclosure entries given a free name */
	ct_sync_conflict *conflicts;
	size_t nconflicts;
	ct_sync_skipped *skipped;
	size_t nskipped;
	char *set_aside;     /* CT_SYNC_SET_ASIDE with something skipped: the
	                        branch keeping the old local tip */
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
 * Bring the local branch onto remote_tip, the remote's tip as a commit id
 * in hex (the one ct_incoming_check() found fit to take, not whatever the
 * remote-tracking branch holds by now; see the top of this file), and
 * fill *res (cleared first; free with ct_sync_result_clear()).  Returns 0
 * for every state, including CT_SYNC_CONFLICT; CT_ENOTFOUND when the
 * commit is not in the clone, CT_EINVALID for a bad id, unrelated
 * histories, an unregistered committer, uncommitted edits in a path to
 * update or a path outside the work tree, CT_ECONFLICT when the local
 * branch moved outside the tools, CT_ERROR.  On an error nothing was
 * changed.
 */
int ct_sync_rebase(ct_store *st, const char *remote_tip, unsigned flags,
    ct_sync_result *res, ct_error *err);

void ct_sync_result_clear(ct_sync_result *res);

#endif
