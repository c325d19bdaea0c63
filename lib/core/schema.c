/*
 * casetrail schema: a JSON Schema (draft 2020-12 subset) validator.
 *
 * A schema is JSON text, loaded with the YAML loader (JSON is YAML flow
 * style) and compiled once into a graph of struct snode: one node per
 * subschema, with the keywords it uses decoded (type mask, properties
 * sorted for binary search, compiled regular expressions, bounds) and every
 * "$ref" resolved to the node it points at.  Validation then walks the
 * record and the graph together and never looks at the schema text again,
 * so a store can validate many thousands of records with one compiled
 * schema.
 *
 * Compiling rejects, with "schema:line:column: message":
 *   - any keyword that is not implemented (an annotation - title,
 *     description, $schema, $id, $comment, default, examples - is allowed
 *     and ignored), so a schema can not rely on a check that is not made;
 *   - a keyword with a value of the wrong kind, an unknown type or format,
 *     a pattern that does not compile or that uses a backslash escape that
 *     POSIX and ECMA-262 read differently (\d, \w, \1, ...);
 *   - a "$ref" that is not a local JSON pointer ("#", "#/$defs/name",
 *     "#/properties/x/items", ...), that points at nothing, or that takes
 *     part in a cycle of references that never reaches a keyword which
 *     descends into the record (such a schema would loop for ever).
 *
 * Semantics follow JSON Schema 2020-12 over the YAML tree: a mapping is an
 * object and a sequence an array; "integer" is any number with a zero
 * fraction (an int, or a float such as 1.0, as in 2020-12); "number" is an
 * int or a float; booleans are never numbers; enum and const compare type
 * and value (1 equals 1.0, but neither equals "1" or true); lengths count
 * Unicode code points; a pattern is a POSIX extended regular expression
 * searched for anywhere in the string (anchor it with ^ and $); "$ref" may
 * have sibling keywords, and both apply.  Format "date" is ct_date_valid()
 * (YYYY-MM-DD, a real day in 1900-2199); "date-time" is RFC 3339 section 5.6
 * with that date, hours 00-23, minutes and seconds 00-59 (no leap second),
 * an optional fraction, and "Z" or a +HH:MM / -HH:MM offset ("T" and "Z"
 * may be lower case, as RFC 3339 allows).
 *
 * Validation reports every problem up to MAX_ERRORS, one per line, as
 * "file:line:column: path: message"; a problem at a node built in memory
 * (line 0) is "file: path: message".
 */
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/date.h"
#include "casetrail/embedded.h"
#include "casetrail/buf.h"
#include "casetrail/schema.h"
#include "casetrail/util.h"

#define MAX_ERRORS 20     /* problems reported by one validation */
#define MAX_DEPTH 256     /* nested collections walked in a record */
#define SHORT_VALUE 40    /* quote strings up to this many characters */
#define LIST_WIDTH 240    /* bytes of an enum or field list in a message */

enum {
	T_NULL = 1 << 0,
	T_BOOLEAN = 1 << 1,
	T_INTEGER = 1 << 2,
	T_NUMBER = 1 << 3,
	T_STRING = 1 << 4,
	T_OBJECT = 1 << 5,
	T_ARRAY = 1 << 6,
};

static const struct typename {
	const char *name;      /* in the schema */
	unsigned bit;
	const char *expected;  /* in messages */
} typenames[] = {
	{"null", T_NULL, "null"},
	{"boolean", T_BOOLEAN, "a boolean (true or false)"},
	{"integer", T_INTEGER, "an integer"},
	{"number", T_NUMBER, "a number"},
	{"string", T_STRING, "a string"},
	{"object", T_OBJECT, "a mapping"},
	{"array", T_ARRAY, "a sequence"},
};

#define NTYPES (sizeof(typenames) / sizeof(*typenames))

enum format {
	FMT_NONE,
	FMT_DATE,
	FMT_DATETIME,
};

/* A number bound (minimum, maximum) kept in the type it was written in. */
struct bound {
	bool set;
	bool isint;
	long long i;
	double f;
};

struct snode;

struct prop {
	const char *name;      /* points into the schema tree */
	struct snode *schema;
	size_t rank;           /* position in "properties" */
};

/* One compiled subschema. */
struct snode {
	const ct_node *src;    /* the subschema in the schema tree */
	bool never;            /* the boolean schema false */
	unsigned types;        /* T_* mask; 0 when "type" is absent */
	unsigned char typeorder[NTYPES]; /* in typenames[], as written */
	struct prop *props;    /* "properties" sorted by name */
	size_t nprops;
	const char **required;
	size_t nrequired;
	bool noextra;          /* "additionalProperties": false */
	struct snode *extra;   /* "additionalProperties": a schema */
	const ct_node *enumv;  /* the "enum" sequence */
	const ct_node *constv;
	const char *pattern;
	bool has_re;
	regex_t re;
	long long minlen, maxlen, minitems, maxitems; /* -1 when absent */
	struct bound min, max;
	struct snode *items;
	enum format format;
	struct snode *ref;
	const ct_node *refsrc; /* the "$ref" value, for messages */
};

struct ct_schema {
	ct_node *doc;          /* the schema text as a tree; owns the strings */
	char *srcname;
	struct snode **nodes;  /* every compiled node, in compile order */
	size_t nnodes, cap;
	struct snode *root;
};

/* Compile state: the schema being built and where errors go. */
struct compiler {
	struct ct_schema *s;
	ct_error *err;
};

/* Validation state. */
struct vstate {
	const char *file;
	ct_buf out;        /* the messages so far */
	unsigned nerr;
	ct_buf path;       /* the current field path; "" at the root */
};

static int compile(struct compiler *, const ct_node *, struct snode **);

