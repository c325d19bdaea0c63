/*
 * The store object (store.h): opening a store (exactly a directory, or
 * found from one), its settings read at open, the schemas it compiles
 * once, its accessors, and its locks.
 *
 * The lock is an flock(2) on <gitdir>/casetrail.lock: it serialises the
 * writers of one clone (so their index and work tree updates happen in
 * order) and is released by the kernel when a writer dies, so there is no
 * stale lock to clean up.  The compare-and-swap of write.c still guards
 * against any other writer (git itself, another clone pushing into a
 * shared directory).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "casetrail/store.h"
#include "casetrail/schema.h"
#include "casetrail/sign.h"
#include "store_int.h"

#define LOCK_WAIT_MS 60000   /* how long to wait for another writer */

/*
 * libgit2 built with mbed TLS (Debian's) parses the system's CA bundle
 * in git_libgit2_init(), about 140 certificates in constant-time base64:
 * 80% of the instructions of a tool that reads one record of a small
 * store, and no option can skip it.  The tools never use libgit2's
 * network transports (store-sync runs the git CLI), so this definition
 * takes the place of mbed TLS's for libgit2, the one caller, and loads
 * nothing: libgit2 starts with no trusted certificate, and any TLS
 * connection it made would fail its certificate check, never go
 * unchecked.  A libgit2 built with OpenSSL never calls it.
 */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);

int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return -0x2900;  /* MBEDTLS_ERR_X509_FILE_IO_ERROR */
}

static bool rehash_reads = true;

void
ct_init_report_reads(void)
{
	rehash_reads = false;
}

int
ct_init(ct_error *err)
{
	static int done;

	if (done)
		return 0;
	if (git_libgit2_init() < 0)
		return ct_git_fail(err, "libgit2 init");
	git_error_clear();  /* the certificates not loaded, above */
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0)
		return ct_git_fail(err, "enabling fsync");
	/* Snapshots keep the directory trees they walk (dir_tree in
	 * snapshot.c); the object cache would only pile up every case tree
	 * of a store. */
	if (git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0) < 0)
		return ct_git_fail(err, "configuring the object cache");
	/* Pack files are read through mapped windows; by default libgit2
	 * maps 1 GiB windows up to 8 GiB, so reading every case of a large
	 * store keeps its whole pack resident.  Small windows under a small
	 * limit bound that at no measurable cost in time. */
	if (git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)4 << 20) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
	    (size_t)16 << 20) < 0)
		return ct_git_fail(err, "configuring pack windows");
	/* libgit2 hashes every object it reads to check its id, which git
	 * itself never does on a read; a reporting tool reads as git does
	 * (ct_init_report_reads) */
	if (!rehash_reads && git_libgit2_opts(
	    GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0)
		return ct_git_fail(err, "configuring object reads");
	done = 1;
	return 0;
}

/*
 * Schemas, compiled once per store.
 */
