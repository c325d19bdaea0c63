/*
 * Unit tests for lib/core/yaml.c: the strict loader, the canonical YAML emitter,
 * the JSON emitter and the tree helpers.
 *
 * Fixtures (CT_FIXTURES/yaml):
 *   canonical/NAME.yaml            canonical files: load → emit is identical
 *   input/NAME.yaml, NAME.expected non-canonical input → canonical output
 *   bad/NAME.yaml, NAME.error      rejected input → expected message part
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/yaml.h"

#define FIXTURES CT_FIXTURES "/yaml"

/*
 * Helpers.
 */

static char *
read_all(const char *path, size_t *lenp)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		if (n == 0)
			break;
		len += n;
	}
	fclose(fp);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir ending in suffix; the list ends with NULL. */
static char **
list_dir(const char *dir, const char *suffix)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, slen = strlen(suffix), len;

	d = opendir(dir);
	if (d == NULL)
		fail_msg("cannot open directory %s", dir);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= slen || strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		names = realloc(names, (n + 2) * sizeof(*names));
		assert_non_null(names);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (names == NULL)
		fail_msg("no %s files in %s", suffix, dir);
	qsort(names, n, sizeof(*names), name_cmp);
	names[n] = NULL;
	return names;
}

static void
free_names(char **names)
{
	char **p;

	for (p = names; *p != NULL; p++)
		free(*p);
	free(names);
}

