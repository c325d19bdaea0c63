/*
 * Registry lookups over the YAML trees of registry/agencies.yaml and
 * registry/operators.yaml, and the registry changes (registry.h): each
 * loads the registry in its transaction, checks the administrator policy
 * and the entry, and puts the registry (and the signing key) back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "casetrail/buf.h"
#include "casetrail/case.h"

#include "casetrail/record.h"
#include "casetrail/kind.h"
#include "casetrail/registry.h"
#include "casetrail/role.h"
#include "casetrail/util.h"

const char *const ct_roles[] = {
	CT_ROLE_CASE_MANAGER, CT_ROLE_CMU_TEAM_LEADER,
	CT_ROLE_COMMUNITY_TEAM_LEADER, CT_ROLE_SOCT_OFFICER, CT_ROLE_MAP_MEMBER,
	CT_ROLE_AUDITOR, CT_ROLE_COMMUNITY_CORRECTIONS_OFFICER,
	CT_ROLE_ADMINISTRATOR, NULL,
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
ct_agency_map_member(const ct_node *agency)
{
	const ct_node *m = ct_map_get(agency, "map_member");

	return m != NULL && m->kind == CT_NODE_SCALAR &&
	    m->type == CT_SCALAR_BOOL && m->ival;
}

int
ct_registry_map_members(const ct_node *doc, char ***ids, char **names,
    ct_error *err)
{
	const ct_node *list = ct_registry_list(doc, "agencies");
	ct_buf b = { 0 };
	char **v;
	size_t i, n = 0;

	*ids = NULL;
	*names = NULL;
	if ((v = calloc((list ? list->n : 0) + 1, sizeof(*v))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	ct_buf_puts(&b, "");
	for (i = 0; list != NULL && i < list->n; i++) {
		const char *id = ct_map_str(list->items[i], "id");

		if (!ct_agency_map_member(list->items[i]) || id == NULL)
			continue;
		if (asprintf(&v[n++], "agency:%s", id) < 0) {
			v[--n] = NULL;
			b.failed = true;
			break;
		}
		ct_buf_printf(&b, "%s%s", n > 1 ? ", " : "", id);
	}
	if (b.failed || n == 0) {
		ct_strv_free(v);
		if (b.failed) {
			ct_buf_free(&b);
			return ct_error_set(err, CT_ERROR, "out of memory");
		}
		ct_buf_free(&b);
		return ct_error_set(err, CT_ENOTFOUND, "no MAP member agency "
		    "is registered");
	}
	*ids = v;
	*names = b.s;
	return 0;
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

/* Declared in store.h, with the transaction it reads through. */
int
ct_txn_require_role(ct_txn *txn, const char *what, const char *id,
    const char *role, ct_error *err)
{
	ct_node *ops = NULL;
	int rc;

	if ((rc = ct_txn_load(txn, CT_OPERATORS_PATH, &ops, err)) < 0)
		return rc;
	if (!ct_operator_has_role(ct_registry_find(ops, "operators", "id", id),
	    role))
		rc = ct_error_set(err, CT_EINVALID, "%s: '%s' is not a "
		    "registered operator with the %s role", what, id, role);
	ct_node_free(ops);
	return rc;
}

static int
set_true(ct_node *e, const char *key, ct_error *err)
{
	ct_node *n = ct_node_new_bool(true);

	if (n == NULL || ct_map_set(e, key, n) < 0)
		return ct_nomem(err);
	return 0;
}

/*
 * Once the first operator is registered, the registries are kept by
 * operators with the administrator role.
 */
static int
check_admin(ct_txn *txn, ct_error *err)
{
	const char *me = ct_txn_operator(txn);

	if (me == NULL)  /* bootstrap: nobody is registered yet */
		return 0;
	return ct_txn_require_role(txn, "changing the registries", me,
	    CT_ROLE_ADMINISTRATOR, err);
}

/* Load a registry after the administrator check. */
static int
load_checked(ct_txn *txn, const char *path, ct_node **doc, ct_error *err)
{
	int rc;

	*doc = NULL;
	if ((rc = check_admin(txn, err)) < 0)
		return rc;
	return ct_txn_load(txn, path, doc, err);
}

int
ct_registry_add_agency(ct_txn *txn, void *arg, ct_error *err)
{
	const ct_registry_change *a = arg;
	ct_node *doc, *e = NULL;
	int rc;

	if ((rc = load_checked(txn, CT_AGENCIES_PATH, &doc, err)) < 0)
		return rc;
	if (ct_registry_find(doc, "agencies", "id", a->id) != NULL) {
		rc = ct_error_set(err, CT_EEXISTS,
		    "agency '%s' is already registered", a->id);
		goto out;
	}
	if (a->funded_by != NULL &&
	    ct_registry_find(doc, "agencies", "id", a->funded_by) == NULL) {
		rc = ct_error_set(err, CT_EINVALID,
		    "--funded-by: no agency '%s' is registered", a->funded_by);
		goto out;
	}
	if ((e = ct_node_new_map()) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = ct_rec_set_str(e, "id", a->id, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "name", a->name, err)) < 0 ||
	    (a->map_member &&
	    (rc = set_true(e, "map_member", err)) < 0) ||
	    (a->funded_by != NULL &&
	    (rc = ct_rec_set_str(e, "funded_by", a->funded_by, err)) < 0))
		goto out;
	if (ct_seq_push(ct_map_get(doc, "agencies"), e) < 0) {
		rc = ct_nomem(err);
		goto out;
	}
	e = NULL;
	rc = ct_txn_put(txn, CT_AGENCIES_PATH, doc, err);
