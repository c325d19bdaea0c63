/*
 * casetrail YAML: a strict loader (libyaml events → ct_node tree) and a
 * hand-written canonical emitter for YAML and JSON.
 *
 * Loader.  The input is checked for size and NUL bytes before libyaml sees
 * it, then libyaml's event parser drives a small builder that keeps an
 * explicit stack of open collections (never deeper than CT_YAML_MAX_DEPTH).
 * Anchors, aliases, tags, non-scalar keys and a second document are refused
 * as soon as their event arrives; duplicate keys are found when a mapping
 * closes, by sorting pointers to its pairs (O(n log n)).  Plain scalars are
 * resolved with the YAML 1.2 core schema; the text of a resolved scalar is
 * replaced by its canonical spelling ("~" → "null", "0x1F" → "31",
 * "1e3" → "1000.0") so that a loaded tree and the tree loaded back from
 * its emitted text are equal.  Mapping keys are never resolved: a key is
 * the text of its scalar.
 *
 * Emitter.  One recursive walk (depth-guarded) writes block style into a
 * growable buffer:
 *
 *	id: ACT-0042          scalars inline after "key: "
 *	tags:                 sequences indented 2 under their key
 *	  - a
 *	  - - nested          a sequence in a sequence starts on the dash line
 *	    - seq
 *	people:
 *	  - id: x             so does a mapping in a sequence
 *	    name: 'y'
 *	notes: |-             literal blocks 2 deeper than their key or dash
 *	  two
 *	  lines
 *	flags: {}             empty collections inline
 *
 * Keys longer than libyaml's implicit-key limit, or that need a literal
 * block, are written as explicit "? key" / ": value" entries.
 *
 * Scalar styles: a string is written plain only when it cannot be read as
 * anything else by YAML 1.1 or 1.2 (see plain_safe()); otherwise single
 * quotes if every character is printable, a literal block if it holds a
 * newline and every line is clean (literal_ok()), else double quotes with
 * escapes.  Strings that are not valid UTF-8 cannot be written as YAML:
 * each invalid byte is written as U+FFFD.  Floats are written so that both
 * YAML 1.1 and 1.2 read them as floats: "1.5", "1000.0", "1.0e+20", ".inf",
 * "-.inf", ".nan".
 *
 * Number conversions go through strtod()/snprintf(), which follow the
 * LC_NUMERIC locale; ct_strtod() and fmt_float() make the text use '.'
 * whatever the locale.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "casetrail/buf.h"
#include "casetrail/util.h"
#include "casetrail/yaml.h"

/* libyaml refuses implicit keys longer than 1024 characters. */
#define IMPLICIT_KEY_MAX 1000
/* Scalars quoted in error messages are cut after this many bytes. */
#define MSG_TEXT_MAX 40

/*
 * A character that may appear raw in a quoted or literal scalar: YAML's
 * printable set without tab, the line breaks of YAML 1.1 (CR, NEL, LS, PS)
 * and the byte order mark.  Newline is handled by the callers.
 */
static bool
cp_printable(uint32_t c)
{
	if (c >= 0x20 && c <= 0x7E)
		return true;
	if (c >= 0xA0 && c <= 0xD7FF)
		return c != 0x2028 && c != 0x2029;
	if (c >= 0xE000 && c <= 0xFFFD)
		return c != 0xFEFF;
	return c >= 0x10000 && c <= 0x10FFFF;
}

/*
 * Numbers.  ct_strtod() parses s (NUL-terminated, '.' as decimal point)
 * whatever the locale.
 */
static int
ct_strtod(const char *s, double *out)
{
	const char *dp = localeconv()->decimal_point;
	char *copy = NULL, *end, *dot;
	size_t dplen, n;
	int rc = -1;

	errno = 0;
	if (dp == NULL || strcmp(dp, ".") == 0 || (dot = strchr(s, '.')) == NULL) {
		*out = strtod(s, &end);
		return *end == '\0' ? 0 : -1;
	}
	dplen = strlen(dp);
	n = strlen(s);
	if ((copy = malloc(n + dplen)) == NULL)
		return -1;
	memcpy(copy, s, (size_t)(dot - s));
	memcpy(copy + (dot - s), dp, dplen);
	memcpy(copy + (dot - s) + dplen, dot + 1, n - (size_t)(dot - s));
	errno = 0;
	*out = strtod(copy, &end);
	if (*end == '\0')
		rc = 0;
	free(copy);
	return rc;
}

/*
 * The canonical text of a float, like Python's repr(): the fewest digits
 * that read back as v, positional when the decimal exponent is in
 * [-4, 16) ("0.001", "1000.0"), else "d.ddde+XX" ("1.0e+20", "1.5e-07").
 * There is always a '.', and an exponent always has a sign, so YAML 1.1
 * and 1.2 both read a float.  outsz must be at least 32.
 */