static char *
path_join(const char *dir, const char *name, const char *suffix)
{
	char *p;
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;

	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

static ct_node *
load_n(const char *text, size_t len)
{
	ct_error err = { 0 };
	ct_node *n = NULL;

	if (ct_yaml_load(text, len, "test.yaml", &n, &err) != 0)
		fail_msg("load failed: %s", ct_error_msg(&err));
	assert_non_null(n);
	ct_error_clear(&err);
	return n;
}

static ct_node *
load(const char *text)
{
	return load_n(text, strlen(text));
}

static char *
emit(const ct_node *n, size_t *lenp)
{
	ct_error err = { 0 };
	char *out = NULL;
	size_t len = 0;

	if (ct_yaml_emit(n, &out, &len, &err) != 0)
		fail_msg("emit failed: %s", ct_error_msg(&err));
	assert_non_null(out);
	assert_int_equal(strlen(out) <= len, 1);
	if (lenp != NULL)
		*lenp = len;
	return out;
}

static char *
json(const ct_node *n, bool pretty)
{
	ct_error err = { 0 };
	char *out = NULL;
	size_t len = 0;

	if (ct_json_emit(n, pretty, &out, &len, &err) != 0)
		fail_msg("json failed: %s", ct_error_msg(&err));
	assert_int_equal(strlen(out), len);
	return out;
}

/* Load text; it must fail with CT_EINVALID and exactly msg. */
static void
assert_rejects_n(const char *text, size_t len, const char *msg)
{
	ct_error err = { 0 };
	ct_node *n = NULL;

	assert_int_equal(ct_yaml_load(text, len, "test.yaml", &n, &err),
	    CT_EINVALID);
	assert_null(n);
	assert_int_equal(err.code, CT_EINVALID);
	assert_string_equal(ct_error_msg(&err), msg);
	ct_error_clear(&err);
}

static void
assert_rejects(const char *text, const char *msg)
{
	assert_rejects_n(text, strlen(text), msg);
}

/* True when msg is "NAME:LINE:COL: text" with numeric LINE and COL. */
static bool
has_position(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *p;
	int i;

	if (strncmp(msg, name, n) != 0 || msg[n] != ':')
		return false;
	p = msg + n + 1;
	for (i = 0; i < 2; i++) {
		if (*p < '1' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != ':')
			return false;
	}
	return *p == ' ' && p[1] != '\0';
}

/* emit(load(text)) == text, and once more. */
static void
assert_canonical(const char *text)
{
	ct_node *n, *m;
	char *out, *out2;

	n = load(text);
	out = emit(n, NULL);
	assert_string_equal(out, text);
	m = load(out);
	assert_true(ct_node_equal(n, m));
	out2 = emit(m, NULL);
	assert_string_equal(out2, out);
	free(out);
	free(out2);
	ct_node_free(n);
	ct_node_free(m);
}

/* Emit a one-key mapping {v: s}. */
static char *
emit_value_str(const char *s, size_t len)
{
	ct_node *map = ct_node_new_map();
	char *out;

	assert_int_equal(ct_map_set(map, "v", ct_node_new_strn(s, len)), 0);
	out = emit(map, NULL);
	ct_node_free(map);
	return out;
}

/* A float scalar built in memory (the header has no float constructor). */
static ct_node *
new_float(double v)
{
	ct_node *n = ct_node_new_null();
	char text[64];

	assert_non_null(n);
	snprintf(text, sizeof(text), "%.17g", v);
	free(n->str);
	n->str = strdup(text);
	assert_non_null(n->str);
	n->len = strlen(text);
	n->type = CT_SCALAR_FLOAT;
	n->fval = v;
	return n;
}

/* Nested collections: depth levels, maps in block style or flow seqs. */
static char *
nested_text(int depth, bool flow)
{
	size_t d = (size_t)depth;
	size_t cap = flow ? 2 * d + 2 : d * d * 2 + d * 8 + 16;
	char *s = malloc(cap), *p;
	int i;

	assert_non_null(s);
	p = s;
	for (i = 0; i < depth; i++) {
		if (flow)
			*p++ = '[';
		else {
			memset(p, ' ', (size_t)i * 2);
			p += i * 2;
			memcpy(p, i + 1 < depth ? "a:\n" : "a: x\n", i + 1 < depth ? 3 : 5);
			p += i + 1 < depth ? 3 : 5;
		}
	}
	if (flow) {
		for (i = 0; i < depth; i++)
			*p++ = ']';
		*p++ = '\n';
	}
	*p = '\0';
	return s;
}

/* A chain of depth maps {a: {a: ... 1}} built in memory. */
static ct_node *
nested_tree(int depth)
{
	ct_node *root = ct_node_new_map(), *cur = root, *next;
	int i;

	for (i = 1; i < depth; i++) {
		next = ct_node_new_map();
		assert_int_equal(ct_map_set(cur, "a", next), 0);
		cur = next;
	}
	assert_int_equal(ct_map_set(cur, "a", ct_node_new_int(1)), 0);
	return root;
}

/*
 * Fixture corpora.
 */

static void
test_canonical_corpus_round_trips(void **state)
{
	char **names, **name, *path, *text, *out;
	size_t len, outlen;
	ct_error err = { 0 };
	ct_node *n, *m;
	int count = 0;

	(void)state;
	names = list_dir(FIXTURES "/canonical", ".yaml");
	for (name = names; *name != NULL; name++) {
		path = path_join(FIXTURES "/canonical", *name, "");
		text = read_all(path, &len);
		if (ct_yaml_load_file(path, &n, &err) != 0)
			fail_msg("%s", ct_error_msg(&err));
		out = emit(n, &outlen);
		if (outlen != len || memcmp(out, text, len) != 0)
			fail_msg("%s is not canonical; emitted:\n%s", *name, out);
		m = load_n(out, outlen);
		assert_true(ct_node_equal(n, m));
		free(out);
		free(text);
		free(path);
		ct_node_free(n);
		ct_node_free(m);
		count++;
	}
	assert_true(count >= 8);
	free_names(names);
}

static void
test_input_normalises_to_expected(void **state)
{
	char **names, **name, *path, *expath, *expected, *out, *out2, *base;
	size_t len, outlen;
	ct_error err = { 0 };
	ct_node *n, *m;

	(void)state;
	names = list_dir(FIXTURES "/input", ".yaml");
	for (name = names; *name != NULL; name++) {
		path = path_join(FIXTURES "/input", *name, "");
		base = strdup(*name);
		assert_non_null(base);
		base[strlen(base) - strlen(".yaml")] = '\0';
		expath = path_join(FIXTURES "/input", base, ".expected");
		expected = read_all(expath, &len);
		if (ct_yaml_load_file(path, &n, &err) != 0)
			fail_msg("%s: %s", *name, ct_error_msg(&err));
		out = emit(n, &outlen);
		if (outlen != len || memcmp(out, expected, len) != 0)
			fail_msg("%s: emitted\n%s\nexpected\n%s", *name, out,
			    expected);
		/* The expected output is itself canonical. */
		m = load_n(out, outlen);
		assert_true(ct_node_equal(n, m));
		out2 = emit(m, NULL);
		assert_string_equal(out2, out);
		free(out);
		free(out2);
		free(expected);
		free(expath);
		free(base);
		free(path);
		ct_node_free(n);
		ct_node_free(m);
	}
	free_names(names);
}

static void
test_bad_fixtures_rejected_with_position(void **state)
{
	char **names, **name, *path, *errpath, *want, *base;
	size_t len;
	ct_error err = { 0 };
	ct_node *n;

	(void)state;
	names = list_dir(FIXTURES "/bad", ".yaml");
	for (name = names; *name != NULL; name++) {
		path = path_join(FIXTURES "/bad", *name, "");
		base = strdup(*name);
		assert_non_null(base);
		base[strlen(base) - strlen(".yaml")] = '\0';
		errpath = path_join(FIXTURES "/bad", base, ".error");
		want = read_all(errpath, &len);
		while (len > 0 && want[len - 1] == '\n')
			want[--len] = '\0';
		n = NULL;
		if (ct_yaml_load_file(path, &n, &err) != CT_EINVALID)
			fail_msg("%s was accepted", *name);
		assert_null(n);
		if (!has_position(ct_error_msg(&err), path))
			fail_msg("%s: no file:line:col in \"%s\"", *name,
			    ct_error_msg(&err));
		if (strstr(ct_error_msg(&err), want) == NULL)
			fail_msg("%s: \"%s\" does not contain \"%s\"", *name,
			    ct_error_msg(&err), want);
		ct_error_clear(&err);
		free(want);
		free(errpath);
		free(base);
		free(path);
	}
	free_names(names);
}

static void
test_load_file_missing_is_enotfound(void **state)
{
	ct_error err = { 0 };
	ct_node *n = NULL;

	(void)state;
	assert_int_equal(ct_yaml_load_file(FIXTURES "/no-such-file.yaml", &n,
	    &err), CT_ENOTFOUND);
	assert_null(n);
	assert_non_null(strstr(ct_error_msg(&err), "no-such-file.yaml"));
	ct_error_clear(&err);
}

/*
 * Rejections.
 */

static void
test_depth_32_loads(void **state)
{
	char *text;
	ct_node *n, *cur;
	int depth;

	(void)state;
	text = nested_text(CT_YAML_MAX_DEPTH, false);
	n = load(text);
	for (cur = n, depth = 0; cur->kind == CT_NODE_MAP; depth++)
		cur = ct_map_get(cur, "a");
	assert_int_equal(depth, CT_YAML_MAX_DEPTH);
	assert_string_equal(cur->str, "x");
	ct_node_free(n);
	free(text);

	text = nested_text(CT_YAML_MAX_DEPTH, true);
	n = load(text);
	ct_node_free(n);
	free(text);
}

static void
test_depth_33_rejected(void **state)
{
	char *text;

	(void)state;
	text = nested_text(CT_YAML_MAX_DEPTH + 1, false);
	assert_rejects(text,
	    "test.yaml:33:65: nested deeper than 32 collections");
	free(text);
	text = nested_text(CT_YAML_MAX_DEPTH + 1, true);
	assert_rejects(text,
	    "test.yaml:1:33: nested deeper than 32 collections");
	free(text);
	/* Much deeper input fails the same way, early. */
	text = nested_text(100000, true);
	assert_rejects(text,
	    "test.yaml:1:33: nested deeper than 32 collections");
	free(text);
}

/* "k: xxx...x\n", exactly size bytes. */
static char *
sized_text(size_t size)
{
	char *s = malloc(size + 1);

	assert_non_null(s);
	memcpy(s, "k: ", 3);
	memset(s + 3, 'x', size - 4);
	s[size - 1] = '\n';
	s[size] = '\0';
	return s;
}

static void
test_size_exactly_max_loads(void **state)
{
	char *text = sized_text(CT_YAML_MAX_SIZE);
	ct_node *n;

	(void)state;
	n = load_n(text, CT_YAML_MAX_SIZE);
	assert_int_equal(ct_map_get(n, "k")->len, CT_YAML_MAX_SIZE - 4);
	ct_node_free(n);
	free(text);
}

static void
test_size_max_plus_one_rejected(void **state)
{
	char *text = sized_text(CT_YAML_MAX_SIZE + 1);

	(void)state;
	assert_rejects_n(text, CT_YAML_MAX_SIZE + 1,
	    "test.yaml:1:1048577: file is larger than 1048576 bytes");
	free(text);
}

/* Many distinct keys in one 1 MiB mapping, then one repeated at the end. */
static void
test_many_keys_duplicate_found(void **state)
{
	size_t cap = CT_YAML_MAX_SIZE + 1, len = 0;
	char *text = malloc(cap);
	unsigned i, lines = 0;
	ct_node *n;
	char want[128];

	(void)state;
	assert_non_null(text);
	for (i = 0; len + 32 < CT_YAML_MAX_SIZE; i++) {
		len += (size_t)snprintf(text + len, cap - len, "k%07u: %u\n",
		    (i * 7919u) % 1000003u, i);
		lines++;
	}
	n = load_n(text, len);
	assert_int_equal(n->n, lines);
	ct_node_free(n);

	len += (size_t)snprintf(text + len, cap - len, "k%07u: dup\n",
	    (5u * 7919u) % 1000003u);
	snprintf(want, sizeof(want),
	    "test.yaml:%u:1: duplicate key \"k%07u\" (first defined at line 6)",
	    lines + 1, (5u * 7919u) % 1000003u);
	assert_rejects_n(text, len, want);
	free(text);
}

static void
test_alias_rejected(void **state)
{
	(void)state;
	assert_rejects("a: 1\nb: *x\n",
	    "test.yaml:2:4: alias *x is not allowed (no anchors or aliases)");
}

static void
test_anchor_rejected(void **state)
{
	(void)state;
	assert_rejects("a: &x 1\n",
	    "test.yaml:1:4: anchor &x is not allowed (no anchors or aliases)");
	assert_rejects("- &list\n  - 1\n",
	    "test.yaml:1:3: anchor &list is not allowed (no anchors or aliases)");
}

static void
test_tags_rejected(void **state)
{
	(void)state;
	assert_rejects("x: !!python/object:os.system\n",
	    "test.yaml:1:4: tag \"!!python/object:os.system\" is not allowed"
	    " (no explicit tags)");
	assert_rejects("x: !!str 1\n",
	    "test.yaml:1:4: tag \"!!str\" is not allowed (no explicit tags)");
	assert_rejects("!foo x\n",
	    "test.yaml:1:1: tag \"!foo\" is not allowed (no explicit tags)");
	assert_rejects("x: ! 1\n",
	    "test.yaml:1:4: tag \"!\" is not allowed (no explicit tags)");
	assert_rejects("x: !!map {}\n",
	    "test.yaml:1:4: tag \"!!map\" is not allowed (no explicit tags)");
}

static void
test_duplicate_key_rejected(void **state)
{
	(void)state;
	assert_rejects("a: 1\nb: 2\nc: 3\nb: 4\na: 5\n",
	    "test.yaml:4:1: duplicate key \"b\" (first defined at line 2)");
	/* Keys are text: a quoted and a plain 1 are the same key. */
	assert_rejects("1: a\n'1': b\n",
	    "test.yaml:2:1: duplicate key \"1\" (first defined at line 1)");
	/* The key is shown escaped and shortened. */
	assert_rejects("\"a\\tb\": 1\n\"a\\tb\": 2\n",
	    "test.yaml:2:1: duplicate key \"a\\u0009b\" (first defined at line 1)");
}

static void
test_two_documents_rejected(void **state)
{
	(void)state;
	assert_rejects("a: 1\n---\nb: 2\n",
	    "test.yaml:2:1: more than one document");
	assert_rejects("--- 1\n--- 2\n",
	    "test.yaml:2:1: more than one document");
}

static void
test_nul_byte_rejected(void **state)
{
	static const char text[] = "a: 1\nbb: \xc3\xa9x\0y\n";

	(void)state;
	assert_rejects_n(text, sizeof(text) - 1,
	    "test.yaml:2:7: NUL byte in input");
}

static void
test_non_scalar_key_rejected(void **state)
{
	(void)state;
	assert_rejects("? - a\n: 1\n",
	    "test.yaml:1:3: mapping keys must be scalars, not a sequence");
	assert_rejects("{[a]: 1}\n",
	    "test.yaml:1:2: mapping keys must be scalars, not a sequence");
}

static void
test_syntax_error_has_position(void **state)
{
	(void)state;
	assert_rejects("a: b\n  c: d\n",
	    "test.yaml:2:4: mapping values are not allowed in this context");
	assert_rejects("a: 'x\n",
	    "test.yaml:2:1: found unexpected end of stream (while scanning a"
	    " quoted scalar at line 1, column 4)");
}

static void
test_numbers_out_of_range_rejected(void **state)
{
	(void)state;
	assert_rejects("n: 99999999999999999999\n",
	    "test.yaml:1:4: number out of range: 99999999999999999999");
	assert_rejects("- 0o1000000000000000000000\n",
	    "test.yaml:1:3: number out of range: 0o1000000000000000000000");
	assert_rejects("- -1e999\n",
	    "test.yaml:1:3: number out of range: -1e999");
}

/*
 * Loading.
 */

static void
test_empty_input_is_null(void **state)
{
	static const char *const texts[] = { "", "\n", "# comment\n", "---\n",
	    "--- ~\n", "---\n...\n", NULL };
	const char *const *t;
	ct_error err = { 0 };
	ct_node *n;

	(void)state;
	for (t = texts; *t != NULL; t++) {
		n = load(*t);
		assert_int_equal(n->kind, CT_NODE_SCALAR);
		assert_int_equal(n->type, CT_SCALAR_NULL);
		assert_string_equal(n->str, "null");
		ct_node_free(n);
	}
	n = NULL;
	assert_int_equal(ct_yaml_load(NULL, 0, "x", &n, &err), 0);
	assert_int_equal(n->type, CT_SCALAR_NULL);
	ct_node_free(n);
}

static void
test_positions_are_one_based(void **state)
{
	ct_node *n, *list;

	(void)state;
	n = load("# c\nid: x\nlist:\n  - a\n  - {k: Zoë, m: 1}\n");
	assert_int_equal(n->line, 2);
	assert_int_equal(n->col, 1);
	assert_int_equal(n->pairs[0].line, 2);
	assert_int_equal(n->pairs[0].col, 1);
	assert_int_equal(n->pairs[0].value->line, 2);
	assert_int_equal(n->pairs[0].value->col, 5);
	list = ct_map_get(n, "list");
	assert_int_equal(list->line, 4);
	assert_int_equal(list->col, 3);
	assert_int_equal(list->items[1]->line, 5);
	assert_int_equal(list->items[1]->col, 5);
	/* Columns count characters, not bytes. */
	assert_int_equal(list->items[1]->pairs[1].line, 5);
	assert_int_equal(list->items[1]->pairs[1].col, 14);
	ct_node_free(n);
}

struct resolve_case {
	const char *yaml;
	ct_scalar_type type;
	const char *text;   /* canonical text after loading */
	long long ival;
	double fval;
};

static void
test_resolve_core_schema(void **state)
{
	static const struct resolve_case cases[] = {
		{ "~", CT_SCALAR_NULL, "null", 0, 0 },
		{ "null", CT_SCALAR_NULL, "null", 0, 0 },
		{ "Null", CT_SCALAR_NULL, "null", 0, 0 },
		{ "NULL", CT_SCALAR_NULL, "null", 0, 0 },
		{ "", CT_SCALAR_NULL, "null", 0, 0 },
		{ "true", CT_SCALAR_BOOL, "true", 1, 0 },
		{ "True", CT_SCALAR_BOOL, "true", 1, 0 },
		{ "TRUE", CT_SCALAR_BOOL, "true", 1, 0 },
		{ "false", CT_SCALAR_BOOL, "false", 0, 0 },
		{ "False", CT_SCALAR_BOOL, "false", 0, 0 },
		{ "FALSE", CT_SCALAR_BOOL, "false", 0, 0 },
		{ "0", CT_SCALAR_INT, "0", 0, 0 },
		{ "-0", CT_SCALAR_INT, "0", 0, 0 },
		{ "42", CT_SCALAR_INT, "42", 42, 0 },
		{ "+42", CT_SCALAR_INT, "42", 42, 0 },
		{ "-17", CT_SCALAR_INT, "-17", -17, 0 },
		{ "0123", CT_SCALAR_INT, "123", 123, 0 },
		{ "9223372036854775807", CT_SCALAR_INT, "9223372036854775807",
		    LLONG_MAX, 0 },
		{ "-9223372036854775808", CT_SCALAR_INT, "-9223372036854775808",
		    LLONG_MIN, 0 },
		{ "0o17", CT_SCALAR_INT, "15", 15, 0 },
		{ "0o0", CT_SCALAR_INT, "0", 0, 0 },
		{ "0x1F", CT_SCALAR_INT, "31", 31, 0 },
		{ "0xff", CT_SCALAR_INT, "255", 255, 0 },
		{ "0x7FFFFFFFFFFFFFFF", CT_SCALAR_INT, "9223372036854775807",
		    LLONG_MAX, 0 },
		{ "1.5", CT_SCALAR_FLOAT, "1.5", 0, 1.5 },
		{ "-1.5", CT_SCALAR_FLOAT, "-1.5", 0, -1.5 },
		{ "+1.5", CT_SCALAR_FLOAT, "1.5", 0, 1.5 },
		{ "1.", CT_SCALAR_FLOAT, "1.0", 0, 1.0 },
		{ ".5", CT_SCALAR_FLOAT, "0.5", 0, 0.5 },
		{ "-.5", CT_SCALAR_FLOAT, "-0.5", 0, -0.5 },
		{ "1e3", CT_SCALAR_FLOAT, "1000.0", 0, 1000.0 },
		{ "1E3", CT_SCALAR_FLOAT, "1000.0", 0, 1000.0 },
		{ "1e16", CT_SCALAR_FLOAT, "1.0e+16", 0, 1e16 },
		{ "1e-5", CT_SCALAR_FLOAT, "1.0e-05", 0, 1e-5 },
		{ "0.0001", CT_SCALAR_FLOAT, "0.0001", 0, 0.0001 },
		{ "2.5e-3", CT_SCALAR_FLOAT, "0.0025", 0, 0.0025 },
		{ "1.0e+20", CT_SCALAR_FLOAT, "1.0e+20", 0, 1e20 },
		{ "0.1", CT_SCALAR_FLOAT, "0.1", 0, 0.1 },
		{ "-0.0", CT_SCALAR_FLOAT, "-0.0", 0, -0.0 },
		{ ".inf", CT_SCALAR_FLOAT, ".inf", 0, INFINITY },
		{ ".Inf", CT_SCALAR_FLOAT, ".inf", 0, INFINITY },
		{ "+.INF", CT_SCALAR_FLOAT, ".inf", 0, INFINITY },
		{ "-.inf", CT_SCALAR_FLOAT, "-.inf", 0, -INFINITY },
		{ ".nan", CT_SCALAR_FLOAT, ".nan", 0, NAN },
		{ ".NaN", CT_SCALAR_FLOAT, ".nan", 0, NAN },
		{ ".NAN", CT_SCALAR_FLOAT, ".nan", 0, NAN },
		/* Look-alikes that the core schema reads as strings. */
		{ "yes", CT_SCALAR_STR, "yes", 0, 0 },
		{ "No", CT_SCALAR_STR, "No", 0, 0 },
		{ "on", CT_SCALAR_STR, "on", 0, 0 },
		{ "OFF", CT_SCALAR_STR, "OFF", 0, 0 },
		{ "y", CT_SCALAR_STR, "y", 0, 0 },
		{ "tRUE", CT_SCALAR_STR, "tRUE", 0, 0 },
		{ "nULL", CT_SCALAR_STR, "nULL", 0, 0 },
		{ "2026-01-01", CT_SCALAR_STR, "2026-01-01", 0, 0 },
		{ "2026-01-01T10:00:00Z", CT_SCALAR_STR, "2026-01-01T10:00:00Z",
		    0, 0 },
		{ "1:20", CT_SCALAR_STR, "1:20", 0, 0 },
		{ "1_000", CT_SCALAR_STR, "1_000", 0, 0 },
		{ "0b101", CT_SCALAR_STR, "0b101", 0, 0 },
		{ "0o8", CT_SCALAR_STR, "0o8", 0, 0 },
		{ "0o", CT_SCALAR_STR, "0o", 0, 0 },
		{ "0x", CT_SCALAR_STR, "0x", 0, 0 },
		{ "0xG", CT_SCALAR_STR, "0xG", 0, 0 },
		{ "-0x1", CT_SCALAR_STR, "-0x1", 0, 0 },
		{ "0X1F", CT_SCALAR_STR, "0X1F", 0, 0 },
		{ "1e", CT_SCALAR_STR, "1e", 0, 0 },
		{ "e3", CT_SCALAR_STR, "e3", 0, 0 },
		{ "1.2.3", CT_SCALAR_STR, "1.2.3", 0, 0 },
		{ "+", CT_SCALAR_STR, "+", 0, 0 },
		{ "inf", CT_SCALAR_STR, "inf", 0, 0 },
		{ "-.nan", CT_SCALAR_STR, "-.nan", 0, 0 },
		{ ".Nan", CT_SCALAR_STR, ".Nan", 0, 0 },
		{ "NaN", CT_SCALAR_STR, "NaN", 0, 0 },
		{ "~x", CT_SCALAR_STR, "~x", 0, 0 },
		{ "12 monkeys", CT_SCALAR_STR, "12 monkeys", 0, 0 },
	};
	size_t i;
	ct_node *n, *v;
	char text[128];

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "- %s\n", cases[i].yaml);
		n = load(text);
		v = n->items[0];
		if (v->type != cases[i].type || strcmp(v->str, cases[i].text))
			fail_msg("%s: type %d text \"%s\"", cases[i].yaml,
			    (int)v->type, v->str);
		assert_int_equal(v->len, strlen(cases[i].text));
		if (v->type == CT_SCALAR_INT || v->type == CT_SCALAR_BOOL)
			assert_true(v->ival == cases[i].ival);
		if (v->type == CT_SCALAR_FLOAT) {
			if (isnan(cases[i].fval))
				assert_true(isnan(v->fval));
			else {
				assert_true(v->fval == cases[i].fval);
				assert_int_equal(signbit(v->fval) != 0,
				    signbit(cases[i].fval) != 0);
			}
		}
		ct_node_free(n);
	}
}