out:
	ct_node_free(e);
	ct_node_free(doc);
	return rc;
}

/* Drop the lines of allowed_signers that belong to email (and the
 * "# id" comment line the registry writes above each). */
static void
drop_signer(ct_buf *out, const char *text, size_t len, const char *email)
{
	const char *s = text, *end = text + len, *e, *next;
	size_t elen = strlen(email);

	for (; s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		if (*s == '#' && e < end) {
			next = e + 1;
			if ((size_t)(end - next) > elen &&
			    memcmp(next, email, elen) == 0 && next[elen] == ' ')
				continue;
		}
		if ((size_t)(e - s) > elen && memcmp(s, email, elen) == 0 &&
		    s[elen] == ' ')
			continue;
		ct_buf_add(out, s, (size_t)(e - s));
		ct_buf_putc(out, '\n');
	}
}

/* Register the operator's public key (ssh or OpenPGP, by its content). */
static int
put_key(ct_txn *txn, const ct_registry_change *a, const ct_node *op,
    ct_error *err)
{
	const char *id = ct_map_str(op, "id"), *email = ct_map_str(op, "email");
	ct_buf b = { 0 };
	char *text = NULL, *path = NULL;
	size_t len = 0;
	int rc;

	if (a->keyformat == CT_SIGN_OPENPGP) {
		if (asprintf(&path, "%s/%s.asc", CT_OPENPGP_KEYS_DIR, id) < 0)
			return ct_nomem(err);
		rc = ct_txn_put_raw(txn, path, a->key, strlen(a->key), err);
		free(path);
		return rc;
	}
	rc = ct_txn_read(txn, CT_ALLOWED_SIGNERS_PATH, &text, &len, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		return rc;
	drop_signer(&b, text != NULL ? text : "", len, email);
	ct_buf_printf(&b, "# %s\n%s namespaces=\"git\" %s\n", id, email,
	    a->key);
	if (b.failed)
		rc = ct_nomem(err);
	else
		rc = ct_txn_put_raw(txn, CT_ALLOWED_SIGNERS_PATH, b.s, b.len,
		    err);
	ct_buf_free(&b);
	free(text);
	return rc;
}

/* The operator entry id of doc, or NULL and CT_ENOTFOUND. */
static ct_node *
find_operator(ct_node *doc, const char *id, ct_error *err)
{
	ct_node *op = (ct_node *)ct_registry_find(doc, "operators", "id", id);

	if (op == NULL)
		ct_error_set(err, CT_ENOTFOUND,
		    "no operator '%s' is registered", id);
	return op;
}

int
ct_registry_set_key(ct_txn *txn, void *arg, ct_error *err)
{
	const ct_registry_change *a = arg;
	const ct_node *op;
	ct_node *doc;
	int rc;

	if ((rc = load_checked(txn, CT_OPERATORS_PATH, &doc, err)) < 0)
		return rc;
	if ((op = find_operator(doc, a->id, err)) == NULL)
		rc = CT_ENOTFOUND;
	else
		rc = put_key(txn, a, op, err);
	ct_node_free(doc);
	return rc;
}

/* The roles, checked: NULL and err on an unknown one. */
static ct_node *
role_list(const char *const *roles, ct_error *err)
{
	const char *const *r;
	ct_node *seq = ct_node_new_seq(), *n;

	if (seq == NULL) {
		ct_nomem(err);
		return NULL;
	}
	for (r = roles; r != NULL && *r != NULL; r++) {
		if (!ct_in_list(ct_roles, *r)) {
			ct_error_set(err, CT_EINVALID, "--role: unknown role "
			    "'%s'", *r);
			ct_node_free(seq);
			return NULL;
		}
		if ((n = ct_node_new_str(*r)) == NULL ||
		    ct_seq_push(seq, n) < 0) {
			ct_node_free(n);
			ct_node_free(seq);
			ct_nomem(err);
			return NULL;
		}
	}
	return seq;
}

/* Refuse an id or email already registered, or an unknown agency. */
static int
check_new_operator(ct_txn *txn, const ct_node *doc,
    const ct_registry_change *a, ct_error *err)
{
	ct_node *agencies = NULL;
	int rc = 0;

	if (ct_registry_find(doc, "operators", "id", a->id) != NULL)
		return ct_error_set(err, CT_EEXISTS,
		    "operator '%s' is already registered", a->id);
	if (ct_registry_find(doc, "operators", "email", a->email) != NULL)
		return ct_error_set(err, CT_EEXISTS,
		    "an operator with email '%s' is already registered",
		    a->email);
	if ((rc = ct_txn_load(txn, CT_AGENCIES_PATH, &agencies, err)) < 0)
		return rc;
	if (a->agency != NULL &&
	    ct_registry_find(agencies, "agencies", "id", a->agency) == NULL)
		rc = ct_error_set(err, CT_EINVALID,
		    "--agency: no agency '%s' is registered (add it with "
		    "'registry add-agency')", a->agency);
	ct_node_free(agencies);
	return rc;
}

/* The new operator entry into *out; err on failure. */
static int
operator_entry(const ct_registry_change *a, ct_node **out, ct_error *err)
{
	ct_node *e, *roles;
	int rc;

	*out = NULL;
	if ((e = ct_node_new_map()) == NULL)
		return ct_nomem(err);
	if ((rc = ct_rec_set_str(e, "id", a->id, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "name", a->name, err)) < 0 ||
	    (rc = ct_rec_set_str(e, "email", a->email, err)) < 0)
		goto fail;
	if ((roles = role_list(a->roles, err)) == NULL) {
		rc = err->code;
		goto fail;
	}
	if (ct_map_set(e, "roles", roles) < 0) {
		rc = ct_nomem(err);
		goto fail;
	}
	if ((a->agency != NULL &&
	    (rc = ct_rec_set_str(e, "agency", a->agency, err)) < 0) ||
	    (a->team != NULL &&
	    (rc = ct_rec_set_str(e, "team", a->team, err)) < 0))
		goto fail;
	*out = e;
	return 0;
fail:
	ct_node_free(e);
	return rc;
}

int
ct_registry_add_operator(ct_txn *txn, void *arg, ct_error *err)
{
	const ct_registry_change *a = arg;
	ct_node *doc, *e = NULL;
	int rc;

	if ((rc = load_checked(txn, CT_OPERATORS_PATH, &doc, err)) < 0)
		return rc;
	if ((rc = check_new_operator(txn, doc, a, err)) < 0)
		goto out;
	if ((rc = operator_entry(a, &e, err)) < 0)
		goto out;
	if (ct_txn_operator(txn) == NULL &&
	    (strcasecmp(a->email, ct_txn_email(txn)) != 0 ||
	    !ct_operator_has_role(e, CT_ROLE_ADMINISTRATOR))) {
		/* otherwise nobody could ever change the registries again */
		rc = ct_error_set(err, CT_EINVALID, "the first operator must be "
		    "you (--email %s) with the administrator role",
		    ct_txn_email(txn));
		goto out;
	}
	if (ct_seq_push(ct_map_get(doc, "operators"), e) < 0) {
		rc = ct_nomem(err);
		goto out;
	}
	rc = ct_txn_put(txn, CT_OPERATORS_PATH, doc, err);
	if (rc == 0 && a->key != NULL)
		rc = put_key(txn, a, e, err);
	e = NULL;
out:
	ct_node_free(e);
	ct_node_free(doc);
	return rc;
}

enum edit { EDIT_ROLES, EDIT_DEACTIVATE, EDIT_REACTIVATE };

/* set-roles, deactivate and reactivate: one operator entry changed. */
static int
edit_operator(ct_txn *txn, const ct_registry_change *a, enum edit what,
    ct_error *err)
{
	ct_node *doc, *op, *v;
	int rc;

	if ((rc = load_checked(txn, CT_OPERATORS_PATH, &doc, err)) < 0)
		return rc;
	if ((op = find_operator(doc, a->id, err)) == NULL) {
		rc = CT_ENOTFOUND;
		goto out;
	}
	if (what == EDIT_REACTIVATE) {
		ct_map_del(op, "active");
	} else {
		v = what == EDIT_ROLES ? role_list(a->roles, err) :
		    ct_node_new_bool(false);
		if (v == NULL) {
			rc = what == EDIT_ROLES ? err->code : ct_nomem(err);
			goto out;
		}
		if (ct_map_set(op, what == EDIT_ROLES ? "roles" : "active",
		    v) < 0) {
			rc = ct_nomem(err);
			goto out;
		}
	}
	/* the change policy refuses to leave no active administrator */
	rc = ct_txn_put(txn, CT_OPERATORS_PATH, doc, err);
out:
	ct_node_free(doc);
	return rc;
}

int
ct_registry_set_roles(ct_txn *txn, void *arg, ct_error *err)
{
	return edit_operator(txn, arg, EDIT_ROLES, err);
}

int
ct_registry_deactivate(ct_txn *txn, void *arg, ct_error *err)
{
	return edit_operator(txn, arg, EDIT_DEACTIVATE, err);
}

int
ct_registry_reactivate(ct_txn *txn, void *arg, ct_error *err)
{
	return edit_operator(txn, arg, EDIT_REACTIVATE, err);
}

bool
ct_kind_writer(const ct_kind *k, const ct_node *op)
{
	const char *const *w;

	if (k->writers == NULL)
		return op != NULL && ct_operator_active(op);
	for (w = k->writers; *w != NULL; w++)
		if (ct_operator_has_role(op, *w))
			return true;
	return false;
}
