/*
 * Transactions (store.h): the changes a transform stages over its
 * snapshot, read back as the transaction sees them (its own puts first);
 * ct_store_write (write.c) commits them.
 */
#include <stdlib.h>
#include <string.h>

#include "casetrail/path.h"
#include "casetrail/schema.h"
#include "casetrail/yaml.h"
#include "store_int.h"

ct_snapshot *
ct_txn_snapshot(ct_txn *txn)
{
	return txn->snap;
}

const char *
ct_txn_operator(const ct_txn *txn)
{
	return txn->operator;
}

const char *
ct_txn_email(const ct_txn *txn)
{
	return txn->email;
}

static struct change *
txn_find(ct_txn *txn, const char *path)
{
	size_t i;

	for (i = 0; i < txn->nchanges; i++)
		if (strcmp(txn->changes[i].path, path) == 0)
			return &txn->changes[i];
	return NULL;
}

int
ct_txn_read(ct_txn *txn, const char *path, char **buf, size_t *len,
    ct_error *err)
{
	struct change *c = txn_find(txn, path);

	if (c == NULL)
		return ct_snapshot_read(txn->snap, path, buf, len, err);
	*buf = NULL;
	*len = 0;
	if (c->buf == NULL)
		return ct_error_set(err, CT_ENOTFOUND, "%s: no such file",
		    path);
	if ((*buf = malloc(c->len + 1)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	memcpy(*buf, c->buf, c->len);
	(*buf)[c->len] = '\0';
	*len = c->len;
	return 0;
}

int
ct_txn_load(ct_txn *txn, const char *path, ct_node **out, ct_error *err)
{
	return store_load(txn->snap, txn, path, true, out, err);
}

int
ct_txn_parse(ct_txn *txn, const char *path, ct_node **out, ct_error *err)
{
	return store_load(txn->snap, txn, path, false, out, err);
}

int
ct_txn_put_raw(ct_txn *txn, const char *path, const char *buf, size_t len,
    ct_error *err)
{
	struct change *c, *grown;
	char *copy;
	int rc;

	/* the tools' own paths keep the path rule, as the verifier wants */
	if ((rc = ct_path_check(path, CT_MODE_FILE, NULL, err)) < 0)
		return rc;
	if ((copy = malloc(len + 1)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	memcpy(copy, buf, len);
	copy[len] = '\0';
	if ((c = txn_find(txn, path)) != NULL) {
		free(c->buf);
		c->buf = copy;
		c->len = len;
		return 0;
	}
	grown = realloc(txn->changes, (txn->nchanges + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	txn->changes = grown;
	c = &txn->changes[txn->nchanges];
	if ((c->path = strdup(path)) == NULL) {
		free(copy);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	c->buf = copy;
	c->len = len;
	txn->nchanges++;
	return 0;
}

int
ct_txn_remove(ct_txn *txn, const char *path, ct_error *err)
{
	struct change *c;
	char *buf;
	size_t len;
	int rc;

	if ((rc = ct_txn_read(txn, path, &buf, &len, err)) < 0)
		return rc;
	free(buf);
	if ((c = txn_find(txn, path)) == NULL) {
		/* an empty put makes the entry, then it becomes a removal */
		if ((rc = ct_txn_put_raw(txn, path, "", 0, err)) < 0)
			return rc;
		c = txn_find(txn, path);
	}
	free(c->buf);
	c->buf = NULL;
	c->len = 0;
	return 0;
}

int
ct_txn_put(ct_txn *txn, const char *path, ct_node *doc, ct_error *err)
{
	const ct_schema *s;
	char *out = NULL;
	size_t len;
	int rc;

	if ((rc = store_path_schema(txn->st, path, &s, err)) < 0)
		return rc;
	ct_schema_order(s, doc);
	if ((rc = ct_schema_validate(s, doc, path, err)) < 0 ||
	    (rc = ct_yaml_emit(doc, &out, &len, err)) < 0)
		return rc;
	rc = ct_txn_put_raw(txn, path, out, len, err);
	free(out);
	return rc;
}

int
ct_txn_set_subject(ct_txn *txn, const char *subject, ct_error *err)
{
	char *copy = strdup(subject);

	if (copy == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	free(txn->subject);
	txn->subject = copy;
	return 0;
}

void
store_txn_reset(ct_txn *txn)
{
	size_t i;

	for (i = 0; i < txn->nchanges; i++) {
		free(txn->changes[i].path);
		free(txn->changes[i].buf);
	}
	free(txn->changes);
	txn->changes = NULL;
	txn->nchanges = 0;
	free(txn->operator);
	txn->operator = NULL;
	free(txn->email);
	txn->email = NULL;
	free(txn->subject);
	txn->subject = NULL;
	ct_snapshot_free(txn->snap);
	txn->snap = NULL;
}

/* Drop the puts whose content equals the snapshot's: they change nothing. */
int
store_txn_prune(ct_txn *txn, ct_error *err)
{
	char *old;
	size_t i, oldlen, kept = 0;
	int rc, same;

	for (i = 0; i < txn->nchanges; i++) {
		struct change *c = &txn->changes[i];

		rc = ct_snapshot_read(txn->snap, c->path, &old, &oldlen, err);
		if (rc < 0 && rc != CT_ENOTFOUND)
			return rc;
		ct_error_clear(err);
		same = rc == 0 && c->buf != NULL && oldlen == c->len &&
		    memcmp(old, c->buf, oldlen) == 0;
		free(old);
		if (same) {
			free(c->path);
			free(c->buf);
			continue;
		}
		txn->changes[kept++] = *c;
	}
	txn->nchanges = kept;
	return 0;
}
