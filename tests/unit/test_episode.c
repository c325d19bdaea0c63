/*
 * Unit tests of lib/records/episode.c: the episodes a case's events divide into,
 * against hand-made event lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "casetrail/episode.h"

/* The episodes of a case as "kind start..end" lines ("open" when so). */
static char *
episodes(const char *cohort, const char *events)
{
	char yaml[2048], *out = calloc(1, 1024), d1[CT_DATE_BUFSZ],
	    d2[CT_DATE_BUFSZ];
	ct_node *c = NULL;
	ct_episodes e;
	ct_error err = { 0 };
	size_t i;

	snprintf(yaml, sizeof(yaml), "id: X\njurisdiction: ACT\ncohort: %s\n"
	    "events:\n%s", cohort, events);
	assert_int_equal(ct_yaml_load(yaml, strlen(yaml), "case.yaml", &c,
	    &err), 0);
	assert_int_equal(ct_case_episodes(c, &e, &err), 0);
	for (i = 0; i < e.n; i++)
		snprintf(out + strlen(out), 1024 - strlen(out), "%s%s %s..%s",
		    i ? "; " : "", ct_episode_kind_name(e.v[i].kind),
		    ct_date_format(e.v[i].start, d1), e.v[i].closed ?
		    ct_date_format(e.v[i].end, d2) : "open");
	ct_episodes_clear(&e);
	ct_node_free(c);
	return out;
}

static void
expect(const char *cohort, const char *events, const char *want)
{
	char *got = episodes(cohort, events);

	assert_string_equal(got, want);
	free(got);
}

static void
remand_released_and_received_again(void **state)
{
	(void)state;
	/* a remandee released after 10 days and received again */
	expect("remandee",
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - {date: '2026-03-12', type: released}\n"
	    "  - {date: '2026-05-04', type: reception}\n",
	    "remand 2026-03-02..2026-03-12; remand 2026-05-04..open");
}

static void
sentence_ends_remand_and_starts_custody(void **state)
{
	(void)state;
	expect("remandee",
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - {date: '2026-06-01', type: sentence-commenced}\n",
	    "remand 2026-03-02..2026-06-01; custody 2026-06-01..open");
}

static void
reception_then_sentence_is_one_custody(void **state)
{
	(void)state;
	/* a sentenced offender received, then the sentence recorded: one
	 * custody; a second sentence is a new one; a reception while in
	 * custody opens nothing */
	expect("sentenced",
	    "  - {date: '2026-01-05', type: reception}\n"
	    "  - {date: '2026-01-06', type: sentence-commenced}\n"
	    "  - {date: '2026-02-01', type: reception}\n"
	    "  - {date: '2026-06-01', type: sentence-commenced}\n",
	    "custody 2026-01-05..2026-06-01; custody 2026-06-01..open");
}

static void
community_and_return_to_custody(void **state)
{
	(void)state;
	expect("sentenced",
	    "  - {date: '2025-01-06', type: sentence-commenced}\n"
	    "  - {date: '2025-06-30', type: released}\n"
	    "  - {date: '2025-06-30', type: stage-changed, stage: community}\n"
	    "  - {date: '2026-02-02', type: reception}\n",
	    "custody 2025-01-06..2025-06-30; community 2025-06-30..2026-02-02; "
	    "custody 2026-02-02..open");
}

static void
withdrawn_events_open_nothing(void **state)
{
	(void)state;
	expect("remandee",
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - date: '2026-03-12'\n"
	    "    type: released\n"
	    "    withdrawn: {by: ada, date: '2026-03-13', reason: wrong case}\n",
	    "remand 2026-03-02..open");
	/* no event that opens an episode: none */
	expect("sentenced", "  - {date: '2026-03-02', type: engaged}\n", "");
}

static void
episode_on(void **state)
{
	const char yaml[] = "id: X\njurisdiction: ACT\ncohort: remandee\n"
	    "events:\n"
	    "  - {date: '2026-03-02', type: reception}\n"
	    "  - {date: '2026-03-12', type: released}\n"
	    "  - {date: '2026-05-04', type: reception}\n";
	ct_node *c = NULL;
	ct_episodes e;
	ct_error err = { 0 };

	(void)state;
	assert_int_equal(ct_yaml_load(yaml, strlen(yaml), "case.yaml", &c,
	    &err), 0);
	assert_int_equal(ct_case_episodes(c, &e, &err), 0);
	assert_ptr_equal(ct_episode_on(&e, ct_date_from_ymd(2026, 3, 12)),
	    &e.v[0]);                  /* the day it ended */
	assert_null(ct_episode_on(&e, ct_date_from_ymd(2026, 4, 1)));
	assert_ptr_equal(ct_episode_on(&e, ct_date_from_ymd(2027, 1, 1)),
	    &e.v[1]);
	assert_null(ct_episode_on(&e, ct_date_from_ymd(2026, 3, 1)));
	ct_episodes_clear(&e);
	ct_node_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remand_released_and_received_again),
		cmocka_unit_test(sentence_ends_remand_and_starts_custody),
		cmocka_unit_test(reception_then_sentence_is_one_custody),
		cmocka_unit_test(community_and_return_to_custody),
		cmocka_unit_test(withdrawn_events_open_nothing),
		cmocka_unit_test(episode_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
