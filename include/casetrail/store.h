/*
 * casetrail store: a git repository of YAML records (DESIGN.md §2).
 *
 * Reading: a snapshot is one commit's tree; records are read from it, never
 * from the work tree, so one run sees one consistent state.
 *
 * Writing: ct_store_write() runs a transform against a snapshot of HEAD in a
 * transaction, validates and emits every record it puts, builds the new tree
 * with git_tree_create_updated(), creates one commit whose message carries
 * the audit trailers, and moves the branch with a compare-and-swap on the old
 * HEAD.  A lost race re-reads HEAD and runs the transform again (bounded).
 * Writers of one clone also serialise on a lock file in the git directory
 * (flock, so a killed writer never leaves a stale lock), which keeps the
 * index and work tree updates of concurrent tools in order.  Then only the
 * touched paths of the index and work tree are updated.  A transform that
 * changes nothing makes no commit.
 */
#ifndef CASETRAIL_STORE_H
#define CASETRAIL_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/sign.h"
#include "casetrail/yaml.h"
#include "casetrail/calendar.h"
#include "casetrail/trailers.h"
#include "casetrail/util.h"

/* libgit2 types, for the few calls that hand them over */
struct git_repository;
struct git_oid;
struct git_signature;
struct git_tree;
struct git_commit;

typedef struct ct_store ct_store;
typedef struct ct_snapshot ct_snapshot;
typedef struct ct_txn ct_txn;

#define CT_SETTINGS_PATH  "casetrail.yaml"
#define CT_AGENCIES_PATH  "registry/agencies.yaml"
#define CT_OPERATORS_PATH "registry/operators.yaml"
#define CT_RULES_PATH     "rules/deadlines.yaml"
#define CT_BRANCH         "refs/heads/main"

/* Library set-up (libgit2 init, fsync of the git directory); idempotent. */
int ct_init(ct_error *err);

/*
 * For a tool that only reports (deadline-check, csp-pack without
 * --share-with-map), called before any store is opened: objects are
 * read as git reads them, without hashing each again to check its id
 * (about a sixth of a cold run).
 * Every tool that writes, verifies or takes objects in keeps the check:
 * an object whose bytes do not match its id is refused there
 * (docs/decisions.md, "Reading objects").
 */
void ct_init_report_reads(void);

/*
 * Open the store whose work tree (or bare repository) is exactly dir.  Never
 * searches parent directories and ignores GIT_DIR / GIT_WORK_TREE.  The
 * directory must hold a casetrail store (casetrail.yaml at HEAD).
 */
int ct_store_open(const char *dir, ct_store **out, ct_error *err);

/*
 * Open the store whose work tree holds dir, as git finds a repository from
 * a subdirectory: dir itself when it is a repository (ct_store_open), else
 * the nearest repository above it, searched on dir's file system only and
 * never by GIT_DIR, GIT_WORK_TREE or GIT_CEILING_DIRECTORIES.  What is
 * found must be a work tree that holds dir (not a bare repository, not
 * found from inside a .git directory) and a casetrail store: casetrail.yaml
 * at HEAD.  A repository that is not a store stops the search; its parents
 * are not tried ("<dir>: not a casetrail store; use -C DIR or run
 * store-init").
 */
int ct_store_discover(const char *dir, ct_store **out, ct_error *err);

typedef struct ct_init_opts {
	ct_jurisdiction jurisdiction;
	const char *timezone;   /* NULL: the jurisdiction's default */
	ct_sign_format signing; /* sign every commit, from the first */
	const char *signing_key; /* signing.key, or NULL */
	const char *tool;       /* for the commit's Tool trailer */
	const char *version;
	bool no_worktree;       /* a bare repository: no work tree, no index */
} ct_init_opts;

/*
 * Create a new store in dir (created if missing; an existing directory must
 * be empty): git repository on branch main, settings, empty registries,
 * default rules and calendar, one first commit.  With no_worktree the
 * repository is bare: the tools read and write its objects and refs only,
 * and no write pays for an index or a work tree (what a store of a
 * million cases that people do not browse wants).
 */
int ct_store_init(const char *dir, const ct_init_opts *opts, ct_error *err);

void ct_store_free(ct_store *st);

/* The work tree directory (with a trailing slash), or the git directory of
 * a bare store. */
const char *ct_store_workdir(const ct_store *st);
ct_jurisdiction ct_store_jurisdiction(const ct_store *st);
const char *ct_store_timezone(const ct_store *st);

