/*
 * casetrail registries: agencies (registry/agencies.yaml) and operators
 * (registry/operators.yaml), read as validated YAML trees.
 *
 * The lookups return nodes inside the document passed in (borrowed).
 *
 * The changes (add an agency or an operator, set an operator's key or
 * roles, deactivate or reactivate one) are transaction functions for
 * ct_store_write, each with the administrator policy: while no operator is
 * registered any git identity may change the registries (and the first
 * operator must be that identity, with the administrator role); after
 * that only operators with the administrator role may.  The change policy
 * of the store refuses to leave no active administrator.
 */
#ifndef CASETRAIL_REGISTRY_H
#define CASETRAIL_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/kind.h"
#include "casetrail/sign.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

/* The list ("operators" or "agencies") of a registry document, or NULL. */
const ct_node *ct_registry_list(const ct_node *doc, const char *list);

/* The entry of list whose field equals value (emails compare ignoring
 * ASCII case), or NULL. */
const ct_node *ct_registry_find(const ct_node *doc, const char *list,
    const char *field, const char *value);

/* True when the agency entry is a member of the Multi-Agency Panel
 * ("map_member: true"). */
bool ct_agency_map_member(const ct_node *agency);

/*
 * The registered MAP member agencies of an agencies document: *ids their
 * recipients "agency:ID" (NULL-terminated) and *names their ids joined
 * by ", ", both new (ct_strv_free, free); CT_ENOTFOUND when there is none.
 */
int ct_registry_map_members(const ct_node *doc, char ***ids, char **names,
    ct_error *err);

/* True when the operator entry is not deactivated ("active: false"). */
bool ct_operator_active(const ct_node *op);

/* True when the operator entry is active and lists role: a deactivated
 * operator holds no role. */
bool ct_operator_has_role(const ct_node *op, const char *role);

/* The roles an operator may have, NULL-terminated. */
extern const char *const ct_roles[];

/*
 * One change of the registries: the fields its transaction function uses
 * (the others are ignored).  Nothing is owned.
 */
typedef struct ct_registry_change {
	const char *id;            /* the agency's or the operator's id */
	const char *name;          /* add-*: the display name */
	bool map_member;           /* add-agency: a member of the MAP */
	const char *funded_by;     /* add-agency: the funding agency, or NULL */
	const char *email;         /* add-operator */
	const char *agency;        /* add-operator: or NULL */
	const char *team;          /* add-operator: or NULL */
	const char *const *roles;  /* add-operator, set-roles: NULL-terminated */
	const char *key;           /* add-operator (or NULL), set-key: the
	                              public key (ct_sign_read_pubkey) */
	ct_sign_format keyformat;
} ct_registry_change;

/*
 * The transaction functions (ct_txn_fn); arg is a const
 * ct_registry_change *.  Errors: CT_EPERM-style refusals from
 * ct_txn_require_role, CT_EEXISTS (the id or email is registered),
 * CT_ENOTFOUND (no such operator), CT_EINVALID (an unknown role or
 * agency; a first operator who is not the writer or not an
 * administrator), CT_ERROR.
 */
int ct_registry_add_agency(ct_txn *txn, void *arg, ct_error *err);
int ct_registry_add_operator(ct_txn *txn, void *arg, ct_error *err);
int ct_registry_set_key(ct_txn *txn, void *arg, ct_error *err);
int ct_registry_set_roles(ct_txn *txn, void *arg, ct_error *err);
int ct_registry_deactivate(ct_txn *txn, void *arg, ct_error *err);
int ct_registry_reactivate(ct_txn *txn, void *arg, ct_error *err);

/* The author may write a file of kind k by the kind's writers: holds one
 * of them (op: the author's registry entry). */
bool ct_kind_writer(const ct_kind *k, const struct ct_node *op);

#endif
