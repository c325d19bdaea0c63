/*
 * Unit tests for lib/core/schema.c: the JSON Schema subset validator.
 *
 * Small schemas written inline test one keyword or behaviour each; the
 * fixture sets in CT_FIXTURES/schema/<set>/{valid,invalid}/ test the
 * built-in schemas (and keywords/schema.json) on realistic records.  Each
 * invalid/NAME.yaml has an invalid/NAME.error whose non-empty lines must
 * all appear in the error message; records are loaded under their file
 * name, so the expected text may include "NAME.yaml:LINE:COL: ".  The same
 * fixtures are validated by Python's jsonschema in schema_crosscheck.py.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casetrail/embedded.h"
#include "casetrail/error.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"

#include "yamlfx.h"

#define SCHEMA_FIXTURES CT_FIXTURES "/schema"

/* ------------------------------------------------------------ helpers */

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static ct_schema *
compile_ok(const char *json)
{
	ct_error err = {0};
	ct_schema *s = NULL;

	if (ct_schema_parse(json, strlen(json), "t.json", &s, &err) != 0)
		fail_msg("schema does not compile: %s\n%s", ct_error_msg(&err),
		    json);
	ct_error_clear(&err);
	return s;
}

/* Compile json; the error message (to free) or NULL when it compiled. */
static char *
compile_error(const char *json)
{
	ct_error err = {0};
	ct_schema *s = NULL;
	char *msg = NULL;
	int rc;

	rc = ct_schema_parse(json, strlen(json), "t.json", &s, &err);
	if (rc == 0)
		ct_schema_free(s);
	else {
		assert_int_equal(rc, CT_EINVALID);
		assert_null(s);
		msg = xstrdup(ct_error_msg(&err));
	}
	ct_error_clear(&err);
	return msg;
}

/* Validate yaml (loaded as "rec.yaml") against s; the message or NULL. */
static char *
check_with(const ct_schema *s, const char *yaml)
{
	ct_error err = {0};
	ct_node *doc = NULL;
	char *msg = NULL;
	int rc;

	if (ct_yaml_load(yaml, strlen(yaml), "rec.yaml", &doc, &err) != 0)
		fail_msg("test record does not load: %s", ct_error_msg(&err));
	rc = ct_schema_validate(s, doc, "rec.yaml", &err);
	if (rc != 0) {
		assert_int_equal(rc, CT_EINVALID);
		msg = xstrdup(ct_error_msg(&err));
	}
	ct_node_free(doc);
	ct_error_clear(&err);
	return msg;
}

static char *
check(const char *json, const char *yaml)
{
	ct_schema *s = compile_ok(json);
	char *msg = check_with(s, yaml);

	ct_schema_free(s);
	return msg;
}

#define VALID(json, yaml) valid_at(__LINE__, json, yaml)
#define INVALID(json, yaml, want) invalid_at(__LINE__, json, yaml, want)

static void
valid_at(int line, const char *json, const char *yaml)
{
	char *msg = check(json, yaml);

	if (msg != NULL)
		fail_msg("line %d: expected valid:\n%s\ngot: %s", line, yaml,
		    msg);
}

/* Invalid, and the message contains want. */
static void
invalid_at(int line, const char *json, const char *yaml, const char *want)
{
	char *msg = check(json, yaml);

	if (msg == NULL)
		fail_msg("line %d: expected invalid:\n%s", line, yaml);
	if (strstr(msg, want) == NULL)
		fail_msg("line %d: message\n%s\ndoes not contain\n%s", line,
		    msg, want);
	free(msg);
}

static size_t
count_lines(const char *s)
{
	size_t n = 1;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

static int
read_file(const char *path, char **out, size_t *outlen)
{
	FILE *f;
	char *buf = NULL, *p;
	size_t len = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(buf, cap + 1);
			assert_non_null(p);
			buf = p;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

static char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of dir, sorted; *n their number. */
static char **
list_yaml(const char *dir, size_t *n)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, **p;
	size_t len;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		fail_msg("no fixture directory %s", dir);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		p = realloc(names, (*n + 1) * sizeof(*names));
		assert_non_null(p);
		names = p;
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), name_cmp);
	return names;
}

/* Whether every non-empty line of want is in msg; prints the first that
 * is not. */