int
store_schema(ct_store *st, const char *name, const ct_schema **out,
    ct_error *err)
{
	struct schema_cache *grown;
	ct_schema *s;
	size_t i;
	int rc;

	for (i = 0; i < st->nschemas; i++)
		if (strcmp(st->schemas[i].name, name) == 0) {
			*out = st->schemas[i].schema;
			return 0;
		}
	if ((rc = ct_schema_load(name, &s, err)) < 0)
		return rc;
	grown = realloc(st->schemas, (st->nschemas + 1) * sizeof(*grown));
	if (grown == NULL || (grown[st->nschemas].name = strdup(name)) == NULL) {
		if (grown != NULL)
			st->schemas = grown;
		ct_schema_free(s);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	st->schemas = grown;
	st->schemas[st->nschemas++].schema = s;
	*out = s;
	return 0;
}

/*
 * Opening.
 */
static int
load_settings(ct_store *st, ct_error *err)
{
	ct_snapshot *snap = NULL;
	ct_node *doc = NULL;
	const char *tz, *key;
	int rc;

	if ((rc = ct_snapshot_open(st, NULL, &snap, err)) < 0)
		return rc;
	rc = ct_snapshot_load(snap, CT_SETTINGS_PATH, &doc, err);
	if (rc == CT_ENOTFOUND)
		rc = ct_error_set(err, CT_ENOTFOUND,
		    "%s: not a casetrail store (no %s at HEAD; create one "
		    "with store-init)", st->workdir, CT_SETTINGS_PATH);
	if (rc < 0)
		goto out;
	st->jurisdiction =
	    ct_jurisdiction_parse(ct_map_str(doc, "jurisdiction"));
	tz = ct_map_str(doc, "timezone");
	st->sign = ct_sign_settings(doc, &key);
	if ((st->timezone = strdup(tz != NULL ? tz : "UTC")) == NULL ||
	    (key != NULL && (st->sign_key = strdup(key)) == NULL))
		rc = ct_error_set(err, CT_ERROR, "out of memory");
out:
	ct_node_free(doc);
	ct_snapshot_free(snap);
	return rc;
}

int
store_new(git_repository *repo, ct_store **out, ct_error *err)
{
	ct_store *st;
	const char *wd;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	st->repo = repo;
	st->bare = git_repository_is_bare(repo);
	wd = st->bare ? git_repository_path(repo) : git_repository_workdir(repo);
	st->workdir = strdup(wd);
	st->gitdir = strdup(git_repository_path(repo));
	if (st->workdir == NULL || st->gitdir == NULL) {
		ct_store_free(st);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	*out = st;
	return 0;
}

/* The tools read HEAD and write refs/heads/main: they must be the same. */
static int
check_branch(ct_store *st, ct_error *err)
{
	git_reference *head = NULL;
	int ok;

	if (git_reference_lookup(&head, st->repo, "HEAD") < 0)
		return ct_git_fail(err, "reading HEAD");
	ok = git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    strcmp(git_reference_symbolic_target(head), CT_BRANCH) == 0;
	git_reference_free(head);
	return ok ? 0 : ct_error_set(err, CT_EINVALID,
	    "%s: HEAD is not on branch main; the store lives on main "
	    "(git checkout main)", st->workdir);
}

int
ct_store_open(const char *dir, ct_store **out, ct_error *err)
{
	git_repository *repo = NULL;
	ct_store *st = NULL;
	struct stat sb;
	int rc;

	*out = NULL;
	if ((rc = ct_init(err)) < 0)
		return rc;
	if (stat(dir, &sb) < 0)
		return ct_error_set(err, CT_ENOTFOUND, "%s: %s", dir,
		    strerror(errno));
	/* NO_SEARCH: the store is exactly dir, never an enclosing
	 * repository; without OPEN_FROM_ENV, GIT_DIR and GIT_WORK_TREE are
	 * not consulted. */
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL) < 0)
		return ct_error_set(err, CT_ENOTFOUND,
		    "%s: not a casetrail store (not a git repository)", dir);
	if ((rc = store_new(repo, &st, err)) < 0) {
		git_repository_free(repo);
		return rc;
	}
	if ((rc = check_branch(st, err)) < 0 ||
	    (rc = load_settings(st, err)) < 0) {
		ct_store_free(st);
		return rc;
	}
	*out = st;
	return 0;
}

/* True when HEAD's tree has casetrail.yaml (a file). */
static bool
has_settings(git_repository *repo)
{
	git_object *obj = NULL;
	bool ok;

	ok = git_revparse_single(&obj, repo, "HEAD:" CT_SETTINGS_PATH) == 0 &&
	    git_object_type(obj) == GIT_OBJECT_BLOB;
	git_object_free(obj);
	return ok;
}

/* True when path (resolved) is top or below it; top ends with '/'. */
static bool
path_below(const char *path, const char *top)
{
	size_t len = strlen(top);

	if (len > 0 && top[len - 1] == '/')
		len--;
	return strncmp(path, top, len) == 0 &&
	    (path[len] == '\0' || path[len] == '/');
}

