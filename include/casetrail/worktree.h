/*
 * casetrail worktree: writing the files of a store's work tree so that
 * nothing in the work tree can redirect a write (DESIGN.md §2).
 *
 * Every function takes the work tree as an open directory descriptor and
 * a store path.  Paths are checked against the path rule (path.h) first.
 * Directories are walked one component at a time with
 * openat(O_DIRECTORY|O_NOFOLLOW), so a symbolic link anywhere on the way
 * is an error naming it, never followed; a file is written to a temporary
 * "<name>.ct-tmp-<pid>-<random>" created with O_CREAT|O_EXCL|O_NOFOLLOW
 * in the same directory, then renamed over the file with renameat (which
 * replaces a symbolic link there rather than writing through it).
 *
 * Errors: CT_EINVALID for a path that breaks the rule or a link on the
 * way (the message names it), CT_ERROR for other system errors.
 */
#ifndef CASETRAIL_WORKTREE_H
#define CASETRAIL_WORKTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "casetrail/error.h"

/* The suffix of temporary files, after the record's own name. */
#define CT_WT_TMP ".ct-tmp-"

/* Write buf[0..len) as the file path (directories created as needed);
 * *sb (may be NULL) receives the new file's lstat. */
int ct_wt_write(int rootfd, const char *path, const char *buf, size_t len,
    struct stat *sb, ct_error *err);

/*
 * The step below, for any directory: write buf[0..len) as the file name
 * in the open directory dfd through a new temporary beside it (an
 * unpredictable name, O_CREAT|O_EXCL|O_NOFOLLOW, the given mode less the
 * umask), fsync'd when sync, renamed over name with renameat.  check (may
 * be NULL) runs just before the rename and may refuse it; label names the
 * file in messages (NULL: name).  Nothing is left behind on error.
 */
typedef struct ct_wt_put_opts {
	unsigned mode;
	bool sync;
	int (*check)(int dfd, const char *name, void *arg, ct_error *err);
	void *arg;
	const char *label;
} ct_wt_put_opts;

int ct_wt_put_at(int dfd, const char *name, const char *buf, size_t len,
    const ct_wt_put_opts *o, ct_error *err);

/* Remove the file path; a file that is not there is not an error. */
int ct_wt_remove(int rootfd, const char *path, ct_error *err);

/*
 * lstat of path without following links on the way.  0 with *sb; 1 when
 * there is no such file; CT_EINVALID when a directory on the way is a
 * symbolic link or not a directory (named in err).
 */
int ct_wt_stat(int rootfd, const char *path, struct stat *sb, ct_error *err);

/* The content of the regular file path (a link is refused), NUL-
 * terminated, owned by the caller. */
int ct_wt_read(int rootfd, const char *path, char **buf, size_t *len,
    ct_error *err);

/* Remove the temporaries of path that process pid left. */
void ct_wt_remove_temps(int rootfd, const char *path, long pid);

#endif