static void
test_quoted_and_block_scalars_are_strings(void **state)
{
	static const char *const texts[] = { "'true'", "\"1\"", "'~'", "''",
	    "\"0x1F\"", "'.inf'", "|-\n  1", ">-\n  null", NULL };
	static const char *const want[] = { "true", "1", "~", "", "0x1F",
	    ".inf", "1", "null" };
	ct_node *n;
	size_t i;

	(void)state;
	for (i = 0; texts[i] != NULL; i++) {
		n = load(texts[i]);
		assert_true(ct_node_is_str(n));
		assert_string_equal(n->str, want[i]);
		ct_node_free(n);
	}
}

static void
test_keys_are_text(void **state)
{
	ct_node *n;

	(void)state;
	n = load("1: a\n~: b\ntrue: c\n'': d\n0x10: e\n");
	assert_int_equal(n->n, 5);
	assert_string_equal(ct_map_str(n, "1"), "a");
	assert_string_equal(ct_map_str(n, "~"), "b");
	assert_string_equal(ct_map_str(n, "true"), "c");
	assert_string_equal(ct_map_str(n, ""), "d");
	assert_string_equal(ct_map_str(n, "0x10"), "e");
	ct_node_free(n);
}

static void
test_nul_in_quoted_value_kept(void **state)
{
	ct_node *n;
	char *out;

	(void)state;
	n = load("v: \"a\\0b\"\n");
	assert_int_equal(ct_map_get(n, "v")->len, 3);
	assert_memory_equal(ct_map_get(n, "v")->str, "a\0b", 4);
	out = emit(n, NULL);
	assert_string_equal(out, "v: \"a\\0b\"\n");
	free(out);
	ct_node_free(n);
}

