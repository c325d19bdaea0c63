/*
 * Plans follow the episodes of their case (cmp.h: ct_cmp_follow_episodes).
 *
 * A remand plan belongs to a remand episode, a custodial plan to custody
 * and a community plan to community supervision.  When a change of the
 * case record ends the episode that was open, its plan moves to
 * cmp/closed/<episode start>-<kind>.yaml with a closed entry saying when
 * and by what; when a change reopens an episode (the event that ended it
 * withdrawn), a plan closed with it comes back, unless a new plan of that
 * kind has been made since.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/cmp.h"
#include "casetrail/episode.h"

ct_cmp_kind
ct_cmp_of_episode(ct_episode_kind k)
{
	switch (k) {
	case CT_EPISODE_REMAND: return CT_CMP_REMAND;
	case CT_EPISODE_CUSTODY: return CT_CMP_CUSTODIAL;
	default: return CT_CMP_COMMUNITY;
	}
}

int
ct_cmp_closed_path(const char *case_id, ct_cmp_kind kind, ct_date start,
    char **out, ct_error *err)
{
	char rel[64], day[CT_DATE_BUFSZ];

	snprintf(rel, sizeof(rel), "cmp/closed/%s-%s.yaml",
	    ct_date_format(start, day), ct_cmp_kind_name(kind));
	return ct_case_path(case_id, rel, out, err);
}

static const ct_episode *
open_episode(const ct_episodes *e)
{
	return e->n > 0 && !e->v[e->n - 1].closed ? &e->v[e->n - 1] : NULL;
}

static bool
same_episode(const ct_episode *a, const ct_episode *b)
{
	return a != NULL && b != NULL && a->kind == b->kind &&
	    a->start == b->start;
}

/* The closed entry of a plan of episode ep (ended). */
static int
closed_entry(const ct_episode *ep, ct_node **out, ct_error *err)
{
	char end[CT_DATE_BUFSZ], start[CT_DATE_BUFSZ];
	ct_node *m = ct_node_new_map();

	if (m == NULL || ct_map_set(m, "date", ct_node_new_str(
	    ct_date_format(ep->end, end))) < 0 ||
	    ct_map_set(m, "event", ct_node_new_str(ep->closed_by)) < 0 ||
	    ct_map_set(m, "episode", ct_node_new_str(
	    ct_episode_kind_name(ep->kind))) < 0 ||
	    ct_map_set(m, "episode_start", ct_node_new_str(
	    ct_date_format(ep->start, start))) < 0) {
		ct_node_free(m);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	*out = m;
	return 0;
}

/*
 * Move the plan at from to to: closed (an entry, the episode ended) or
 * reopened (closed NULL: the entry dropped).  Nothing to move is 0.
 */
static int
move_plan(ct_txn *txn, const char *from, const char *to, ct_node *closed,
    ct_error *err)
{
	ct_node *doc = NULL;
	char *buf;
	size_t len;
	int rc;

	if ((rc = ct_txn_load(txn, from, &doc, err)) == CT_ENOTFOUND) {
		ct_error_clear(err);
		ct_node_free(closed);
		return 0;
	}
	if (rc == 0 && (rc = ct_txn_read(txn, to, &buf, &len, err)) == 0) {
		free(buf);
		rc = closed != NULL ? ct_error_set(err, CT_EINVALID, "%s: "
		    "there is a closed plan of that episode already", to) : 0;
		goto out;  /* reopening: a new plan has been made since */
	}
	if (rc != CT_ENOTFOUND)
		goto out;
	ct_error_clear(err);
	if (closed != NULL) {
		rc = ct_map_set(doc, "closed", closed);
		closed = NULL;
		if (rc < 0) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			goto out;
		}
	} else
		ct_map_del(doc, "closed");
	if ((rc = ct_txn_put(txn, to, doc, err)) == 0)
		rc = ct_txn_remove(txn, from, err);
out:
	ct_node_free(closed);
	ct_node_free(doc);
	return rc;
}

static int
plan_paths(const char *case_id, const ct_episode *ep, char **plan,
    char **closed, ct_error *err)
{
	int rc;

	*plan = *closed = NULL;
	if ((rc = ct_cmp_path(case_id, ct_cmp_of_episode(ep->kind), plan, err)) < 0 ||
	    (rc = ct_cmp_closed_path(case_id, ct_cmp_of_episode(ep->kind), ep->start,
	    closed, err)) < 0) {
		free(*plan);
		*plan = NULL;
	}
	return rc;
}

int
ct_cmp_follow_episodes(ct_txn *txn, const char *case_id,
    const ct_episodes *before, const ct_node *casedoc, ct_error *err)
{
	const ct_episode *was = open_episode(before), *now, *ended = NULL;
	ct_episodes after = { 0 };
	ct_node *entry = NULL;
	char *plan = NULL, *closed = NULL;
	size_t i;
	int rc;

	if ((rc = ct_case_episodes(casedoc, &after, err)) < 0)
		return rc;
	now = open_episode(&after);
	for (i = 0; was != NULL && !same_episode(was, now) && i < after.n; i++)
		if (same_episode(was, &after.v[i]))
			ended = &after.v[i];
	if (ended != NULL && ended->closed &&
	    (rc = plan_paths(case_id, ended, &plan, &closed, err)) == 0 &&
	    (rc = closed_entry(ended, &entry, err)) == 0)
		rc = move_plan(txn, plan, closed, entry, err);
	free(plan);
	free(closed);
	plan = closed = NULL;
	if (rc == 0 && now != NULL && !same_episode(was, now) &&
	    (rc = plan_paths(case_id, now, &plan, &closed, err)) == 0)
		rc = move_plan(txn, closed, plan, NULL, err);
	free(plan);
	free(closed);
	ct_episodes_clear(&after);
	return rc;
}