/*
 * Snapshots.  rev is NULL for HEAD, else any git revision ("HEAD~3", a
 * commit id, a branch).  A snapshot holds the store open: free it first.
 */
int ct_snapshot_open(ct_store *st, const char *rev, ct_snapshot **out,
    ct_error *err);

/* The last commit on or before the Unix time t (first-parent history of
 * HEAD: the line of tips the branch held, a store-sync merge counting
 * from its own time); CT_ENOTFOUND when the store is younger. */
int ct_snapshot_open_at(ct_store *st, long long t, ct_snapshot **out,
    ct_error *err);

void ct_snapshot_free(ct_snapshot *snap);

/* The commit id (hex) of the snapshot; "" for an unborn branch. */
const char *ct_snapshot_id(const ct_snapshot *snap);

/* The committer time of the snapshot's commit (0 when unborn). */
long long ct_snapshot_time(const ct_snapshot *snap);

/* The store a snapshot reads. */
ct_store *ct_snapshot_store(const ct_snapshot *snap);

/* The object id (hex) of the file or directory at path: a directory's
 * tree id changes whenever anything under it does.  CT_ENOTFOUND when
 * there is none. */
#define CT_OID_HEXSZ 40
int ct_snapshot_entry_id(ct_snapshot *snap, const char *path,
    char id[CT_OID_HEXSZ + 1], ct_error *err);

/* Read the file at path; CT_ENOTFOUND when absent.  *buf is NUL-terminated,
 * owned by the caller. */
int ct_snapshot_read(ct_snapshot *snap, const char *path, char **buf,
    size_t *len, ct_error *err);

/* Read, parse and validate a record against the schema of its kind
 * (kind.h: the kind of the path); _parse only reads and parses it. */
int ct_snapshot_load(ct_snapshot *snap, const char *path, ct_node **out,
    ct_error *err);
int ct_snapshot_parse(ct_snapshot *snap, const char *path, ct_node **out,
    ct_error *err);

/* Names of the entries of directory dir ("" for the root), sorted as git
 * sorts them; *names is a NULL-terminated array the caller frees with
 * ct_strv_free().  CT_ENOTFOUND when dir does not exist. */
int ct_snapshot_list(ct_snapshot *snap, const char *dir, char ***names,
    size_t *n, ct_error *err);

/* True when path is a directory in the snapshot. */
bool ct_snapshot_is_dir(ct_snapshot *snap, const char *path);

/*
 * Call fn for every case directory ("cases/<xx>/<id>") in tree order.  A
 * directory that breaks the path rule (path.h: a name that is not a case
 * id, or not in its own shard) is passed to bad instead, with a phrase
 * saying why; bad may be NULL (such directories are skipped).  A non-zero
 * return from either stops the walk and is returned.
 */
typedef int (*ct_case_fn)(ct_snapshot *snap, const char *case_id,
    const char *dir, void *arg, ct_error *err);
typedef int (*ct_misplaced_fn)(ct_snapshot *snap, const char *dir,
    const char *why, void *arg, ct_error *err);
int ct_snapshot_each_case(ct_snapshot *snap, ct_case_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err);

/* The same for the case directories of one shard, cases/<shard>/ (none
 * when there is no such directory): a caller that splits the work by
 * shard (ct_evaluator_each_case) walks ct_snapshot_list(snap, "cases"). */
int ct_snapshot_each_case_in(ct_snapshot *snap, const char *shard,
    ct_case_fn fn, ct_misplaced_fn bad, void *arg, ct_error *err);

/*
 * Writing.
 */
enum {
	CT_WRITE_DRY_RUN = 1 << 0,   /* build and diff, commit nothing */
	CT_WRITE_BOOTSTRAP = 1 << 1, /* any identity while no operator is
	                                registered (registry commands) */
};

/* ct_commit_spec, what a write is (its trailers and flags): trailers.h. */

typedef struct ct_write_result {
	bool changed;          /* false: nothing to commit */
	char commit[41];       /* the new commit id (not on a dry run) */
	char *diff;            /* dry run: unified diff of the change (owned) */
	char *warning;         /* committed, but e.g. the work tree could not be
	                          updated (owned); NULL normally */
	int tries;             /* transform runs (1 unless a race was lost) */
} ct_write_result;

void ct_write_result_clear(ct_write_result *res);

typedef int (*ct_txn_fn)(ct_txn *txn, void *arg, ct_error *err);