static int
has_lines(const char *msg, char *want, const char *what)
{
	char *line, *save = NULL;

	for (line = strtok_r(want, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strstr(msg, line) == NULL) {
			print_error("%s: message\n%s\ndoes not contain\n%s\n",
			    what, msg, line);
			return 0;
		}
	return 1;
}

/* "dir/NAME.yaml" -> "dir/NAME.error" */
static char *
error_path(const char *yaml)
{
	size_t n = strlen(yaml) - strlen(".yaml");
	char *p = malloc(n + sizeof(".error"));

	assert_non_null(p);
	memcpy(p, yaml, n);
	memcpy(p + n, ".error", sizeof(".error"));
	return p;
}

/*
 * Check every fixture of one verdict in setdir; returns the number of
 * files and adds the failures to *bad.
 */
static size_t
run_fixtures(const ct_schema *s, const char *setdir, int valid, int *bad)
{
	ct_error err = {0};
	ct_node *doc;
	char *dir, *path, *errpath, *text, *want, **names;
	size_t i, n, len, wantlen;
	int rc;

	dir = path_join(setdir, valid ? "valid" : "invalid");
	names = list_yaml(dir, &n);
	for (i = 0; i < n; i++) {
		path = path_join(dir, names[i]);
		assert_int_equal(read_file(path, &text, &len), 0);
		doc = NULL;
		if (ct_yaml_load(text, len, names[i], &doc, &err) != 0) {
			print_error("%s: does not load: %s\n", path,
			    ct_error_msg(&err));
			(*bad)++;
		} else if ((rc = ct_schema_validate(s, doc, names[i],
		    &err)) == 0 && !valid) {
			print_error("%s: expected invalid, is valid\n", path);
			(*bad)++;
		} else if (rc != 0 && valid) {
			print_error("%s: expected valid: %s\n", path,
			    ct_error_msg(&err));
			(*bad)++;
		} else if (rc != 0) {
			errpath = error_path(path);
			if (rc != CT_EINVALID) {
				print_error("%s: code %d\n", path, rc);
				(*bad)++;
			} else if (read_file(errpath, &want, &wantlen) != 0) {
				print_error("%s: missing\n", errpath);
				(*bad)++;
			} else {
				if (!has_lines(ct_error_msg(&err), want, path))
					(*bad)++;
				free(want);
			}
			free(errpath);
		}
		ct_error_clear(&err);
		ct_node_free(doc);
		free(text);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return n;
}

/* Check a fixture set: its own schema.json, else the built-in schema. */
static void
fixture_set_min(const char *name, size_t min_valid, size_t min_invalid)
{
	ct_error err = {0};
	ct_schema *s = NULL;
	char *setdir, *path, *text;
	size_t len, nvalid, ninvalid;
	int bad = 0;

	setdir = path_join(SCHEMA_FIXTURES, name);
	path = path_join(setdir, "schema.json");
	if (read_file(path, &text, &len) == 0) {
		if (ct_schema_parse(text, len, "schema.json", &s, &err) != 0)
			fail_msg("%s: %s", path, ct_error_msg(&err));
		free(text);
	} else if (ct_schema_load(name, &s, &err) != 0)
		fail_msg("schema %s: %s", name, ct_error_msg(&err));
	nvalid = run_fixtures(s, setdir, 1, &bad);
	ninvalid = run_fixtures(s, setdir, 0, &bad);
	ct_schema_free(s);
	free(path);
	free(setdir);
	if (bad > 0)
		fail_msg("%s: %d fixture(s) failed", name, bad);
	assert_true(nvalid >= min_valid);
	assert_true(ninvalid >= min_invalid);
}

/* The fixture sets of the foundation's schemas are the large ones. */
static void
fixture_set(const char *name)
{
	fixture_set_min(name, 5, 8);
}

/* The pairs of a mapping as "k1 k2 k3". */
static char *
keys_of(const ct_node *map)
{
	char *out;
	size_t i, len = 1;

	assert_int_equal(map->kind, CT_NODE_MAP);
	for (i = 0; i < map->n; i++)
		len += strlen(map->pairs[i].key) + 1;
	out = malloc(len);
	assert_non_null(out);
	out[0] = '\0';
	for (i = 0; i < map->n; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, map->pairs[i].key);
	}
	return out;
}

static void
assert_keys(const ct_node *map, const char *want)
{
	char *got = keys_of(map);

	if (strcmp(got, want) != 0)
		fail_msg("keys '%s', expected '%s'", got, want);
	free(got);
}

static ct_node *
load(const char *yaml)
{
	return yaml_doc(yaml, "rec.yaml");
}

/* ----------------------------------------------------- built-in schemas */

static void
test_builtin_schemas_compile(void **state)
{
	const struct ct_embedded_file *f;
	ct_error err = {0};
	ct_schema *s;
	size_t len, count = 0;

	(void)state;
	for (f = ct_embedded; f->name != NULL; f++) {
		len = strlen(f->name);
		if (len < 12 || strcmp(f->name + len - 12, ".schema.json") != 0)
			continue;
		s = NULL;
		if (ct_schema_parse(f->text, f->len, f->name, &s, &err) != 0)
			fail_msg("%s: %s", f->name, ct_error_msg(&err));
		ct_schema_free(s);
		count++;
	}
	assert_true(count >= 4);
}

static void
test_builtin_schemas_by_name(void **state)
{
	static const char *names[] = {"settings", "agencies", "operators",
	    "case"};
	ct_error err = {0};
	ct_schema *s;
	const char *text;
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		s = NULL;
		assert_int_equal(ct_schema_load(names[i], &s, &err), 0);
		assert_non_null(s);
		ct_schema_free(s);
		text = ct_schema_text(names[i], &len);
		assert_non_null(text);
		assert_int_equal(strlen(text), len);
		assert_non_null(strstr(text, "\"$schema\""));
	}
	s = (ct_schema *)1;
	assert_int_equal(ct_schema_load("no-such", &s, &err), CT_ENOTFOUND);
	assert_null(s);
	assert_non_null(strstr(ct_error_msg(&err), "no-such"));
	assert_null(ct_schema_text("no-such", &len));
	assert_null(ct_schema_text("case.schema", &len));
	ct_error_clear(&err);
}

/* ---------------------------------------------------- schema loading */

static void
test_unknown_keyword_rejected(void **state)
{
	char *msg;

	(void)state;
	msg = compile_error("{\"type\": \"object\",\n"
	    "  \"patternProperties\": {}}");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "t.json:2:3: unknown keyword "
	    "'patternProperties'"));
	free(msg);

	/* also inside a definition nothing refers to */
	msg = compile_error("{\"$defs\": {\"x\": {\"type\": \"string\",\n"
	    "  \"minLenght\": 1}}}");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "t.json:2:3: unknown keyword "
	    "'minLenght'"));
	free(msg);

	msg = compile_error("{\"definitions\": {}}");
	assert_non_null(strstr(msg, "'definitions'"));
	free(msg);
}