static void
fmt_float(double v, char *out, size_t outsz)
{
	char tmp[40], digits[24], *e, *o = out;
	const char *p;
	int prec, exp, nd = 0, i;

	if (isnan(v)) {
		snprintf(out, outsz, ".nan");
		return;
	}
	if (isinf(v)) {
		snprintf(out, outsz, "%s", v < 0 ? "-.inf" : ".inf");
		return;
	}
	for (prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* tmp is "-d.ddde-XX"; the decimal point may follow the locale. */
	e = strchr(tmp, 'e');
	exp = atoi(e + 1);
	for (p = tmp; p < e; p++)
		if (*p >= '0' && *p <= '9' && nd < (int)sizeof(digits) - 1)
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (tmp[0] == '-')
		*o++ = '-';
	if (exp < -4 || exp >= 16) {
		*o++ = digits[0];
		*o++ = '.';
		if (nd == 1)
			*o++ = '0';
		for (i = 1; i < nd; i++)
			*o++ = digits[i];
		snprintf(o, outsz - (size_t)(o - out), "e%c%02d",
		    exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return;
	}
	if (exp < 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = 0; i < -exp - 1; i++)
			*o++ = '0';
		for (i = 0; i < nd; i++)
			*o++ = digits[i];
	} else {
		for (i = 0; i <= exp; i++)
			*o++ = i < nd ? digits[i] : '0';
		*o++ = '.';
		if (nd <= exp + 1)
			*o++ = '0';
		for (i = exp + 1; i < nd; i++)
			*o++ = digits[i];
	}
	*o = '\0';
}

/*
 * Nodes.
 */

static ct_node *
node_new(ct_node_kind kind)
{
	ct_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->kind = kind;
	return n;
}

/* A scalar of the given type with a copy of text[0..len). */
static ct_node *
scalar_new(ct_scalar_type type, const char *text, size_t len)
{
	ct_node *n;

	if (len == SIZE_MAX || (n = node_new(CT_NODE_SCALAR)) == NULL)
		return NULL;
	if ((n->str = malloc(len + 1)) == NULL) {
		free(n);
		return NULL;
	}
	if (len > 0)
		memcpy(n->str, text, len);
	n->str[len] = '\0';
	n->len = len;
	n->type = type;
	return n;
}

ct_node *
ct_node_new_map(void)
{
	return node_new(CT_NODE_MAP);
}

ct_node *
ct_node_new_seq(void)
{
	return node_new(CT_NODE_SEQ);
}

ct_node *
ct_node_new_str(const char *s)
{
	if (s == NULL)
		return NULL;
	return scalar_new(CT_SCALAR_STR, s, strlen(s));
}

ct_node *
ct_node_new_strn(const char *s, size_t n)
{
	if (s == NULL && n > 0)
		return NULL;
	return scalar_new(CT_SCALAR_STR, s, n);
}

ct_node *
ct_node_new_int(long long v)
{
	char text[32];
	ct_node *n;

	snprintf(text, sizeof(text), "%lld", v);
	if ((n = scalar_new(CT_SCALAR_INT, text, strlen(text))) != NULL)
		n->ival = v;
	return n;
}

ct_node *
ct_node_new_bool(bool v)
{
	ct_node *n;

	n = scalar_new(CT_SCALAR_BOOL, v ? "true" : "false", v ? 4 : 5);
	if (n != NULL)
		n->ival = v;
	return n;
}

ct_node *
ct_node_new_null(void)
{
	return scalar_new(CT_SCALAR_NULL, "null", 4);
}

/* A float scalar with its canonical text (no public constructor). */
static ct_node *
node_new_float(double v)
{
	char text[64];
	ct_node *n;

	fmt_float(v, text, sizeof(text));
	if ((n = scalar_new(CT_SCALAR_FLOAT, text, strlen(text))) != NULL)
		n->fval = v;
	return n;
}

/*
 * Free a subtree without recursion: collections waiting to be freed are
 * chained through their (otherwise unused) str pointer.
 */
void
ct_node_free(ct_node *n)
{
	ct_node *todo, *cur, *c;
	size_t i;

	if (n == NULL)
		return;
	if (n->kind == CT_NODE_SCALAR) {
		free(n->str);
		free(n);
		return;
	}
	free(n->str);
	n->str = NULL;
	todo = n;
	while (todo != NULL) {
		cur = todo;
		todo = (ct_node *)(void *)cur->str;
		for (i = 0; i < cur->n; i++) {
			if (cur->kind == CT_NODE_MAP) {
				free(cur->pairs[i].key);
				c = cur->pairs[i].value;
			} else
				c = cur->items[i];
			if (c == NULL)
				continue;
			if (c->kind == CT_NODE_SCALAR) {
				free(c->str);
				free(c);
			} else {
				free(c->str);
				c->str = (char *)(void *)todo;
				todo = c;
			}
		}
		free(cur->pairs);
		free(cur->items);
		free(cur);
	}
}

/* Make room for one more pair or item. */
static int
node_grow(ct_node *n)
{
	size_t cap, sz;
	void *p;

	if (n->n < n->cap)
		return 0;
	cap = n->cap ? n->cap * 2 : 4;
	sz = n->kind == CT_NODE_MAP ? sizeof(ct_pair) : sizeof(ct_node *);
	if (cap < n->cap || cap > SIZE_MAX / sz)
		return CT_ERROR;
	if (n->kind == CT_NODE_MAP) {
		if ((p = realloc(n->pairs, cap * sz)) == NULL)
			return CT_ERROR;
		n->pairs = p;
	} else {
		if ((p = realloc(n->items, cap * sz)) == NULL)
			return CT_ERROR;
		n->items = p;
	}
	n->cap = cap;
	return 0;
}

/* Append a pair; takes ownership of key and value only on success. */
static int
map_append(ct_node *map, char *key, unsigned line, unsigned col,
    ct_node *value)
{
	ct_pair *p;

	if (node_grow(map) != 0)
		return CT_ERROR;
	p = &map->pairs[map->n++];
	p->key = key;
	p->line = line;
	p->col = col;
	p->value = value;
	return 0;
}

ct_node *
ct_node_dup(const ct_node *n)
{
	ct_node *d;
	char *key;
	size_t i;

	if (n == NULL)
		return NULL;
	if (n->kind == CT_NODE_SCALAR) {
		d = scalar_new(n->type, n->str, n->str ? n->len : 0);
		if (d == NULL)
			return NULL;
		d->ival = n->ival;
		d->fval = n->fval;
	} else if ((d = node_new(n->kind)) == NULL)
		return NULL;
	d->line = n->line;
	d->col = n->col;
	for (i = 0; i < n->n; i++) {
		ct_node *v = NULL;

		if (n->kind == CT_NODE_MAP) {
			const ct_pair *p = &n->pairs[i];

			if (p->value != NULL && (v = ct_node_dup(p->value)) == NULL)
				goto fail;
			if ((key = strdup(p->key)) == NULL) {
				ct_node_free(v);
				goto fail;
			}
			if (map_append(d, key, p->line, p->col, v) != 0) {
				free(key);
				ct_node_free(v);
				goto fail;
			}
		} else {
			if (n->items[i] != NULL &&
			    (v = ct_node_dup(n->items[i])) == NULL)
				goto fail;
			if (node_grow(d) != 0) {
				ct_node_free(v);
				goto fail;
			}
			d->items[d->n++] = v;
		}
	}
	return d;
fail:
	ct_node_free(d);
	return NULL;
}

static bool
scalar_equal(const ct_node *a, const ct_node *b)
{
	size_t alen = a->str ? a->len : 0, blen = b->str ? b->len : 0;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case CT_SCALAR_NULL:
		return true;
	case CT_SCALAR_BOOL:
		return (a->ival != 0) == (b->ival != 0);
	case CT_SCALAR_INT:
		return a->ival == b->ival;
	case CT_SCALAR_FLOAT:
		if (isnan(a->fval) || isnan(b->fval))
			return isnan(a->fval) && isnan(b->fval);
		return a->fval == b->fval &&
		    signbit(a->fval) == signbit(b->fval);
	case CT_SCALAR_STR:
		break;
	}
	return alen == blen && (alen == 0 || memcmp(a->str, b->str, alen) == 0);
}

