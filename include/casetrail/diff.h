/*
 * casetrail field-level differences between two record trees ("what did
 * this edit change?"): a list of {path, old, new} values, one per changed
 * field, and a text form of it for people to read, one line per change:
 *
 *   version: 2 -> 3
 *   needs[N2].completed: (none) -> 2026-10-01
 *   needs[N2].status: in-progress -> completed
 *   goals[1]: Find stable accommodation -> (none)
 *
 * A path names mapping keys with "." and list entries in brackets: by the
 * entry's "id" when every entry of both lists is a mapping with a string
 * id and no id repeats (so inserting an entry shows as one addition, not
 * as every later entry changed); else, when every entry is a mapping
 * with a string "date" and "type" (a case's events), by identity: the
 * date, the type and the position among the entries of that same date
 * and type, so that a backdated event inserted before later ones shows as
 * one addition, and its path names its 0-based position in the new list
 * (in the old list when it was removed); else by the 0-based position.
 * A field present on one side only is "(none)" on the other; an added or
 * removed mapping or list is shown field by field ("[]" or "{}" when
 * empty).
 * Keys come in the order of the old tree, then the keys only the new tree
 * has; list entries in the old order, then the new ones.  A list whose
 * entries only moved (same ids) shows no change.
 *
 * In the text form scalars are shown as their text; a string is quoted,
 * with C-style escapes, when it is empty, has a newline or other control
 * character,
 * leading or trailing space, a double quote or backslash, contains " -> ",
 * reads "(none)", or reads as a number, bool or null ("12", "true").
 */
#ifndef CASETRAIL_DIFF_H
#define CASETRAIL_DIFF_H

#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/error.h"
#include "casetrail/yaml.h"

/*
 * One changed field.  path names it as above ("" for the root of the
 * tree); old and new are copies of the two values (a scalar, or an empty
 * mapping or list), NULL where the field is absent on that side.
 */
typedef struct ct_diff_change {
	char *path;
	ct_node *old;
	ct_node *new;
} ct_diff_change;

/* The changes from one tree to another, in the order described above. */
typedef struct ct_diff {
	ct_diff_change *v;
	size_t n;
} ct_diff;

/*
 * The differences from a to b (either may be NULL: no record) into *out,
 * which is owned by the caller (ct_diff_clear()); no changes when the
 * trees are equal.  Fails only on allocation failure (CT_ERROR), leaving
 * *out empty.
 */
int ct_diff_trees(const ct_node *a, const ct_node *b, ct_diff *out,
    ct_error *err);

/* Free the changes of d and leave it empty. */
void ct_diff_clear(ct_diff *d);

/*
 * Append the text form of one value of a change to b: "(none)" for NULL,
 * "{}" or "[]" for a mapping or list, "null", or the scalar, quoted with
 * C-style escapes when it needs to be (see above).
 */
void ct_diff_put_value(ct_buf *b, const ct_node *value);

/*
 * The differences from a to b (ct_diff_trees) as text,
 * one line per change, each ending in a newline; "" when the trees are
 * equal.  *out is owned by the caller (free()); *n (when not NULL) gets
 * the number of lines.  Fails only on allocation failure (CT_ERROR).
 */
int ct_node_diff(const ct_node *a, const ct_node *b, char **out, size_t *n,
    ct_error *err);

#endif