static void
test_annotations_ignored(void **state)
{
	(void)state;
	VALID("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
	    " \"$id\": \"x\", \"$comment\": \"c\", \"title\": \"t\","
	    " \"description\": \"d\", \"default\": 3, \"examples\": [1, 2],"
	    " \"type\": \"integer\"}", "5");
}

static void
test_bad_keyword_values_rejected(void **state)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{"{\"type\": \"text\"}", "t.json:1:10: unknown type 'text'"},
		{"{\"type\": [\"string\", \"string\"]}", "listed twice"},
		{"{\"type\": []}", "type must be"},
		{"{\"minLength\": -1}", "minLength must be a non-negative"},
		{"{\"maxItems\": \"3\"}", "maxItems must be a non-negative"},
		{"{\"minimum\": \"0\"}", "minimum must be a number"},
		{"{\"required\": [\"a\", 1]}", "required must be a list"},
		{"{\"required\": [\"a\", \"a\"]}", "listed twice"},
		{"{\"properties\": [\"a\"]}", "properties must be a mapping"},
		{"{\"properties\": {\"a\": 3}}", "a schema must be a mapping"},
		{"{\"enum\": \"a\"}", "enum must be a list"},
		{"{\"format\": \"email\"}", "format 'email' is not supported"},
		{"{\"items\": [{}]}", "prefixItems"},
		{"{\"pattern\": \"(a\"}", "t.json:1:13: pattern '(a'"},
		{"{\"pattern\": \"^\\\\d+$\"}", "\\d is not portable"},
		{"{\"pattern\": 3}", "pattern must be a string"},
		{"{\"$defs\": []}", "$defs must be a mapping"},
		{"[]", "t.json:1:1: a schema must be a mapping or a boolean"},
	};
	size_t i;
	char *msg;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		msg = compile_error(cases[i].json);
		if (msg == NULL)
			fail_msg("%s compiles", cases[i].json);
		if (strstr(msg, cases[i].want) == NULL)
			fail_msg("%s: '%s' does not contain '%s'",
			    cases[i].json, msg, cases[i].want);
		free(msg);
	}
}

static void
test_schema_syntax_error(void **state)
{
	char *msg;

	(void)state;
	msg = compile_error("{\"type\": \"object\",, }");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "t.json:"));
	free(msg);
}

/* ------------------------------------------------------------- $ref */

static void
test_ref_defs(void **state)
{
	static const char *json = "{\"properties\": {"
	    "\"a\": {\"$ref\": \"#/$defs/id\"},"
	    "\"b\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/id\"}}},"
	    "\"$defs\": {\"id\": {\"type\": \"string\", \"pattern\": \"^[a-z]+$\"}}}";

	(void)state;
	VALID(json, "a: abc\nb: [x, y]\n");
	INVALID(json, "a: ABC\n", "rec.yaml:1:4: a: 'ABC' does not match");
	INVALID(json, "b: [x, 7]\n", "b[1]: expected a string, found the "
	    "integer 7");
}

static void
test_ref_pointer_forms(void **state)
{
	static const char *json = "{\"properties\": {"
	    "\"name\": {\"type\": \"string\", \"maxLength\": 3},"
	    "\"alias\": {\"$ref\": \"#/properties/name\"},"
	    "\"list\": {\"items\": {\"enum\": [1, 2]}},"
	    "\"item\": {\"$ref\": \"#/properties/list/items\"},"
	    "\"odd\": {\"$ref\": \"#/$defs/a~1b\"},"
	    "\"tilde\": {\"$ref\": \"#/$defs/t~0\"},"
	    "\"pct\": {\"$ref\": \"#/$defs/c%25d\"}},"
	    "\"$defs\": {\"a/b\": {\"const\": \"slash\"},"
	    "\"t~\": {\"const\": \"tilde\"},"
	    "\"c%d\": {\"const\": \"percent\"}}}";

	(void)state;
	VALID(json, "alias: abc\nitem: 2\nodd: slash\ntilde: tilde\n"
	    "pct: percent\n");
	INVALID(json, "alias: abcd\n", "alias: 'abcd' is too long");
	INVALID(json, "item: 3\n", "item: 3 is not one of 1, 2");
	INVALID(json, "odd: x\n", "odd: must be 'slash'");
	INVALID(json, "tilde: x\n", "tilde: must be 'tilde'");
	INVALID(json, "pct: x\n", "pct: must be 'percent'");
}

static void
test_ref_with_sibling_keywords(void **state)
{
	static const char *json = "{\"properties\": {\"t\": "
	    "{\"$ref\": \"#/$defs/tag\", \"maxLength\": 3}},"
	    "\"$defs\": {\"tag\": {\"type\": \"string\", \"minLength\": 2}}}";

	(void)state;
	VALID(json, "t: abc\n");
	INVALID(json, "t: a\n", "t: 'a' is too short");
	INVALID(json, "t: abcd\n", "t: 'abcd' is too long");
}

static void
test_ref_recursive_schema(void **state)
{
	static const char *json = "{\"type\": \"object\","
	    "\"required\": [\"name\"],"
	    "\"properties\": {\"name\": {\"type\": \"string\"},"
	    "\"children\": {\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}}}";

	(void)state;
	VALID(json, "name: a\nchildren:\n  - name: b\n    children:\n"
	    "      - name: c\n");
	INVALID(json, "name: a\nchildren:\n  - name: b\n    children:\n"
	    "      - {}\n", "rec.yaml:5:9: children[0].children[0].name: "
	    "required field is missing");
}

static void
test_ref_cycle_rejected(void **state)
{
	char *msg;

	(void)state;
	msg = compile_error("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"},\n"
	    "\"b\": {\"type\": \"string\", \"$ref\": \"#/$defs/a\"}}}");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "leads back to itself"));
	free(msg);
	msg = compile_error("{\"$ref\": \"#\"}");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "t.json:1:10: $ref '#' leads back"));
	free(msg);
}

