/*
 * casetrail episodes: the periods of custody and supervision a case's
 * events divide into, derived in one place for the rules (since:
 * episode), case-show and anyone else who asks "which period is this".
 *
 * Walking the events in date order (withdrawn and superseded ones passed
 * over):
 *
 *   reception            opens remand (a remandee) or custody, unless in
 *                        custody already; ends a community episode
 *   sentence-commenced   opens custody: after remand, in the community,
 *                        or when the custody already has a sentence (a
 *                        new sentence); a custody opened by reception
 *                        without one takes it
 *   released             ends remand or custody
 *   stage-changed        to community: opens community (ending custody)
 *
 * An episode ends on the day of the event that ends it; one that has not
 * ended is open.
 */
#ifndef CASETRAIL_EPISODE_H
#define CASETRAIL_EPISODE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/yaml.h"

typedef enum ct_episode_kind {
	CT_EPISODE_REMAND,
	CT_EPISODE_CUSTODY,
	CT_EPISODE_COMMUNITY,
} ct_episode_kind;

typedef struct ct_episode {
	ct_episode_kind kind;
	ct_date start, end;       /* end: when closed */
	bool closed;
	const char *opened_by;    /* the event types (borrowed from the */
	const char *closed_by;    /* case record), closed_by NULL if open */
	bool sentenced;           /* custody: a sentence-commenced in it */
} ct_episode;

typedef struct ct_episodes {
	ct_episode *v;
	size_t n, cap;
} ct_episodes;

const char *ct_episode_kind_name(ct_episode_kind k);

/* The episodes of a case record, oldest first (borrowing its strings). */
int ct_case_episodes(const ct_node *casedoc, ct_episodes *out,
    ct_error *err);
void ct_episodes_clear(ct_episodes *e);

/* The latest episode that day falls in (start <= day, and day <= end
 * when closed), or NULL. */
const ct_episode *ct_episode_on(const ct_episodes *e, ct_date day);

#endif