/* ------------------------------------------------------------ helpers */

/* Append s[0..n) with control characters, backslash and quote escaped,
 * so that a message stays on one line. */
static void
buf_escaped(ct_buf *b, const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\n')
			ct_buf_puts(b, "\\n");
		else if (c == '\t')
			ct_buf_puts(b, "\\t");
		else if (c == '\r')
			ct_buf_puts(b, "\\r");
		else if (c == '\\' || c == '\'')
			ct_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			ct_buf_printf(b, "\\x%02x", c);
		else
			ct_buf_add(b, s + i, 1);
	}
}

/* A string value for a message: quoted when short, else its length. */
static void
buf_string(ct_buf *b, const ct_node *n)
{
	size_t len = ct_utf8_charsn(n->str, n->len);

	if (len <= SHORT_VALUE) {
		ct_buf_puts(b, "'");
		buf_escaped(b, n->str, n->len);
		ct_buf_puts(b, "'");
	} else
		ct_buf_printf(b, "a string of %zu characters", len);
}

static bool
is_number(const ct_node *n)
{
	return n->kind == CT_NODE_SCALAR &&
	    (n->type == CT_SCALAR_INT || n->type == CT_SCALAR_FLOAT);
}

static void
buf_number(ct_buf *b, const ct_node *n)
{
	if (n->type == CT_SCALAR_INT)
		ct_buf_printf(b, "%lld", n->ival);
	else if (n->str != NULL && n->len > 0 && n->len <= SHORT_VALUE &&
	    strlen(n->str) == n->len)
		buf_escaped(b, n->str, n->len);
	else
		ct_buf_printf(b, "%g", n->fval);
}

/*
 * A value as a message names it.  With typed, a scalar is introduced by its
 * type ("the string 'x'", "the integer 4"), for messages about types.
 */
static void
buf_value(ct_buf *b, const ct_node *n, bool typed)
{
	if (n->kind == CT_NODE_MAP) {
		ct_buf_puts(b, "a mapping");
		return;
	}
	if (n->kind == CT_NODE_SEQ) {
		ct_buf_puts(b, "a sequence");
		return;
	}
	switch (n->type) {
	case CT_SCALAR_STR:
		if (typed && ct_utf8_charsn(n->str, n->len) <= SHORT_VALUE)
			ct_buf_puts(b, "the string ");
		buf_string(b, n);
		break;
	case CT_SCALAR_INT:
		if (typed)
			ct_buf_puts(b, "the integer ");
		buf_number(b, n);
		break;
	case CT_SCALAR_FLOAT:
		if (typed)
			ct_buf_puts(b, "the number ");
		buf_number(b, n);
		break;
	case CT_SCALAR_BOOL:
		if (typed)
			ct_buf_puts(b, "the boolean ");
		ct_buf_puts(b, n->ival ? "true" : "false");
		break;
	case CT_SCALAR_NULL:
		ct_buf_puts(b, "null");
		break;
	}
}

/* A value of the schema as written in a list ("one of a, b, c"). */
static void
buf_plain(ct_buf *b, const ct_node *n)
{
	if (n->kind == CT_NODE_SCALAR && n->type == CT_SCALAR_STR)
		buf_escaped(b, n->str, n->len);
	else
		buf_value(b, n, false);
}

/* JSON equality: numbers by value, other scalars by type and value,
 * sequences in order, mappings whatever the order of their keys. */
static bool
json_equal(const ct_node *a, const ct_node *b)
{
	const ct_node *v;
	size_t i;

	if (is_number(a) && is_number(b)) {
		if (a->type == CT_SCALAR_INT && b->type == CT_SCALAR_INT)
			return a->ival == b->ival;
		return (a->type == CT_SCALAR_INT ? (double)a->ival : a->fval) ==
		    (b->type == CT_SCALAR_INT ? (double)b->ival : b->fval);
	}
	if (a->kind != b->kind || a->n != b->n)
		return false;
	switch (a->kind) {
	case CT_NODE_SCALAR:
		if (a->type != b->type)
			return false;
		if (a->type == CT_SCALAR_STR)
			return a->len == b->len &&
			    memcmp(a->str, b->str, a->len) == 0;
		if (a->type == CT_SCALAR_BOOL)
			return (a->ival != 0) == (b->ival != 0);
		return a->type == CT_SCALAR_NULL;
	case CT_NODE_SEQ:
		for (i = 0; i < a->n; i++)
			if (!json_equal(a->items[i], b->items[i]))
				return false;
		return true;
	case CT_NODE_MAP:
		for (i = 0; i < a->n; i++)
			if ((v = ct_map_get(b, a->pairs[i].key)) == NULL ||
			    !json_equal(a->pairs[i].value, v))
				return false;
		return true;
	}
	return false;
}

static int
prop_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prop *)a)->name,
	    ((const struct prop *)b)->name);
}

static const struct prop *
prop_find(const struct snode *sn, const char *name)
{
	struct prop key;

	if (sn->nprops == 0)
		return NULL;
	key.name = name;
	return bsearch(&key, sn->props, sn->nprops, sizeof(*sn->props),
	    prop_cmp);
}

/* A float with a zero fraction (without libm: every double of magnitude
 * 2^53 or more is whole, every smaller one fits a long long). */
static bool
is_whole(double f)
{
	if (!isfinite(f))
		return false;
	if ((f < 0 ? -f : f) >= 9007199254740992.0)
		return true;
	return f == (double)(long long)f;
}