static void
test_ref_unresolvable_rejected(void **state)
{
	char *msg;

	(void)state;
	msg = compile_error("{\"$ref\": \"#/$defs/missing\"}");
	assert_non_null(strstr(msg, "t.json:1:10: $ref '#/$defs/missing' "
	    "points at nothing"));
	free(msg);
	msg = compile_error("{\"$ref\": \"other.json#/$defs/a\"}");
	assert_non_null(strstr(msg, "only local references"));
	free(msg);
	msg = compile_error("{\"$ref\": \"#anchor\"}");
	assert_non_null(strstr(msg, "only local references"));
	free(msg);
}

/* ---------------------------------------------------------- keywords */

static void
test_type_each(void **state)
{
	(void)state;
	VALID("{\"type\": \"string\"}", "abc");
	VALID("{\"type\": \"string\"}", "'42'");
	INVALID("{\"type\": \"string\"}", "42",
	    "rec.yaml:1:1: (root): expected a string, found the integer 42");
	VALID("{\"type\": \"integer\"}", "-7");
	VALID("{\"type\": \"integer\"}", "0x1F");
	INVALID("{\"type\": \"integer\"}", "'7'",
	    "expected an integer, found the string '7'");
	VALID("{\"type\": \"number\"}", "1.5");
	VALID("{\"type\": \"number\"}", "3");
	INVALID("{\"type\": \"number\"}", "true",
	    "expected a number, found the boolean true");
	VALID("{\"type\": \"boolean\"}", "false");
	INVALID("{\"type\": \"boolean\"}", "yes",
	    "expected a boolean (true or false), found the string 'yes'");
	VALID("{\"type\": \"null\"}", "~");
	VALID("{\"type\": \"null\"}", "");
	INVALID("{\"type\": \"null\"}", "''", "expected null, found the "
	    "string ''");
	VALID("{\"type\": \"object\"}", "{}");
	INVALID("{\"type\": \"object\"}", "[]",
	    "expected a mapping, found a sequence");
	VALID("{\"type\": \"array\"}", "[]");
	INVALID("{\"type\": \"array\"}", "a: 1",
	    "expected a sequence, found a mapping");
	VALID("{\"type\": [\"string\", \"null\"]}", "null");
	INVALID("{\"type\": [\"boolean\", \"string\", \"null\"]}", "1",
	    "expected a boolean (true or false), a string or null, "
	    "found the integer 1");
}

/* 2020-12: 1.0 is an integer; 1.5 is not; the string "1" is not. */
static void
test_type_integer_accepts_whole_floats(void **state)
{
	(void)state;
	VALID("{\"type\": \"integer\"}", "1.0");
	VALID("{\"type\": \"integer\"}", "1e3");
	INVALID("{\"type\": \"integer\"}", "1.5",
	    "expected an integer, found the number 1.5");
	INVALID("{\"type\": \"integer\"}", ".inf", "expected an integer");
	INVALID("{\"type\": \"integer\"}", ".nan", "expected an integer");
}

static void
test_properties(void **state)
{
	static const char *json = "{\"properties\": {"
	    "\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"integer\"}}}";

	(void)state;
	VALID(json, "a: x\nb: 1\nc: anything\n");
	VALID(json, "[1, 2]"); /* properties only constrain mappings */
	INVALID(json, "a: x\nb: y\n", "rec.yaml:2:4: b: expected an integer");
}

static void
test_required(void **state)
{
	static const char *json = "{\"required\": [\"id\", \"events\"]}";

	(void)state;
	VALID(json, "id: ACT-0042\nevents: []\n");
	VALID(json, "id: 1\nevents: ~\n");
	VALID(json, "abc"); /* only mappings */
	INVALID(json, "id: ACT-0042\n",
	    "rec.yaml:1:1: events: required field is missing");
}

static void
test_additional_properties_false(void **state)
{
	static const char *json = "{\"additionalProperties\": false,"
	    "\"properties\": {\"a\": true, \"b\": true}}";

	(void)state;
	VALID(json, "a: 1\nb: 2\n");
	INVALID(json, "a: 1\n  \nxyz: 2\n",
	    "rec.yaml:3:1: xyz: unknown field (expected one of a, b)");
	INVALID("{\"additionalProperties\": false}", "a: 1\n",
	    "a: unknown field (no fields are allowed here)");
	VALID("{\"additionalProperties\": true}", "a: 1\n");
}

static void
test_additional_properties_schema(void **state)
{
	static const char *json = "{\"properties\": {\"a\": true},"
	    "\"additionalProperties\": {\"type\": \"integer\"}}";

	(void)state;
	VALID(json, "a: text\nb: 2\nc: 3\n");
	INVALID(json, "a: text\nb: two\n",
	    "rec.yaml:2:4: b: expected an integer, found the string 'two'");
}

static void
test_enum(void **state)
{
	static const char *json = "{\"enum\": [\"ACT\", \"VIC\", 1, null, "
	    "false, [1, 2], {\"k\": \"v\"}]}";

	(void)state;
	VALID(json, "ACT");
	VALID(json, "1");
	VALID(json, "1.0");
	VALID(json, "~");
	VALID(json, "false");
	VALID(json, "[1, 2]");
	VALID(json, "{k: v}");
	INVALID(json, "act", "(root): 'act' is not one of ACT, VIC, 1, null, "
	    "false, a sequence, a mapping");
	INVALID(json, "'1'", "'1' is not one of");
	INVALID(json, "0", "0 is not one of");    /* false is not 0 */
	INVALID(json, "[2, 1]", "a sequence is not one of");
	INVALID(json, "{k: v, l: w}", "a mapping is not one of");
}

