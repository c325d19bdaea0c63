/*
 * Work-tree writes that cannot be redirected (worktree.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "casetrail/path.h"
#include "casetrail/worktree.h"

#define MAX_FILE (64u << 20)   /* larger than any record (1 MiB) */
#define MAX_TEMP_TRIES 100     /* random names tried before giving up */

static int
sys_fail(ct_error *err, const char *path, const char *what)
{
	char *q = ct_path_quote(path);
	int e = errno;

	ct_error_set(err, CT_ERROR, "%s: %s: %s", q != NULL ? q : "?", what,
	    strerror(e));
	free(q);
	return CT_ERROR;
}

static int
link_on_way(ct_error *err, const char *path, size_t len)
{
	char *part = strndup(path, len), *q = NULL;

	if (part != NULL)
		q = ct_path_quote(part);
	ct_error_set(err, CT_EINVALID, "%s is a symbolic link or not a "
	    "directory; the work tree is never written through one (remove "
	    "it, then run 'git checkout HEAD -- %s')", q != NULL ? q : "?",
	    q != NULL ? q : ".");
	free(q);
	free(part);
	return CT_EINVALID;
}

/*
 * Open the directory holding path's last component, walking from rootfd
 * without following links; *name points at the last component.  With
 * create, missing directories are made.  Returns 0 with *out, 1 when a
 * directory is missing (not create), or an error.
 */
static int
open_parent(int rootfd, const char *path, bool create, int *out,
    const char **name, ct_error *err)
{
	const char *p = path, *slash;
	char comp[256];
	int fd, next;
	size_t n;

	if ((fd = dup(rootfd)) < 0)
		return sys_fail(err, ".", "dup");
	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (n >= sizeof(comp)) {
			close(fd);
			return link_on_way(err, path, (size_t)(slash - path));
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create &&
		    (mkdirat(fd, comp, 0777) == 0 || errno == EEXIST))
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;

			close(fd);
			if (e == ENOENT && !create)
				return 1;
			if (e == ELOOP || e == ENOTDIR)
				return link_on_way(err, path,
				    (size_t)(slash - path));
			errno = e;
			return sys_fail(err, path, "opening its directory");
		}
		close(fd);
		fd = next;
		p = slash + 1;
	}
	*out = fd;
	*name = p;
	return 0;
}

static int
check(const char *path, ct_error *err)
{
	return ct_path_check(path, CT_MODE_FILE, NULL, err);
}

/* A temporary name for name: "<name>.ct-tmp-<pid>-<16 hex digits>". */
static char *
temp_name(const char *name)
{
	unsigned long long r;
	char *t = NULL;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (unsigned long long)time(NULL) ^
		    ((unsigned long long)getpid() << 32) ^ (uintptr_t)&r;
	if (asprintf(&t, "%s" CT_WT_TMP "%ld-%016llx", name, (long)getpid(),
	    r) < 0)
		return NULL;
	return t;
}