/* Whether the instance n is of one of the types in mask. */
static bool
type_ok(unsigned mask, const ct_node *n)
{
	if (n->kind == CT_NODE_MAP)
		return mask & T_OBJECT;
	if (n->kind == CT_NODE_SEQ)
		return mask & T_ARRAY;
	switch (n->type) {
	case CT_SCALAR_STR:
		return mask & T_STRING;
	case CT_SCALAR_INT:
		return mask & (T_INTEGER | T_NUMBER);
	case CT_SCALAR_FLOAT:
		if (mask & T_NUMBER)
			return true;
		return (mask & T_INTEGER) && is_whole(n->fval);
	case CT_SCALAR_BOOL:
		return mask & T_BOOLEAN;
	case CT_SCALAR_NULL:
		return mask & T_NULL;
	}
	return false;
}

/* -1, 0 or 1 as the number n is below, at or above the bound. */
static int
bound_cmp(const ct_node *n, const struct bound *b)
{
	double x, y;

	if (n->type == CT_SCALAR_INT && b->isint)
		return (n->ival > b->i) - (n->ival < b->i);
	x = n->type == CT_SCALAR_INT ? (double)n->ival : n->fval;
	y = b->isint ? (double)b->i : b->f;
	return (x > y) - (x < y);
}

static void
buf_bound(ct_buf *b, const struct bound *bd)
{
	if (bd->isint)
		ct_buf_printf(b, "%lld", bd->i);
	else
		ct_buf_printf(b, "%g", bd->f);
}

/* Two decimal digits at s; -1 when they are not digits. */
static int
two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * RFC 3339 date-time: YYYY-MM-DD "T" HH:MM:SS [.fraction] ("Z" | +HH:MM |
 * -HH:MM), the date checked by ct_date_valid().
 */
static bool
datetime_valid(const char *s, size_t n)
{
	char date[CT_DATE_BUFSZ];
	size_t i;

	if (n < 20 || strlen(s) != n)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!ct_date_valid(date))
		return false;
	if (s[10] != 'T' && s[10] != 't')
		return false;
	if (two_digits(s + 11) < 0 || two_digits(s + 11) > 23 ||
	    s[13] != ':' || two_digits(s + 14) < 0 || two_digits(s + 14) > 59 ||
	    s[16] != ':' || two_digits(s + 17) < 0 || two_digits(s + 17) > 59)
		return false;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return false;
	}
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		return true;
	if ((s[i] != '+' && s[i] != '-') || i + 6 != n)
		return false;
	return two_digits(s + i + 1) >= 0 && two_digits(s + i + 1) <= 23 &&
	    s[i + 3] == ':' &&
	    two_digits(s + i + 4) >= 0 && two_digits(s + i + 4) <= 59;
}

/* ---------------------------------------------------------- compiling */

static int cerr(struct compiler *, unsigned, unsigned, const char *, ...)
	__attribute__((format(printf, 4, 5)));

/* Set a compile error at line:col of the schema text; returns the code. */
static int
cerr(struct compiler *c, unsigned line, unsigned col, const char *fmt, ...)
{
	ct_buf msg = {0};
	va_list ap;
	int rc;

	va_start(ap, fmt);
	ct_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (msg.failed)
		rc = ct_error_set(c->err, CT_ERROR, "out of memory");
	else
		rc = ct_error_set(c->err, CT_EINVALID, "%s:%u:%u: %s",
		    c->s->srcname, line, col, msg.s);
	free(msg.s);
	return rc;
}

static int
oom(struct compiler *c)
{
	return ct_error_set(c->err, CT_ERROR, "out of memory");
}

static void
snode_free(struct snode *sn)
{
	if (sn == NULL)
		return;
	if (sn->has_re)
		regfree(&sn->re);
	free(sn->props);
	free(sn->required);
	free(sn);
}

/* A non-negative integer keyword value (minLength, maxItems, ...). */
static int
get_count(struct compiler *c, const ct_pair *p, long long *out)
{
	const ct_node *v = p->value;

	if (v->kind != CT_NODE_SCALAR || v->type != CT_SCALAR_INT ||
	    v->ival < 0)
		return cerr(c, v->line, v->col,
		    "%s must be a non-negative integer", p->key);
	*out = v->ival;
	return 0;
}

static int
get_bound(struct compiler *c, const ct_pair *p, struct bound *out)
{
	const ct_node *v = p->value;

	if (!is_number(v) ||
	    (v->type == CT_SCALAR_FLOAT && !isfinite(v->fval)))
		return cerr(c, v->line, v->col, "%s must be a number", p->key);
	out->set = true;
	out->isint = v->type == CT_SCALAR_INT;
	out->i = v->ival;
	out->f = v->fval;
	return 0;
}

static int
kw_type(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value, *t;
	size_t i, j, count;

	count = v->kind == CT_NODE_SEQ ? v->n : 1;
	if (v->kind == CT_NODE_MAP || count == 0)
		return cerr(c, v->line, v->col,
		    "type must be a type name or a list of them");
	for (i = 0; i < count; i++) {
		t = v->kind == CT_NODE_SEQ ? v->items[i] : v;
		if (!ct_node_is_str(t))
			return cerr(c, t->line, t->col,
			    "type must be a type name or a list of them");
		for (j = 0; j < NTYPES; j++)
			if (strcmp(t->str, typenames[j].name) == 0)
				break;
		if (j == NTYPES)
			return cerr(c, t->line, t->col,
			    "unknown type '%s' (expected null, boolean, "
			    "integer, number, string, object or array)",
			    t->str);
		if (sn->types & typenames[j].bit)
			return cerr(c, t->line, t->col,
			    "type '%s' is listed twice", t->str);
		sn->typeorder[i] = (unsigned char)j;
		sn->types |= typenames[j].bit;
	}
	return 0;
}