/*
 * Typed scalars (null, bool, int, float) compare by value, which is their
 * canonical text; strings compare byte for byte.
 */
bool
ct_node_equal(const ct_node *a, const ct_node *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->kind != b->kind)
		return false;
	if (a->kind == CT_NODE_SCALAR)
		return scalar_equal(a, b);
	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		if (a->kind == CT_NODE_MAP) {
			if (strcmp(a->pairs[i].key, b->pairs[i].key) != 0 ||
			    !ct_node_equal(a->pairs[i].value, b->pairs[i].value))
				return false;
		} else if (!ct_node_equal(a->items[i], b->items[i]))
			return false;
	}
	return true;
}

static ct_pair *
map_find(const ct_node *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != CT_NODE_MAP || key == NULL)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return &map->pairs[i];
	return NULL;
}

ct_node *
ct_map_get(const ct_node *map, const char *key)
{
	ct_pair *p = map_find(map, key);

	return p != NULL ? p->value : NULL;
}

const char *
ct_map_str(const ct_node *map, const char *key)
{
	ct_node *v = ct_map_get(map, key);

	return ct_node_is_str(v) ? v->str : NULL;
}

int
ct_map_set(ct_node *map, const char *key, ct_node *value)
{
	ct_pair *p;
	char *k;

	if (map == NULL || map->kind != CT_NODE_MAP || key == NULL ||
	    value == NULL)
		goto fail;
	if ((p = map_find(map, key)) != NULL) {
		ct_node_free(p->value);
		p->value = value;
		return 0;
	}
	if ((k = strdup(key)) == NULL)
		goto fail;
	if (map_append(map, k, 0, 0, value) != 0) {
		free(k);
		goto fail;
	}
	return 0;
fail:
	ct_node_free(value);
	return CT_ERROR;
}

void
ct_map_del(ct_node *map, const char *key)
{
	ct_pair *p;
	size_t i;

	if ((p = map_find(map, key)) == NULL)
		return;
	i = (size_t)(p - map->pairs);
	free(p->key);
	ct_node_free(p->value);
	memmove(&map->pairs[i], &map->pairs[i + 1],
	    (map->n - i - 1) * sizeof(ct_pair));
	map->n--;
}

int
ct_seq_push(ct_node *seq, ct_node *value)
{
	return ct_seq_insert(seq, seq != NULL ? seq->n : 0, value);
}

int
ct_seq_insert(ct_node *seq, size_t i, ct_node *value)
{
	if (seq == NULL || seq->kind != CT_NODE_SEQ || value == NULL ||
	    i > seq->n || node_grow(seq) != 0)
		goto fail;
	memmove(&seq->items[i + 1], &seq->items[i],
	    (seq->n - i) * sizeof(ct_node *));
	seq->items[i] = value;
	seq->n++;
	return 0;
fail:
	ct_node_free(value);
	return CT_ERROR;
}

void
ct_seq_remove(ct_node *seq, size_t i)
{
	if (seq == NULL || seq->kind != CT_NODE_SEQ || i >= seq->n)
		return;
	ct_node_free(seq->items[i]);
	memmove(&seq->items[i], &seq->items[i + 1],
	    (seq->n - i - 1) * sizeof(ct_node *));
	seq->n--;
}

bool
ct_node_is_str(const ct_node *n)
{
	return n != NULL && n->kind == CT_NODE_SCALAR &&
	    n->type == CT_SCALAR_STR && n->str != NULL;
}

/*
 * Loader.
 */

struct frame {
	ct_node *node;
	char *key;            /* pending key of a mapping, owned */
	unsigned kline, kcol;
};

struct loader {
	const char *name;
	ct_error *err;
	ct_node *root;
	struct frame stack[CT_YAML_MAX_DEPTH];
	int depth;
	int ndocs;
};

/* 1-based line and column (in characters) of byte offset off of buf. */
static void
offset_pos(const char *buf, size_t len, size_t off, unsigned *line,
    unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80)
			(*col)++;
	}
}

/*
 * s[0..len) as a double-quoted, escaped string for a message, cut after
 * max bytes; NULL on allocation failure.
 */