static void
test_enum_long_list_is_cut(void **state)
{
	char *json, *msg, *p;
	size_t i;

	(void)state;
	json = malloc(100 * 24 + 64);
	assert_non_null(json);
	p = json + sprintf(json, "{\"enum\": [");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "%s\"value-number-%zu\"", i ? ", " : "", i);
	strcpy(p, "]}");
	msg = check(json, "other");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "value-number-0, value-number-1"));
	assert_non_null(strstr(msg, ", ..."));
	assert_null(strstr(msg, "value-number-99"));
	assert_int_equal(count_lines(msg), 1);
	free(msg);
	free(json);
}

static void
test_const(void **state)
{
	(void)state;
	VALID("{\"const\": 1}", "1");
	VALID("{\"const\": 1}", "1.0");
	INVALID("{\"const\": 1}", "'1'",
	    "(root): must be 1, found the string '1'");
	INVALID("{\"const\": 1}", "true", "must be 1, found the boolean true");
	VALID("{\"const\": \"fixed\"}", "fixed");
	INVALID("{\"const\": \"fixed\"}", "Fixed",
	    "must be 'fixed', found the string 'Fixed'");
	VALID("{\"const\": null}", "~");
	INVALID("{\"const\": null}", "0", "must be null");
	VALID("{\"const\": {\"a\": [1, \"x\"]}}", "{a: [1, x]}");
	INVALID("{\"const\": {\"a\": [1, \"x\"]}}", "{a: [1, y]}",
	    "must be a mapping, found a mapping");
}

static void
test_pattern(void **state)
{
	(void)state;
	/* unanchored search, as in JSON Schema */
	VALID("{\"pattern\": \"ab+c\"}", "xxabbcxx");
	INVALID("{\"pattern\": \"ab+c\"}", "xxacxx",
	    "'xxacxx' does not match the pattern ab+c");
	VALID("{\"pattern\": \"^[A-Z]{3}-[0-9]{4}$\"}", "ACT-0042");
	INVALID("{\"pattern\": \"^[A-Z]{3}-[0-9]{4}$\"}", "ACT-00421",
	    "does not match");
	/* only strings */
	VALID("{\"pattern\": \"^[a-z]+$\"}", "42");
}

/* "$" is the end of the string: a trailing newline does not match. */
static void
test_pattern_anchor_is_end_of_string(void **state)
{
	static const char *json = "{\"pattern\": \"^[A-Za-z0-9][A-Za-z0-9._-]"
	    "{0,39}$\"}";

	(void)state;
	VALID(json, "ACT-0042");
	INVALID(json, "|\n  ACT-0042\n", "'ACT-0042\\n' does not match");
	INVALID(json, "\"ACT-0042\\0x\"", "'ACT-0042\\x00x' does not match");
	INVALID(json, "\"ACT\\n0042\"", "does not match");
}

static void
test_min_max_length_counts_characters(void **state)
{
	static const char *json = "{\"minLength\": 2, \"maxLength\": 3}";

	(void)state;
	VALID(json, "ab");
	VALID(json, "\xc3\xa9\xc3\xa9\xc3\xa9");          /* 3 in 6 bytes */
	VALID(json, "\xe2\x82\xac\xf0\x9f\x98\x80");      /* euro, emoji */
	INVALID(json, "\xc3\xa9", "is too short: 1 character, expected at "
	    "least 2");
	INVALID(json, "abcd", "'abcd' is too long: 4 characters, expected at "
	    "most 3");
	VALID(json, "12345"); /* only strings */
}

static void
test_minimum_maximum(void **state)
{
	static const char *json = "{\"minimum\": 0, \"maximum\": 10}";
	static const char *fjson = "{\"minimum\": -1.5, \"maximum\": 2.5}";

	(void)state;
	VALID(json, "0");
	VALID(json, "10");
	VALID(json, "9.75");
	INVALID(json, "-1", "(root): -1 is less than the minimum 0");
	INVALID(json, "10.5", "10.5 is more than the maximum 10");
	VALID(fjson, "-1");
	VALID(fjson, "2.5");
	INVALID(fjson, "-2", "-2 is less than the minimum -1.5");
	INVALID(fjson, "3", "3 is more than the maximum 2.5");
	VALID(json, "'100'"); /* only numbers */
	VALID(json, "true");
}

static void
test_items(void **state)
{
	static const char *json = "{\"items\": {\"type\": \"integer\"}}";

	(void)state;
	VALID(json, "[1, 2, 3]");
	VALID(json, "[]");
	VALID(json, "a: b"); /* only sequences */
	INVALID(json, "- 1\n- x\n- 3\n- y\n",
	    "rec.yaml:2:3: [1]: expected an integer, found the string 'x'");
	INVALID(json, "- 1\n- x\n- 3\n- y\n",
	    "rec.yaml:4:3: [3]: expected an integer");
	INVALID("{\"items\": false}", "[1]", "[0]: no value is allowed here");
}

static void
test_min_max_items(void **state)
{
	static const char *json = "{\"minItems\": 1, \"maxItems\": 2}";

	(void)state;
	VALID(json, "[a]");
	VALID(json, "[a, b]");
	INVALID(json, "[]", "(root): has 0 items, expected at least 1");
	INVALID(json, "[a, b, c]", "has 3 items, expected at most 2");
	VALID(json, "abc");
}