static int
kw_properties(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value;
	size_t i;
	int rc;

	if (v->kind != CT_NODE_MAP)
		return cerr(c, v->line, v->col,
		    "properties must be a mapping of names to schemas");
	if (v->n == 0)
		return 0;
	if ((sn->props = calloc(v->n, sizeof(*sn->props))) == NULL)
		return oom(c);
	for (i = 0; i < v->n; i++) {
		sn->props[i].name = v->pairs[i].key;
		sn->props[i].rank = i;
		sn->nprops++;
		if ((rc = compile(c, v->pairs[i].value,
		    &sn->props[i].schema)) < 0)
			return rc;
	}
	qsort(sn->props, sn->nprops, sizeof(*sn->props), prop_cmp);
	return 0;
}

static int
kw_required(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value, *t;
	size_t i, j;

	if (v->kind != CT_NODE_SEQ)
		return cerr(c, v->line, v->col,
		    "required must be a list of field names");
	if (v->n == 0)
		return 0;
	if ((sn->required = calloc(v->n, sizeof(*sn->required))) == NULL)
		return oom(c);
	for (i = 0; i < v->n; i++) {
		t = v->items[i];
		if (!ct_node_is_str(t))
			return cerr(c, t->line, t->col,
			    "required must be a list of field names");
		for (j = 0; j < i; j++)
			if (strcmp(sn->required[j], t->str) == 0)
				return cerr(c, t->line, t->col,
				    "required field '%s' is listed twice",
				    t->str);
		sn->required[sn->nrequired++] = t->str;
	}
	return 0;
}

static int
kw_additional(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value;

	if (v->kind == CT_NODE_SCALAR && v->type == CT_SCALAR_BOOL) {
		sn->noextra = !v->ival;
		return 0;
	}
	return compile(c, v, &sn->extra);
}

static int
kw_enum(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	if (p->value->kind != CT_NODE_SEQ)
		return cerr(c, p->value->line, p->value->col,
		    "enum must be a list of values");
	sn->enumv = p->value;
	return 0;
}

static int
kw_const(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	(void)c;
	sn->constv = p->value;
	return 0;
}

/*
 * Patterns are compiled as POSIX extended regular expressions.  The common
 * subset with ECMA-262 (the dialect JSON Schema names) is what schemas
 * should use; backslash before a letter or digit means different things in
 * the two (\d is a digit class in one, undefined in the other), so it is
 * refused rather than silently checked differently.
 */
static int
kw_pattern(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value;
	const char *s;
	char *msg = NULL;
	size_t n;
	int rc;

	if (!ct_node_is_str(v) || strlen(v->str) != v->len)
		return cerr(c, v->line, v->col, "pattern must be a string");
	for (s = v->str; *s != '\0'; s++) {
		if (*s != '\\')
			continue;
		s++;
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9'))
			return cerr(c, v->line, v->col,
			    "pattern '%s': \\%c is not portable between POSIX "
			    "and ECMA-262 regular expressions; use a bracket "
			    "expression such as [0-9]", v->str, *s);
		if (*s == '\0')
			break;
	}
	if ((rc = regcomp(&sn->re, v->str, REG_EXTENDED | REG_NOSUB)) != 0) {
		n = regerror(rc, NULL, NULL, 0);
		if ((msg = malloc(n)) == NULL)
			return oom(c);
		regerror(rc, NULL, msg, n);
		rc = cerr(c, v->line, v->col, "pattern '%s': %s", v->str, msg);
		free(msg);
		return rc;
	}
	sn->has_re = true;
	sn->pattern = v->str;
	return 0;
}

static int
kw_minlength(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	return get_count(c, p, &sn->minlen);
}

static int
kw_maxlength(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	return get_count(c, p, &sn->maxlen);
}

static int
kw_minitems(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	return get_count(c, p, &sn->minitems);
}

static int
kw_maxitems(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	return get_count(c, p, &sn->maxitems);
}

static int
kw_minimum(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	return get_bound(c, p, &sn->min);
}

static int
kw_maximum(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	return get_bound(c, p, &sn->max);
}

static int
kw_items(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	if (p->value->kind == CT_NODE_SEQ)
		return cerr(c, p->value->line, p->value->col,
		    "items must be a schema (a list of schemas is "
		    "prefixItems in draft 2020-12, which is not supported)");
	return compile(c, p->value, &sn->items);
}

static int
kw_format(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value;

	if (ct_node_is_str(v) && strcmp(v->str, "date") == 0)
		sn->format = FMT_DATE;
	else if (ct_node_is_str(v) && strcmp(v->str, "date-time") == 0)
		sn->format = FMT_DATETIME;
	else if (ct_node_is_str(v) && strlen(v->str) == v->len)
		return cerr(c, v->line, v->col, "format '%s' is not supported "
		    "(only date and date-time)", v->str);
	else
		return cerr(c, v->line, v->col, "format must be a string");
	return 0;
}

static int
kw_defs(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value;
	struct snode *unused;
	size_t i;
	int rc;

	(void)sn;
	if (v->kind != CT_NODE_MAP)
		return cerr(c, v->line, v->col,
		    "$defs must be a mapping of names to schemas");
	for (i = 0; i < v->n; i++)
		if ((rc = compile(c, v->pairs[i].value, &unused)) < 0)
			return rc;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode one JSON pointer reference token seg[0..n): first the percent
 * encoding of the URI fragment, then ~1 ("/") and ~0 ("~").  Returns a new
 * string, NULL when out of memory.
 */
static char *
pointer_token(const char *seg, size_t n)
{
	char *out, *o;
	size_t i;

	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0, o = out; i < n; i++) {
		if (seg[i] == '%' && i + 2 < n && hexval(seg[i + 1]) >= 0 &&
		    hexval(seg[i + 2]) >= 0) {
			*o++ = (char)(hexval(seg[i + 1]) * 16 +
			    hexval(seg[i + 2]));
			i += 2;
		} else
			*o++ = seg[i];
	}
	*o = '\0';
	for (i = 0, o = out; out[i] != '\0'; i++) {
		if (out[i] == '~' && (out[i + 1] == '0' || out[i + 1] == '1')) {
			*o++ = out[i + 1] == '1' ? '/' : '~';
			i++;
		} else
			*o++ = out[i];
	}
	*o = '\0';
	return out;
}

