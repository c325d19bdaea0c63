/*
 * casetrail schema: a JSON Schema (draft 2020-12) subset validator.
 *
 * Supported keywords: type (string, integer, number, boolean, null, object,
 * array, or a list of them), properties, required, additionalProperties
 * (boolean or schema), enum, const, pattern (POSIX extended regular
 * expression, unanchored as in JSON Schema), minLength, maxLength, minimum,
 * maximum, items, minItems, maxItems, format "date" (YYYY-MM-DD, a real
 * calendar day, years 1900-2199) and "date-time" (RFC 3339, "Z" or offset),
 * local "$ref" ("#/$defs/name"), and the annotations title, description,
 * $schema, $id, $comment, default, examples, which are ignored.  Any other
 * keyword in a schema is an error when the schema is loaded, so a schema
 * can not silently rely on something that is not checked.
 *
 * Schemas are built into the library (the files in schemas/ at build time)
 * and found by name: "settings", "agencies", "operators", "case", ...
 */
#ifndef CASETRAIL_SCHEMA_H
#define CASETRAIL_SCHEMA_H

#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/yaml.h"

typedef struct ct_schema ct_schema;

/* Load a built-in schema by name (file schemas/<name>.schema.json). */
int ct_schema_load(const char *name, ct_schema **out, ct_error *err);

/* Compile a schema from JSON/YAML text; srcname is used in messages. */
int ct_schema_parse(const char *text, size_t len, const char *srcname,
    ct_schema **out, ct_error *err);

void ct_schema_free(ct_schema *s);

/*
 * Validate doc.  On failure returns CT_EINVALID with every problem found
 * (at most 20), one per line, each "file:line:column: path: message", where
 * path is the field path in the record ("needs[2].target", "(root)" for the
 * document itself).  file is the name to print (the store path).
 */
int ct_schema_validate(const ct_schema *s, const ct_node *doc,
    const char *file, ct_error *err);

/*
 * Reorder the keys of every mapping in doc into the order of the schema's
 * "properties" (following $ref and items); keys the schema does not list
 * keep their relative order after the listed ones.
 */
void ct_schema_order(const ct_schema *s, ct_node *doc);

/* The text of a built-in schema file (for tools that print or install it);
 * NULL when there is none of that name. */
const char *ct_schema_text(const char *name, size_t *len);

#endif