/*
 * Emitting.
 */

struct style_case {
	const char *s;
	const char *yaml;   /* emitted as the value of key v */
};

static void
test_emit_string_styles(void **state)
{
	static const struct style_case cases[] = {
		{ "word", "v: word\n" },
		{ "Two words, (and) more.", "v: Two words, (and) more.\n" },
		{ "a/b_c+d@e.f-g", "v: a/b_c+d@e.f-g\n" },
		{ "it's", "v: it's\n" },
		{ "yesterday", "v: yesterday\n" },
		{ "", "v: ''\n" },
		{ "yes", "v: 'yes'\n" },
		{ "No", "v: 'No'\n" },
		{ "ON", "v: 'ON'\n" },
		{ "off", "v: 'off'\n" },
		{ "y", "v: 'y'\n" },
		{ "n", "v: 'n'\n" },
		{ "true", "v: 'true'\n" },
		{ "False", "v: 'False'\n" },
		{ "null", "v: 'null'\n" },
		{ "~", "v: '~'\n" },
		{ "0123", "v: '0123'\n" },
		{ "1e3", "v: '1e3'\n" },
		{ "12", "v: '12'\n" },
		{ ".5", "v: '.5'\n" },
		{ "2026-01-01", "v: '2026-01-01'\n" },
		{ "1:20", "v: '1:20'\n" },
		{ "-x", "v: '-x'\n" },
		{ ":x", "v: ':x'\n" },
		{ "#x", "v: '#x'\n" },
		{ "a: b", "v: 'a: b'\n" },
		{ "a #b", "v: 'a #b'\n" },
		{ "a:b", "v: 'a:b'\n" },
		{ "[x]", "v: '[x]'\n" },
		{ " lead", "v: ' lead'\n" },
		{ "trail ", "v: 'trail '\n" },
		{ "it's: x", "v: 'it''s: x'\n" },
		{ "Zoë", "v: 'Zoë'\n" },
		{ "\"q\"", "v: '\"q\"'\n" },
		{ "tab\there", "v: \"tab\\there\"\n" },
		{ "bell\x07", "v: \"bell\\a\"\n" },
		{ "\x01\x1f\x7f", "v: \"\\x01\\x1F\\x7F\"\n" },
		{ "cr\r", "v: \"cr\\r\"\n" },
		{ "nel\xc2\x85", "v: \"nel\\N\"\n" },
		{ "ls\xe2\x80\xa8", "v: \"ls\\L\"\n" },
		{ "ps\xe2\x80\xa9", "v: \"ps\\P\"\n" },
		{ "\xef\xbb\xbf" "bom", "v: \"\\uFEFFbom\"\n" },
		{ "back\\slash \"q\"\t", "v: \"back\\\\slash \\\"q\\\"\\t\"\n" },
		{ "a\nb", "v: |-\n  a\n  b\n" },
		{ "a\nb\n", "v: |\n  a\n  b\n" },
		{ "\nb", "v: |-\n\n  b\n" },
		{ "a\n  b", "v: |-\n  a\n    b\n" },
		{ "a\n\nb", "v: |-\n  a\n\n  b\n" },
		{ "# x\n- y\n", "v: |\n  # x\n  - y\n" },
		{ " a\nb", "v: \" a\\nb\"\n" },
		{ "\n a", "v: \"\\n a\"\n" },
		{ "a \nb", "v: \"a \\nb\"\n" },
		{ "a\nb ", "v: \"a\\nb \"\n" },
		{ "a\tb\nc", "v: \"a\\tb\\nc\"\n" },
		{ "\n", "v: \"\\n\"\n" },
		{ "\n\n", "v: \"\\n\\n\"\n" },
		/* Keep chomping would end the output with a blank line. */
		{ "a\n\n", "v: \"a\\n\\n\"\n" },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = emit_value_str(cases[i].s, strlen(cases[i].s));
		if (strcmp(out, cases[i].yaml) != 0)
			fail_msg("case %zu: got\n%s\nwant\n%s", i, out,
			    cases[i].yaml);
		assert_canonical(out);
		free(out);
	}
}

