/*
 * casetrail YAML: a strict loader into a small tree, and a canonical emitter.
 *
 * Loading (libyaml underneath) follows the YAML 1.2 core schema for plain
 * scalars: null (~, null, Null, NULL, empty), bool (true/True/TRUE,
 * false/False/FALSE), int (decimal, 0o octal, 0x hex), float (decimal with
 * optional exponent, .inf, .nan); every quoted or block scalar is a string.
 * It rejects, with "name:line:column: message": anchors, aliases, any
 * explicit tag, duplicate mapping keys, non-scalar keys, more than one
 * document, nesting deeper than CT_YAML_MAX_DEPTH, input larger than
 * CT_YAML_MAX_SIZE, and invalid YAML.
 *
 * The tree: a node is a scalar, a mapping (ordered key/value pairs) or a
 * sequence.  Every node records the 1-based line and column where it began
 * (0 for nodes built in memory).  A node owns its children; ct_node_free()
 * frees the whole subtree.
 *
 * The canonical emitter writes block style, keys in the order they are in
 * the mapping (use ct_schema_order() first for schema order), two-space
 * indentation with sequence items indented under their key, multi-line
 * strings as literal blocks, and quotes every string that YAML 1.1 or 1.2
 * would read as anything but that string (yes, no, on, off, null, ~, numbers,
 * dates, leading indicators, ": ", " #", ...).  load(emit(t)) equals t, and
 * emit(load(emit(t))) is byte-identical to emit(t).
 */
#ifndef CASETRAIL_YAML_H
#define CASETRAIL_YAML_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "casetrail/buf.h"
#include "casetrail/error.h"

#define CT_YAML_MAX_SIZE  (1024 * 1024) /* bytes per file */
#define CT_YAML_MAX_DEPTH 32            /* nested collections */

typedef enum ct_node_kind {
	CT_NODE_SCALAR,
	CT_NODE_MAP,
	CT_NODE_SEQ,
} ct_node_kind;

typedef enum ct_scalar_type {
	CT_SCALAR_STR,
	CT_SCALAR_INT,
	CT_SCALAR_FLOAT,
	CT_SCALAR_BOOL,
	CT_SCALAR_NULL,
} ct_scalar_type;

typedef struct ct_node ct_node;

typedef struct ct_pair {
	char *key;            /* NUL-terminated, owned */
	unsigned line, col;   /* position of the key */
	ct_node *value;       /* owned */
} ct_pair;

struct ct_node {
	ct_node_kind kind;
	unsigned line, col;   /* 1-based; 0 when built in memory */

	/* CT_NODE_SCALAR */
	ct_scalar_type type;
	char *str;            /* the text, NUL-terminated (may contain NUL: see len) */
	size_t len;
	long long ival;       /* CT_SCALAR_INT, CT_SCALAR_BOOL (0/1) */
	double fval;          /* CT_SCALAR_FLOAT */

	/* CT_NODE_MAP: pairs[0..n); CT_NODE_SEQ: items[0..n) */
	ct_pair *pairs;
	ct_node **items;
	size_t n, cap;
};

/*
 * Load one YAML document from buf[0..len).  name is used in error messages
 * (usually the store path, e.g. "cases/3f/ACT-0042/case.yaml").  An empty
 * document yields a NULL scalar node.  On success *out owns a new tree.
 */
int ct_yaml_load(const char *buf, size_t len, const char *name,
    ct_node **out, ct_error *err);

/* Load a file from the file system; the path is the name in messages. */
int ct_yaml_load_file(const char *path, ct_node **out, ct_error *err);

/*
 * Emit the canonical YAML text of a tree.  *out is a new NUL-terminated
 * buffer (free() it), *outlen its length without the NUL.  Fails only on
 * allocation failure or a tree nested deeper than CT_YAML_MAX_DEPTH.
 */
int ct_yaml_emit(const ct_node *root, char **out, size_t *outlen,
    ct_error *err);

/*
 * Finish a document built in b (comments for an editor, say) that ends
 * in the YAML of root (nothing when root is NULL): when rc is 0, append
 * it and hand b's text to *out, the caller's; else, or when b ran out of
 * memory, free b and leave *out NULL.  Returns rc, or the error.
 */
int ct_yaml_emit_doc(ct_buf *b, const ct_node *root, int rc, char **out,
    ct_error *err);

/*
 * Emit the tree as JSON (UTF-8, two-space indentation when pretty, one line
 * otherwise).  Scalars keep their type: strings quoted and escaped, ints and
 * floats as numbers (.inf/.nan become null), bools, null.
 */
int ct_json_emit(const ct_node *root, bool pretty, char **out,
    size_t *outlen, ct_error *err);

/* Constructors: return NULL only on allocation failure. */
ct_node *ct_node_new_map(void);
ct_node *ct_node_new_seq(void);
ct_node *ct_node_new_str(const char *s);            /* copies s */
ct_node *ct_node_new_strn(const char *s, size_t n); /* copies s[0..n) */
ct_node *ct_node_new_int(long long v);
ct_node *ct_node_new_bool(bool v);
ct_node *ct_node_new_null(void);

/* Deep copy (positions kept); NULL on allocation failure. */
ct_node *ct_node_dup(const ct_node *n);

/* Deep equality of kind, scalar type and text, keys and order. */
bool ct_node_equal(const ct_node *a, const ct_node *b);

void ct_node_free(ct_node *n);

/* Mapping access.  ct_map_get returns NULL when the key is absent or the
 * node is not a mapping. */
ct_node *ct_map_get(const ct_node *map, const char *key);
/* The string value of key, or NULL when absent or not a string scalar. */
const char *ct_map_str(const ct_node *map, const char *key);
/* Set key to value (takes ownership of value, also on failure): replaces
 * an existing value in place, else appends.  CT_ERROR on allocation failure
 * or when map is not a mapping. */
int ct_map_set(ct_node *map, const char *key, ct_node *value);
/* Remove key if present (frees its value). */
void ct_map_del(ct_node *map, const char *key);

/* Sequence access: append / insert before index i (i <= n); takes ownership
 * of value, also on failure. */
int ct_seq_push(ct_node *seq, ct_node *value);
int ct_seq_insert(ct_node *seq, size_t i, ct_node *value);
/* Remove item i and free it. */
void ct_seq_remove(ct_node *seq, size_t i);

/* True when n is a string scalar (CT_SCALAR_STR). */
bool ct_node_is_str(const ct_node *n);

#endif
