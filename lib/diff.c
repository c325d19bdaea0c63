/*
 * Field-level differences between two record trees (see diff.h): a
 * recursive walk that matches mapping keys by name and list entries by id
 * (or position), writing "path: old -> new" for every scalar that
 * differs and for every field present on one side only.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/buf.h"
#include "casetrail/diff.h"

struct diff {
	ct_buf out;
	ct_buf path;
	size_t n;
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

static void
put_value(ct_buf *b, const ct_node *n)
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
line(struct diff *d, const ct_node *a, const ct_node *b)
{
	ct_buf_puts(&d->out, d->path.len ? d->path.s : "(root)");
	ct_buf_puts(&d->out, ": ");
	put_value(&d->out, a);
	ct_buf_puts(&d->out, " -> ");
	put_value(&d->out, b);
	ct_buf_putc(&d->out, '\n');
	d->n++;
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
			line(d, a, b);
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
		line(d, a, b);
		return;
	}
	if (c->kind == CT_NODE_MAP)
		walk_map(d, a, b);
	else
		walk_seq(d, a, b);
}

int
ct_node_diff(const ct_node *a, const ct_node *b, char **out, size_t *n,
    ct_error *err)
{
	struct diff d = { 0 };

	*out = NULL;
	if (n != NULL)
		*n = 0;
	ct_buf_puts(&d.out, "");
	ct_buf_puts(&d.path, "");
	walk(&d, a, b);
	if (d.out.failed || d.path.failed) {
		ct_buf_free(&d.out);
		ct_buf_free(&d.path);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	ct_buf_free(&d.path);
	*out = d.out.s;
	if (n != NULL)
		*n = d.n;
	return 0;
}
