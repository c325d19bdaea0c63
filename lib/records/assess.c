/*
 * LSI-R assessments: scoring the 54 items, the store's risk bands, the
 * record assessments/<date>-lsi-r.yaml, and assess-add's transaction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/record.h"
#include "casetrail/assess.h"
#include "casetrail/case.h"
#include "casetrail/embedded.h"
#include "casetrail/schema.h"
#include "casetrail/util.h"

const ct_lsir_subscale ct_lsir_subscales[CT_LSIR_SUBSCALES] = {
	{ "criminal_history", "Criminal history", 10 },
	{ "education_employment", "Education/employment", 10 },
	{ "financial", "Financial", 2 },
	{ "family_marital", "Family/marital", 4 },
	{ "accommodation", "Accommodation", 3 },
	{ "leisure_recreation", "Leisure/recreation", 2 },
	{ "companions", "Companions", 5 },
	{ "alcohol_drug", "Alcohol/drug problems", 9 },
	{ "emotional_personal", "Emotional/personal", 5 },
	{ "attitudes_orientation", "Attitudes/orientation", 4 },
};

/*
 * Bands.
 */
static const char *
rating_const(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && ct_ratings[i] != NULL; i++)
		if (strcmp(ct_ratings[i], s) == 0)
			return ct_ratings[i];
	return NULL;
}

int
ct_lsir_bands_parse(const ct_node *doc, const char *file,
    ct_lsir_bands *out, ct_error *err)
{
	ct_schema *schema = NULL;
	const ct_node *list, *e;
	size_t i, j;
	int rc, next = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = ct_schema_load(CT_LSIR_BANDS_SCHEMA, &schema, err)) < 0)
		return rc;
	rc = ct_schema_validate(schema, doc, file, err);
	ct_schema_free(schema);
	if (rc < 0)
		return rc;
	list = ct_map_get(doc, "bands");
	for (i = 0; i < list->n && i < CT_LSIR_BANDS_MAX; i++) {
		e = list->items[i];
		out->b[i].band = rating_const(ct_map_str(e, "band"));
		out->b[i].min = (int)ct_map_get(e, "min")->ival;
		out->b[i].max = (int)ct_map_get(e, "max")->ival;
		for (j = 0; j < i; j++)
			if (out->b[j].band == out->b[i].band)
				return ct_error_at(err, file, e, "bands[%zu].band: '%s' "
				    "is given twice", i, out->b[i].band);
		if (out->b[i].min != next)
			return ct_error_at(err, file, e, "bands[%zu].min: %d, but the "
			    "bands must cover 0-%d in order without gaps or "
			    "overlaps: this band should start at %d", i,
			    out->b[i].min, CT_LSIR_ITEMS, next);
		if (out->b[i].max < out->b[i].min)
			return ct_error_at(err, file, e, "bands[%zu].max: %d is below "
			    "its min %d", i, out->b[i].max, out->b[i].min);
		next = out->b[i].max + 1;
	}
	out->n = i;
	if (next != CT_LSIR_ITEMS + 1)
		return ct_error_at(err, file, list, "bands: they end at %d; the last "
		    "band must end at %d", next - 1, CT_LSIR_ITEMS);
	return 0;
}

int
ct_lsir_bands_default(ct_lsir_bands *out, ct_error *err)
{
	const struct ct_embedded_file *f = ct_embedded_find(CT_LSIR_BANDS_FILE);
	ct_node *doc = NULL;
	int rc;

	if (f == NULL)
		return ct_error_set(err, CT_ERROR, "no built-in %s",
		    CT_LSIR_BANDS_FILE);
	if ((rc = ct_yaml_load(f->text, f->len, CT_LSIR_BANDS_FILE, &doc,
	    err)) < 0)
		return rc;
	rc = ct_lsir_bands_parse(doc, CT_LSIR_BANDS_FILE, out, err);
	ct_node_free(doc);
	return rc;
}

/*
 * Items and scores.
 */
