/*
 * Digests (digest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "casetrail/digest.h"
#include "casetrail/report.h"

#define STATE_DIR "casetrail/digest"

bool
ct_digest_open(const ct_finding *f)
{
	return f->status == CT_STATUS_OVERDUE || f->status == CT_STATUS_DUE;
}

static bool
mine(const ct_finding *f, const char *id)
{
	return f->manager != NULL && strcmp(f->manager, id) == 0 &&
	    ct_digest_open(f);
}

/* The finding's state line: case, rule, anchor, key, status. */
static void
state_line(ct_buf *b, const ct_finding *f)
{
	char a[CT_DATE_BUFSZ];

	ct_buf_printf(b, "%s\t%s\t%s\t%s\t%s\n", f->case_id,
	    ct_rule_id(f->rule), ct_date_format(f->anchor, a),
	    f->key != NULL ? f->key : "-", ct_status_name(f->status));
}

/* Is line (with its newline) one of prev's lines? */
static bool
told(const char *prev, const char *line, size_t len)
{
	const char *p = prev;

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) + 1 : strlen(p);

		if (n == len && memcmp(p, line, len) == 0)
			return true;
		p += n;
	}
	return false;
}

/* A header field's value from registry text: one line, no controls. */
static void
header_text(ct_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		ct_buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' :
		    *s);
}

static void
headers(ct_buf *b, const ct_digest_to *to, size_t over, size_t due,
    const ct_findings *mine_fs)
{
	time_t t = (time_t)to->now;
	struct tm tm;
	char date[64];
	size_t i, n = 0;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	ct_buf_puts(b, "From: ");
	header_text(b, to->from);
	ct_buf_puts(b, "\nTo: ");
	header_text(b, to->name);
	ct_buf_puts(b, " <");
	header_text(b, to->email);
	ct_buf_printf(b, ">\nSubject: casetrail: %zu overdue, %zu due in your "
	    "cases", over, due);
	for (i = 0; i < mine_fs->n && n < 3; i++)
		if (i == 0 || strcmp(mine_fs->v[i].case_id,
		    mine_fs->v[i - 1].case_id) != 0) {
			ct_buf_puts(b, n++ == 0 ? " (" : ", ");
			header_text(b, mine_fs->v[i].case_id);
		}
	ct_buf_puts(b, n > 0 ? (i < mine_fs->n ? ", ...)" : ")") : "");
	ct_buf_printf(b, "\nDate: %s\nMessage-ID: <digest.", date);
	header_text(b, to->id);
	ct_buf_printf(b, ".%lld@casetrail>\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Auto-Submitted: auto-generated\n\n", to->now);
}

static int
body(ct_buf *b, const ct_findings *news, const ct_findings *all,
    const char *id)
{
	ct_buf_printf(b, "New since your last digest (%zu):\n\n", news->n);
	ct_findings_text(news, false, false, b);
	ct_buf_printf(b, "\nEverything open in your cases (%zu):\n\n", all->n);
	ct_findings_text(all, false, false, b);
	ct_buf_printf(b, "\n-- \nThe same list: deadline-check --manager %s\n",
	    id);
	return b->failed ? -1 : 0;
}

int
ct_digest_make(const ct_findings *fs, const ct_digest_to *to,
    const char *prev, ct_buf *msg, char **state, size_t *nnew,
    ct_error *err)
{
	ct_findings all = { 0 }, news = { 0 };
	ct_buf st = { 0 };
	size_t i, over = 0, due = 0, at;

	*state = NULL;
	*nnew = 0;
	if ((all.v = calloc(fs->n + 1, sizeof(*all.v))) == NULL ||
	    (news.v = calloc(fs->n + 1, sizeof(*news.v))) == NULL)
		goto nomem;
	for (i = 0; i < fs->n; i++) {
		if (!mine(&fs->v[i], to->id))
			continue;
		at = st.len;
		state_line(&st, &fs->v[i]);
		all.v[all.n++] = fs->v[i];   /* borrowed: never cleared */
		over += fs->v[i].status == CT_STATUS_OVERDUE;
		due += fs->v[i].status == CT_STATUS_DUE;
		if (!st.failed && !told(prev, st.s + at, st.len - at))
			news.v[news.n++] = fs->v[i];
	}
	ct_buf_puts(&st, "");
	if (st.failed)
		goto nomem;
	*nnew = news.n;
	if (news.n > 0) {
		headers(msg, to, over, due, &all);
		if (body(msg, &news, &all, to->id) < 0)
			goto nomem;
	}
	*state = st.s;
	free(all.v);
	free(news.v);
	return 0;
nomem:
	free(all.v);
	free(news.v);
	ct_buf_free(&st);
	return ct_error_set(err, CT_ERROR, "out of memory");
}

static int
state_path(ct_store *st, const char *id, char **path, ct_error *err)
{
	if (strchr(id, '/') != NULL || id[0] == '.' ||
	    asprintf(path, "%s%s/%s", ct_store_gitdir(st), STATE_DIR, id) < 0) {
		*path = NULL;
		return ct_error_set(err, CT_EINVALID, "operator id '%s'", id);
	}
	return 0;
}

int
ct_digest_state_read(ct_store *st, const char *id, char **text,
    ct_error *err)
{
	char *path = NULL;
	ct_buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;
	int rc;

	*text = NULL;
	if ((rc = state_path(st, id, &path, err)) < 0)
		return rc;
	if ((f = fopen(path, "r")) == NULL) {
		rc = errno == ENOENT ? 0 : ct_error_set(err, CT_ERROR, "%s: %s",
		    path, strerror(errno));
		free(path);
		return rc;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ct_buf_add(&b, chunk, n);
	ct_buf_puts(&b, "");
	if (ferror(f) || b.failed)
		rc = ct_error_set(err, CT_ERROR, "%s: reading failed", path);
	fclose(f);
	free(path);
	if (rc == 0)
		*text = b.s;
	else
		ct_buf_free(&b);
	return rc;
}

int
ct_digest_state_write(ct_store *st, const char *id, const char *text,
    ct_error *err)
{
	char *path = NULL, *tmp = NULL, *top = NULL, *dir = NULL;
	size_t len = strlen(text);
	bool ok;
	int rc, fd;

	if ((rc = state_path(st, id, &path, err)) < 0)
		return rc;
	if (asprintf(&top, "%scasetrail", ct_store_gitdir(st)) < 0 ||
	    asprintf(&dir, "%s%s", ct_store_gitdir(st), STATE_DIR) < 0 ||
	    asprintf(&tmp, "%s.%ld.tmp", path, (long)getpid()) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	(void)mkdir(top, 0777);
	(void)mkdir(dir, 0777);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) < 0) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) < 0) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", path,
		    strerror(errno));
		(void)unlink(tmp);
	}
out:
	free(top);
	free(dir);
	free(tmp);
	free(path);
	return rc;
}
