/*
 * The journal and crash recovery (DESIGN.md §2, fsync): before moving
 * the branch a writer notes the paths it touches in <gitdir>/casetrail.sync
 * and removes the note once they are synced.  The next writer that finds
 * a journal (it holds the flock, so the journal's writer is gone)
 * finishes the sync of those paths, removes the temporary files, and
 * removes a libgit2 lock file that stays for SETTLE_MS and dates from the
 * interrupted write; a lock file without such evidence is left to the
 * user with a message naming it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "casetrail/path.h"
#include "casetrail/worktree.h"
#include "store_int.h"

#define JOURNAL "casetrail.sync"  /* paths of a write not yet synced */
#define SETTLE_MS 1000       /* a git lock file that stays this long ... */
#define CRASH_WINDOW 10      /* ... and is this many seconds younger than an
                                interrupted write's journal was left by it */

void
store_add_warning(char **warning, const char *msg)
{
	char *joined = NULL;

	if (msg == NULL)
		return;
	if (*warning == NULL)
		joined = strdup(msg);
	else if (asprintf(&joined, "%s; %s", *warning, msg) < 0)
		joined = NULL;
	if (joined != NULL) {
		free(*warning);
		*warning = joined;
	}
}

static char *
git_path(const ct_store *st, const char *name)
{
	char *p = NULL;

	return asprintf(&p, "%s%s", st->gitdir, name) < 0 ? NULL : p;
}

/* Note the paths of txn in the journal before the branch moves (appended:
 * the journal may still hold the paths of an unfinished recovery). */
int
store_journal_write(ct_txn *txn, ct_error *err)
{
	char *path = git_path(txn->st, JOURNAL);
	size_t i;
	FILE *f;
	int rc = 0;

	if (path == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((f = fopen(path, "ae")) == NULL) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	fprintf(f, "pid %ld\n", (long)getpid());
	for (i = 0; i < txn->nchanges; i++)
		fprintf(f, "%s\n", txn->changes[i].path);
	if ((ferror(f) | fclose(f)) != 0) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", path,
		    strerror(errno));
		unlink(path);
	}
out:
	free(path);
	return rc;
}

void
store_journal_remove(const ct_store *st)
{
	char *path = git_path(st, JOURNAL);

	if (path != NULL)
		unlink(path);
	free(path);
}

/*
 * Remove the git lock files (the branch's, the index's) left by the
 * interrupted write whose journal is dated jt: they stay for SETTLE_MS
 * and are no older than the journal nor more than CRASH_WINDOW seconds
 * younger.  A git command holds them for a moment only.
 */
static void
clear_stale_locks(const ct_store *st, time_t jt, char **warning)
{
	static const char *const names[] = { CT_BRANCH ".lock", "index.lock" };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct stat sb;
	char *path[2], *msg;
	int waited, i;

	for (i = 0; i < 2; i++)
		path[i] = git_path(st, names[i]);
	for (waited = 0; waited < SETTLE_MS &&
	    ((path[0] != NULL && lstat(path[0], &sb) == 0) ||
	    (path[1] != NULL && lstat(path[1], &sb) == 0)); waited += 20)
		nanosleep(&ts, NULL);
	for (i = 0; i < 2; i++) {
		msg = NULL;
		if (path[i] != NULL && lstat(path[i], &sb) == 0 &&
		    sb.st_mtime + 1 >= jt && sb.st_mtime <= jt + CRASH_WINDOW &&
		    unlink(path[i]) == 0 && asprintf(&msg, "removed %s, left "
		    "by an interrupted write", path[i]) >= 0)
			store_add_warning(warning, msg);
		free(msg);
		free(path[i]);
	}
}

/* The paths of the journal f into txn's changes, each with the pid of
 * its writer (whose temporary files to remove) in len. */
static void
journal_read(FILE *f, ct_txn *txn)
{
	struct change *grown;
	char *line = NULL;
	const char *rule;
	size_t cap = 0;
	ssize_t len;
	long pid = 0;

	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (sscanf(line, "pid %ld", &pid) == 1)
			continue;
		/* store paths only: never outside the work tree */
		if (ct_path_problem(line, CT_MODE_FILE, &rule) != NULL ||
		    (grown = realloc(txn->changes,
		    (txn->nchanges + 1) * sizeof(*grown))) == NULL)
			continue;
		txn->changes = grown;
		memset(&grown[txn->nchanges], 0, sizeof(*grown));
		grown[txn->nchanges].len = (size_t)pid; /* whose temp file */
		if ((grown[txn->nchanges].path = strdup(line)) != NULL)
			txn->nchanges++;
	}
	free(line);
}

/* Remove the temporary files of txn's paths and drop the paths the user
 * has edited since; -1 when the work tree cannot be opened. */
static int
drop_edited(ct_txn *txn, const struct idx *idx)
{
	size_t i, kept = 0;
	int wfd;

	if ((wfd = open(txn->st->workdir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return -1;
	for (i = 0; i < txn->nchanges; i++) {
		struct change *c = &txn->changes[i];

		ct_wt_remove_temps(wfd, c->path, (long)c->len);
		if (store_path_edited(txn, idx, wfd, c->path)) {
			free(c->path);
			continue;
		}
		txn->changes[kept++] = *c;
	}
	close(wfd);
	txn->nchanges = kept;
	for (i = 0; i < txn->nchanges; i++)
		txn->changes[i].len = 0;
	return 0;
}

/*
 * Finish the work of a writer that was killed after it wrote its journal:
 * clear the lock files it left, remove its temporary files, and sync the
 * paths it committed (unless the user edited one since).  The journal
 * stays when the sync fails, so the next writer tries again.
 */
bool
store_recover(ct_store *st, char **warning)
{
	ct_txn txn = { .st = st };
	ct_error err = { 0 };
	struct idx idx = { 0 };
	struct stat sb;
	char *path, *w = NULL;
	bool done = false;
	FILE *f;

	if ((path = git_path(st, JOURNAL)) == NULL)
		return true;
	f = fopen(path, "re");
	free(path);
	if (f == NULL || fstat(fileno(f), &sb) < 0) {
		if (f != NULL)
			fclose(f);
		return f != NULL;
	}
	journal_read(f, &txn);
	fclose(f);
	clear_stale_locks(st, sb.st_mtime, warning);
	if (st->bare) {
		store_journal_remove(st);
		done = true;
		goto out;
	}
	if (ct_snapshot_open(st, NULL, &txn.snap, &err) < 0 ||
	    store_idx_open(st, &idx, &err) < 0 || drop_edited(&txn, &idx) < 0)
		goto out;
	if (store_sync_worktree(&txn, &idx, &w) == 0) {
		store_journal_remove(st);
		done = true;
	}
	store_add_warning(warning, w);
out:
	free(w);
	ct_error_clear(&err);
	store_idx_close(&idx);
	store_txn_reset(&txn);
	return !done;
}
