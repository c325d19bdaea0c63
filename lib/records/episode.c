/*
 * Episodes of custody and supervision from a case's events (episode.h).
 */
#include <stdlib.h>
#include <string.h>

#include "casetrail/case.h"
#include "casetrail/episode.h"
#include "casetrail/record.h"

const char *
ct_episode_kind_name(ct_episode_kind k)
{
	static const char *const names[] = { "remand", "custody", "community" };

	return (unsigned)k < 3 ? names[k] : "?";
}

void
ct_episodes_clear(ct_episodes *e)
{
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static ct_episode *
cur(ct_episodes *e)
{
	return e->n > 0 && !e->v[e->n - 1].closed ? &e->v[e->n - 1] : NULL;
}

static void
close_cur(ct_episodes *e, ct_date day, const char *by)
{
	ct_episode *c = cur(e);

	if (c != NULL) {
		c->closed = true;
		c->end = day;
		c->closed_by = by;
	}
}

static int
open_new(ct_episodes *e, ct_episode_kind k, ct_date day, const char *by,
    ct_error *err)
{
	ct_episode *grown;

	close_cur(e, day, by);
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 4;

		if ((grown = realloc(e->v, cap * sizeof(*grown))) == NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
		e->v = grown;
		e->cap = cap;
	}
	e->v[e->n++] = (ct_episode){ .kind = k, .start = day, .opened_by = by,
	    .sentenced = strcmp(by, "sentence-commenced") == 0 };
	return 0;
}

static bool
in_custody(const ct_episode *c)
{
	return c != NULL && c->kind != CT_EPISODE_COMMUNITY;
}

int
ct_case_episodes(const ct_node *casedoc, ct_episodes *out, ct_error *err)
{
	const ct_node *events = ct_map_get(casedoc, "events");
	bool remandee = strcmp(ct_map_str(casedoc, "cohort") ?
	    ct_map_str(casedoc, "cohort") : "", "remandee") == 0;
	ct_episode *c;
	const char *t, *stage;
	size_t i;
	ct_date d;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; rc == 0 && events != NULL && events->kind == CT_NODE_SEQ &&
	    i < events->n; i++) {
		const ct_node *e = events->items[i];

		t = ct_map_str(e, "type");
		if (t == NULL || !ct_rec_date(e, "date", &d) ||
		    ct_event_withdrawn(e) || ct_event_superseded(e))
			continue;
		c = cur(out);
		if (strcmp(t, "reception") == 0 && !in_custody(c))
			rc = open_new(out, remandee ? CT_EPISODE_REMAND :
			    CT_EPISODE_CUSTODY, d, t, err);
		else if (strcmp(t, "sentence-commenced") == 0) {
			if (c != NULL && c->kind == CT_EPISODE_CUSTODY &&
			    !c->sentenced)
				c->sentenced = true;
			else
				rc = open_new(out, CT_EPISODE_CUSTODY, d, t,
				    err);
		} else if (strcmp(t, "released") == 0 && in_custody(c))
			close_cur(out, d, t);
		else if (strcmp(t, "stage-changed") == 0 &&
		    (stage = ct_map_str(e, "stage")) != NULL &&
		    strcmp(stage, "community") == 0 &&
		    (c == NULL || c->kind != CT_EPISODE_COMMUNITY))
			rc = open_new(out, CT_EPISODE_COMMUNITY, d, t, err);
	}
	if (rc < 0)
		ct_episodes_clear(out);
	return rc;
}

const ct_episode *
ct_episode_on(const ct_episodes *e, ct_date day)
{
	size_t i;

	for (i = e->n; i > 0; i--) {
		const ct_episode *p = &e->v[i - 1];

		if (p->start <= day && (!p->closed || day <= p->end))
			return p;
	}
	return NULL;
}
