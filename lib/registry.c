/*
 * Registry lookups over the YAML trees of registry/agencies.yaml and
 * registry/operators.yaml.
 */
#include <string.h>
#include <strings.h>

#include "casetrail/registry.h"

const char *const ct_roles[] = {
	"case-manager", "cmu-team-leader", "community-team-leader",
	"soct-officer", "map-member", "auditor",
	"community-corrections-officer", "administrator", NULL,
};

const ct_node *
ct_registry_list(const ct_node *doc, const char *list)
{
	const ct_node *l = ct_map_get(doc, list);

	return l != NULL && l->kind == CT_NODE_SEQ ? l : NULL;
}

const ct_node *
ct_registry_find(const ct_node *doc, const char *list, const char *field,
    const char *value)
{
	const ct_node *l = ct_registry_list(doc, list);
	const char *v;
	size_t i;

	if (l == NULL || value == NULL)
		return NULL;
	for (i = 0; i < l->n; i++) {
		if ((v = ct_map_str(l->items[i], field)) == NULL)
			continue;
		if (strcmp(field, "email") == 0 ? strcasecmp(v, value) == 0 :
		    strcmp(v, value) == 0)
			return l->items[i];
	}
	return NULL;
}

bool
ct_operator_active(const ct_node *op)
{
	const ct_node *a = ct_map_get(op, "active");

	return op != NULL && !(a != NULL && a->kind == CT_NODE_SCALAR &&
	    a->type == CT_SCALAR_BOOL && !a->ival);
}

bool
ct_operator_has_role(const ct_node *op, const char *role)
{
	const ct_node *roles = ct_map_get(op, "roles");
	size_t i;

	if (!ct_operator_active(op) || roles == NULL ||
	    roles->kind != CT_NODE_SEQ)
		return false;
	for (i = 0; i < roles->n; i++)
		if (ct_node_is_str(roles->items[i]) &&
		    strcmp(roles->items[i]->str, role) == 0)
			return true;
	return false;
}