int ct_store_write(ct_store *st, const ct_commit_spec *spec, ct_txn_fn fn,
    void *arg, ct_write_result *res, ct_error *err);

/* Inside a transform: the snapshot the transaction started from. */
ct_snapshot *ct_txn_snapshot(ct_txn *txn);

/* The registered operator id of the writer, NULL while bootstrapping. */
const char *ct_txn_operator(const ct_txn *txn);

/* The writer's git user.email. */
const char *ct_txn_email(const ct_txn *txn);

/*
 * Check that the operator id is registered with role, as the transaction
 * sees registry/operators.yaml; otherwise CT_EINVALID with "what: 'id' is
 * not a registered operator with the role role" (registry.c).
 */
int ct_txn_require_role(ct_txn *txn, const char *what, const char *id,
    const char *role, ct_error *err);

/* Read a file as the transaction sees it (its own puts first). */
int ct_txn_read(ct_txn *txn, const char *path, char **buf, size_t *len,
    ct_error *err);
int ct_txn_load(ct_txn *txn, const char *path, ct_node **out,
    ct_error *err);
int ct_txn_parse(ct_txn *txn, const char *path, ct_node **out,
    ct_error *err);

/*
 * Put a record: reorder its keys into the order of its kind's schema (the
 * kind of the path), validate it, emit the canonical YAML and stage it
 * when it differs from what is there.  doc stays owned by the caller.
 */
int ct_txn_put(ct_txn *txn, const char *path, ct_node *doc,
    ct_error *err);

/* Put bytes as they are (they must be valid as the caller knows). */
int ct_txn_put_raw(ct_txn *txn, const char *path, const char *buf,
    size_t len, ct_error *err);

/* Remove a file (CT_ENOTFOUND when the transaction sees none). */
int ct_txn_remove(ct_txn *txn, const char *path, ct_error *err);

/* Override the commit subject from inside the transform (copied). */
int ct_txn_set_subject(ct_txn *txn, const char *subject, ct_error *err);

/*
 * Low-level access for tools that work on the git history itself
 * (store-sync, store-verify).  The repository stays owned by st.
 */
struct git_repository *ct_store_repo(ct_store *st);
const char *ct_store_gitdir(const ct_store *st);

/* The signing format of the store's settings (at open). */
ct_sign_format ct_store_sign_format(const ct_store *st);

/* Sign data as the writer signs commits (git config user.signingKey, else
 * the settings' key): *sig the armored signature, or NULL when the store
 * does not sign. */
int ct_store_sign_buffer(ct_store *st, const char *data, size_t len,
    char **sig, ct_error *err);

/*
 * Create a commit object; no reference is moved.  Every commit the tools
 * make goes through here, so that a store whose settings require signing
 * gets every commit signed, and every commit has one identity: sig is
 * both its author and its committer (store-verify checks the signature
 * against the author's key).  parents may be NULL when nparents is 0.
 */
int ct_store_commit_create(ct_store *st, struct git_oid *out,
    const struct git_signature *sig, const char *msg,
    const struct git_tree *tree, size_t nparents,
    const struct git_commit **parents, ct_error *err);

/*
 * The store's locks, for tools that move the branch themselves: an
 * flock(2) on <gitdir>/<name>, waiting up to a minute for the holder.
 * name NULL is the write lock every writer of the clone takes (see the
 * top of this file); another name gives an independent lock.  *fd is
 * released with ct_store_unlock() (or when the process ends).  Errors:
 * CT_ECONFLICT when the lock stayed busy, CT_ERROR.
 */
int ct_store_lock(ct_store *st, const char *name, int *fd, ct_error *err);
void ct_store_unlock(int fd);

/*
 * The checks and updates of the write path for a list of store paths,
 * for a tool that moves the branch itself (holding the write lock).
 * ct_store_check_clean() refuses (CT_EINVALID) when the user has
 * uncommitted edits in one of paths, compared with HEAD; call it before
 * moving the branch.  ct_store_sync_paths() brings the index and work
 * tree of paths to what HEAD holds now; when that fails the branch has
 * still moved, and *warning (owned) says what to run.  Both do nothing in
 * a bare store.
 */
int ct_store_check_clean(ct_store *st, const char *const *paths, size_t n,
    ct_error *err);
int ct_store_sync_paths(ct_store *st, const char *const *paths, size_t n,
    char **warning, ct_error *err);

#endif