static void
test_format_date(void **state)
{
	static const char *json = "{\"format\": \"date\"}";

	(void)state;
	VALID(json, "2024-02-29");
	VALID(json, "1900-01-01");
	VALID(json, "2199-12-31");
	INVALID(json, "2023-02-29", "'2023-02-29' is not a valid date");
	INVALID(json, "2024-3-4", "is not a valid date");
	INVALID(json, "1899-12-31", "is not a valid date");
	INVALID(json, "2024-03-04T00:00:00Z", "is not a valid date");
	INVALID(json, "\"2024-03-04\\0\"", "is not a valid date");
	VALID(json, "20240304"); /* only strings */
}

static void
test_format_datetime(void **state)
{
	static const char *json = "{\"format\": \"date-time\"}";
	static const char *good[] = {
		"2024-03-05T09:30:00Z",
		"2024-03-05T09:30:00.5Z",
		"2024-03-05T09:30:00.123456+10:00",
		"2024-03-05T23:59:59-09:30",
		"2024-02-29T00:00:00+00:00",
		"2024-03-05t09:30:00z",
	};
	static const char *bad[] = {
		"2024-03-05T09:30:00",
		"2024-03-05 09:30:00Z",
		"2024-03-05T24:00:00Z",
		"2024-03-05T09:60:00Z",
		"2024-03-05T09:30:60Z",
		"2024-03-05T09:30Z",
		"2024-03-05T09:30:00.Z",
		"2024-03-05T09:30:00+1000",
		"2024-03-05T09:30:00+24:00",
		"2024-03-05T09:30:00+10:60",
		"2024-03-05T09:30:00Z ",
		"2023-02-29T09:30:00Z",
		"2024-3-05T09:30:00Z",
		"2024-03-05",
		"",
	};
	char yaml[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		snprintf(yaml, sizeof(yaml), "'%s'", good[i]);
		VALID(json, yaml);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(yaml, sizeof(yaml), "'%s'", bad[i]);
		INVALID(json, yaml, "is not a valid RFC 3339 date-time");
	}
}

static void
test_boolean_schemas(void **state)
{
	(void)state;
	VALID("true", "{a: [1, 2]}");
	INVALID("false", "1", "(root): no value is allowed here");
	INVALID("{\"properties\": {\"gone\": false}}", "gone: 1\n",
	    "rec.yaml:1:7: gone: no value is allowed here");
}

/* -------------------------------------------------- error messages */

static void
test_error_has_file_line_col_and_path(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	char *msg;

	(void)state;
	assert_int_equal(ct_schema_load("case", &s, &err), 0);
	msg = check_with(s, "id: ACT-0042\njurisdiction: ACT\n"
	    "cohort: sentenced\ncreated: 2024-03-04\nevents:\n"
	    "  - date: 2024-03-01\n    type: reception\n"
	    "  - date: 2024-03-02\n    type: recepton\n");
	assert_non_null(msg);
	assert_string_equal(msg, "rec.yaml:9:11: events[1].type: 'recepton' "
	    "is not one of reception, sentence-commenced, cm-assigned, "
	    "stage-changed, order-made, order-ended, eprd-set, engaged, "
	    "at-risk, risk-rating-changed, charged-sentenced, "
	    "circumstances-changed, goals-change-requested, released, "
	    "not-engaging, breach-referred");
	free(msg);
	ct_schema_free(s);
}

/* A missing field: the mapping's position, the path names the field. */
static void
test_error_missing_required_position(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	ct_node *doc;
	static const char *yaml = "id: X\njurisdiction: ACT\n"
	    "cohort: sentenced\ncreated: 2024-03-04\n";

	(void)state;
	assert_int_equal(ct_schema_load("case", &s, &err), 0);
	doc = load(yaml);
	assert_int_equal(ct_schema_validate(s, doc, "cases/3f/X/case.yaml",
	    &err), CT_EINVALID);
	assert_string_equal(ct_error_msg(&err),
	    "cases/3f/X/case.yaml:1:1: events: required field is missing");
	ct_error_clear(&err);
	ct_node_free(doc);
	ct_schema_free(s);
}

/* An unknown field: the key's position and path. */
static void
test_error_additional_property_position(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	char *msg;

	(void)state;
	assert_int_equal(ct_schema_load("operators", &s, &err), 0);
	msg = check_with(s, "operators:\n  - id: jsmith\n    name: J Smith\n"
	    "    email: j@act.gov.au\n    roles: [auditor]\n"
	    "    rolez: [auditor]\n");
	assert_string_equal(msg, "rec.yaml:6:5: operators[0].rolez: unknown "
	    "field (expected one of id, name, email, roles, agency, team, active)");
	free(msg);
	msg = check_with(s, "operators:\n  - id: jsmith\n    name: J Smith\n"
	    "    email: j@act.gov.au\n    roles: [auditor, bogus]\n");
	assert_string_equal(msg, "rec.yaml:5:22: operators[0].roles[1]: "
	    "'bogus' is not one of case-manager, cmu-team-leader, "
	    "community-team-leader, soct-officer, map-member, auditor, "
	    "community-corrections-officer, administrator");
	free(msg);
	ct_schema_free(s);
}

static void
test_error_every_problem_one_per_line(void **state)
{
	static const char *json = "{\"required\": [\"a\", \"b\"],"
	    "\"properties\": {\"c\": {\"type\": \"string\"},"
	    "\"d\": {\"minimum\": 5}}}";
	char *msg;

	(void)state;
	msg = check(json, "c: 1\nd: 2\n");
	assert_string_equal(msg,
	    "rec.yaml:1:1: a: required field is missing\n"
	    "rec.yaml:1:1: b: required field is missing\n"
	    "rec.yaml:1:4: c: expected a string, found the integer 1\n"
	    "rec.yaml:2:4: d: 2 is less than the minimum 5");
	free(msg);
}

