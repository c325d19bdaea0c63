/*
 * casetrail registries: agencies (registry/agencies.yaml) and operators
 * (registry/operators.yaml), read as validated YAML trees.
 *
 * The lookups return nodes inside the document passed in (borrowed).
 */
#ifndef CASETRAIL_REGISTRY_H
#define CASETRAIL_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/yaml.h"

/* The list ("operators" or "agencies") of a registry document, or NULL. */
const ct_node *ct_registry_list(const ct_node *doc, const char *list);

/* The entry of list whose field equals value (emails compare ignoring
 * ASCII case), or NULL. */
const ct_node *ct_registry_find(const ct_node *doc, const char *list,
    const char *field, const char *value);

/* True when the operator entry is not deactivated ("active: false"). */
bool ct_operator_active(const ct_node *op);

/* True when the operator entry is active and lists role: a deactivated
 * operator holds no role. */
bool ct_operator_has_role(const ct_node *op, const char *role);

/* The roles an operator may have, NULL-terminated. */
extern const char *const ct_roles[];

#endif
