/*
 * casetrail walk: the one walk over a store's history, shared by
 * store-verify (and the disclosure checks it runs on the way), case-log
 * and store-sync.
 *
 * A walk visits the commits of tip's history, those of hide's excluded
 * (like "git rev-list hide..tip"), in git's topological order: oldest
 * first, or newest first with CT_WALK_NEWEST_FIRST (by commit time where
 * the order leaves a choice).  CT_WALK_FIRST_PARENT follows first parents
 * only (the line of tips a branch held); CT_WALK_NO_MERGES passes over
 * merges, whose sides' commits are walked themselves.  Each step holds
 * the commit, its first parent and both trees, so that every reader
 * compares a commit with the same parent in the same way.
 *
 * The repository may carry extra object directories (a push's
 * quarantine): the walk reads through it and never writes.
 */
#ifndef CASETRAIL_WALK_H
#define CASETRAIL_WALK_H

#include <stddef.h>

#include "casetrail/error.h"

struct git_repository;
struct git_oid;
struct git_commit;
struct git_tree;

typedef struct ct_walk ct_walk;

enum {
	CT_WALK_NEWEST_FIRST = 1 << 0,
	CT_WALK_FIRST_PARENT = 1 << 1,
	CT_WALK_NO_MERGES = 1 << 2,
};

/* One commit of the walk; everything is owned by the walk and valid
 * until the next ct_walk_next() or ct_walk_free(). */
typedef struct ct_walk_step {
	struct git_commit *commit;
	struct git_commit *parent;   /* its first parent; NULL for a root */
	struct git_tree *tree;
	struct git_tree *ptree;      /* the parent's; NULL for a root */
	size_t nparents;
	char id[41];                 /* the commit id, hex */
} ct_walk_step;

/* Start a walk of tip (hide may be NULL).  Errors: CT_ERROR (git). */
int ct_walk_open(struct git_repository *repo, const struct git_oid *tip,
    const struct git_oid *hide, unsigned flags, ct_walk **out,
    ct_error *err);

/* The next step: 1 with *step set, 0 at the end, or a negative CT_E*
 * code.  The caller may stop at any point. */
int ct_walk_next(ct_walk *w, const ct_walk_step **step, ct_error *err);

void ct_walk_free(ct_walk *w);

#endif