int
ct_lsir_items_check(const char *items, const char *what, ct_error *err)
{
	size_t n = strlen(items), i;

	for (i = 0; i < n; i++)
		if (items[i] != '0' && items[i] != '1')
			return ct_error_set(err, CT_EINVALID, "%s: item %zu is "
			    "'%c'; every item is scored 0 or 1", what, i + 1,
			    (unsigned char)items[i] >= 0x20 &&
			    (unsigned char)items[i] < 0x7f ? items[i] : '?');
	if (n != CT_LSIR_ITEMS)
		return ct_error_set(err, CT_EINVALID, "%s: %zu items; the LSI-R "
		    "has %d", what, n, CT_LSIR_ITEMS);
	return 0;
}

int
ct_lsir_score_items(const char *items, const ct_lsir_bands *bands,
    ct_lsir_score *out, ct_error *err)
{
	size_t s, i;
	int k = 0, rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ct_lsir_items_check(items, "items", err)) < 0)
		return rc;
	for (s = 0; s < CT_LSIR_SUBSCALES; s++)
		for (i = 0; i < (size_t)ct_lsir_subscales[s].items; i++)
			if (items[k++] == '1') {
				out->scores[s]++;
				out->total++;
			}
	for (i = 0; i < bands->n; i++)
		if (out->total >= bands->b[i].min &&
		    out->total <= bands->b[i].max) {
			out->band = bands->b[i].band;
			out->min = bands->b[i].min;
			out->max = bands->b[i].max;
			return 0;
		}
	return ct_error_set(err, CT_EINVALID, "no risk band holds the total "
	    "%d", out->total);
}

/* The items of an LSI-R given as a mapping of the ten subscales (it),
 * each a quoted string of its items, into all (CT_LSIR_ITEMS bytes). */
static int
subscale_items(const ct_node *it, const char *name, char *all,
    ct_error *err)
{
	const ct_node *v;
	char what[64];
	size_t i, off = 0;

	for (i = 0; i < it->n; i++) {
		size_t s;

		for (s = 0; s < CT_LSIR_SUBSCALES; s++)
			if (strcmp(it->pairs[i].key,
			    ct_lsir_subscales[s].key) == 0)
				break;
		if (s == CT_LSIR_SUBSCALES)
			return ct_error_set(err, CT_EINVALID, "%s:%u:%u: "
			    "items.%s: not an LSI-R subscale", name,
			    it->pairs[i].line, it->pairs[i].col,
			    it->pairs[i].key);
	}
	for (i = 0; i < CT_LSIR_SUBSCALES; i++) {
		const ct_lsir_subscale *s = &ct_lsir_subscales[i];

		if ((v = ct_map_get(it, s->key)) == NULL)
			return ct_error_at(err, name, it, "items.%s: missing "
			    "(%s, %d items)", s->key, s->title, s->items);
		if (!ct_node_is_str(v) && !(v->kind == CT_NODE_SCALAR &&
		    v->type == CT_SCALAR_INT))
			return ct_error_at(err, name, v, "items.%s: a string of "
			    "%d items, each 0 or 1", s->key, s->items);
		snprintf(what, sizeof(what), "items.%s", s->key);
		if (v->type == CT_SCALAR_INT)
			return ct_error_at(err, name, v, "%s: write the items "
			    "in quotes ('%s'), or a leading 0 is lost", what,
			    v->str);
		if (strspn(v->str, "01") != v->len)
			return ct_error_at(err, name, v, "%s: every item is "
			    "scored 0 or 1", what);
		if (v->len != (size_t)s->items)
			return ct_error_at(err, name, v, "%s: %zu items; %s has "
			    "%d", what, v->len, s->title, s->items);
		memcpy(all + off, v->str, v->len);
		off += v->len;
	}
	return 0;
}

