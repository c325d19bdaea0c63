/*
 * Field-level differences between two record trees (see diff.h): a
 * recursive walk that matches mapping keys by name and list entries by id,
 * by identity (date, type, position among equals) or by position, adding
 * a {path, old, new} change for every scalar that differs and for every
 * field present on one side only.  The text form renders that list.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/buf.h"
#include "casetrail/diff.h"

struct diff {
	ct_diff *out;
	ct_buf path;
	bool failed;
};

static const char *
id_of(const ct_node *n)
{
	return n != NULL && n->kind == CT_NODE_MAP ? ct_map_str(n, "id") : NULL;
}

/* True when every entry of the list has a string id, unique in it. */
static bool
keyed(const ct_node *seq)
{
	size_t i, j;

	if (seq == NULL || seq->kind != CT_NODE_SEQ)
		return false;
	for (i = 0; i < seq->n; i++) {
		if (id_of(seq->items[i]) == NULL)
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(id_of(seq->items[i]),
			    id_of(seq->items[j])) == 0)
				return false;
	}
	return true;
}

static const ct_node *
find_id(const ct_node *seq, const char *id)
{
	size_t i;

	for (i = 0; seq != NULL && i < seq->n; i++)
		if (strcmp(id_of(seq->items[i]), id) == 0)
			return seq->items[i];
	return NULL;
}

/* True when every entry of the list is a mapping with a string date and
 * type (a case's events): entries are then matched by identity. */
static bool
dated(const ct_node *seq)
{
	size_t i;

	if (seq == NULL || seq->kind != CT_NODE_SEQ)
		return false;
	for (i = 0; i < seq->n; i++)
		if (seq->items[i]->kind != CT_NODE_MAP ||
		    ct_map_str(seq->items[i], "date") == NULL ||
		    ct_map_str(seq->items[i], "type") == NULL)
			return false;
	return true;
}

static bool
same_identity(const ct_node *x, const ct_node *y)
{
	return strcmp(ct_map_str(x, "date"), ct_map_str(y, "date")) == 0 &&
	    strcmp(ct_map_str(x, "type"), ct_map_str(y, "type")) == 0;
}

/* The position of the entry of seq with the identity of other->items[i]
 * (same date and type, as many of them before it), or SIZE_MAX. */
static size_t
find_identity(const ct_node *seq, const ct_node *other, size_t i)
{
	size_t j, k = 0, seen = 0;

	for (j = 0; j < i; j++)
		if (same_identity(other->items[j], other->items[i]))
			k++;
	for (j = 0; seq != NULL && j < seq->n; j++)
		if (same_identity(seq->items[j], other->items[i]) &&
		    seen++ == k)
			return j;
	return SIZE_MAX;
}

static bool
plain(const ct_node *n)
{
	char *end;
	size_t i;

	if (n->type != CT_SCALAR_STR)
		return true;
	/* text that reads as a number, bool or null */
	if (n->len > 0 && !isspace((unsigned char)n->str[0]) &&
	    (strtod(n->str, &end), *end == '\0'))
		return false;
	if (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "~") == 0)
		return false;
	if (n->len == 0 || n->str[0] == ' ' || n->str[n->len - 1] == ' ' ||
	    strstr(n->str, " -> ") != NULL || strcmp(n->str, "(none)") == 0 ||
	    strlen(n->str) != n->len)
		return false;
	for (i = 0; i < n->len; i++)
		if ((unsigned char)n->str[i] < 0x20 || n->str[i] == 0x7f ||
		    n->str[i] == '"' || n->str[i] == '\\')
			return false;
	return true;
}

