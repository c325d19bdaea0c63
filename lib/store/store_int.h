/*
 * The store's internals, shared by the files that implement store.h:
 * store.c (the store object: open, settings, schemas, locks), snapshot.c
 * (reading a commit's tree), txn.c (a transaction's changes), wtsync.c
 * (the index and work tree of the touched paths), journal.c (the journal
 * and crash recovery), commit.c (commit objects, signed), write.c
 * (ct_store_write: the write path) and init.c (store-init).
 *
 * Private: included by those files of lib/ only, never by a header or a
 * tool.  Everything else uses store.h.
 */
#ifndef CASETRAIL_STORE_INT_H
#define CASETRAIL_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "casetrail/index.h"
#include "casetrail/schema.h"
#include "casetrail/store.h"

#define MAX_TRIES 8          /* transform runs before giving up a race */

struct schema_cache {
	char *name;
	ct_schema *schema;
};

struct ct_store {
	git_repository *repo;
	char *workdir;
	char *gitdir;
	bool bare;
	ct_jurisdiction jurisdiction;
	char *timezone;
	ct_sign_format sign;   /* casetrail.yaml signing.format */
	char *sign_key;        /* signing.key, or NULL */
	struct schema_cache *schemas;
	size_t nschemas;
};

#define MEMO_DEPTH 8 /* directory levels: store paths have at most 5 */

struct ct_snapshot {
	ct_store *st;
	git_commit *commit;  /* NULL when the branch is unborn */
	git_tree *tree;      /* NULL when the branch is unborn */
	char id[GIT_OID_HEXSZ + 1];
	/* memo[k]: the directory tree at the first k+1 components of the
	 * last path looked up ("cases", "cases/3f", "cases/3f/ACT-0042"),
	 * so reading every record of one case after another parses each
	 * directory tree once, and the object cache can stay off */
	struct {
		char *path;
		git_tree *tree;
	} memo[MEMO_DEPTH];
};

struct change {
	char *path;
	char *buf;          /* NULL: delete */
	size_t len;
};

struct ct_txn {
	ct_store *st;
	ct_snapshot *snap;
	struct change *changes;
	size_t nchanges;
	char *operator;
	char *email;         /* the writer's git user.email */
	bool no_operators;   /* the snapshot's registry lists nobody */
	char *subject;
};

/* store.c */

/* The compiled schema name, compiled on first use and kept by st. */
int store_schema(ct_store *st, const char *name, const ct_schema **out,
    ct_error *err);

/* A store object for repo (owned by it from now on). */
int store_new(git_repository *repo, ct_store **out, ct_error *err);

/* snapshot.c */

/* The tree entry at path, borrowed from the snapshot; NULL when absent. */
const git_tree_entry *store_path_entry(ct_snapshot *snap, const char *path);

/* The schema of a record path, from the kind table. */
int store_path_schema(ct_store *st, const char *path, const ct_schema **s,
    ct_error *err);

/* The record at path as txn sees it (snap when txn is NULL; else
 * txn's snapshot), parsed and, when validate, checked against its kind's
 * schema: ct_snapshot_load and ct_txn_load, _parse. */
int store_load(ct_snapshot *snap, ct_txn *txn, const char *path,
    bool validate, ct_node **out, ct_error *err);

/* txn.c */

/* Free the changes, identity and snapshot of txn, which stays usable. */
void store_txn_reset(ct_txn *txn);

/* Drop the puts whose content equals the snapshot's: they change nothing. */
int store_txn_prune(ct_txn *txn, ct_error *err);

/* wtsync.c */

/*
 * The index as a write sees it: read with lib/store/index.c when its format
 * allows (one map of the file, entries found by binary search), else
 * through libgit2.
 */
struct idx {
	ct_index *fast;
	git_index *slow;
};

/* Open the index of st once (nothing in a bare store); close it. */
int store_idx_open(ct_store *st, struct idx *x, ct_error *err);
void store_idx_close(struct idx *x);

/* True when the user has uncommitted edits in path (wfd: the work tree). */
bool store_path_edited(ct_txn *txn, const struct idx *idx, int wfd,
    const char *path);

/* Refuse (CT_EINVALID) when the user has uncommitted edits in a path of
 * txn's changes. */
int store_check_clean(ct_txn *txn, const struct idx *idx, ct_error *err);

/*
 * Bring the index and work tree of txn's paths to what the branch holds
 * now.  Failure here does not undo the commit: it is -1 with *warning
 * (owned) saying what to run.
 */
int store_sync_worktree(ct_txn *txn, struct idx *idx, char **warning);

/* journal.c */

/* Append msg (when not NULL) to *warning, joined by "; ". */
void store_add_warning(char **warning, const char *msg);

/* Note txn's paths in the journal before the branch moves; remove the
 * journal once they are synced. */
int store_journal_write(ct_txn *txn, ct_error *err);
void store_journal_remove(const ct_store *st);

/* Finish an interrupted write's journal (holding the write lock); true
 * while the journal has to stay (some path of it not synced). */
bool store_recover(ct_store *st, char **warning);

#endif