static void
test_emit_keep_literal_when_not_last(void **state)
{
	ct_node *map = ct_node_new_map();
	char *out;

	(void)state;
	assert_int_equal(ct_map_set(map, "a", ct_node_new_str("x\n\n")), 0);
	assert_int_equal(ct_map_set(map, "b", ct_node_new_int(1)), 0);
	out = emit(map, NULL);
	assert_string_equal(out, "a: |+\n  x\n\nb: 1\n");
	assert_canonical(out);
	free(out);
	ct_node_free(map);
}

static void
test_emit_layout(void **state)
{
	static const char text[] =
	    "a:\n"
	    "  b: c\n"
	    "  d:\n"
	    "    - 1\n"
	    "    - - x\n"
	    "      - 'y'\n"
	    "    - []\n"
	    "    - {}\n"
	    "    - k: v\n"
	    "      l:\n"
	    "        - |\n"
	    "          text\n"
	    "      m: |-\n"
	    "        two\n"
	    "        lines\n"
	    "e: {}\n"
	    "f: []\n";

	(void)state;
	assert_canonical(text);
	assert_canonical("- - - deep\n    - x\n  - 'y'\n- z\n");
	assert_canonical("- |-\n  a\n  b\n- 1\n");
}

static void
test_emit_scalar_roots(void **state)
{
	ct_node *n;
	char *out;

	(void)state;
	n = ct_node_new_str("x: y\nz");
	out = emit(n, NULL);
	assert_string_equal(out, "|-\n  x: y\n  z\n");
	free(out);
	ct_node_free(n);
	n = ct_node_new_int(-5);
	out = emit(n, NULL);
	assert_string_equal(out, "-5\n");
	free(out);
	ct_node_free(n);
	out = emit(NULL, NULL);
	assert_string_equal(out, "null\n");
	free(out);
}

static void
test_emit_floats(void **state)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
		{ 0.0, "0.0" }, { -0.0, "-0.0" }, { 1.0, "1.0" },
		{ 0.5, "0.5" }, { 100.0, "100.0" }, { 1000.0, "1000.0" },
		{ 1e15, "1000000000000000.0" }, { 1e16, "1.0e+16" },
		{ 1234.5678, "1234.5678" }, { 0.0001, "0.0001" },
		{ 0.00001, "1.0e-05" }, { -2.5e-5, "-2.5e-05" },
		{ 123456.0, "123456.0" }, { 0.1, "0.1" },
		{ 1e20, "1.0e+20" }, { 1.5e-7, "1.5e-07" },
		{ 3.141592653589793, "3.141592653589793" },
		{ 1.7976931348623157e308, "1.7976931348623157e+308" },
		{ 5e-324, "5.0e-324" },
		{ INFINITY, ".inf" }, { -INFINITY, "-.inf" }, { NAN, ".nan" },
	};
	ct_node *seq, *back;
	char *out, want[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		seq = ct_node_new_seq();
		assert_int_equal(ct_seq_push(seq, new_float(cases[i].v)), 0);
		out = emit(seq, NULL);
		snprintf(want, sizeof(want), "- %s\n", cases[i].text);
		assert_string_equal(out, want);
		back = load(out);
		assert_true(ct_node_equal(seq, back));
		assert_int_equal(back->items[0]->type, CT_SCALAR_FLOAT);
		free(out);
		ct_node_free(seq);
		ct_node_free(back);
	}
}

