/*
 * casetrail assessments: the LSI-R (Level of Service Inventory - Revised)
 * record cases/<xx>/<id>/assessments/<YYYY-MM-DD>-lsi-r.yaml, its scoring,
 * and the store's risk bands rules/lsi-r-bands.yaml.
 *
 * An LSI-R has 54 items, each scored 0 or 1, in ten subscales (items in
 * order): criminal history 10, education/employment 10, financial 2,
 * family/marital 4, accommodation 3, leisure/recreation 2, companions 5,
 * alcohol/drug problems 9, emotional/personal 5, attitudes/orientation 4.
 * A subscale's score is its items scored 1; the total is their sum
 * (0-54); the band is the one of the store's cut-offs whose range holds
 * the total.  The record keeps the items (one string of 0/1 per subscale),
 * the scores, total, band and the band's range, so that it reads on its
 * own after the store's cut-offs change.
 *
 * A case's risk rating (case.yaml "risk_rating") is never changed by an
 * assessment: it follows only from case-event risk-rating-changed.
 *
 * Every function returns 0 or a negative CT_E* code with err set; record
 * errors name "file:line:column: field: ...".  *out nodes and strings are
 * the caller's to free.
 */
#ifndef CASETRAIL_ASSESS_H
#define CASETRAIL_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

#define CT_LSIR_SCHEMA "lsi-r"
#define CT_LSIR_BANDS_SCHEMA "lsi-r-bands"
#define CT_LSIR_BANDS_PATH "rules/lsi-r-bands.yaml" /* in the store */
#define CT_LSIR_BANDS_FILE "lsi-r-bands.yaml"       /* built-in default */
#define CT_LSIR_ITEMS 54
#define CT_LSIR_SUBSCALES 10
#define CT_LSIR_BANDS_MAX 5

/* One subscale: its key in the record ("criminal_history"), its title
 * ("Criminal history") and number of items. */
typedef struct ct_lsir_subscale {
	const char *key;
	const char *title;
	int items;
} ct_lsir_subscale;

/* The ten subscales in item order. */
extern const ct_lsir_subscale ct_lsir_subscales[CT_LSIR_SUBSCALES];

/* The store's cut-offs: bands in order, ranges [min, max] that cover
 * 0-54 without gaps or overlaps. */
typedef struct ct_lsir_bands {
	struct {
		const char *band; /* a static string: one of ct_ratings */
		int min, max;
	} b[CT_LSIR_BANDS_MAX];
	size_t n;
} ct_lsir_bands;

/* Check and read a parsed rules/lsi-r-bands.yaml (file names it in
 * messages): valid against its schema, bands in order of their ranges,
 * covering 0-54 exactly, no band twice. */
int ct_lsir_bands_parse(const ct_node *doc, const char *file,
    ct_lsir_bands *out, ct_error *err);

/* The built-in default cut-offs (rules/lsi-r-bands.yaml as shipped). */
int ct_lsir_bands_default(ct_lsir_bands *out, ct_error *err);

/* A scored LSI-R. */
typedef struct ct_lsir_score {
	int scores[CT_LSIR_SUBSCALES];
	int total;
	const char *band;  /* points into the bands given */
	int min, max;      /* the band's range */
} ct_lsir_score;

/*
 * Check a 54-character string of 0/1 (what names it in messages, e.g.
 * "--items"): the count and every character.
 */
int ct_lsir_items_check(const char *items, const char *what, ct_error *err);

/* Score 54 checked items under bands. */
int ct_lsir_score_items(const char *items, const ct_lsir_bands *bands,
    ct_lsir_score *out, ct_error *err);

/*
 * Load an LSI-R input file (YAML; name in messages): a mapping with
 * "items", either one 54-character string or a mapping of the ten
 * subscale keys to their strings of 0/1, and optionally "comments".  The
 * count of every subscale is checked.  *items gets the 54 characters,
 * *comments the comments or NULL (both the caller's to free).
 */
int ct_lsir_input_load(const char *buf, size_t len, const char *name,
    char **items, char **comments, ct_error *err);

/* "cases/<xx>/<id>/assessments/<date>-lsi-r.yaml". */
int ct_lsir_path(const char *case_id, ct_date date, char **out,
    ct_error *err);

/*
 * The record: case, tool, date, assessor, items, scores, total, band,
 * cutoffs ("24-33"), comments (may be NULL).
 */
int ct_lsir_record(const char *case_id, ct_date date, const char *assessor,
    const char *items, const char *comments, const ct_lsir_score *score,
    ct_node **out, ct_error *err);

/*
 * The newest LSI-R of a case dated on or before day (file names
 * assessments/<date>-lsi-r.yaml, the record valid): *date gets its date
 * and *found whether there is one.
 */
int ct_lsir_latest(ct_snapshot *snap, const char *case_id, ct_date day,
    bool *found, ct_date *date, ct_error *err);

/*
 * assess-add's transaction (arg is a ct_assess_op): the case must exist
 * and be an ACT case; the day not after today; no LSI-R of that day yet;
 * the cut-offs from the store's rules/lsi-r-bands.yaml, else the built-in
 * default.  Fills score, and rating with the case's risk rating (NULL
 * when none; owned by the op).
 */
typedef struct ct_assess_op {
	const char *case_id;
	ct_date date;
	ct_date today;
	const char *items;     /* 54 checked characters */
	const char *comments;  /* may be NULL */
	ct_lsir_score score;   /* out */
	ct_lsir_bands bands;   /* out: the cut-offs used */
	char *rating;          /* out */
} ct_assess_op;

int ct_assess_apply(ct_txn *txn, void *arg, ct_error *err);

/* Free what ct_assess_apply left in op. */
void ct_assess_op_clear(ct_assess_op *op);

#endif