static char *
msg_quote(const char *s, size_t len, size_t max)
{
	ct_buf b = { 0 };
	size_t i, n;
	uint32_t c;

	ct_buf_putc(&b, '"');
	for (i = 0; i < len; i += n) {
		if (i >= max) {
			ct_buf_puts(&b, "...");
			break;
		}
		n = ct_utf8_decode((const unsigned char *)s + i, len - i, &c);
		if (n == 0) {
			ct_buf_printf(&b, "\\x%02X", (unsigned char)s[i]);
			n = 1;
		} else if (c == '"' || c == '\\')
			ct_buf_printf(&b, "\\%c", (char)c);
		else if (cp_printable(c))
			ct_buf_add(&b, s + i, n);
		else
			ct_buf_printf(&b, "\\u%04X", (unsigned)c);
	}
	ct_buf_putc(&b, '"');
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static int load_error(struct loader *ld, const yaml_mark_t *m,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Set "name:line:col: message" with a libyaml (0-based) mark. */
static int
load_error(struct loader *ld, const yaml_mark_t *m, const char *fmt, ...)
{
	ct_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	ct_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ct_error_set(ld->err, CT_EINVALID, "%s:%zu:%zu: %s", ld->name,
	    m->line + 1, m->column + 1,
	    b.s != NULL && !b.failed ? b.s : "invalid YAML");
	free(b.s);
	return CT_EINVALID;
}

static int
parser_error(struct loader *ld, const yaml_parser_t *p, const char *buf,
    size_t len)
{
	unsigned line, col;
	const char *problem = p->problem ? p->problem : "invalid YAML";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return ct_error_set(ld->err, CT_ERROR, "%s: out of memory",
		    ld->name);
	case YAML_READER_ERROR:
		offset_pos(buf, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			return ct_error_set(ld->err, CT_EINVALID,
			    "%s:%u:%u: %s (byte 0x%02X)", ld->name, line, col,
			    problem, (unsigned)p->problem_value & 0xFF);
		return ct_error_set(ld->err, CT_EINVALID, "%s:%u:%u: %s",
		    ld->name, line, col, problem);
	default:
		if (p->context != NULL)
			return load_error(ld, &p->problem_mark,
			    "%s (%s at line %zu, column %zu)", problem,
			    p->context, p->context_mark.line + 1,
			    p->context_mark.column + 1);
		return load_error(ld, &p->problem_mark, "%s", problem);
	}
}

static bool
all_digits(const char *s, size_t len, const char *set)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return false;
	return true;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool
is_core_float(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0)
			return false;
	} else {
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0)
			return false;
		if (i < len && s[i] == '.')
			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
				;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0)
			return false;
	}
	return i == len;
}

static bool
is_one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Whether s could be one of the core schema's words (null, true, false,
 * .inf, .nan and their spellings): most scalars of a record, dates,
 * names and numbers, can not, and need no comparison with each. */
static bool
maybe_word(const char *s)
{
	switch (s[0]) {
	case '\0': case '~': case 'n': case 'N': case 't': case 'T':
	case 'f': case 'F': case '.':
		return true;
	case '-': case '+':
		return s[1] == '.';
	default:
		return false;
	}
}

/*
 * Resolve a plain scalar s[0..len) (NUL-terminated) with the YAML 1.2 core
 * schema into *out, with canonical text for every type but string.
 */
static int
resolve_plain(struct loader *ld, const yaml_mark_t *m, const char *s,
    size_t len, ct_node **out)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
	    NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
	unsigned long long u;
	long long v;
	double d;
	int base = 0;
	bool word = maybe_word(s);

	*out = NULL;
	if (word && is_one_of(s, nulls))
		*out = ct_node_new_null();
	else if (word && is_one_of(s, trues))
		*out = ct_node_new_bool(true);
	else if (word && is_one_of(s, falses))
		*out = ct_node_new_bool(false);
	else if (word && is_one_of(s, nans))
		*out = node_new_float(NAN);
	else if (word && (is_one_of(s, infs) ||
	    ((s[0] == '-' || s[0] == '+') && is_one_of(s + 1, infs))))
		*out = node_new_float(s[0] == '-' ? -INFINITY : INFINITY);
	else {
		if (len > 2 && s[0] == '0' && s[1] == 'o' &&
		    all_digits(s + 2, len - 2, "01234567"))
			base = 8;
		else if (len > 2 && s[0] == '0' && s[1] == 'x' &&
		    all_digits(s + 2, len - 2, "0123456789abcdefABCDEF"))
			base = 16;
		else if (all_digits(s + (s[0] == '-' || s[0] == '+'),
		    len - (s[0] == '-' || s[0] == '+'), "0123456789"))
			base = 10;
		if (base == 10) {
			errno = 0;
			v = strtoll(s, NULL, 10);
			if (errno == ERANGE)
				goto range;
			*out = ct_node_new_int(v);
		} else if (base != 0) {
			errno = 0;
			u = strtoull(s + 2, NULL, base);
			if (errno == ERANGE || u > LLONG_MAX)
				goto range;
			*out = ct_node_new_int((long long)u);
		} else if (is_core_float(s, len)) {
			if (ct_strtod(s, &d) != 0) {
				if (errno == ENOMEM)
					return ct_error_set(ld->err, CT_ERROR,
					    "%s: out of memory", ld->name);
				return load_error(ld, m, "invalid number %s",
				    s);
			}
			if (isinf(d))
				goto range;
			*out = node_new_float(d);
		} else
			*out = scalar_new(CT_SCALAR_STR, s, len);
	}
	if (*out == NULL)
		return ct_error_set(ld->err, CT_ERROR, "%s: out of memory",
		    ld->name);
	return 0;
range:
	if (len > MSG_TEXT_MAX)
		return load_error(ld, m, "number out of range: %.*s...",
		    MSG_TEXT_MAX, s);
	return load_error(ld, m, "number out of range: %s", s);
}

/* Attach a new node to the open collection (or make it the root). */
static int
attach(struct loader *ld, ct_node *n)
{
	struct frame *f;

	if (ld->depth == 0) {
		ld->root = n;
		return 0;
	}
	f = &ld->stack[ld->depth - 1];
	if (f->node->kind == CT_NODE_SEQ) {
		if (node_grow(f->node) != 0)
			goto oom;
		f->node->items[f->node->n++] = n;
		return 0;
	}
	if (map_append(f->node, f->key, f->kline, f->kcol, n) != 0)
		goto oom;
	f->key = NULL;
	return 0;
oom:
	ct_node_free(n);
	return ct_error_set(ld->err, CT_ERROR, "%s: out of memory", ld->name);
}

/* True when the open collection is a mapping waiting for a key. */
static bool
want_key(const struct loader *ld)
{
	const struct frame *f;

	if (ld->depth == 0)
		return false;
	f = &ld->stack[ld->depth - 1];
	return f->node->kind == CT_NODE_MAP && f->key == NULL;
}

static int
pair_cmp(const void *a, const void *b)
{
	const ct_pair *pa = *(const ct_pair *const *)a;
	const ct_pair *pb = *(const ct_pair *const *)b;
	int c;

	if ((c = strcmp(pa->key, pb->key)) != 0)
		return c;
	return pa < pb ? -1 : pa > pb;
}

