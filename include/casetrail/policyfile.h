/*
 * casetrail policy files: the store's data files that readers interpret
 * beyond their schema, kept by administrators (the admin-only clause of
 * policy.h):
 *
 *   rules/deadlines.yaml     the deadline rules (rules.h, ct_rules_load)
 *   rules/lsi-r-bands.yaml   the LSI-R risk bands (assess.h,
 *                            ct_lsir_bands_parse)
 *   calendars/ACT.yaml       holiday adjustments (calendar.h,
 *   calendars/VIC.yaml       ct_calendar_apply on the computed calendar)
 *
 * ct_policyfile_check() judges a new content of one of them exactly as its
 * reader will: YAML parse, the kind's schema (kind.h), then the reader's
 * own checks, so that a file deadline-check or assess-add would refuse to
 * load is refused before it is committed.
 */
#ifndef CASETRAIL_POLICYFILE_H
#define CASETRAIL_POLICYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/kind.h"
#include "casetrail/yaml.h"

/* The store paths of the policy files, NULL-terminated. */
extern const char *const ct_policyfile_paths[];

/* The allowed paths as one phrase, "rules/deadlines.yaml, ... or
 * calendars/VIC.yaml" (static). */
const char *ct_policyfile_list(void);

/* True when path is one of ct_policyfile_paths. */
bool ct_policyfile_is(const char *path);

/*
 * Check text[0..len) as the new content of the policy file at path.
 * name is the file named in messages (the file the text came from, or
 * path when NULL), so that "name:line:column: field: what" points at the
 * text given.  On success *doc (when not NULL) gets the parsed document
 * (owned by the caller, ct_node_free).  Errors: CT_EINVALID with the
 * first problem of the reader (all the schema's problems, one per line),
 * or for a path that is not a policy file; CT_ERROR (out of memory).
 */
int ct_policyfile_check(const char *path, const char *text, size_t len,
    const char *name, ct_node **doc, ct_error *err);

/*
 * The reader's own checks of doc, the parsed content of the policy file
 * at path, as ct_policyfile_check() makes them after the schema: the
 * change policy's policy-file clause (policy.h), so that a file that
 * arrives by plain git is judged as one written by store-policy.  0 for
 * a path that is not a policy file, for NULL (no file) and for a document
 * the schema refuses (the schema check reports those); else as above.
 */
int ct_policyfile_check_doc(const char *path, const ct_node *doc,
    ct_error *err);

#endif