static void
test_error_limit_20(void **state)
{
	static const char *json = "{\"items\": {\"type\": \"string\"}}";
	char *yaml, *p, *msg;
	int i;

	(void)state;
	yaml = malloc(50 * 8 + 1);
	assert_non_null(yaml);
	for (i = 0, p = yaml; i < 50; i++)
		p += sprintf(p, "- %d\n", i);
	msg = check(json, yaml);
	assert_non_null(msg);
	assert_int_equal(count_lines(msg), 20);
	assert_non_null(strstr(msg, "rec.yaml:20:3: [19]: expected a "
	    "string"));
	assert_null(strstr(msg, "[20]"));
	free(msg);
	free(yaml);
}

/* Values are quoted on one line; long ones are described. */
static void
test_error_values_quoted_on_one_line(void **state)
{
	static const char *json = "{\"properties\": {\"a\": {\"enum\": [\"x\"]},"
	    "\"b\": {\"enum\": [\"x\"]}, \"c\": {\"type\": \"integer\"}}}";
	char *msg;

	(void)state;
	msg = check(json, "a: \"two\\nlines\\t'q'\\\\\"\nb: |\n"
	    "  a long text that goes on for more than forty characters\n"
	    "  and has a second line\n");
	assert_non_null(msg);
	assert_int_equal(count_lines(msg), 2);
	assert_non_null(strstr(msg, "a: 'two\\nlines\\t\\'q\\'\\\\' is not "
	    "one of x\n"));
	assert_non_null(strstr(msg, "b: a string of 78 characters is not "
	    "one of x"));
	free(msg);
	msg = check(json, "c: |\n  one\n  two\n");
	assert_string_equal(msg, "rec.yaml:1:4: c: expected an integer, "
	    "found the string 'one\\ntwo\\n'");
	free(msg);
}

/* Keys that are not plain names are quoted in the path. */
static void
test_error_path_quotes_odd_keys(void **state)
{
	static const char *json = "{\"additionalProperties\": "
	    "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}}";
	char *msg;

	(void)state;
	msg = check(json, "\"a.b\": [x, 1]\n\"\": 2\nok: [3]\n");
	assert_non_null(msg);
	assert_non_null(strstr(msg, "['a.b'][1]: expected a string"));
	assert_non_null(strstr(msg, "['']: expected a sequence"));
	assert_non_null(strstr(msg, "ok[0]: expected a string"));
	free(msg);
}

/* Nodes built in memory have no position: "file: path: message". */
static void
test_error_tree_built_in_memory(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	ct_node *doc, *list;

	(void)state;
	assert_int_equal(ct_schema_load("agencies", &s, &err), 0);
	assert_non_null(doc = ct_node_new_map());
	assert_non_null(list = ct_node_new_seq());
	assert_int_equal(ct_map_set(doc, "agencies", list), 0);
	assert_int_equal(ct_seq_push(list, ct_node_new_str("dh")), 0);
	assert_int_equal(ct_schema_validate(s, doc, "registry/agencies.yaml",
	    &err), CT_EINVALID);
	assert_string_equal(ct_error_msg(&err), "registry/agencies.yaml: "
	    "agencies[0]: expected a mapping, found the string 'dh'");
	ct_error_clear(&err);
	ct_node_free(doc);
	ct_schema_free(s);
}

static void
test_validate_many_events(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	ct_node *doc;
	char *yaml, *p, *msg;
	int i;

	(void)state;
	assert_int_equal(ct_schema_load("case", &s, &err), 0);
	yaml = malloc(10001 * 48 + 200);
	assert_non_null(yaml);
	p = yaml + sprintf(yaml, "id: ACT-0042\njurisdiction: ACT\n"
	    "cohort: sentenced\ncreated: 2024-03-04\nevents:\n");
	for (i = 0; i < 10000; i++)
		p += sprintf(p, "  - date: 2024-03-04\n    type: engaged\n");
	doc = load(yaml);
	for (i = 0; i < 20; i++)
		assert_int_equal(ct_schema_validate(s, doc, "c.yaml", &err), 0);
	ct_node_free(doc);
	sprintf(p, "  - date: 2024-03-04\n    type: engaged\n");
	msg = check_with(s, yaml);
	assert_non_null(msg);
	assert_string_equal(msg, "rec.yaml:6:3: events: has 10001 items, "
	    "expected at most 10000");
	free(msg);
	free(yaml);
	ct_schema_free(s);
}

/* ----------------------------------------------------------- ordering */

static void
test_order_keys_in_schema_order(void **state)
{
	static const char *json = "{\"properties\": {\"a\": true, \"b\": true,"
	    "\"c\": true}}";
	ct_schema *s = compile_ok(json);
	ct_node *doc = load("y: 1\nc: 2\nx: 3\na: 4\nb: 5\nw: 6\n");

	(void)state;
	ct_schema_order(s, doc);
	assert_keys(doc, "a b c y x w");
	assert_int_equal(ct_map_get(doc, "a")->ival, 4);
	assert_int_equal(ct_map_get(doc, "w")->ival, 6);
	/* already in order: unchanged */
	ct_schema_order(s, doc);
	assert_keys(doc, "a b c y x w");
	ct_node_free(doc);
	ct_schema_free(s);
}