/* The node a local "$ref" ("#", "#/a/b/0") points at; *found is NULL when
 * it points at nothing. */
static int
resolve_ref(struct compiler *c, const ct_node *v, const ct_node **found)
{
	const ct_node *n = c->s->doc;
	const char *s, *e;
	char *tok, *end;
	unsigned long idx;

	*found = NULL;
	s = v->str;
	if (s[0] != '#' || (s[1] != '\0' && s[1] != '/'))
		return cerr(c, v->line, v->col, "$ref '%s': only local "
		    "references (\"#/$defs/name\") are supported", s);
	for (s++; *s == '/' && n != NULL; s = e) {
		s++;
		e = s + strcspn(s, "/");
		if ((tok = pointer_token(s, (size_t)(e - s))) == NULL)
			return oom(c);
		if (n->kind == CT_NODE_MAP)
			n = ct_map_get(n, tok);
		else if (n->kind == CT_NODE_SEQ && tok[0] >= '0' &&
		    tok[0] <= '9' && (tok[0] != '0' || tok[1] == '\0')) {
			idx = strtoul(tok, &end, 10);
			n = *end == '\0' && idx < n->n ? n->items[idx] : NULL;
		} else
			n = NULL;
		free(tok);
	}
	*found = n;
	return 0;
}

static int
kw_ref(struct compiler *c, struct snode *sn, const ct_pair *p)
{
	const ct_node *v = p->value, *target;
	int rc;

	if (!ct_node_is_str(v) || strlen(v->str) != v->len)
		return cerr(c, v->line, v->col, "$ref must be a string");
	if ((rc = resolve_ref(c, v, &target)) < 0)
		return rc;
	if (target == NULL)
		return cerr(c, v->line, v->col,
		    "$ref '%s' points at nothing in this schema", v->str);
	sn->refsrc = v;
	return compile(c, target, &sn->ref);
}

typedef int (*kw_fn)(struct compiler *, struct snode *, const ct_pair *);

/* The keywords a schema may use; NULL handler: annotation, ignored. */
static const struct keyword {
	const char *name;
	kw_fn fn;
} keywords[] = {
	{"$comment", NULL},
	{"$defs", kw_defs},
	{"$id", NULL},
	{"$ref", kw_ref},
	{"$schema", NULL},
	{"additionalProperties", kw_additional},
	{"const", kw_const},
	{"default", NULL},
	{"description", NULL},
	{"enum", kw_enum},
	{"examples", NULL},
	{"format", kw_format},
	{"items", kw_items},
	{"maxItems", kw_maxitems},
	{"maxLength", kw_maxlength},
	{"maximum", kw_maximum},
	{"minItems", kw_minitems},
	{"minLength", kw_minlength},
	{"minimum", kw_minimum},
	{"pattern", kw_pattern},
	{"properties", kw_properties},
	{"required", kw_required},
	{"title", NULL},
	{"type", kw_type},
};

static int
keyword_cmp(const void *key, const void *kw)
{
	return strcmp(key, ((const struct keyword *)kw)->name);
}

/* The compiled node of the subschema src, compiling it the first time. */
static int
compile(struct compiler *c, const ct_node *src, struct snode **out)
{
	struct ct_schema *s = c->s;
	const struct keyword *kw;
	struct snode *sn, **nodes;
	size_t i, cap;
	int rc;

	*out = NULL;
	for (i = 0; i < s->nnodes; i++)
		if (s->nodes[i]->src == src) {
			*out = s->nodes[i];
			return 0;
		}
	if (src->kind != CT_NODE_MAP &&
	    (src->kind != CT_NODE_SCALAR || src->type != CT_SCALAR_BOOL))
		return cerr(c, src->line, src->col,
		    "a schema must be a mapping or a boolean");
	if (s->nnodes == s->cap) {
		cap = s->cap ? s->cap * 2 : 32;
		if (cap > SIZE_MAX / sizeof(*nodes) ||
		    (nodes = realloc(s->nodes, cap * sizeof(*nodes))) == NULL)
			return oom(c);
		s->nodes = nodes;
		s->cap = cap;
	}
	if ((sn = calloc(1, sizeof(*sn))) == NULL)
		return oom(c);
	sn->src = src;
	sn->minlen = sn->maxlen = sn->minitems = sn->maxitems = -1;
	s->nodes[s->nnodes++] = sn;
	*out = sn;
	if (src->kind == CT_NODE_SCALAR) {
		sn->never = !src->ival;
		return 0;
	}
	for (i = 0; i < src->n; i++) {
		kw = bsearch(src->pairs[i].key, keywords,
		    sizeof(keywords) / sizeof(*keywords), sizeof(*keywords),
		    keyword_cmp);
		if (kw == NULL)
			return cerr(c, src->pairs[i].line, src->pairs[i].col,
			    "unknown keyword '%s' (not supported by the "
			    "validator)", src->pairs[i].key);
		if (kw->fn != NULL && (rc = kw->fn(c, sn, &src->pairs[i])) < 0)
			return rc;
	}
	return 0;
}

