/*
 * The walk over a store's history (walk.h): a libgit2 revwalk, and for
 * each commit its first parent and both trees.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/store.h"
#include "casetrail/walk.h"

struct ct_walk {
	git_repository *repo;
	git_revwalk *rw;
	unsigned flags;
	ct_walk_step step;
};

static void
step_clear(ct_walk_step *s)
{
	git_tree_free(s->tree);
	git_tree_free(s->ptree);
	git_commit_free(s->parent);
	git_commit_free(s->commit);
	memset(s, 0, sizeof(*s));
}

int
ct_walk_open(git_repository *repo, const git_oid *tip, const git_oid *hide,
    unsigned flags, ct_walk **out, ct_error *err)
{
	ct_walk *w;
	unsigned sort = GIT_SORT_TOPOLOGICAL;

	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	w->repo = repo;
	w->flags = flags;
	sort |= flags & CT_WALK_NEWEST_FIRST ? GIT_SORT_TIME : GIT_SORT_REVERSE;
	if (git_revwalk_new(&w->rw, repo) < 0 ||
	    git_revwalk_sorting(w->rw, sort) < 0 ||
	    git_revwalk_push(w->rw, tip) < 0 ||
	    (hide != NULL && git_revwalk_hide(w->rw, hide) < 0)) {
		ct_walk_free(w);
		return ct_git_fail(err, "walking the history");
	}
	if (flags & CT_WALK_FIRST_PARENT)
		git_revwalk_simplify_first_parent(w->rw);
	*out = w;
	return 0;
}

int
ct_walk_next(ct_walk *w, const ct_walk_step **step, ct_error *err)
{
	ct_walk_step *s = &w->step;
	git_oid id;
	int grc;

	*step = NULL;
	for (;;) {
		step_clear(s);
		if ((grc = git_revwalk_next(&id, w->rw)) == GIT_ITEROVER)
			return 0;
		if (grc < 0 || git_commit_lookup(&s->commit, w->repo, &id) < 0)
			return ct_git_fail(err, "walking the history");
		s->nparents = git_commit_parentcount(s->commit);
		if (s->nparents > 1 && (w->flags & CT_WALK_NO_MERGES))
			continue;
		break;
	}
	git_oid_tostr(s->id, sizeof(s->id), &id);
	if (git_commit_tree(&s->tree, s->commit) < 0 ||
	    (s->nparents > 0 &&
	    (git_commit_parent(&s->parent, s->commit, 0) < 0 ||
	    git_commit_tree(&s->ptree, s->parent) < 0)))
		return ct_git_fail(err, "reading a commit");
	*step = s;
	return 1;
}

void
ct_walk_free(ct_walk *w)
{
	if (w == NULL)
		return;
	step_clear(&w->step);
	git_revwalk_free(w->rw);
	free(w);
}