int
ct_lsir_input_load(const char *buf, size_t len, const char *name,
    char **items, char **comments, ct_error *err)
{
	ct_node *doc = NULL;
	const ct_node *it, *c;
	ct_error sub = { 0 };
	char *all = NULL;
	size_t i;
	int rc;

	*items = *comments = NULL;
	if ((rc = ct_yaml_load(buf, len, name, &doc, err)) < 0)
		return rc;
	if (doc->kind != CT_NODE_MAP) {
		rc = ct_error_at(err, name, doc, "(root): an LSI-R is a mapping with "
		    "items and comments");
		goto out;
	}
	for (i = 0; i < doc->n; i++)
		if (strcmp(doc->pairs[i].key, "items") != 0 &&
		    strcmp(doc->pairs[i].key, "comments") != 0) {
			rc = ct_error_set(err, CT_EINVALID, "%s:%u:%u: %s: not "
			    "an LSI-R input field (items, comments; the scores, "
			    "total and band are computed)", name,
			    doc->pairs[i].line, doc->pairs[i].col,
			    doc->pairs[i].key);
			goto out;
		}
	c = ct_map_get(doc, "comments");
	if (c != NULL && (!ct_node_is_str(c) || c->len == 0 ||
	    strlen(c->str) != c->len)) {
		rc = ct_error_at(err, name, c, "comments: not text");
		goto out;
	}
	if ((it = ct_map_get(doc, "items")) == NULL) {
		rc = ct_error_at(err, name, doc, "items: required field is missing");
		goto out;
	}
	if ((all = calloc(1, CT_LSIR_ITEMS + 1)) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	if (ct_node_is_str(it)) {
		if (ct_lsir_items_check(it->str, "items", &sub) < 0) {
			rc = ct_error_at(err, name, it, "%s", ct_error_msg(&sub));
			goto out;
		}
		memcpy(all, it->str, CT_LSIR_ITEMS);
	} else if (it->kind == CT_NODE_MAP) {
		if ((rc = subscale_items(it, name, all, err)) < 0)
			goto out;
	} else {
		rc = ct_error_at(err, name, it, "items: 54 characters of 0/1, or a "
		    "mapping of the ten subscales");
		goto out;
	}
	if (c != NULL && (*comments = strdup(c->str)) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	*items = all;
	all = NULL;
out:
	ct_error_clear(&sub);
	free(all);
	ct_node_free(doc);
	return rc;
}

int
ct_lsir_path(const char *case_id, ct_date date, char **out, ct_error *err)
{
	char d[CT_DATE_BUFSZ], *rel = NULL;
	int rc;

	if (asprintf(&rel, "assessments/%s-lsi-r.yaml",
	    ct_date_format(date, d)) < 0)
		return ct_nomem(err);
	rc = ct_case_path(case_id, rel, out, err);
	free(rel);
	return rc;
}

static int
put(ct_node *map, const char *key, ct_node *v, ct_error *err)
{
	if (v == NULL || ct_map_set(map, key, v) < 0)
		return ct_nomem(err);
	return 0;
}

int
ct_lsir_record(const char *case_id, ct_date date, const char *assessor,
    const char *items, const char *comments, const ct_lsir_score *score,
    ct_node **out, ct_error *err)
{
	ct_node *doc, *its = NULL, *scs = NULL;
	char d[CT_DATE_BUFSZ], *range = NULL;
	size_t s;
	int k = 0, rc = 0;

	*out = NULL;
	if ((doc = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = put(doc, "case", ct_node_new_str(case_id), err)) < 0 ||
	    (rc = put(doc, "tool", ct_node_new_str("lsi-r"), err)) < 0 ||
	    (rc = put(doc, "date", ct_node_new_str(ct_date_format(date, d)),
	    err)) < 0 ||
	    (rc = put(doc, "assessor", ct_node_new_str(assessor), err)) < 0 ||
	    (rc = put(doc, "items", its = ct_node_new_map(), err)) < 0 ||
	    (rc = put(doc, "scores", scs = ct_node_new_map(), err)) < 0)
		goto out;
	for (s = 0; s < CT_LSIR_SUBSCALES; s++) {
		int n = ct_lsir_subscales[s].items;

		if ((rc = put(its, ct_lsir_subscales[s].key,
		    ct_node_new_strn(items + k, (size_t)n), err)) < 0 ||
		    (rc = put(scs, ct_lsir_subscales[s].key,
		    ct_node_new_int(score->scores[s]), err)) < 0)
			goto out;
		k += n;
	}
	if (asprintf(&range, "%d-%d", score->min, score->max) < 0) {
		range = NULL;
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = put(doc, "total", ct_node_new_int(score->total), err)) < 0 ||
	    (rc = put(doc, "band", ct_node_new_str(score->band), err)) < 0 ||
	    (rc = put(doc, "cutoffs", ct_node_new_str(range), err)) < 0 ||
	    (comments != NULL && (rc = put(doc, "comments",
	    ct_node_new_str(comments), err)) < 0))
		goto out;
out:
	free(range);
	if (rc < 0) {
		ct_node_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

/* True when name is "YYYY-MM-DD-lsi-r.yaml"; *d gets the date. */
static bool
lsir_name(const char *name, ct_date *d)
{
	char day[CT_DATE_BUFSZ];

	if (strlen(name) != 10 + strlen("-lsi-r.yaml") ||
	    strcmp(name + 10, "-lsi-r.yaml") != 0)
		return false;
	memcpy(day, name, 10);
	day[10] = '\0';
	return ct_date_parse(day, d, NULL) == 0;
}

int
ct_lsir_latest(ct_snapshot *snap, const char *case_id, ct_date day,
    bool *found, ct_date *date, ct_error *err)
{
	char **names = NULL, *dir = NULL, *path = NULL;
	ct_node *doc = NULL;
	size_t n = 0, i;
	ct_date d;
	int rc;

	*found = false;
	if ((rc = ct_case_path(case_id, "assessments", &dir, err)) < 0)
		return rc;
	rc = ct_snapshot_list(snap, dir, &names, &n, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	/* the names sort by date: look from the newest */
	for (i = n; i-- > 0;) {
		if (!lsir_name(names[i], &d) || d > day)
			continue;
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			path = NULL;
			rc = ct_nomem(err);
			goto out;
		}
		if ((rc = ct_snapshot_load(snap, path, &doc,
		    err)) < 0)
			goto out;
		*found = true;
		*date = d;
		break;
	}
out:
	ct_node_free(doc);
	free(path);
	free(dir);
	ct_strv_free(names);
	return rc;
}

/*
 * assess-add.
 */
int
ct_assess_apply(ct_txn *txn, void *arg, ct_error *err)
{
	ct_assess_op *op = arg;
	ct_node *c = NULL, *bandsdoc = NULL, *rec = NULL;
	char *path = NULL, *buf = NULL, d[CT_DATE_BUFSZ];
	const char *who = ct_txn_operator(txn), *rating;
	size_t len;
	int rc;

	free(op->rating);
	op->rating = NULL;
	if (op->date > op->today)
		return ct_error_set(err, CT_EINVALID, "--date: %s is after "
		    "today", ct_date_format(op->date, d));
	if ((rc = ct_lsir_path(op->case_id, op->date, &path, err)) < 0 ||
	    (rc = ct_txn_load_case(txn, op->case_id, &c, err)) < 0)
		goto out;
	if (strcmp(ct_map_str(c, "jurisdiction"), "ACT") != 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s is a %s case: LSI-R "
		    "assessments are kept for ACT cases", op->case_id,
		    ct_map_str(c, "jurisdiction"));
		goto out;
	}
	rc = ct_txn_read(txn, path, &buf, &len, err);
	if (rc == 0) {
		rc = ct_error_set(err, CT_EEXISTS, "%s: an LSI-R of %s is "
		    "already recorded for %s", path, ct_date_format(op->date, d),
		    op->case_id);
		goto out;
	}
	if (rc != CT_ENOTFOUND)
		goto out;
	ct_error_clear(err);
	rc = ct_txn_parse(txn, CT_LSIR_BANDS_PATH, &bandsdoc, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = ct_lsir_bands_default(&op->bands, err);
	} else if (rc == 0)
		rc = ct_lsir_bands_parse(bandsdoc, CT_LSIR_BANDS_PATH,
		    &op->bands, err);
	if (rc < 0 ||
	    (rc = ct_lsir_score_items(op->items, &op->bands, &op->score,
	    err)) < 0 ||
	    (rc = ct_lsir_record(op->case_id, op->date, who ? who : "unknown",
	    op->items, op->comments, &op->score, &rec, err)) < 0 ||
	    (rc = ct_txn_put(txn, path, rec, err)) < 0)
		goto out;
	if ((rating = ct_map_str(c, "risk_rating")) != NULL &&
	    (op->rating = strdup(rating)) == NULL)
		rc = ct_nomem(err);
out:
	ct_node_free(c);
	ct_node_free(bandsdoc);
	ct_node_free(rec);
	free(buf);
	free(path);
	return rc;
}

void
ct_assess_op_clear(ct_assess_op *op)
{
	free(op->rating);
	op->rating = NULL;
}