/* The store above dir: found, a work tree holding dir, a store. */
static int
discover_check(git_repository *repo, const char *dir, ct_error *err)
{
	const char *wd = git_repository_workdir(repo);
	char *real;
	bool inside;

	if ((real = realpath(dir, NULL)) == NULL)
		return ct_error_set(err, CT_ERROR, "%s: %s", dir,
		    strerror(errno));
	inside = wd != NULL && path_below(real, wd) &&
	    !path_below(real, git_repository_path(repo));
	free(real);
	if (!inside)
		return ct_error_set(err, CT_ENOTFOUND, "%s: not in the work "
		    "tree of a casetrail store; use -C DIR", dir);
	if (!has_settings(repo))
		return ct_error_set(err, CT_ENOTFOUND, "%s: not a casetrail "
		    "store; use -C DIR or run store-init", wd);
	return 0;
}

int
ct_store_discover(const char *dir, ct_store **out, ct_error *err)
{
	git_repository *repo = NULL;
	char *top;
	int rc;

	*out = NULL;
	if ((rc = ct_init(err)) < 0)
		return rc;
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL) == 0) {
		git_repository_free(repo);
		return ct_store_open(dir, out, err);
	}
	/* no OPEN_CROSS_FS, no OPEN_FROM_ENV, no ceiling from the
	 * environment: git's own defaults, minus the environment */
	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0)
		return ct_error_set(err, CT_ENOTFOUND, "%s: not a casetrail "
		    "store (not a git repository); use -C DIR or run "
		    "store-init", dir);
	if ((rc = discover_check(repo, dir, err)) == 0 &&
	    (top = strdup(git_repository_workdir(repo))) == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	git_repository_free(repo);
	if (rc < 0)
		return rc;
	rc = ct_store_open(top, out, err);
	free(top);
	return rc;
}

void
ct_store_free(ct_store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nschemas; i++) {
		free(st->schemas[i].name);
		ct_schema_free(st->schemas[i].schema);
	}
	free(st->schemas);
	git_repository_free(st->repo);
	free(st->workdir);
	free(st->gitdir);
	free(st->timezone);
	free(st->sign_key);
	free(st);
}

const char *
ct_store_workdir(const ct_store *st)
{
	return st->workdir;
}

ct_jurisdiction
ct_store_jurisdiction(const ct_store *st)
{
	return st->jurisdiction;
}

const char *
ct_store_timezone(const ct_store *st)
{
	return st->timezone;
}

git_repository *
ct_store_repo(ct_store *st)
{
	return st->repo;
}

const char *
ct_store_gitdir(const ct_store *st)
{
	return st->gitdir;
}

ct_sign_format
ct_store_sign_format(const ct_store *st)
{
	return st->sign;
}

/*
 * The lock: flock(2) on <gitdir>/casetrail.lock (or another name), waiting
 * up to LOCK_WAIT_MS for another writer.
 */
static int
lock_named(ct_store *st, const char *name, int *fdp, ct_error *err)
{
	char *path = NULL;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int fd, waited = 0;

	*fdp = -1;
	if (asprintf(&path, "%s%s", st->gitdir, name) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		ct_error_set(err, CT_ERROR, "%s: %s", path, strerror(errno));
		free(path);
		return CT_ERROR;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			ct_error_set(err, CT_ERROR, "%s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (waited >= LOCK_WAIT_MS) {
			ct_error_set(err, CT_ECONFLICT,
			    "store is busy: another writer has held %s for "
			    "%d seconds", path, LOCK_WAIT_MS / 1000);
			goto fail;
		}
		nanosleep(&ts, NULL);
		waited += 10;
	}
	free(path);
	*fdp = fd;
	return 0;
fail:
	close(fd);
	free(path);
	return err->code;
}

int
ct_store_lock(ct_store *st, const char *name, int *fd, ct_error *err)
{
	if (name == NULL)
		return lock_named(st, "casetrail.lock", fd, err);
	if (*name == '\0' || strchr(name, '/') != NULL)
		return ct_error_set(err, CT_ERROR, "invalid lock name '%s'",
		    name);
	return lock_named(st, name, fd, err);
}

void
ct_store_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}
