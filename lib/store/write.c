/*
 * The one write path of DESIGN.md §2 "Writing":
 *
 *   lock -> snapshot HEAD -> transform -> check author -> no change? stop
 *   -> refuse if the user edited a touched path -> tree (create_updated)
 *   -> commit -> compare-and-swap the branch (retry on a lost race)
 *   -> update index and work tree for the touched paths -> unlock
 *
 * The lock is the store's (store.c); the change policy is policy.c's, the
 * one store-verify runs on every commit.  A writer killed at any point
 * (DESIGN.md §2, fsync) leaves either the old branch or the new commit,
 * never a part of one; what it may leave behind is an index and work tree
 * not yet synced, a temporary file, and the lock files libgit2 takes for
 * the branch and the index: the journal (journal.c) is how the next
 * writer finishes that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "casetrail/policy.h"
#include "casetrail/registry.h"
#include "casetrail/sign.h"
#include "casetrail/trailers.h"
#include "store_int.h"

/*
 * The writer's identity: git config user.name / user.email, which must be a
 * registered operator once there is one.
 */
static int
check_author(ct_txn *txn, const ct_commit_spec *spec, git_signature **sig,
    ct_error *err)
{
	ct_node *ops = NULL;
	const ct_node *op, *list;
	int rc;

	if (git_signature_default(sig, txn->st->repo) < 0)
		return ct_error_set(err, CT_EINVALID,
		    "no git identity: set user.name and user.email "
		    "(git config user.email you@example.org)");
	rc = ct_snapshot_load(txn->snap, CT_OPERATORS_PATH, &ops,
	    err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		return rc;
	if ((txn->email = strdup((*sig)->email)) == NULL) {
		ct_node_free(ops);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	list = ct_registry_list(ops, "operators");
	txn->no_operators = list == NULL || list->n == 0;
	op = ct_registry_find(ops, "operators", "email", (*sig)->email);
	if (op != NULL && !ct_operator_active(op)) {
		rc = ct_error_set(err, CT_EINVALID, "git identity '%s <%s>' is "
		    "the deactivated operator %s; an administrator can "
		    "reactivate it (registry reactivate %s)", (*sig)->name,
		    (*sig)->email, ct_map_str(op, "id"), ct_map_str(op, "id"));
	} else if (op != NULL) {
		txn->operator = strdup(ct_map_str(op, "id"));
		rc = txn->operator == NULL ?
		    ct_error_set(err, CT_ERROR, "out of memory") : 0;
	} else if ((list == NULL || list->n == 0) &&
	    (spec->flags & CT_WRITE_BOOTSTRAP)) {
		rc = 0;
	} else if (list == NULL || list->n == 0) {
		rc = ct_error_set(err, CT_EINVALID,
		    "no operator is registered yet: register yourself first "
		    "with 'registry add-operator'");
	} else {
		rc = ct_error_set(err, CT_EINVALID,
		    "git identity '%s <%s>' is not a registered operator "
		    "(%s)", (*sig)->name, (*sig)->email, CT_OPERATORS_PATH);
	}
	ct_node_free(ops);
	return rc;
}

static int
make_diff(ct_txn *txn, char **out, ct_error *err)
{
	git_buf buf = { 0 };
	git_patch *patch = NULL;
	char *old = NULL, *acc = NULL, *grown;
	size_t i, oldlen, acclen = 0;
	int rc = 0;

	for (i = 0; i < txn->nchanges; i++) {
		struct change *c = &txn->changes[i];

		rc = ct_snapshot_read(txn->snap, c->path, &old, &oldlen, err);
		if (rc < 0 && rc != CT_ENOTFOUND)
			break;
		ct_error_clear(err);
		rc = 0;
		if (git_patch_from_buffers(&patch, old, oldlen, c->path,
		    c->buf, c->len, c->path, NULL) < 0 ||
		    git_patch_to_buf(&buf, patch) < 0) {
			rc = ct_git_fail(err, "diff");
			break;
		}
		if ((grown = realloc(acc, acclen + buf.size + 1)) == NULL) {
			rc = ct_error_set(err, CT_ERROR, "out of memory");
			break;
		}
		acc = grown;
		memcpy(acc + acclen, buf.ptr, buf.size);
		acclen += buf.size;
		acc[acclen] = '\0';
		git_buf_dispose(&buf);
		git_patch_free(patch);
		patch = NULL;
		free(old);
		old = NULL;
	}
	git_buf_dispose(&buf);
	git_patch_free(patch);
	free(old);
	if (rc < 0) {
		free(acc);
		return rc;
	}
	*out = acc != NULL ? acc : strdup("");
	return 0;
}

static int
build_tree(ct_txn *txn, git_oid *tree_id, ct_error *err)
{
	git_repository *repo = txn->st->repo;
	git_tree_update *up;
	git_tree *base;
	size_t i;
	int rc = 0;

	if ((up = calloc(txn->nchanges, sizeof(*up))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < txn->nchanges; i++) {
		struct change *c = &txn->changes[i];

		up[i].path = c->path;
		if (c->buf == NULL) {
			up[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		up[i].action = GIT_TREE_UPDATE_UPSERT;
		up[i].filemode = GIT_FILEMODE_BLOB;
		if (git_blob_create_from_buffer(&up[i].id, repo, c->buf,
		    c->len) < 0) {
			rc = ct_git_fail(err, c->path);
			goto out;
		}
	}
	/* an unborn branch has no baseline: the updates build the root */
	base = txn->snap->tree;
	if (git_tree_create_updated(tree_id, repo, base, txn->nchanges,
	    up) < 0)
		rc = ct_git_fail(err, "building tree");
out:
	free(up);
	return rc;
}

/*
 * Create the commit and move the branch from the snapshot's commit to it.
 * CT_ECONFLICT when the branch moved meanwhile.
 */
static int
commit_and_swap(ct_txn *txn, const ct_commit_spec *spec, git_signature *sig,
    const git_oid *tree_id, git_oid *out, bool *locked, ct_error *err)
{
	git_repository *repo = txn->st->repo;
	const git_commit *parents[1];
	git_reference *ref = NULL;
	git_tree *tree = NULL;
	char *msg = NULL, *reflog = NULL;
	int rc = 0, grc;

	if ((rc = ct_commit_message(spec, txn->subject, &msg, err)) < 0)
		return rc;
	if (git_tree_lookup(&tree, repo, tree_id) < 0) {
		rc = ct_git_fail(err, "reading new tree");
		goto out;
	}
	parents[0] = txn->snap->commit;
	if ((rc = ct_store_commit_create(txn->st, out, sig, msg, tree,
	    txn->snap->commit != NULL ? 1 : 0, parents, err)) < 0)
		goto out;
	if (asprintf(&reflog, "%s: %s", spec->tool,
	    txn->subject ? txn->subject : spec->subject) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	if (txn->snap->commit == NULL)
		grc = git_reference_create(&ref, repo, CT_BRANCH, out, 0,
		    reflog);
	else
		grc = git_reference_create_matching(&ref, repo, CT_BRANCH,
		    out, 1, git_commit_id(txn->snap->commit), reflog);
	*locked = grc == GIT_ELOCKED;
	if (grc == GIT_ELOCKED)
		rc = ct_error_set(err, CT_ECONFLICT, "%s is locked: %s%s.lock "
		    "exists; another git command is updating the store, or "
		    "one was interrupted (if no git command is running, "
		    "remove that file)", CT_BRANCH, txn->st->gitdir,
		    CT_BRANCH);
	else if (grc == GIT_EMODIFIED || grc == GIT_EEXISTS)
		rc = ct_error_set(err, CT_ECONFLICT,
		    "the store changed while writing");
	else if (grc < 0)
		rc = ct_git_fail(err, "updating " CT_BRANCH);
out:
	git_reference_free(ref);
	git_tree_free(tree);
	free(reflog);
	free(msg);
	return rc;
}

/*
 * The change policy (policy.h) of a transaction, before it commits: the
 * first violation is the error.
 */
/* rc of a load, with an absent or unparsable record as *doc NULL. */
static int
absent_is_null(int rc, ct_node **doc, ct_error *err)
{
	if (rc == CT_ENOTFOUND || rc == CT_EINVALID) {
		ct_error_clear(err);
		*doc = NULL;
		return 0;
	}
	return rc;
}

static int
load_parent(void *arg, const char *path, ct_node **doc, ct_error *err)
{
	return absent_is_null(ct_snapshot_parse(arg, path, doc, err),
	    doc, err);
}

static int
load_child(void *arg, const char *path, ct_node **doc, ct_error *err)
{
	return absent_is_null(ct_txn_parse(arg, path, doc, err), doc,
	    err);
}

static int
refuse_violation(const char *path, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	(void)arg;
	return ct_error_set(err, CT_EINVALID, "%s%s%s: %s", path != NULL ?
	    path : "", path != NULL ? ": " : "", rule, what);
}

static int
check_policy(ct_txn *txn, const ct_commit_spec *spec, ct_error *err)
{
	ct_policy_input in = {
		.parent = { load_parent, txn->snap },
		.child = { load_child, txn },
		.email = txn->email,
		.approved_by = spec->approved_by,
	};
	const char **paths;
	size_t i;
	int rc;

	/* the history is walked only while the registry is empty */
	if (txn->no_operators && (rc = ct_policy_bootstrap_open(txn->st->repo,
	    txn->snap->commit ? git_commit_id(txn->snap->commit) : NULL,
	    &in.bootstrap, err)) < 0)
		return rc;
	if ((paths = calloc(txn->nchanges, sizeof(*paths))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < txn->nchanges; i++)
		paths[i] = txn->changes[i].path;
	in.paths = paths;
	in.npaths = txn->nchanges;
	rc = ct_policy_check(&in, refuse_violation, NULL, err);
	free(paths);
	return rc;
}

/*
 * In a store that signs, the writer's key is registered where
 * store-verify looks for it: in the parent's registry, or, while the
 * parent has no operator (the first registration), in the registry the
 * commit makes.  Before any operator is registered (the bootstrap) there
 * is none to look for.  Whether the key the writer signs with is that
 * one is not checked here (docs/decisions.md, signed commits).
 */
static int
check_key(ct_txn *txn, ct_error *err)
{
	ct_node *settings = NULL, *ops = NULL;
	const ct_node *op;
	const char *key, *id = txn->operator;
	char *path = NULL, *keys = NULL;
	size_t len = 0;
	ct_sign_format f;
	int rc;

	rc = absent_is_null(ct_snapshot_parse(txn->snap, CT_SETTINGS_PATH,
	    &settings, err), &settings, err);
	if (rc < 0 || (f = ct_sign_settings(settings, &key)) == CT_SIGN_NONE)
		goto out;
	if (txn->no_operators) {
		if ((rc = load_child(txn, CT_OPERATORS_PATH, &ops, err)) < 0)
			goto out;
		op = ct_registry_find(ops, "operators", "email", txn->email);
		if ((id = ct_map_str(op, "id")) == NULL)
			goto out;  /* the bootstrap (or refused by the policy) */
	}
	if ((f == CT_SIGN_SSH ? (path = strdup(CT_ALLOWED_SIGNERS_PATH)) ==
	    NULL : asprintf(&path, "%s/%s.asc", CT_OPENPGP_KEYS_DIR, id) < 0)) {
		path = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	rc = txn->no_operators ? ct_txn_read(txn, path, &keys, &len, err) :
	    ct_snapshot_read(txn->snap, path, &keys, &len, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc == 0 && !ct_sign_has_key(f, keys, len, txn->email))
		rc = ct_error_set(err, CT_EINVALID, "the store signs every "
		    "commit (%s signing.format: %s) but no key is registered "
		    "for operator %s <%s>, so store-verify would refuse the "
		    "commit: %s%s%s", CT_SETTINGS_PATH,
		    ct_sign_format_name(f), id, txn->email, txn->no_operators ?
		    "register your key with --signing-key" : "an administrator "
		    "registers one (registry set-key ", txn->no_operators ? "" :
		    id, txn->no_operators ? "" : " --signing-key FILE)");
out:
	free(keys);
	free(path);
	ct_node_free(ops);
	ct_node_free(settings);
	return rc;
}

void
ct_write_result_clear(ct_write_result *res)
{
	if (res == NULL)
		return;
	free(res->diff);
	free(res->warning);
	memset(res, 0, sizeof(*res));
}

int
ct_store_write(ct_store *st, const ct_commit_spec *spec, ct_txn_fn fn,
    void *arg, ct_write_result *res, ct_error *err)
{
	ct_txn txn = { .st = st };
	git_signature *sig = NULL;
	git_oid tree_id, commit_id;
	struct idx idx = { 0 };
	char *msg = NULL, *warning = NULL;
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	bool locked = false, leftover = false, synced = true;
	int lockfd = -1, rc, tries;

	memset(res, 0, sizeof(*res));
	if ((rc = ct_commit_message(spec, NULL, &msg, err)) < 0)
		return rc;
	free(msg);
	if ((rc = ct_store_lock(st, NULL, &lockfd, err)) < 0)
		return rc;
	if (!(spec->flags & CT_WRITE_DRY_RUN))
		leftover = store_recover(st, &res->warning);
	for (tries = 1; tries <= MAX_TRIES; tries++) {
		res->tries = tries;
		store_txn_reset(&txn);
		git_signature_free(sig);
		sig = NULL;
		if ((rc = ct_snapshot_open(st, NULL, &txn.snap, err)) < 0 ||
		    (rc = check_author(&txn, spec, &sig, err)) < 0 ||
		    (rc = fn(&txn, arg, err)) < 0 ||
		    (rc = store_txn_prune(&txn, err)) < 0)
			goto out;
		if (txn.nchanges == 0)
			goto out;
		res->changed = true;
		if ((rc = check_policy(&txn, spec, err)) < 0 ||
		    (rc = check_key(&txn, err)) < 0 ||
		    (rc = store_idx_open(st, &idx, err)) < 0 ||
		    (rc = store_check_clean(&txn, &idx, err)) < 0)
			goto out;
		if (spec->flags & CT_WRITE_DRY_RUN) {
			rc = make_diff(&txn, &res->diff, err);
			goto out;
		}
		if ((rc = build_tree(&txn, &tree_id, err)) < 0 ||
		    (rc = store_journal_write(&txn, err)) < 0)
			goto out;
		rc = commit_and_swap(&txn, spec, sig, &tree_id, &commit_id,
		    &locked, err);
		if (rc == CT_ECONFLICT) {
			if (locked)     /* give a git command time to finish */
				nanosleep(&pause, NULL);
			continue;
		}
		if (rc < 0)
			goto out;
		git_oid_tostr(res->commit, sizeof(res->commit), &commit_id);
		synced = store_sync_worktree(&txn, &idx, &warning) == 0;
		store_add_warning(&res->warning, warning);
		free(warning);
		goto out;
	}
	if (!locked)
		rc = ct_error_set(err, CT_ECONFLICT, "gave up after %d tries: "
		    "the store kept changing while writing", MAX_TRIES);
out:
	/* the journal stays while some path it names is not synced */
	if (synced && !leftover && !(spec->flags & CT_WRITE_DRY_RUN))
		store_journal_remove(st);
	if (rc < 0)
		res->changed = false;
	store_txn_reset(&txn);
	git_signature_free(sig);
	store_idx_close(&idx);
	ct_store_unlock(lockfd);
	return rc;
}