static bool
write_all(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	ssize_t w;

	while (off < len) {
		if ((w = write(fd, buf + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		off += (size_t)w;
	}
	return true;
}

/* A new temporary beside name in dfd, never through a link: its
 * descriptor and *tmp (owned), or -1 with err. */
static int
create_temp(int dfd, const char *name, const char *label, unsigned mode,
    char **tmp, ct_error *err)
{
	int fd, tries;

	for (tries = 0; tries < MAX_TEMP_TRIES; tries++) {
		if ((*tmp = temp_name(name)) == NULL) {
			ct_error_set(err, CT_ERROR, "out of memory");
			return -1;
		}
		fd = openat(dfd, *tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, (mode_t)mode);
		if (fd >= 0)
			return fd;
		free(*tmp);
		*tmp = NULL;
		if (errno != EEXIST)
			break;
	}
	sys_fail(err, label, "creating a temporary file");
	return -1;
}

int
ct_wt_put_at(int dfd, const char *name, const char *buf, size_t len,
    const ct_wt_put_opts *o, ct_error *err)
{
	const char *label = o->label != NULL ? o->label : name;
	char *tmp = NULL;
	int fd, rc = 0;

	if ((fd = create_temp(dfd, name, label, o->mode, &tmp, err)) < 0)
		return CT_ERROR;
	if (!write_all(fd, buf, len) || (o->sync && fsync(fd) < 0)) {
		rc = sys_fail(err, label, "writing");
		close(fd);
	} else if (close(fd) < 0)
		rc = sys_fail(err, label, "writing");
	if (rc == 0 && o->check != NULL)
		rc = o->check(dfd, name, o->arg, err);
	if (rc == 0 && renameat(dfd, tmp, dfd, name) < 0)
		rc = sys_fail(err, label, "renaming the temporary file");
	if (rc < 0)
		unlinkat(dfd, tmp, 0);
	free(tmp);
	return rc;
}

int
ct_wt_write(int rootfd, const char *path, const char *buf, size_t len,
    struct stat *sb, ct_error *err)
{
	ct_wt_put_opts o = { .mode = 0644, .label = path };
	const char *name;
	int dfd = -1, rc;

	if ((rc = check(path, err)) < 0 ||
	    (rc = open_parent(rootfd, path, true, &dfd, &name, err)) != 0)
		return rc < 0 ? rc : CT_ERROR;
	rc = ct_wt_put_at(dfd, name, buf, len, &o, err);
	if (rc == 0 && sb != NULL &&
	    fstatat(dfd, name, sb, AT_SYMLINK_NOFOLLOW) < 0)
		rc = sys_fail(err, path, "stat");
	close(dfd);
	return rc;
}

int
ct_wt_remove(int rootfd, const char *path, ct_error *err)
{
	const char *name;
	int dfd, rc;

	if ((rc = check(path, err)) < 0 ||
	    (rc = open_parent(rootfd, path, false, &dfd, &name, err)) != 0)
		return rc < 0 ? rc : 0;
	rc = 0;
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		rc = sys_fail(err, path, "removing");
	close(dfd);
	return rc;
}

int
ct_wt_stat(int rootfd, const char *path, struct stat *sb, ct_error *err)
{
	const char *name;
	int dfd, rc;

	if ((rc = check(path, err)) < 0 ||
	    (rc = open_parent(rootfd, path, false, &dfd, &name, err)) != 0)
		return rc;
	rc = 0;
	if (fstatat(dfd, name, sb, AT_SYMLINK_NOFOLLOW) < 0)
		rc = errno == ENOENT ? 1 : sys_fail(err, path, "stat");
	close(dfd);
	return rc;
}

int
ct_wt_read(int rootfd, const char *path, char **buf, size_t *len,
    ct_error *err)
{
	const char *name;
	struct stat sb;
	ssize_t r;
	size_t off = 0;
	int dfd, fd, rc;

	*buf = NULL;
	*len = 0;
	if ((rc = check(path, err)) < 0 ||
	    (rc = open_parent(rootfd, path, false, &dfd, &name, err)) != 0)
		return rc < 0 ? rc : ct_error_set(err, CT_ENOTFOUND,
		    "%s: no such file", path);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return errno == ENOENT ? ct_error_set(err, CT_ENOTFOUND,
		    "%s: no such file", path) : sys_fail(err, path, "opening");
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size > MAX_FILE ||
	    (*buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return ct_error_set(err, CT_EINVALID, "%s: not a regular file "
		    "casetrail can read", path);
	}
	while (off < (size_t)sb.st_size &&
	    (r = read(fd, *buf + off, (size_t)sb.st_size - off)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	(*buf)[off] = '\0';
	*len = off;
	return 0;
}

void
ct_wt_remove_temps(int rootfd, const char *path, long pid)
{
	const char *name;
	struct dirent *de;
	char *prefix = NULL;
	ct_error err = { 0 };
	DIR *d;
	int dfd;

	if (check(path, &err) < 0 ||
	    open_parent(rootfd, path, false, &dfd, &name, &err) != 0) {
		ct_error_clear(&err);
		return;
	}
	if (asprintf(&prefix, "%s" CT_WT_TMP "%ld-", name, pid) < 0 ||
	    (d = fdopendir(dfd)) == NULL) {
		free(prefix);
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	free(prefix);
}