/*
 * A chain of "$ref"s that comes back to where it started never descends
 * into the record, so validation would not end: refuse it.  Every node has
 * at most one $ref, so walking a chain for more steps than there are nodes
 * means it loops.
 */
static int
check_cycles(struct compiler *c)
{
	const struct snode *sn, *r;
	size_t i, steps;

	for (i = 0; i < c->s->nnodes; i++) {
		sn = c->s->nodes[i];
		for (r = sn->ref, steps = 0; r != NULL && steps <= c->s->nnodes;
		    r = r->ref, steps++)
			if (r == sn)
				return cerr(c, sn->refsrc->line,
				    sn->refsrc->col, "$ref '%s' leads back to "
				    "itself without descending into the record",
				    sn->refsrc->str);
	}
	return 0;
}

void
ct_schema_free(ct_schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnodes; i++)
		snode_free(s->nodes[i]);
	free(s->nodes);
	ct_node_free(s->doc);
	free(s->srcname);
	free(s);
}

int
ct_schema_parse(const char *text, size_t len, const char *srcname,
    ct_schema **out, ct_error *err)
{
	struct compiler c;
	ct_schema *s = NULL;
	int rc;

	*out = NULL;
	if (srcname == NULL)
		srcname = "(schema)";
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->srcname = malloc(strlen(srcname) + 1)) == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto cleanup;
	}
	memcpy(s->srcname, srcname, strlen(srcname) + 1);
	if ((rc = ct_yaml_load(text, len, srcname, &s->doc, err)) < 0)
		goto cleanup;
	c.s = s;
	c.err = err;
	if ((rc = compile(&c, s->doc, &s->root)) < 0 ||
	    (rc = check_cycles(&c)) < 0)
		goto cleanup;
	*out = s;
	s = NULL;
	rc = 0;
cleanup:
	ct_schema_free(s);
	return rc;
}

/* The embedded file of a built-in schema name, or NULL. */
static const struct ct_embedded_file *
builtin(const char *name)
{
	const struct ct_embedded_file *f;
	ct_buf file = {0};

	if (name == NULL)
		return NULL;
	ct_buf_printf(&file, "%s.schema.json", name);
	f = file.failed ? NULL : ct_embedded_find(file.s);
	free(file.s);
	return f;
}

int
ct_schema_load(const char *name, ct_schema **out, ct_error *err)
{
	const struct ct_embedded_file *f;

	*out = NULL;
	if ((f = builtin(name)) == NULL)
		return ct_error_set(err, CT_ENOTFOUND,
		    "no built-in schema named '%s'", name ? name : "(null)");
	return ct_schema_parse(f->text, f->len, f->name, out, err);
}

const char *
ct_schema_text(const char *name, size_t *len)
{
	const struct ct_embedded_file *f;

	if ((f = builtin(name)) == NULL)
		return NULL;
	if (len != NULL)
		*len = f->len;
	return f->text;
}

/* --------------------------------------------------------- validating */

/* Append a key to the path: "key", ".key", or ['odd key'] when it would
 * not read back as one field name. */
static void
path_push_key(ct_buf *path, const char *key)
{
	size_t n = strlen(key);
	bool plain = n > 0 && strcspn(key, ".[]'\" \t\r\n\\") == n;
	size_t i;

	for (i = 0; plain && i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == 0x7f)
			plain = false;
	if (plain) {
		if (path->len > 0)
			ct_buf_puts(path, ".");
		ct_buf_puts(path, key);
	} else {
		ct_buf_puts(path, "['");
		buf_escaped(path, key, n);
		ct_buf_puts(path, "']");
	}
}

