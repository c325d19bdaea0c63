/*
 * casetrail record helpers shared by the record modules (case, CSP, CMP,
 * assessments): typed access to fields of a record tree and messages that
 * point at a node.
 */
#ifndef CASETRAIL_RECORD_H
#define CASETRAIL_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/yaml.h"

/*
 * CT_EINVALID with "file:line:column: message" (or "file: message" for a
 * node built in memory, which has no position).  Returns the code.
 */
int ct_error_at(ct_error *err, const char *file, const ct_node *n,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The date in map[key]; false when absent or not a valid date. */
bool ct_rec_date(const ct_node *map, const char *key, ct_date *out);

/* The integer in map[key], 0 when absent or not an integer. */
long long ct_rec_int(const ct_node *map, const char *key);

/* Set map[key] to a string, an integer or a date ("YYYY-MM-DD");
 * CT_ERROR "out of memory" on failure. */
int ct_rec_set_str(ct_node *map, const char *key, const char *value,
    ct_error *err);
int ct_rec_set_int(ct_node *map, const char *key, long long value,
    ct_error *err);
int ct_rec_set_date(ct_node *map, const char *key, ct_date d,
    ct_error *err);
/* Set map[key] to v (taken, also on failure; NULL is out of memory). */
int ct_rec_set(ct_node *map, const char *key, ct_node *v, ct_error *err);

/* map[key] as a string, or dflt when absent or not a string. */
const char *ct_rec_str_or(const ct_node *map, const char *key,
    const char *dflt);

/* The length of a sequence; 0 for NULL or a node that is not one. */
size_t ct_rec_len(const ct_node *seq);
/* The sequence map[key], made (empty) when absent or not a sequence;
 * NULL when out of memory. */
ct_node *ct_rec_list(ct_node *map, const char *key, ct_error *err);
/* The next free id of a list's entries ("r1", "r2", ... for prefix 'r'):
 * one more than the largest there. */
void ct_rec_next_id(const ct_node *list, char prefix, char *buf,
    size_t size);

#endif