static void
test_emit_long_key_is_explicit(void **state)
{
	size_t len = 1500;
	char *key = malloc(len + 1), *out, *want;
	ct_node *map = ct_node_new_map(), *back;

	(void)state;
	assert_non_null(key);
	memset(key, 'k', len);
	key[len] = '\0';
	assert_int_equal(ct_map_set(map, key, ct_node_new_str("v")), 0);
	assert_int_equal(ct_map_set(map, "short", ct_node_new_seq()), 0);
	out = emit(map, NULL);
	want = malloc(len + 64);
	assert_non_null(want);
	snprintf(want, len + 64, "? %s\n: v\nshort: []\n", key);
	assert_string_equal(out, want);
	back = load(out);
	assert_true(ct_node_equal(map, back));
	free(out);
	free(want);
	ct_node_free(back);

	/* A key of exactly the limit stays implicit. */
	key[1000] = '\0';
	ct_node_free(map);
	map = ct_node_new_map();
	assert_int_equal(ct_map_set(map, key, ct_node_new_str("v")), 0);
	out = emit(map, NULL);
	assert_int_equal(out[1000], ':');
	back = load(out);
	assert_true(ct_node_equal(map, back));
	free(out);
	ct_node_free(back);
	ct_node_free(map);
	free(key);
}

static void
test_emit_multiline_key_is_explicit(void **state)
{
	ct_node *seq = ct_node_new_seq(), *map = ct_node_new_map(), *sub;
	char *out;

	(void)state;
	sub = ct_node_new_seq();
	assert_int_equal(ct_seq_push(sub, ct_node_new_str("x")), 0);
	assert_int_equal(ct_map_set(map, "two\nlines", sub), 0);
	assert_int_equal(ct_map_set(map, "b", ct_node_new_str("c")), 0);
	assert_int_equal(ct_seq_push(seq, map), 0);
	out = emit(seq, NULL);
	assert_string_equal(out,
	    "- ? |-\n"
	    "    two\n"
	    "    lines\n"
	    "  :\n"
	    "    - x\n"
	    "  b: c\n");
	assert_canonical(out);
	free(out);
	ct_node_free(seq);
}

static void
test_emit_invalid_utf8_replaced(void **state)
{
	ct_node *n, *back;
	char *out, *out2;

	(void)state;
	n = ct_node_new_str("bad\xff\xc3 end");
	out = emit(n, NULL);
	assert_string_equal(out, "'bad\xef\xbf\xbd\xef\xbf\xbd end'\n");
	back = load(out);
	out2 = emit(back, NULL);
	assert_string_equal(out2, out);
	free(out);
	free(out2);
	ct_node_free(n);
	ct_node_free(back);
}

static void
test_emit_depth_guard(void **state)
{
	ct_error err = { 0 };
	ct_node *t;
	char *out = NULL;
	size_t len;

	(void)state;
	t = nested_tree(CT_YAML_MAX_DEPTH);
	out = emit(t, NULL);
	free(out);
	out = json(t, true);
	free(out);
	ct_node_free(t);

	t = nested_tree(CT_YAML_MAX_DEPTH + 1);
	assert_int_equal(ct_yaml_emit(t, &out, &len, &err), CT_ERROR);
	assert_null(out);
	assert_non_null(strstr(ct_error_msg(&err), "deeper than 32"));
	ct_error_clear(&err);
	assert_int_equal(ct_json_emit(t, false, &out, &len, &err), CT_ERROR);
	assert_null(out);
	ct_error_clear(&err);
	ct_node_free(t);
}

/*
 * JSON.
 */

static void
test_json_escaping(void **state)
{
	ct_node *seq = ct_node_new_seq();
	char *out;

	(void)state;
	assert_int_equal(ct_seq_push(seq, ct_node_new_str(
	    "q\" b\\ n\n t\t r\r \x01\x1f\x7f é \xe2\x80\xa8 \xff")), 0);
	assert_int_equal(ct_seq_push(seq, ct_node_new_strn("a\0b", 3)), 0);
	out = json(seq, false);
	assert_string_equal(out,
	    "[\"q\\\" b\\\\ n\\n t\\t r\\r \\u0001\\u001f\\u007f é \\u2028"
	    " \\ufffd\",\"a\\u0000b\"]\n");
	free(out);
	ct_node_free(seq);
}

static void
test_json_pretty_and_compact(void **state)
{
	ct_node *n;
	char *out;

	(void)state;
	n = load("b: 1\na:\n  - x\n  - {}\n  - []\n  - {k: null, t: true}\n"
	    "c: 2026-01-01\n");
	out = json(n, true);
	assert_string_equal(out,
	    "{\n"
	    "  \"b\": 1,\n"
	    "  \"a\": [\n"
	    "    \"x\",\n"
	    "    {},\n"
	    "    [],\n"
	    "    {\n"
	    "      \"k\": null,\n"
	    "      \"t\": true\n"
	    "    }\n"
	    "  ],\n"
	    "  \"c\": \"2026-01-01\"\n"
	    "}\n");
	free(out);
	out = json(n, false);
	assert_string_equal(out,
	    "{\"b\":1,\"a\":[\"x\",{},[],{\"k\":null,\"t\":true}],"
	    "\"c\":\"2026-01-01\"}\n");
	free(out);
	ct_node_free(n);
}

static void
test_json_numbers(void **state)
{
	ct_node *n;
	char *out;

	(void)state;
	n = load("[0, -9223372036854775808, 1.5, 0.1, 1e300, -0.0, .inf, -.inf,"
	    " .nan, false]\n");
	out = json(n, false);
	assert_string_equal(out,
	    "[0,-9223372036854775808,1.5,0.1,1.0e+300,-0.0,null,null,null,false]\n");
	free(out);
	ct_node_free(n);
}

/*
 * Tree helpers.
 */

static void
test_constructors_fill_text(void **state)
{
	ct_node *n;

	(void)state;
	n = ct_node_new_int(-42);
	assert_int_equal(n->type, CT_SCALAR_INT);
	assert_string_equal(n->str, "-42");
	assert_int_equal(n->len, 3);
	assert_int_equal(n->line, 0);
	ct_node_free(n);
	n = ct_node_new_int(LLONG_MIN);
	assert_string_equal(n->str, "-9223372036854775808");
	ct_node_free(n);
	n = ct_node_new_bool(true);
	assert_string_equal(n->str, "true");
	assert_int_equal(n->ival, 1);
	ct_node_free(n);
	n = ct_node_new_bool(false);
	assert_string_equal(n->str, "false");
	ct_node_free(n);
	n = ct_node_new_null();
	assert_int_equal(n->type, CT_SCALAR_NULL);
	assert_string_equal(n->str, "null");
	ct_node_free(n);
	n = ct_node_new_strn("ab\0c", 4);
	assert_int_equal(n->len, 4);
	assert_memory_equal(n->str, "ab\0c", 5);
	ct_node_free(n);
	n = ct_node_new_str("");
	assert_true(ct_node_is_str(n));
	assert_int_equal(n->len, 0);
	ct_node_free(n);
	n = ct_node_new_map();
	assert_int_equal(n->kind, CT_NODE_MAP);
	assert_int_equal(n->n, 0);
	ct_node_free(n);
}