void
ct_diff_put_value(ct_buf *b, const ct_node *n)
{
	size_t i;
	unsigned char c;

	if (n == NULL) {
		ct_buf_puts(b, "(none)");
		return;
	}
	if (n->kind == CT_NODE_MAP || n->kind == CT_NODE_SEQ) {
		ct_buf_puts(b, n->kind == CT_NODE_MAP ? "{}" : "[]");
		return;
	}
	if (n->type == CT_SCALAR_NULL) {
		ct_buf_puts(b, "null");
		return;
	}
	if (plain(n)) {
		ct_buf_add(b, n->str, n->len);
		return;
	}
	ct_buf_putc(b, '"');
	for (i = 0; i < n->len; i++) {
		c = (unsigned char)n->str[i];
		switch (c) {
		case '\n': ct_buf_puts(b, "\\n"); break;
		case '\t': ct_buf_puts(b, "\\t"); break;
		case '\r': ct_buf_puts(b, "\\r"); break;
		case '"': ct_buf_puts(b, "\\\""); break;
		case '\\': ct_buf_puts(b, "\\\\"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				ct_buf_printf(b, "\\x%02x", c);
			else
				ct_buf_putc(b, (char)c);
		}
	}
	ct_buf_putc(b, '"');
}

static void
add(struct diff *d, const ct_node *a, const ct_node *b)
{
	ct_diff_change *grown, *c;
	ct_diff *out = d->out;

	if (d->failed)
		return;
	if ((grown = realloc(out->v, (out->n + 1) * sizeof(*grown))) == NULL) {
		d->failed = true;
		return;
	}
	out->v = grown;
	c = &out->v[out->n];
	c->path = strdup(d->path.s != NULL ? d->path.s : "");
	c->old = a != NULL ? ct_node_dup(a) : NULL;
	c->new = b != NULL ? ct_node_dup(b) : NULL;
	out->n++;
	if (c->path == NULL || (a != NULL && c->old == NULL) ||
	    (b != NULL && c->new == NULL))
		d->failed = true;
}

static void walk(struct diff *d, const ct_node *a, const ct_node *b);

/* Walk one child, its path segment appended for the while. */
static void
child(struct diff *d, const char *key, const char *id, size_t index,
    const ct_node *a, const ct_node *b)
{
	size_t len = d->path.len;

	if (key != NULL)
		ct_buf_printf(&d->path, "%s%s", len ? "." : "", key);
	else if (id != NULL)
		ct_buf_printf(&d->path, "[%s]", id);
	else
		ct_buf_printf(&d->path, "[%zu]", index);
	walk(d, a, b);
	ct_buf_truncate(&d->path, len);
}

static void
walk_map(struct diff *d, const ct_node *a, const ct_node *b)
{
	size_t i;

	for (i = 0; a != NULL && i < a->n; i++)
		child(d, a->pairs[i].key, NULL, 0, a->pairs[i].value,
		    b != NULL ? ct_map_get(b, a->pairs[i].key) : NULL);
	for (i = 0; b != NULL && i < b->n; i++)
		if (a == NULL || ct_map_get(a, b->pairs[i].key) == NULL)
			child(d, b->pairs[i].key, NULL, 0, NULL,
			    b->pairs[i].value);
}

/* Entries matched by identity: the old ones in their order, each at its
 * position in the new list when it is still there, then the new ones. */
static void
walk_dated(struct diff *d, const ct_node *a, const ct_node *b)
{
	size_t i, j, na = a != NULL ? a->n : 0, nb = b != NULL ? b->n : 0;

	for (i = 0; i < na; i++) {
		j = find_identity(b, a, i);
		child(d, NULL, NULL, j != SIZE_MAX ? j : i, a->items[i],
		    j != SIZE_MAX ? b->items[j] : NULL);
	}
	for (i = 0; i < nb; i++)
		if (find_identity(a, b, i) == SIZE_MAX)
			child(d, NULL, NULL, i, NULL, b->items[i]);
}

static void
walk_seq(struct diff *d, const ct_node *a, const ct_node *b)
{
	bool by_id = (a == NULL || keyed(a)) && (b == NULL || keyed(b));
	size_t i, na = a != NULL ? a->n : 0, nb = b != NULL ? b->n : 0;

	if (by_id) {
		for (i = 0; i < na; i++)
			child(d, NULL, id_of(a->items[i]), 0, a->items[i],
			    find_id(b, id_of(a->items[i])));
		for (i = 0; i < nb; i++)
			if (find_id(a, id_of(b->items[i])) == NULL)
				child(d, NULL, id_of(b->items[i]), 0, NULL,
				    b->items[i]);
		return;
	}
	if ((a == NULL || dated(a)) && (b == NULL || dated(b))) {
		walk_dated(d, a, b);
		return;
	}
	for (i = 0; i < na || i < nb; i++)
		child(d, NULL, NULL, i, i < na ? a->items[i] : NULL,
		    i < nb ? b->items[i] : NULL);
}

static bool
scalar_or_none(const ct_node *n)
{
	return n == NULL || n->kind == CT_NODE_SCALAR;
}

static void
walk(struct diff *d, const ct_node *a, const ct_node *b)
{
	const ct_node *c;

	if (a == NULL && b == NULL)
		return;
	if (scalar_or_none(a) && scalar_or_none(b)) {
		if (a == NULL || b == NULL || !ct_node_equal(a, b))
			add(d, a, b);
		return;
	}
	if (a != NULL && b != NULL && a->kind != b->kind) {
		/* different kinds: the old value goes, the new one comes */
		walk(d, a, NULL);
		walk(d, NULL, b);
		return;
	}
	c = a != NULL ? a : b;
	if (scalar_or_none(a) != scalar_or_none(b) && (a == NULL ||
	    b == NULL) && c->n == 0) {
		add(d, a, b);
		return;
	}
	if (c->kind == CT_NODE_MAP)
		walk_map(d, a, b);
	else
		walk_seq(d, a, b);
}

void
ct_diff_clear(ct_diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].path);
		ct_node_free(d->v[i].old);
		ct_node_free(d->v[i].new);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

int
ct_diff_trees(const ct_node *a, const ct_node *b, ct_diff *out,
    ct_error *err)
{
	struct diff d = { 0 };

	out->v = NULL;
	out->n = 0;
	d.out = out;
	ct_buf_puts(&d.path, "");
	walk(&d, a, b);
	if (d.failed || d.path.failed) {
		ct_buf_free(&d.path);
		ct_diff_clear(out);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	ct_buf_free(&d.path);
	return 0;
}

int
ct_node_diff(const ct_node *a, const ct_node *b, char **out, size_t *n,
    ct_error *err)
{
	ct_diff diff;
	ct_buf text = { 0 };
	size_t i;
	int rc;

	*out = NULL;
	if (n != NULL)
		*n = 0;
	if ((rc = ct_diff_trees(a, b, &diff, err)) < 0)
		return rc;
	ct_buf_puts(&text, "");
	for (i = 0; i < diff.n; i++) {
		ct_buf_puts(&text, diff.v[i].path[0] != '\0' ?
		    diff.v[i].path : "(root)");
		ct_buf_puts(&text, ": ");
		ct_diff_put_value(&text, diff.v[i].old);
		ct_buf_puts(&text, " -> ");
		ct_diff_put_value(&text, diff.v[i].new);
		ct_buf_putc(&text, '\n');
	}
	if (n != NULL)
		*n = diff.n;
	ct_diff_clear(&diff);
	if (text.failed) {
		ct_buf_free(&text);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	*out = text.s;
	return 0;
}