/*
 * Report the earliest key of map that repeats an earlier one.  Pointers to
 * the pairs are sorted by (key, position), so each run of equal keys starts
 * with the first definition.
 */
static int
check_duplicates(struct loader *ld, const ct_node *map)
{
	const ct_pair **v, *dup = NULL, *first = NULL;
	char *q;
	size_t i;
	int rc = 0;

	if (map->n < 2)
		return 0;
	if ((v = calloc(map->n, sizeof(*v))) == NULL)
		return ct_error_set(ld->err, CT_ERROR, "%s: out of memory",
		    ld->name);
	for (i = 0; i < map->n; i++)
		v[i] = &map->pairs[i];
	qsort(v, map->n, sizeof(*v), pair_cmp);
	for (i = 1; i < map->n; i++) {
		if (strcmp(v[i - 1]->key, v[i]->key) != 0 ||
		    (i >= 2 && strcmp(v[i - 2]->key, v[i]->key) == 0))
			continue;
		if (dup == NULL || v[i] < dup) {
			dup = v[i];
			first = v[i - 1];
		}
	}
	if (dup != NULL) {
		q = msg_quote(dup->key, strlen(dup->key), MSG_TEXT_MAX);
		rc = ct_error_set(ld->err, CT_EINVALID,
		    "%s:%u:%u: duplicate key %s (first defined at line %u)",
		    ld->name, dup->line, dup->col, q ? q : "", first->line);
		free(q);
	}
	free(v);
	return rc;
}

/* Anchors and tags are refused wherever they appear. */
static int
check_props(struct loader *ld, const yaml_event_t *ev,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	ct_buf shown = { 0 };
	char *q;
	int rc;

	if (anchor != NULL)
		return load_error(ld, &ev->start_mark,
		    "anchor &%s is not allowed (no anchors or aliases)",
		    (const char *)anchor);
	if (t == NULL)
		return 0;
	/* Show "!!str" rather than its expansion "tag:yaml.org,2002:str". */
	if (strncmp(t, core, sizeof(core) - 1) == 0) {
		ct_buf_puts(&shown, "!!");
		t += sizeof(core) - 1;
	}
	ct_buf_puts(&shown, t);
	q = shown.failed ? NULL : msg_quote(shown.s, shown.len, 2 * MSG_TEXT_MAX);
	rc = load_error(ld, &ev->start_mark,
	    "tag %s is not allowed (no explicit tags)", q ? q : "");
	free(shown.s);
	free(q);
	return rc;
}

static int
on_scalar(struct loader *ld, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct frame *f;
	ct_node *n;
	int rc;

	if ((rc = check_props(ld, ev, ev->data.scalar.anchor,
	    ev->data.scalar.tag)) != 0)
		return rc;
	if (want_key(ld)) {
		if (memchr(s, '\0', len) != NULL)
			return load_error(ld, &ev->start_mark,
			    "mapping key contains a NUL character");
		f = &ld->stack[ld->depth - 1];
		if ((f->key = strdup(s)) == NULL)
			return ct_error_set(ld->err, CT_ERROR,
			    "%s: out of memory", ld->name);
		f->kline = (unsigned)ev->start_mark.line + 1;
		f->kcol = (unsigned)ev->start_mark.column + 1;
		return 0;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if ((rc = resolve_plain(ld, &ev->start_mark, s, len, &n)) != 0)
			return rc;
	} else if ((n = scalar_new(CT_SCALAR_STR, s, len)) == NULL)
		return ct_error_set(ld->err, CT_ERROR, "%s: out of memory",
		    ld->name);
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	return attach(ld, n);
}

static int
on_collection_start(struct loader *ld, const yaml_event_t *ev,
    ct_node_kind kind)
{
	const yaml_char_t *anchor, *tag;
	struct frame *f;
	ct_node *n;
	int rc;

	if (kind == CT_NODE_MAP) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	} else {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	}
	if ((rc = check_props(ld, ev, anchor, tag)) != 0)
		return rc;
	if (want_key(ld))
		return load_error(ld, &ev->start_mark,
		    "mapping keys must be scalars, not a %s",
		    kind == CT_NODE_MAP ? "mapping" : "sequence");
	if (ld->depth >= CT_YAML_MAX_DEPTH)
		return load_error(ld, &ev->start_mark,
		    "nested deeper than %d collections", CT_YAML_MAX_DEPTH);
	if ((n = node_new(kind)) == NULL)
		return ct_error_set(ld->err, CT_ERROR, "%s: out of memory",
		    ld->name);
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	if ((rc = attach(ld, n)) != 0)
		return rc;
	f = &ld->stack[ld->depth++];
	f->node = n;
	f->key = NULL;
	return 0;
}

