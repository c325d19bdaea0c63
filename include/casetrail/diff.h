/*
 * casetrail field-level differences between two record trees, for people
 * to read ("what did this edit change?"), one line per changed field:
 *
 *   version: 2 -> 3
 *   needs[N2].completed: (none) -> 2026-10-01
 *   needs[N2].status: in-progress -> completed
 *   goals[1]: Find stable accommodation -> (none)
 *
 * A path names mapping keys with "." and list entries in brackets: by the
 * entry's "id" when every entry of both lists is a mapping with a string
 * id and no id repeats (so inserting an entry shows as one addition, not
 * as every later entry changed), else by the 0-based position.  A field
 * present on one side only is "(none)" on the other; an added or removed
 * mapping or list is shown field by field ("[]" or "{}" when empty).
 * Keys come in the order of the old tree, then the keys only the new tree
 * has; list entries in the old order, then the new ones.  A list whose
 * entries only moved (same ids) shows no change.
 *
 * Scalars are shown as their text; a string is quoted, with C-style
 * escapes, when it is empty, has a newline or other control character,
 * leading or trailing space, a double quote or backslash, contains " -> ",
 * reads "(none)", or reads as a number, bool or null ("12", "true").
 */
#ifndef CASETRAIL_DIFF_H
#define CASETRAIL_DIFF_H

#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/yaml.h"

/*
 * The differences from a to b (either may be NULL: no record) as text,
 * one line per change, each ending in a newline; "" when the trees are
 * equal.  *out is owned by the caller (free()); *n (when not NULL) gets
 * the number of lines.  Fails only on allocation failure (CT_ERROR).
 */
int ct_node_diff(const ct_node *a, const ct_node *b, char **out, size_t *n,
    ct_error *err);

#endif