static void
test_order_follows_ref_and_items(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	ct_node *doc, *ev;

	(void)state;
	assert_int_equal(ct_schema_load("case", &s, &err), 0);
	doc = load("events:\n"
	    "  - note: n\n    type: engaged\n    zz: 1\n    date: 2024-01-02\n"
	    "  - {type: reception, date: 2024-01-01}\n"
	    "orders:\n  - {ended: 2024-02-01, made: 2024-01-01, "
	    "type: supervision}\n"
	    "created: 2024-01-01\nextra: 1\ncohort: sentenced\n"
	    "jurisdiction: ACT\nid: ACT-0042\n");
	ct_schema_order(s, doc);
	assert_keys(doc, "id jurisdiction cohort created orders events extra");
	ev = ct_map_get(doc, "events");
	assert_keys(ev->items[0], "date type note zz");
	assert_keys(ev->items[1], "date type");
	assert_keys(ct_map_get(doc, "orders")->items[0], "type made ended");
	ct_node_free(doc);
	ct_schema_free(s);
}

/* A $ref with sibling properties: own properties first, then the
 * target's; additionalProperties schemas are followed too. */
static void
test_order_ref_siblings_and_additional(void **state)
{
	static const char *json = "{\"$ref\": \"#/$defs/base\","
	    "\"properties\": {\"z\": true, \"m\": {\"additionalProperties\": "
	    "{\"properties\": {\"p\": true, \"q\": true}}}},"
	    "\"$defs\": {\"base\": {\"properties\": {\"a\": true, \"b\": true}}}}";
	ct_schema *s = compile_ok(json);
	ct_node *doc = load("u: 0\nb: 1\na: 2\nm: {k: {q: 1, r: 2, p: 3}}\n"
	    "z: 4\n");

	(void)state;
	ct_schema_order(s, doc);
	assert_keys(doc, "z m a b u");
	assert_keys(ct_map_get(ct_map_get(doc, "m"), "k"), "p q r");
	ct_node_free(doc);
	ct_schema_free(s);
}

/* Ordering leaves records that do not fit the schema alone. */
static void
test_order_tolerates_mismatches(void **state)
{
	ct_schema *s = NULL;
	ct_error err = {0};
	ct_node *doc;

	(void)state;
	assert_int_equal(ct_schema_load("case", &s, &err), 0);
	doc = load("events: {b: 1, a: 2}\norders: scalar\n");
	ct_schema_order(s, doc);
	assert_keys(doc, "orders events");
	assert_keys(ct_map_get(doc, "events"), "b a");
	ct_node_free(doc);
	doc = load("[3, 2, 1]");
	ct_schema_order(s, doc);
	ct_node_free(doc);
	ct_schema_order(s, NULL);
	ct_schema_order(NULL, NULL);
	ct_schema_free(s);
}

/* ----------------------------------------------------------- fixtures */

static void
test_fixtures_settings(void **state)
{
	(void)state;
	fixture_set("settings");
}

static void
test_fixtures_agencies(void **state)
{
	(void)state;
	fixture_set("agencies");
}

static void
test_fixtures_operators(void **state)
{
	(void)state;
	fixture_set("operators");
}

static void
test_fixtures_case(void **state)
{
	(void)state;
	fixture_set("case");
}

static void
test_fixtures_keywords(void **state)
{
	(void)state;
	fixture_set("keywords");
}

static void
test_fixtures_records(void **state)
{
	(void)state;
	fixture_set_min("cmp", 1, 5);
	fixture_set_min("lsi-r", 1, 5);
	fixture_set_min("disclosure", 5, 8);
	fixture_set_min("authority-notices", 3, 8);
	fixture_set_min("contacts", 2, 4);
	fixture_set_min("sab-reports", 2, 3);
	fixture_set_min("exceptions", 2, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_schemas_compile),
		cmocka_unit_test(test_builtin_schemas_by_name),
		cmocka_unit_test(test_unknown_keyword_rejected),
		cmocka_unit_test(test_annotations_ignored),
		cmocka_unit_test(test_bad_keyword_values_rejected),
		cmocka_unit_test(test_schema_syntax_error),
		cmocka_unit_test(test_ref_defs),
		cmocka_unit_test(test_ref_pointer_forms),
		cmocka_unit_test(test_ref_with_sibling_keywords),
		cmocka_unit_test(test_ref_recursive_schema),
		cmocka_unit_test(test_ref_cycle_rejected),
		cmocka_unit_test(test_ref_unresolvable_rejected),
		cmocka_unit_test(test_type_each),
		cmocka_unit_test(test_type_integer_accepts_whole_floats),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_additional_properties_false),
		cmocka_unit_test(test_additional_properties_schema),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_enum_long_list_is_cut),
		cmocka_unit_test(test_const),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_pattern_anchor_is_end_of_string),
		cmocka_unit_test(test_min_max_length_counts_characters),
		cmocka_unit_test(test_minimum_maximum),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_min_max_items),
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_format_datetime),
		cmocka_unit_test(test_boolean_schemas),
		cmocka_unit_test(test_error_has_file_line_col_and_path),
		cmocka_unit_test(test_error_missing_required_position),
		cmocka_unit_test(test_error_additional_property_position),
		cmocka_unit_test(test_error_every_problem_one_per_line),
		cmocka_unit_test(test_error_limit_20),
		cmocka_unit_test(test_error_values_quoted_on_one_line),
		cmocka_unit_test(test_error_path_quotes_odd_keys),
		cmocka_unit_test(test_error_tree_built_in_memory),
		cmocka_unit_test(test_validate_many_events),
		cmocka_unit_test(test_order_keys_in_schema_order),
		cmocka_unit_test(test_order_follows_ref_and_items),
		cmocka_unit_test(test_order_ref_siblings_and_additional),
		cmocka_unit_test(test_order_tolerates_mismatches),
		cmocka_unit_test(test_fixtures_settings),
		cmocka_unit_test(test_fixtures_agencies),
		cmocka_unit_test(test_fixtures_operators),
		cmocka_unit_test(test_fixtures_case),
		cmocka_unit_test(test_fixtures_keywords),
		cmocka_unit_test(test_fixtures_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