static int
on_event(struct loader *ld, const yaml_event_t *ev)
{
	struct frame *f;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (ld->ndocs++ > 0)
			return load_error(ld, &ev->start_mark,
			    "more than one document");
		return 0;
	case YAML_ALIAS_EVENT:
		return load_error(ld, &ev->start_mark,
		    "alias *%s is not allowed (no anchors or aliases)",
		    (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		return on_scalar(ld, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_collection_start(ld, ev, CT_NODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_collection_start(ld, ev, CT_NODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (ld->depth == 0)
			return load_error(ld, &ev->start_mark,
			    "unbalanced collection end");
		f = &ld->stack[--ld->depth];
		if (f->node->kind == CT_NODE_MAP)
			return check_duplicates(ld, f->node);
		return 0;
	default:
		return 0;
	}
}

int
ct_yaml_load(const char *buf, size_t len, const char *name, ct_node **out,
    ct_error *err)
{
	struct loader ld;
	yaml_parser_t parser;
	yaml_event_t ev;
	const char *nul;
	unsigned line, col;
	bool done = false;
	int i, rc = 0;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.name = name != NULL ? name : "<input>";
	ld.err = err;
	if (buf == NULL)
		buf = "";
	if (len > CT_YAML_MAX_SIZE) {
		offset_pos(buf, len, CT_YAML_MAX_SIZE, &line, &col);
		return ct_error_set(err, CT_EINVALID,
		    "%s:%u:%u: file is larger than %d bytes", ld.name, line,
		    col, CT_YAML_MAX_SIZE);
	}
	/* libyaml would skip a UTF-8 byte order mark and decode UTF-16;
	 * records are UTF-8 text that loads and emits byte for byte */
	if ((len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) ||
	    (len >= 2 && (memcmp(buf, "\xfe\xff", 2) == 0 ||
	    memcmp(buf, "\xff\xfe", 2) == 0)))
		return ct_error_set(err, CT_EINVALID, "%s:1:1: the file begins "
		    "with a byte order mark; records are UTF-8 without one",
		    ld.name);
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		offset_pos(buf, len, (size_t)(nul - buf), &line, &col);
		return ct_error_set(err, CT_EINVALID,
		    "%s:%u:%u: NUL byte in input", ld.name, line, col);
	}
	if (!yaml_parser_initialize(&parser))
		return ct_error_set(err, CT_ERROR, "%s: out of memory",
		    ld.name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(&ld, &parser, buf, len);
			goto out;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(&ld, &ev);
		yaml_event_delete(&ev);
		if (rc != 0)
			goto out;
	}
	if (ld.root == NULL) {
		if ((ld.root = ct_node_new_null()) == NULL) {
			rc = ct_error_set(err, CT_ERROR, "%s: out of memory",
			    ld.name);
			goto out;
		}
		ld.root->line = 1;
		ld.root->col = 1;
	}
	*out = ld.root;
	ld.root = NULL;
out:
	for (i = 0; i < ld.depth; i++)
		free(ld.stack[i].key);
	ct_node_free(ld.root);
	yaml_parser_delete(&parser);
	return rc;
}

int
ct_yaml_load_file(const char *path, ct_node **out, ct_error *err)
{
	FILE *fp;
	char *buf = NULL, *p;
	size_t len = 0, cap = 0, n;
	int rc = 0;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return ct_error_set(err, errno == ENOENT ? CT_ENOTFOUND :
		    CT_ERROR, "%s: %s", path, strerror(errno));
	/* Read at most one byte more than the limit: enough to refuse. */
	for (;;) {
		if (len == cap) {
			if (cap > CT_YAML_MAX_SIZE)
				break;
			cap = cap ? cap * 2 : 16384;
			if (cap > CT_YAML_MAX_SIZE + 1)
				cap = CT_YAML_MAX_SIZE + 1;
			if ((p = realloc(buf, cap)) == NULL) {
				rc = ct_error_set(err, CT_ERROR,
				    "%s: out of memory", path);
				goto out;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = ct_yaml_load(buf, len, path, out, err);
out:
	free(buf);
	fclose(fp);
	return rc;
}

/*
 * Emitter.
 */

struct emitter {
	ct_buf b;
	ct_error *err;
	int rc;
};

enum style { STYLE_PLAIN, STYLE_SINGLE, STYLE_DOUBLE, STYLE_LITERAL };

/*
 * Plain only when no YAML 1.1 or 1.2 reader can take the string for
 * anything else: an ASCII letter first (no indicator, number, date or
 * .inf), a small safe alphabet (no ':' or '#'), no trailing space, and not
 * one of YAML 1.1's bool or null words in any case.
 */
static bool
plain_safe(const char *s, size_t len)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on",
	    "off", "true", "false", "null", NULL };
	const char *const *w;
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')) || s[len - 1] == ' ')
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(" _./()',+@-", c) != NULL) ||
		    c == '\0')
			return false;
	}
	for (w = words; *w != NULL; w++)
		if (strlen(*w) == len && strncasecmp(*w, s, len) == 0)
			return false;
	return true;
}

/*
 * A literal block can hold s when every line is printable, no line ends in
 * a space, the first non-empty line does not start with one (it would be
 * taken for indentation), and there is some text.  With keep chomping (two
 * or more final newlines) the block would end the output with blank lines,
 * so a string at the very end of the document is double-quoted instead.
 */
static bool
literal_ok(const char *s, size_t len, bool tail)
{
	size_t i, n, trail = 0;
	bool text = false, bol = true;
	uint32_t c;

	while (trail < len && s[len - 1 - trail] == '\n')
		trail++;
	if (trail >= 2 && tail)
		return false;
	for (i = 0; i < len; i += n) {
		n = ct_utf8_next(s + i, len - i, &c);
		if (c == '\n') {
			if (i > 0 && s[i - 1] == ' ')
				return false;
			bol = true;
			continue;
		}
		if (!cp_printable(c))
			return false;
		if (bol && !text && c == ' ')
			return false;
		bol = false;
		text = true;
	}
	return text && s[len - 1] != ' ';
}

static enum style
choose_style(const char *s, size_t len, bool tail)
{
	bool nl = false, printable = true;
	size_t i, n;
	uint32_t c;

	if (plain_safe(s, len))
		return STYLE_PLAIN;
	for (i = 0; i < len; i += n) {
		n = ct_utf8_next(s + i, len - i, &c);
		if (c == '\n')
			nl = true;
		else if (!cp_printable(c))
			printable = false;
	}
	if (nl)
		return literal_ok(s, len, tail) ? STYLE_LITERAL : STYLE_DOUBLE;
	return printable ? STYLE_SINGLE : STYLE_DOUBLE;
}

/* The letter of a one-character escape ("\\n"), or 0. */
static char
dq_escape(uint32_t c)
{
	switch (c) {
	case '"': return '"';
	case '\\': return '\\';
	case 0x00: return '0';
	case 0x07: return 'a';
	case 0x08: return 'b';
	case 0x09: return 't';
	case 0x0A: return 'n';
	case 0x0B: return 'v';
	case 0x0C: return 'f';
	case 0x0D: return 'r';
	case 0x1B: return 'e';
	case 0x85: return 'N';
	case 0x2028: return 'L';
	case 0x2029: return 'P';
	default: return 0;
	}
}

/*
 * Double quotes: one-character escapes where YAML has them, \xNN for other
 * control characters below U+0100, \uNNNN above (BOM, U+FFFE, U+FFFF).
 */
static void
put_double_quoted(ct_buf *b, const char *s, size_t len)
{
	size_t i, n;
	uint32_t c;
	char esc;

	ct_buf_putc(b, '"');
	for (i = 0; i < len; i += n) {
		n = ct_utf8_decode((const unsigned char *)s + i, len - i, &c);
		if (n == 0) {
			ct_buf_puts(b, "\xEF\xBF\xBD");
			n = 1;
		} else if ((esc = dq_escape(c)) != 0) {
			ct_buf_putc(b, '\\');
			ct_buf_putc(b, esc);
		} else if (cp_printable(c))
			ct_buf_add(b, s + i, n);
		else if (c <= 0xFF)
			ct_buf_printf(b, "\\x%02X", (unsigned)c);
		else
			ct_buf_printf(b, "\\u%04X", (unsigned)c);
	}
	ct_buf_putc(b, '"');
}

static void
put_single_quoted(ct_buf *b, const char *s, size_t len)
{
	size_t i, n;
	uint32_t c;

	ct_buf_putc(b, '\'');
	for (i = 0; i < len; i += n) {
		n = ct_utf8_decode((const unsigned char *)s + i, len - i, &c);
		if (n == 0) {
			ct_buf_puts(b, "\xEF\xBF\xBD");
			n = 1;
		} else if (c == '\'')
			ct_buf_puts(b, "''");
		else
			ct_buf_add(b, s + i, n);
	}
	ct_buf_putc(b, '\'');
}

/* s[0..len) as UTF-8, with U+FFFD for each ill-formed byte. */
static void
put_utf8(ct_buf *b, const char *s, size_t len)
{
	size_t i, n;
	uint32_t c;

	for (i = 0; i < len; i += n) {
		n = ct_utf8_decode((const unsigned char *)s + i, len - i, &c);
		if (n == 0) {
			ct_buf_puts(b, "\xEF\xBF\xBD");
			n = 1;
		} else
			ct_buf_add(b, s + i, n);
	}
}

/* "|", "|-" or "|+", then each line at column indent; ends with '\n'. */
static void
put_literal(ct_buf *b, const char *s, size_t len, int indent)
{
	size_t body = len, trail = 0, start, end;

	while (body > 0 && s[body - 1] == '\n') {
		body--;
		trail++;
	}
	ct_buf_puts(b, trail == 0 ? "|-\n" : trail == 1 ? "|\n" : "|+\n");
	for (start = 0; start <= body; start = end + 1) {
		for (end = start; end < body && s[end] != '\n'; end++)
			;
		if (end > start) {
			ct_buf_spaces(b, indent);
			put_utf8(b, s + start, end - start);
		}
		ct_buf_putc(b, '\n');
	}
	for (; trail > 1; trail--)
		ct_buf_putc(b, '\n');
}

static void
put_str(ct_buf *b, const char *s, size_t len, enum style st, int indent)
{
	switch (st) {
	case STYLE_PLAIN:
		ct_buf_add(b, s, len);
		break;
	case STYLE_SINGLE:
		put_single_quoted(b, s, len);
		break;
	case STYLE_DOUBLE:
		put_double_quoted(b, s, len);
		break;
	case STYLE_LITERAL:
		put_literal(b, s, len, indent);
		break;
	}
}

/*
 * A scalar and its line end.  indent is the column of literal block
 * content; tail says whether nothing follows in the document.
 */
static void
emit_scalar(struct emitter *e, const ct_node *n, int indent, bool tail)
{
	char num[64];
	const char *s;
	size_t len;
	enum style st;

	if (n == NULL || n->type == CT_SCALAR_NULL) {
		ct_buf_puts(&e->b, "null\n");
		return;
	}
	switch (n->type) {
	case CT_SCALAR_BOOL:
		ct_buf_puts(&e->b, n->ival ? "true\n" : "false\n");
		return;
	case CT_SCALAR_INT:
		ct_buf_printf(&e->b, "%lld\n", n->ival);
		return;
	case CT_SCALAR_FLOAT:
		fmt_float(n->fval, num, sizeof(num));
		ct_buf_puts(&e->b, num);
		ct_buf_putc(&e->b, '\n');
		return;
	default:
		break;
	}
	s = n->str != NULL ? n->str : "";
	len = n->str != NULL ? n->len : 0;
	st = choose_style(s, len, tail);
	put_str(&e->b, s, len, st, indent);
	if (st != STYLE_LITERAL)
		ct_buf_putc(&e->b, '\n');
}

static int emit_block(struct emitter *, const ct_node *, int, int, bool);

/*
 * A value after "key:" or an item after "-" (the key or the dash at
 * column indent): scalars and empty collections inline; a collection on
 * the lines after its key at indent + 2, or starting on its dash's line.
 */
static int
emit_child(struct emitter *e, const ct_node *v, int indent, int depth,
    bool tail, bool item)
{
	bool scalar = v == NULL || v->kind == CT_NODE_SCALAR;

	if (item || scalar || v->n == 0)
		ct_buf_putc(&e->b, ' ');
	if (scalar) {
		emit_scalar(e, v, indent + 2, tail);
		return 0;
	}
	if (depth + 1 > CT_YAML_MAX_DEPTH)
		return ct_error_set(e->err, CT_ERROR,
		    "tree nested deeper than %d collections", CT_YAML_MAX_DEPTH);
	if (v->n == 0) {
		ct_buf_puts(&e->b, v->kind == CT_NODE_MAP ? "{}\n" : "[]\n");
		return 0;
	}
	if (!item) {
		ct_buf_putc(&e->b, '\n');
		ct_buf_spaces(&e->b, indent + 2);
	}
	return emit_block(e, v, indent + 2, depth + 1, tail);
}

/*
 * One mapping entry, the key at column indent (already indented).  A key
 * that needs a literal block or is too long for an implicit key is
 * written as "? key" followed by ": value" on the next line.
 */
static int
emit_pair(struct emitter *e, const ct_pair *p, int indent, int depth,
    bool tail)
{
	size_t klen = strlen(p->key), mark = e->b.len;
	enum style st;

	st = choose_style(p->key, klen, false);
	if (st != STYLE_LITERAL) {
		put_str(&e->b, p->key, klen, st, indent);
		if (e->b.failed || e->b.len - mark <= IMPLICIT_KEY_MAX) {
			ct_buf_putc(&e->b, ':');
			return emit_child(e, p->value, indent, depth, tail, false);
		}
		e->b.len = mark;
		e->b.s[mark] = '\0';
	}
	ct_buf_puts(&e->b, "? ");
	put_str(&e->b, p->key, klen, st, indent + 2);
	if (st != STYLE_LITERAL)
		ct_buf_putc(&e->b, '\n');
	ct_buf_spaces(&e->b, indent);
	ct_buf_putc(&e->b, ':');
	return emit_child(e, p->value, indent, depth, tail, false);
}

/*
 * A non-empty collection at nesting depth depth whose first line starts
 * at the current position (column indent); later lines are indented to
 * indent.
 */
static int
emit_block(struct emitter *e, const ct_node *n, int indent, int depth,
    bool tail)
{
	size_t i;
	int rc;

	for (i = 0; i < n->n; i++) {
		bool last = tail && i + 1 == n->n;

		if (i > 0)
			ct_buf_spaces(&e->b, indent);
		if (n->kind == CT_NODE_MAP)
			rc = emit_pair(e, &n->pairs[i], indent, depth, last);
		else {
			ct_buf_putc(&e->b, '-');
			rc = emit_child(e, n->items[i], indent, depth, last, true);
		}
		if (rc != 0)
			return rc;
		if (e->b.failed)
			return CT_ERROR;
	}
	return 0;
}

static int
emit_finish(struct emitter *e, int rc, char **out, size_t *outlen)
{
	if (rc == 0 && e->b.failed)
		rc = ct_error_set(e->err, CT_ERROR, "out of memory");
	if (rc != 0) {
		free(e->b.s);
		return rc;
	}
	*out = e->b.s;
	if (outlen != NULL)
		*outlen = e->b.len;
	return 0;
}

int
ct_yaml_emit(const ct_node *root, char **out, size_t *outlen, ct_error *err)
{
	struct emitter e = { .err = err };
	int rc = 0;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (root == NULL || root->kind == CT_NODE_SCALAR)
		emit_scalar(&e, root, 2, true);
	else if (root->n == 0)
		ct_buf_puts(&e.b, root->kind == CT_NODE_MAP ? "{}\n" : "[]\n");
	else
		rc = emit_block(&e, root, 0, 1, true);
	return emit_finish(&e, rc, out, outlen);
}

int
ct_yaml_emit_doc(ct_buf *b, const ct_node *root, int rc, char **out,
    ct_error *err)
{
	char *yaml = NULL;
	size_t len;

	*out = NULL;
	if (rc == 0 && root != NULL &&
	    (rc = ct_yaml_emit(root, &yaml, &len, err)) == 0)
		ct_buf_add(b, yaml, len);
	free(yaml);
	if (rc == 0 && b->failed)
		rc = ct_nomem(err);
	if (rc < 0) {
		ct_buf_free(b);
		return rc;
	}
	*out = b->s;
	return 0;
}

/*
 * JSON.
 */

static void
json_newline(struct emitter *e, bool pretty, int indent)
{
	if (pretty) {
		ct_buf_putc(&e->b, '\n');
		ct_buf_spaces(&e->b, indent);
	}
}

static int
json_node(struct emitter *e, const ct_node *n, bool pretty, int indent,
    int depth)
{
	char num[64];
	size_t i;
	int rc;

	if (n == NULL) {
		ct_buf_puts(&e->b, "null");
		return 0;
	}
	if (n->kind == CT_NODE_SCALAR) {
		switch (n->type) {
		case CT_SCALAR_STR:
			ct_json_strn(&e->b, n->str ? n->str : "",
			    n->str ? n->len : 0);
			break;
		case CT_SCALAR_INT:
			ct_buf_printf(&e->b, "%lld", n->ival);
			break;
		case CT_SCALAR_FLOAT:
			if (isnan(n->fval) || isinf(n->fval))
				ct_buf_puts(&e->b, "null");
			else {
				fmt_float(n->fval, num, sizeof(num));
				ct_buf_puts(&e->b, num);
			}
			break;
		case CT_SCALAR_BOOL:
			ct_buf_puts(&e->b, n->ival ? "true" : "false");
			break;
		case CT_SCALAR_NULL:
			ct_buf_puts(&e->b, "null");
			break;
		}
		return 0;
	}
	if (depth + 1 > CT_YAML_MAX_DEPTH)
		return ct_error_set(e->err, CT_ERROR,
		    "tree nested deeper than %d collections", CT_YAML_MAX_DEPTH);
	ct_buf_putc(&e->b, n->kind == CT_NODE_MAP ? '{' : '[');
	for (i = 0; i < n->n; i++) {
		if (i > 0)
			ct_buf_putc(&e->b, ',');
		json_newline(e, pretty, indent + 2);
		if (n->kind == CT_NODE_MAP) {
			ct_json_strn(&e->b, n->pairs[i].key,
			    strlen(n->pairs[i].key));
			ct_buf_puts(&e->b, pretty ? ": " : ":");
			rc = json_node(e, n->pairs[i].value, pretty,
			    indent + 2, depth + 1);
		} else
			rc = json_node(e, n->items[i], pretty, indent + 2,
			    depth + 1);
		if (rc != 0)
			return rc;
		if (e->b.failed)
			return CT_ERROR;
	}
	if (n->n > 0)
		json_newline(e, pretty, indent);
	ct_buf_putc(&e->b, n->kind == CT_NODE_MAP ? '}' : ']');
	return 0;
}

int
ct_json_emit(const ct_node *root, bool pretty, char **out, size_t *outlen,
    ct_error *err)
{
	struct emitter e = { .err = err };
	int rc;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	rc = json_node(&e, root, pretty, 0, 0);
	ct_buf_putc(&e.b, '\n');
	return emit_finish(&e, rc, out, outlen);
}