static void report(struct vstate *, unsigned, unsigned, const char *, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Start a problem at line:col with the current path; the message is fmt
 * plus whatever the caller appends to v->out before report_end().
 */
static void
report(struct vstate *v, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (line > 0)
		ct_buf_printf(&v->out, "%s:%u:%u: ", v->file, line, col);
	else
		ct_buf_printf(&v->out, "%s: ", v->file);
	ct_buf_puts(&v->out, v->path.len > 0 ? v->path.s : "(root)");
	ct_buf_puts(&v->out, ": ");
	va_start(ap, fmt);
	ct_buf_vprintf(&v->out, fmt, ap);
	va_end(ap);
}

static void
report_end(struct vstate *v)
{
	ct_buf_puts(&v->out, "\n");
	v->nerr++;
}

static bool
done(const struct vstate *v)
{
	return v->nerr >= MAX_ERRORS || v->out.failed || v->path.failed;
}

/* Append "a, b, c" (the values of an enum) cut at LIST_WIDTH bytes. */
static void
buf_enum(ct_buf *b, const ct_node *list)
{
	size_t i, start = b->len;

	for (i = 0; i < list->n; i++) {
		if (i > 0)
			ct_buf_puts(b, ", ");
		if (b->len - start > LIST_WIDTH) {
			ct_buf_puts(b, "...");
			break;
		}
		buf_plain(b, list->items[i]);
	}
}

/* "expected a string or null, found ..." with the types as written. */
static void
fail_type(struct vstate *v, const struct snode *sn, const ct_node *n)
{
	size_t i, count = 0;

	for (i = 0; i < NTYPES; i++)
		if (sn->types & typenames[i].bit)
			count++;
	report(v, n->line, n->col, "expected ");
	for (i = 0; i < count; i++) {
		if (i > 0)
			ct_buf_puts(&v->out, i + 1 == count ? " or " : ", ");
		ct_buf_puts(&v->out, typenames[sn->typeorder[i]].expected);
	}
	ct_buf_puts(&v->out, ", found ");
	buf_value(&v->out, n, true);
	report_end(v);
}

static void
check_string(struct vstate *v, const struct snode *sn, const ct_node *n)
{
	size_t len;
	regmatch_t m;
	int rc;

	if (sn->minlen >= 0 || sn->maxlen >= 0) {
		len = ct_utf8_charsn(n->str, n->len);
		if (sn->minlen >= 0 && len < (unsigned long long)sn->minlen) {
			report(v, n->line, n->col, "%s", "");
			buf_string(&v->out, n);
			ct_buf_printf(&v->out, " is too short: %zu character%s, "
			    "expected at least %lld", len, len == 1 ? "" : "s",
			    sn->minlen);
			report_end(v);
		}
		if (sn->maxlen >= 0 && len > (unsigned long long)sn->maxlen) {
			/* a long value is not quoted: its length says it all */
			report(v, n->line, n->col, "%s", "");
			if (len <= SHORT_VALUE) {
				buf_string(&v->out, n);
				ct_buf_puts(&v->out, " is ");
			}
			ct_buf_printf(&v->out, "too long: %zu characters, "
			    "expected at most %lld", len, sn->maxlen);
			report_end(v);
		}
	}
	if (sn->has_re) {
#ifdef REG_STARTEND
		m.rm_so = 0;
		m.rm_eo = (regoff_t)n->len;
		rc = regexec(&sn->re, n->str, 1, &m, REG_STARTEND);
#else
		(void)m;
		rc = regexec(&sn->re, n->str, 0, NULL, 0);
#endif
		if (rc == REG_NOMATCH) {
			report(v, n->line, n->col, "%s", "");
			buf_string(&v->out, n);
			ct_buf_puts(&v->out, " does not match the pattern ");
			ct_buf_puts(&v->out, sn->pattern);
			report_end(v);
		} else if (rc != 0)
			v->out.failed = true;
	}
	if (sn->format == FMT_DATE &&
	    (strlen(n->str) != n->len || !ct_date_valid(n->str))) {
		report(v, n->line, n->col, "%s", "");
		buf_string(&v->out, n);
		ct_buf_puts(&v->out, " is not a valid date (YYYY-MM-DD, "
		    "a real day in 1900-2199)");
		report_end(v);
	} else if (sn->format == FMT_DATETIME &&
	    !datetime_valid(n->str, n->len)) {
		report(v, n->line, n->col, "%s", "");
		buf_string(&v->out, n);
		ct_buf_puts(&v->out, " is not a valid RFC 3339 date-time "
		    "(YYYY-MM-DDTHH:MM:SSZ or with a +HH:MM offset)");
		report_end(v);
	}
}

static void
check_number(struct vstate *v, const struct snode *sn, const ct_node *n)
{
	if (sn->min.set && bound_cmp(n, &sn->min) < 0) {
		report(v, n->line, n->col, "%s", "");
		buf_number(&v->out, n);
		ct_buf_puts(&v->out, " is less than the minimum ");
		buf_bound(&v->out, &sn->min);
		report_end(v);
	}
	if (sn->max.set && bound_cmp(n, &sn->max) > 0) {
		report(v, n->line, n->col, "%s", "");
		buf_number(&v->out, n);
		ct_buf_puts(&v->out, " is more than the maximum ");
		buf_bound(&v->out, &sn->max);
		report_end(v);
	}
}

static void check(struct vstate *, const struct snode *, const ct_node *,
    unsigned);

/* "field is not allowed here; expected one of a, b, c" */
static void
fail_extra(struct vstate *v, const struct snode *sn, const ct_pair *p)
{
	const struct prop **order = NULL;
	size_t i, start;

	report(v, p->line, p->col, "unknown field");
	if (sn->nprops > 0 &&
	    (order = calloc(sn->nprops, sizeof(*order))) != NULL) {
		for (i = 0; i < sn->nprops; i++)
			order[sn->props[i].rank] = &sn->props[i];
		ct_buf_puts(&v->out, " (expected one of ");
		start = v->out.len;
		for (i = 0; i < sn->nprops; i++) {
			if (i > 0)
				ct_buf_puts(&v->out, ", ");
			if (v->out.len - start > LIST_WIDTH) {
				ct_buf_puts(&v->out, "...");
				break;
			}
			ct_buf_puts(&v->out, order[i]->name);
		}
		ct_buf_puts(&v->out, ")");
		free(order);
	} else if (sn->nprops == 0)
		ct_buf_puts(&v->out, " (no fields are allowed here)");
	report_end(v);
}

static void
check_map(struct vstate *v, const struct snode *sn, const ct_node *n,
    unsigned depth)
{
	const struct prop *p;
	const ct_pair *pair;
	size_t i, mark;

	mark = v->path.len;
	for (i = 0; i < sn->nrequired && !done(v); i++) {
		if (ct_map_get(n, sn->required[i]) != NULL)
			continue;
		path_push_key(&v->path, sn->required[i]);
		report(v, n->line, n->col, "required field is missing");
		report_end(v);
		ct_buf_truncate(&v->path, mark);
	}
	if (sn->nprops == 0 && !sn->noextra && sn->extra == NULL)
		return;
	for (i = 0; i < n->n && !done(v); i++) {
		pair = &n->pairs[i];
		path_push_key(&v->path, pair->key);
		if ((p = prop_find(sn, pair->key)) != NULL)
			check(v, p->schema, pair->value, depth + 1);
		else if (sn->noextra)
			fail_extra(v, sn, pair);
		else if (sn->extra != NULL)
			check(v, sn->extra, pair->value, depth + 1);
		ct_buf_truncate(&v->path, mark);
	}
}

static void
check_seq(struct vstate *v, const struct snode *sn, const ct_node *n,
    unsigned depth)
{
	size_t i, mark;

	if (sn->minitems >= 0 && n->n < (unsigned long long)sn->minitems) {
		report(v, n->line, n->col, "has %zu item%s, expected at "
		    "least %lld", n->n, n->n == 1 ? "" : "s", sn->minitems);
		report_end(v);
	}
	if (sn->maxitems >= 0 && n->n > (unsigned long long)sn->maxitems) {
		report(v, n->line, n->col, "has %zu items, expected at most "
		    "%lld", n->n, sn->maxitems);
		report_end(v);
	}
	if (sn->items == NULL)
		return;
	mark = v->path.len;
	for (i = 0; i < n->n && !done(v); i++) {
		ct_buf_printf(&v->path, "[%zu]", i);
		check(v, sn->items, n->items[i], depth + 1);
		ct_buf_truncate(&v->path, mark);
	}
}

/*
 * Check n against sn and the schemas its $ref chain leads to (a loop, not
 * recursion: compile refused cycles).  A type mismatch is the only problem
 * reported for that node, since the other keywords would only repeat it.
 */
static void
check(struct vstate *v, const struct snode *sn, const ct_node *n,
    unsigned depth)
{
	size_t i;

	if (depth > MAX_DEPTH) {
		if (!done(v)) {
			report(v, n->line, n->col, "nested too deeply");
			report_end(v);
		}
		return;
	}
	for (; sn != NULL && !done(v); sn = sn->ref) {
		if (sn->never) {
			report(v, n->line, n->col, "no value is allowed here");
			report_end(v);
			return;
		}
		if (sn->types != 0 && !type_ok(sn->types, n)) {
			fail_type(v, sn, n);
			return;
		}
		if (sn->constv != NULL && !json_equal(sn->constv, n)) {
			report(v, n->line, n->col, "must be ");
			buf_value(&v->out, sn->constv, false);
			ct_buf_puts(&v->out, ", found ");
			buf_value(&v->out, n, true);
			report_end(v);
		}
		if (sn->enumv != NULL) {
			for (i = 0; i < sn->enumv->n; i++)
				if (json_equal(sn->enumv->items[i], n))
					break;
			if (i == sn->enumv->n) {
				report(v, n->line, n->col, "%s", "");
				buf_value(&v->out, n, false);
				ct_buf_puts(&v->out, " is not one of ");
				buf_enum(&v->out, sn->enumv);
				report_end(v);
			}
		}
		if (n->kind == CT_NODE_MAP)
			check_map(v, sn, n, depth);
		else if (n->kind == CT_NODE_SEQ)
			check_seq(v, sn, n, depth);
		else if (n->type == CT_SCALAR_STR)
			check_string(v, sn, n);
		else if (is_number(n))
			check_number(v, sn, n);
	}
}

int
ct_schema_validate(const ct_schema *s, const ct_node *doc, const char *file,
    ct_error *err)
{
	struct vstate v;
	int rc = 0;

	memset(&v, 0, sizeof(v));
	v.file = file != NULL ? file : "(input)";
	if (doc == NULL)
		return ct_error_set(err, CT_EINVALID, "%s: no document",
		    v.file);
	ct_buf_puts(&v.path, "");
	check(&v, s->root, doc, 0);
	if (v.out.failed || v.path.failed)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	else if (v.nerr > 0) {
		ct_buf_truncate(&v.out, v.out.len - 1); /* the last newline */
		rc = ct_error_set(err, CT_EINVALID, "%s", v.out.s);
	}
	free(v.out.s);
	free(v.path.s);
	return rc;
}

/* ----------------------------------------------------------- ordering */

/* The rank of key in the properties along sn's $ref chain; SIZE_MAX when
 * none lists it.  *sub is the schema for its value, if any. */
static size_t
key_rank(const struct snode *sn, const char *key, const struct snode **sub)
{
	const struct prop *p;
	const struct snode *x;
	size_t base = 0;

	*sub = NULL;
	for (x = sn; x != NULL; x = x->ref) {
		if ((p = prop_find(x, key)) != NULL) {
			*sub = p->schema;
			return base + p->rank;
		}
		base += x->nprops;
	}
	for (x = sn; x != NULL; x = x->ref)
		if (x->extra != NULL) {
			*sub = x->extra;
			break;
		}
	return SIZE_MAX;
}

static void
order(const struct snode *sn, ct_node *n, unsigned depth)
{
	const struct snode *x, *sub;
	ct_pair tmp;
	size_t i, j, rank;

	if (sn == NULL || n == NULL || depth > MAX_DEPTH)
		return;
	if (n->kind == CT_NODE_SEQ) {
		for (x = sn; x != NULL && x->items == NULL; x = x->ref)
			;
		for (i = 0; x != NULL && i < n->n; i++)
			order(x->items, n->items[i], depth + 1);
		return;
	}
	if (n->kind != CT_NODE_MAP)
		return;
	/*
	 * Stable insertion sort without allocation: only listed keys move,
	 * and there are few of them, so it stays linear in the map size.
	 */
	for (i = 1; i < n->n; i++) {
		rank = key_rank(sn, n->pairs[i].key, &sub);
		for (j = i; j > 0 &&
		    key_rank(sn, n->pairs[j - 1].key, &sub) > rank; j--)
			;
		if (j == i)
			continue;
		tmp = n->pairs[i];
		memmove(&n->pairs[j + 1], &n->pairs[j],
		    (i - j) * sizeof(*n->pairs));
		n->pairs[j] = tmp;
	}
	for (i = 0; i < n->n; i++) {
		key_rank(sn, n->pairs[i].key, &sub);
		order(sub, n->pairs[i].value, depth + 1);
	}
}

void
ct_schema_order(const ct_schema *s, ct_node *doc)
{
	if (s != NULL)
		order(s->root, doc, 0);
}