static void
test_map_get_set_del(void **state)
{
	ct_node *m = ct_node_new_map(), *v;

	(void)state;
	assert_int_equal(ct_map_set(m, "a", ct_node_new_str("1")), 0);
	assert_int_equal(ct_map_set(m, "b", ct_node_new_int(2)), 0);
	assert_int_equal(ct_map_set(m, "c", ct_node_new_str("3")), 0);
	assert_string_equal(ct_map_str(m, "a"), "1");
	assert_null(ct_map_str(m, "b"));      /* not a string */
	assert_null(ct_map_str(m, "zz"));
	assert_null(ct_map_get(m, "zz"));
	assert_int_equal(ct_map_get(m, "b")->ival, 2);

	/* Replacing keeps the position. */
	assert_int_equal(ct_map_set(m, "a", ct_node_new_str("one")), 0);
	assert_int_equal(m->n, 3);
	assert_string_equal(m->pairs[0].key, "a");
	assert_string_equal(ct_map_str(m, "a"), "one");

	ct_map_del(m, "b");
	assert_int_equal(m->n, 2);
	assert_string_equal(m->pairs[0].key, "a");
	assert_string_equal(m->pairs[1].key, "c");
	ct_map_del(m, "nope");
	assert_int_equal(m->n, 2);

	/* Ownership is taken on failure too (ASan checks for leaks). */
	v = ct_node_new_str("x");
	assert_int_equal(ct_map_set(NULL, "k", v), CT_ERROR);
	v = ct_node_new_seq();
	assert_int_equal(ct_map_set(v, "k", ct_node_new_str("x")), CT_ERROR);
	assert_null(ct_map_get(v, "k"));
	ct_node_free(v);
	assert_int_equal(ct_map_set(m, "k", NULL), CT_ERROR);
	ct_node_free(m);
}

static void
test_seq_push_insert_remove(void **state)
{
	ct_node *s = ct_node_new_seq();
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		assert_int_equal(ct_seq_push(s, ct_node_new_int(i)), 0);
	assert_int_equal(ct_seq_insert(s, 0, ct_node_new_int(-1)), 0);
	assert_int_equal(ct_seq_insert(s, 5, ct_node_new_int(100)), 0);
	assert_int_equal(ct_seq_insert(s, s->n, ct_node_new_int(200)), 0);
	assert_int_equal(ct_seq_insert(s, s->n + 1, ct_node_new_int(300)),
	    CT_ERROR);
	assert_int_equal(s->n, 13);
	assert_int_equal(s->items[0]->ival, -1);
	assert_int_equal(s->items[1]->ival, 0);
	assert_int_equal(s->items[5]->ival, 100);
	assert_int_equal(s->items[6]->ival, 4);
	assert_int_equal(s->items[12]->ival, 200);
	ct_seq_remove(s, 5);
	ct_seq_remove(s, 0);
	ct_seq_remove(s, 99);
	assert_int_equal(s->n, 11);
	assert_int_equal(s->items[0]->ival, 0);
	assert_int_equal(s->items[4]->ival, 4);
	assert_int_equal(ct_seq_push(NULL, ct_node_new_int(1)), CT_ERROR);
	ct_node_free(s);
}

static void
test_node_is_str(void **state)
{
	ct_node *n;

	(void)state;
	assert_false(ct_node_is_str(NULL));
	n = load("[a, '1', 1, ~, true, [], {}]");
	assert_true(ct_node_is_str(n->items[0]));
	assert_true(ct_node_is_str(n->items[1]));
	assert_false(ct_node_is_str(n->items[2]));
	assert_false(ct_node_is_str(n->items[3]));
	assert_false(ct_node_is_str(n->items[4]));
	assert_false(ct_node_is_str(n->items[5]));
	assert_false(ct_node_is_str(n->items[6]));
	ct_node_free(n);
}

static void
test_dup_is_deep_and_keeps_positions(void **state)
{
	ct_node *n, *d;

	(void)state;
	n = load("a:\n  - x\n  - {y: 1.5}\nb: \"q\\0r\"\n");
	d = ct_node_dup(n);
	assert_non_null(d);
	assert_true(ct_node_equal(n, d));
	assert_ptr_not_equal(d->pairs[0].value, n->pairs[0].value);
	assert_ptr_not_equal(d->pairs[0].key, n->pairs[0].key);
	assert_int_equal(d->pairs[0].value->items[1]->line, 3);
	assert_int_equal(d->pairs[0].value->items[1]->col, 5);
	assert_int_equal(d->pairs[1].line, 4);
	assert_int_equal(ct_map_get(d, "b")->len, 3);
	/* Changing the copy leaves the original alone. */
	assert_int_equal(ct_map_set(d, "b", ct_node_new_int(1)), 0);
	assert_false(ct_node_equal(n, d));
	assert_true(ct_node_is_str(ct_map_get(n, "b")));
	assert_null(ct_node_dup(NULL));
	ct_node_free(n);
	ct_node_free(d);
}

static void
test_equal(void **state)
{
	static const char *const pairs[][2] = {
		{ "{a: 1, b: 2}", "{b: 2, a: 1}" },   /* order matters */
		{ "{a: 1}", "{a: 1, b: 2}" },
		{ "{a: 1}", "{b: 1}" },
		{ "[1]", "['1']" },                   /* type matters */
		{ "[1]", "[1.0]" },
		{ "[true]", "['true']" },
		{ "[~]", "['']" },
		{ "[0.0]", "[-0.0]" },
		{ "[a]", "{a: ~}" },                   /* kind matters */
		{ "[[]]", "[{}]" },
		{ "[a, b]", "[a]" },
		{ "[\"a\\0b\"]", "[\"a\\0c\"]" },
	};
	ct_node *a, *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		a = load(pairs[i][0]);
		b = load(pairs[i][1]);
		if (ct_node_equal(a, b))
			fail_msg("%s equals %s", pairs[i][0], pairs[i][1]);
		assert_true(ct_node_equal(a, a));
		ct_node_free(a);
		ct_node_free(b);
	}
	/* Same value, different spelling: equal. */
	a = load("[0x1F, ~, True, 1e3, .NaN, \"x\"]");
	b = load("[31, null, true, 1000.0, .nan, x]");
	assert_true(ct_node_equal(a, b));
	ct_node_free(a);
	ct_node_free(b);
	assert_true(ct_node_equal(NULL, NULL));
	a = ct_node_new_null();
	assert_false(ct_node_equal(a, NULL));
	ct_node_free(a);
}

/*
 * Property: random trees survive emit → load → emit.
 */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned
rnd(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* Fragments that stress quoting: indicators, look-alikes, controls. */
static const char *const fragments[] = {
	"a", "Z", "word", " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "'",
	"\"", "\\", ":", ": ", " #", "#", "-", "- ", "?", "? ", ",", "[", "]",
	"{", "}", "&a", "*a", "!", "!!str", "%", "@", "`", "|", ">", "~",
	"yes", "No", "on", "OFF", "y", "null", "true", "0", "0123", "1e3",
	"0x1F", "0o17", ".inf", ".nan", "-1.5", "2026-01-01", "1:20", "---",
	"...", "\x01", "\x1b", "\x7f", "\xc2\x80", "\xc2\x85", "\xc2\xa0",
	"é", "€", "日本", "\xf0\x9f\x99\x82", "\xe2\x80\xa8", "\xe2\x80\xa9",
	"\xef\xbb\xbf", "\xef\xbf\xbe", "\xef\xbf\xbd",
};

static void
random_string(char *buf, size_t cap, size_t *lenp, bool allow_nul)
{
	size_t len = 0, flen;
	unsigned i, n = rnd(8);
	const char *f;

	for (i = 0; i < n; i++) {
		if (allow_nul && rnd(40) == 0)
			f = "\0";
		else
			f = fragments[rnd(sizeof(fragments) /
			    sizeof(fragments[0]))];
		flen = *f == '\0' ? 1 : strlen(f);
		if (len + flen >= cap)
			break;
		memcpy(buf + len, f, flen);
		len += flen;
	}
	buf[len] = '\0';
	*lenp = len;
}

static ct_node *
random_scalar(void)
{
	char buf[256];
	size_t len;
	union {
		uint64_t u;
		double d;
	} bits;

	switch (rnd(10)) {
	case 0:
		return ct_node_new_null();
	case 1:
		return ct_node_new_bool(rnd(2));
	case 2:
		switch (rnd(4)) {
		case 0:
			return ct_node_new_int(LLONG_MIN);
		case 1:
			return ct_node_new_int(LLONG_MAX);
		default:
			return ct_node_new_int((long long)rng() >> rnd(64));
		}
	case 3:
		bits.u = rng();
		if (rnd(2))
			bits.d = (double)(long long)(rng() % 2000001) / 1000.0 -
			    1000.0;
		return new_float(bits.d);
	default:
		random_string(buf, sizeof(buf), &len, true);
		return ct_node_new_strn(buf, len);
	}
}

static unsigned node_budget;

/* Add v to collection c (under a random key when c is a mapping). */
static void
random_add(ct_node *c, ct_node *v)
{
	char key[256];
	size_t len;

	assert_non_null(v);
	if (c->kind == CT_NODE_SEQ) {
		assert_int_equal(ct_seq_push(c, v), 0);
		return;
	}
	random_string(key, sizeof(key), &len, false);
	assert_int_equal(ct_map_set(c, key, v), 0);
}

/* A random tree of at most node_budget nodes. */
static ct_node *
random_tree(int depth, int maxdepth)
{
	unsigned i, n;
	ct_node *c;

	if (node_budget == 0 || depth >= maxdepth || rnd(3) == 0) {
		if (node_budget > 0)
			node_budget--;
		return random_scalar();
	}
	node_budget--;
	n = rnd(5);
	c = rnd(2) ? ct_node_new_map() : ct_node_new_seq();
	assert_non_null(c);
	for (i = 0; i < n; i++)
		random_add(c, random_tree(depth + 1, maxdepth));
	return c;
}

/* Collections nested exactly depth deep, with small random siblings. */
static ct_node *
random_deep(int depth)
{
	int sib = depth - 1 < 2 ? depth - 1 : 2;
	ct_node *c;

	c = rnd(2) ? ct_node_new_map() : ct_node_new_seq();
	assert_non_null(c);
	if (rnd(2))
		random_add(c, random_tree(0, sib));
	random_add(c, depth > 1 ? random_deep(depth - 1) : random_scalar());
	if (rnd(2))
		random_add(c, random_tree(0, sib));
	return c;
}

static void
test_property_random_trees_round_trip(void **state)
{
	ct_error err = { 0 };
	ct_node *t, *back;
	char *out, *out2, *js;
	size_t len, len2;
	int i;

	(void)state;
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (i = 0; i < 500; i++) {
		node_budget = 200;
		if (i % 25 == 0)
			t = random_deep(CT_YAML_MAX_DEPTH);
		else
			t = random_tree(0, 8);
		out = emit(t, &len);
		assert_true(len > 0 && out[len - 1] == '\n');
		assert_true(len < 2 || out[len - 2] != '\n');
		back = NULL;
		if (ct_yaml_load(out, len, "random", &back, &err) != 0)
			fail_msg("tree %d: %s\n%s", i, ct_error_msg(&err), out);
		if (!ct_node_equal(t, back))
			fail_msg("tree %d differs after a round trip:\n%s", i,
			    out);
		out2 = emit(back, &len2);
		assert_int_equal(len, len2);
		assert_memory_equal(out, out2, len);
		js = json(t, i % 2);
		free(js);
		free(out);
		free(out2);
		ct_node_free(t);
		ct_node_free(back);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_corpus_round_trips),
		cmocka_unit_test(test_input_normalises_to_expected),
		cmocka_unit_test(test_bad_fixtures_rejected_with_position),
		cmocka_unit_test(test_load_file_missing_is_enotfound),
		cmocka_unit_test(test_depth_32_loads),
		cmocka_unit_test(test_depth_33_rejected),
		cmocka_unit_test(test_size_exactly_max_loads),
		cmocka_unit_test(test_size_max_plus_one_rejected),
		cmocka_unit_test(test_many_keys_duplicate_found),
		cmocka_unit_test(test_alias_rejected),
		cmocka_unit_test(test_anchor_rejected),
		cmocka_unit_test(test_tags_rejected),
		cmocka_unit_test(test_duplicate_key_rejected),
		cmocka_unit_test(test_two_documents_rejected),
		cmocka_unit_test(test_nul_byte_rejected),
		cmocka_unit_test(test_non_scalar_key_rejected),
		cmocka_unit_test(test_syntax_error_has_position),
		cmocka_unit_test(test_numbers_out_of_range_rejected),
		cmocka_unit_test(test_empty_input_is_null),
		cmocka_unit_test(test_positions_are_one_based),
		cmocka_unit_test(test_resolve_core_schema),
		cmocka_unit_test(test_quoted_and_block_scalars_are_strings),
		cmocka_unit_test(test_keys_are_text),
		cmocka_unit_test(test_nul_in_quoted_value_kept),
		cmocka_unit_test(test_emit_string_styles),
		cmocka_unit_test(test_emit_keep_literal_when_not_last),
		cmocka_unit_test(test_emit_layout),
		cmocka_unit_test(test_emit_scalar_roots),
		cmocka_unit_test(test_emit_floats),
		cmocka_unit_test(test_emit_long_key_is_explicit),
		cmocka_unit_test(test_emit_multiline_key_is_explicit),
		cmocka_unit_test(test_emit_invalid_utf8_replaced),
		cmocka_unit_test(test_emit_depth_guard),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_pretty_and_compact),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_constructors_fill_text),
		cmocka_unit_test(test_map_get_set_del),
		cmocka_unit_test(test_seq_push_insert_remove),
		cmocka_unit_test(test_node_is_str),
		cmocka_unit_test(test_dup_is_deep_and_keeps_positions),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_property_random_trees_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
