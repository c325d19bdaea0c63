/*
 * Record helpers shared by the record modules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "casetrail/record.h"
#include "casetrail/util.h"

struct at {
	const char *file;
	const ct_node *n;
};

static int
error_at_fn(const char *msg, void *arg, ct_error *err)
{
	const struct at *a = arg;

	if (a->n != NULL && a->n->line > 0)
		return ct_error_set(err, CT_EINVALID, "%s:%u:%u: %s", a->file,
		    a->n->line, a->n->col, msg);
	return ct_error_set(err, CT_EINVALID, "%s: %s", a->file, msg);
}

int
ct_error_at(ct_error *err, const char *file, const ct_node *n,
    const char *fmt, ...)
{
	struct at a = { file, n };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_vformat_to(error_at_fn, &a, err, fmt, ap);
	va_end(ap);
	return rc;
}

bool
ct_rec_date(const ct_node *map, const char *key, ct_date *out)
{
	const char *s = ct_map_str(map, key);

	return s != NULL && ct_date_parse(s, out, NULL) == 0;
}

long long
ct_rec_int(const ct_node *map, const char *key)
{
	const ct_node *v = ct_map_get(map, key);

	return v != NULL && v->kind == CT_NODE_SCALAR &&
	    v->type == CT_SCALAR_INT ? v->ival : 0;
}

int
ct_rec_set_str(ct_node *map, const char *key, const char *value,
    ct_error *err)
{
	return ct_rec_set(map, key, ct_node_new_str(value), err);
}

int
ct_rec_set_int(ct_node *map, const char *key, long long value,
    ct_error *err)
{
	return ct_rec_set(map, key, ct_node_new_int(value), err);
}

int
ct_rec_set_date(ct_node *map, const char *key, ct_date d, ct_error *err)
{
	char buf[CT_DATE_BUFSZ];

	return ct_rec_set_str(map, key, ct_date_format(d, buf), err);
}

int
ct_rec_set(ct_node *map, const char *key, ct_node *v, ct_error *err)
{
	if (v == NULL || ct_map_set(map, key, v) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	return 0;
}

size_t
ct_rec_len(const ct_node *seq)
{
	return seq != NULL && seq->kind == CT_NODE_SEQ ? seq->n : 0;
}

ct_node *
ct_rec_list(ct_node *map, const char *key, ct_error *err)
{
	ct_node *l = ct_map_get(map, key);

	if (l != NULL && l->kind == CT_NODE_SEQ)
		return l;
	if ((l = ct_node_new_seq()) == NULL || ct_map_set(map, key, l) < 0) {
		ct_error_set(err, CT_ERROR, "out of memory");
		return NULL;
	}
	return l;
}

void
ct_rec_next_id(const ct_node *list, char prefix, char *buf, size_t size)
{
	long max = 0, v;
	size_t i;

	for (i = 0; i < ct_rec_len(list); i++) {
		const char *id = ct_map_str(list->items[i], "id");

		if (id != NULL && id[0] == prefix && (v = atol(id + 1)) > max)
			max = v;
	}
	snprintf(buf, size, "%c%ld", prefix, max + 1);
}

const char *
ct_rec_str_or(const ct_node *map, const char *key, const char *dflt)
{
	const char *s = ct_map_str(map, key);

	return s != NULL ? s : dflt;
}
