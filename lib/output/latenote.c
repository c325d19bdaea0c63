/*
 * Late notes (latenote.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/latenote.h"
#include "casetrail/receipt.h"

/* The note on f, when the entry that met it (of c's) was recorded after
 * the due date. */
static int
note(ct_store *st, ct_finding *f, const ct_case_recorded *c, ct_error *err)
{
	char due[CT_DATE_BUFSZ], on[CT_DATE_BUFSZ], met[CT_DATE_BUFSZ];
	char *s;
	ct_date day;
	size_t i;

	for (i = 0; i < c->n && c->v[i].date != f->met_on; i++)
		;
	if (i == c->n || (day = ct_receipt_day(ct_store_timezone(st),
	    c->v[i].when)) <= f->due)
		return 0;
	ct_date_format(day, on);
	ct_date_format(f->met_on, met);
	if (asprintf(&s, "%s; met by an entry dated %s that was recorded "
	    "(%s) on %s, after the due date: a run from %s until then "
	    "reported it overdue", f->explain, met, c->v[i].received ?
	    "received" : "committed", on, ct_date_format(f->due + 1, due)) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if (ct_finding_unpack(f) < 0) {
		free(s);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	free(f->explain);
	f->explain = s;
	return 0;
}

static int
by_case(const void *a, const void *b)
{
	const ct_finding *x = *(ct_finding *const *)a;
	const ct_finding *y = *(ct_finding *const *)b;

	return strcmp(x->case_id, y->case_id);
}

/* The met findings whose day is known, by case, into byc (*n); their
 * cases, once each, into cases (*ncases). */
static int
met_by_case(ct_findings *fs, ct_finding **byc, size_t *n,
    ct_case_recorded *cases, size_t *ncases, ct_error *err)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (ct_status_met(fs->v[i].status) && fs->v[i].met_known)
			byc[(*n)++] = &fs->v[i];
	qsort(byc, *n, sizeof(*byc), by_case);
	/* the ids copied: note() unpacks a finding, which frees the packed
	 * strings its case_id pointed into */
	for (i = 0; i < *n; i++)
		if ((*ncases == 0 || strcmp(cases[*ncases - 1].case_id,
		    byc[i]->case_id) != 0) &&
		    (cases[(*ncases)++].case_id = strdup(byc[i]->case_id)) ==
		    NULL)
			return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

/* The recordings of the cases, from one walk of the history. */
static int
recorded(ct_store *st, ct_case_recorded *cases, size_t n, ct_error *err)
{
	ct_receipts *rs;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = ct_receipts_open(st, NULL, &rs, err)) < 0)
		return rc;
	rc = ct_receipt_recorded(st, rs, cases, n, err);
	ct_receipts_free(rs);
	return rc;
}

int
ct_findings_note_late(ct_store *st, ct_findings *fs, ct_error *err)
{
	ct_case_recorded *cases;
	ct_finding **byc;
	size_t i, j, n = 0, ncases = 0;
	int rc;

	byc = calloc(fs->n + 1, sizeof(*byc));
	cases = calloc(fs->n + 1, sizeof(*cases));
	if (byc == NULL || cases == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	else if ((rc = met_by_case(fs, byc, &n, cases, &ncases, err)) == 0 &&
	    (rc = recorded(st, cases, ncases, err)) == 0)
		for (i = j = 0; i < n && rc == 0; i++) {
			while (strcmp(cases[j].case_id, byc[i]->case_id) != 0)
				j++;
			rc = note(st, byc[i], &cases[j], err);
		}
	for (i = 0; i < ncases; i++) {
		free(cases[i].v);
		free((char *)cases[i].case_id);
	}
	free(cases);
	free(byc);
	return rc;
}
