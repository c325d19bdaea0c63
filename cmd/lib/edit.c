/*
 * Records from a file, standard input or the user's editor (visudo-style:
 * edit a copy, check it, re-open on error, keep nothing when the editor
 * fails or nothing was changed).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/yaml.h"

/* Read everything from fd (at most CT_YAML_MAX_SIZE bytes); NULL with
 * errno set on failure, EFBIG when too large. */
static char *
read_fd(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *grown;
	ssize_t r;

	if (buf == NULL)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > CT_YAML_MAX_SIZE) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			if ((grown = realloc(buf, cap * 2)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > CT_YAML_MAX_SIZE) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *
cli_read_input(const char *what, const char *path, size_t *len)
{
	int fd = 0;
	char *buf;

	if (strcmp(path, "-") != 0 && (fd = open(path, O_RDONLY)) < 0)
		cli_die("%s %s: %s", what, path, strerror(errno));
	if ((buf = read_fd(fd, len)) == NULL)
		cli_die("%s %s: %s", what, strcmp(path, "-") ? path :
		    "(standard input)", errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
	if (fd != 0)
		close(fd);
	return buf;
}

static void
write_all(int fd, const char *path, const char *text, size_t len)
{
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, text, len)) < 0) {
			if (errno == EINTR)
				continue;
			unlink(path);
			cli_die("writing %s: %s", path, strerror(errno));
		}
		text += w;
		len -= (size_t)w;
	}
}

static const char *
editor(void)
{
	const char *e;

	if ((e = getenv("VISUAL")) != NULL && *e != '\0')
		return e;
	if ((e = getenv("EDITOR")) != NULL && *e != '\0')
		return e;
	return "vi";
}

/* Run the editor on path like system(3): 0 when it exited 0, else -1
 * (with the reason printed). */
static int
run_editor(const char *path)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	const char *ed = editor();
	char *cmd;
	pid_t pid;
	int status;

	if (asprintf(&cmd, "%s \"$1\"", ed) < 0)
		cli_die("out of memory");
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	if ((pid = fork()) < 0) {
		unlink(path);
		cli_die("running the editor: %s", strerror(errno));
	}
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			unlink(path);
			cli_die("waiting for the editor: %s", strerror(errno));
		}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	free(cmd);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		cli_warn("the editor (%s) exited with status %d: nothing "
		    "changed", ed, WEXITSTATUS(status));
	else
		cli_warn("the editor (%s) was killed: nothing changed", ed);
	return -1;
}

/* On a terminal, ask whether to edit again; elsewhere, just go on. */
static int
again(void)
{
	char *line = NULL;
	size_t cap = 0;
	int yes;

	if (!isatty(STDIN_FILENO))
		return 1;
	fprintf(stderr, "%s: edit again? [Y/n] ", cli_prog);
	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		return 0;
	}
	yes = line[0] != 'n' && line[0] != 'N' && line[0] != 'q' &&
	    line[0] != 'Q';
	free(line);
	return yes;
}

/* The length of the leading "#!" lines of text (CLI_EDIT_ERRORS_IN_FILE). */
static size_t
error_lines(const char *text, size_t len)
{
	const char *nl;
	size_t off = 0;

	while (off + 1 < len && text[off] == '#' && text[off + 1] == '!') {
		if ((nl = memchr(text + off, '\n', len - off)) == NULL)
			return len;
		off = (size_t)(nl - text) + 1;
	}
	return off;
}

/*
 * The text to re-open: "#!" lines with msg, whose "path:LINE:" positions
 * are moved down by the lines added, then body.  *shifted gets msg so
 * moved (for stderr).
 */
static char *
with_errors(const char *msg, const char *path, const char *body,
    size_t bodylen, char **shifted, size_t *outlen)
{
	static const char head[] =
	    "#! %s: not saved: fix the errors below and save again, or quit\n"
	    "#! without saving to keep nothing.  The #! lines are removed.\n";
	size_t plen = strlen(path), nlines = 1, k;
	const char *p, *line, *end;
	char *text = NULL, *moved = NULL, *num;
	FILE *f, *g;
	size_t tlen, mlen;
	unsigned long n;

	for (p = msg; *p != '\0'; p++)
		if (*p == '\n')
			nlines++;
	k = 2 + nlines;
	if ((f = open_memstream(&text, &tlen)) == NULL ||
	    (g = open_memstream(&moved, &mlen)) == NULL)
		cli_die("out of memory");
	fprintf(f, head, cli_prog);
	for (line = msg; line != NULL; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		p = line;
		if (strncmp(line, path, plen) == 0 && line[plen] == ':' &&
		    line[plen + 1] >= '0' && line[plen + 1] <= '9') {
			n = strtoul(line + plen + 1, &num, 10);
			if (*num == ':') {
				fprintf(g, "%s:%lu", path, n + k);
				p = num;
			}
		}
		fprintf(g, "%.*s%s", end ? (int)(end - p) : (int)strlen(p), p,
		    end ? "\n" : "");
	}
	if (fclose(g) != 0)
		cli_die("out of memory");
	for (line = moved; line != NULL; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		fprintf(f, "#! %.*s\n", end ? (int)(end - line) :
		    (int)strlen(line), line);
	}
	fwrite(body, 1, bodylen, f);
	if (fclose(f) != 0)
		cli_die("out of memory");
	*shifted = moved;
	*outlen = tlen;
	return text;
}

int
cli_edit(const char *text, size_t len, const char *suffix,
    cli_edit_check_fn check, void *arg, char **out, size_t *outlen)
{
	return cli_edit_flags(text, len, suffix, 0, check, arg, out, outlen);
}

/* Close fd, the copy's, or die removing it. */
static void
close_copy(int fd, const char *path)
{
	if (close(fd) < 0) {
		unlink(path);
		cli_die("writing %s: %s", path, strerror(errno));
	}
}

/* The copy to edit: a new file of mode 0600 in $TMPDIR (else /tmp) named
 * after the tool, ending in suffix, holding text; its path. */
static char *
new_copy(const char *text, size_t len, const char *suffix)
{
	const char *tmpdir = getenv("TMPDIR");
	char *path;
	int fd;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	if (asprintf(&path, "%s/%s-XXXXXX%s", tmpdir, cli_prog, suffix) < 0)
		cli_die("out of memory");
	if ((fd = mkstemps(path, (int)strlen(suffix))) < 0)
		cli_die("creating a file to edit in %s: %s", tmpdir,
		    strerror(errno));
	write_all(fd, path, text, len);
	close_copy(fd, path);
	return path;
}

/* What the editor left in the copy, or die removing it. */
static char *
read_copy(const char *path, size_t *len)
{
	char *text;
	int fd, e;

	if ((fd = open(path, O_RDONLY)) < 0 ||
	    (text = read_fd(fd, len)) == NULL) {
		e = errno;
		unlink(path);
		cli_die("reading %s: %s", path, e == EFBIG ?
		    "larger than 1 MiB" : strerror(e));
	}
	close(fd);
	return text;
}

/* CLI_EDIT_ERRORS_IN_FILE: the copy again, err's message at its top
 * (with_errors), then body; the message told on stderr too.  The text
 * the copy now holds (*len). */
static char *
put_errors(const char *path, const ct_error *err, const char *body,
    size_t bodylen, size_t *len)
{
	char *shifted, *annotated;
	int fd;

	annotated = with_errors(ct_error_msg(err), path, body, bodylen,
	    &shifted, len);
	if ((fd = open(path, O_WRONLY | O_TRUNC)) < 0) {
		unlink(path);
		cli_die("writing %s: %s", path, strerror(errno));
	}
	write_all(fd, path, annotated, *len);
	close_copy(fd, path);
	cli_warn("%s", shifted);
	free(shifted);
	return annotated;
}

/* The copy as it was before the editor's run: nothing to take. */
static int
unchanged(int attempt)
{
	if (attempt > 1) {
		cli_warn("the file is still not valid: nothing changed");
		return CLI_EDIT_FAILED;
	}
	cli_warn("the file was not changed: nothing changed");
	return CLI_EDIT_UNCHANGED;
}

int
cli_edit_flags(const char *text, size_t len, const char *suffix,
    unsigned flags, cli_edit_check_fn check, void *arg, char **out,
    size_t *outlen)
{
	char *path, *prev, *cur;
	size_t prevlen = len, curlen, skip;
	ct_error err = { 0 };
	int attempt, result = CLI_EDIT_FAILED;

	*out = NULL;
	*outlen = 0;
	if ((prev = malloc(len + 1)) == NULL)
		cli_die("out of memory");
	memcpy(prev, text, len);
	prev[len] = '\0';
	path = new_copy(text, len, suffix);
	for (attempt = 1; attempt <= CLI_EDIT_ATTEMPTS; attempt++) {
		if (run_editor(path) < 0)
			break;
		cur = read_copy(path, &curlen);
		if (curlen == prevlen && memcmp(cur, prev, curlen) == 0) {
			free(cur);
			result = unchanged(attempt);
			break;
		}
		free(prev);
		prev = cur;
		prevlen = curlen;
		skip = flags & CLI_EDIT_ERRORS_IN_FILE ?
		    error_lines(cur, curlen) : 0;
		if (check(cur + skip, curlen - skip, path, arg, &err) == 0) {
			memmove(cur, cur + skip, curlen - skip + 1);
			*out = cur;
			*outlen = curlen - skip;
			prev = NULL;
			result = CLI_EDIT_CHANGED;
			break;
		}
		if (flags & CLI_EDIT_ERRORS_IN_FILE) {
			prev = put_errors(path, &err, cur + skip, curlen - skip,
			    &prevlen);
			free(cur);
		} else
			cli_warn("%s", ct_error_msg(&err));
		ct_error_clear(&err);
		if (attempt == CLI_EDIT_ATTEMPTS) {
			cli_warn("giving up after %d attempts: nothing changed",
			    attempt);
			break;
		}
		if (!again()) {
			cli_warn("nothing changed");
			break;
		}
	}
	unlink(path);
	free(path);
	free(prev);
	return result;
}

struct doc_check {
	cli_load_fn load;
	void *arg;
	ct_node **doc;
};

static int
check_doc(const char *text, size_t len, const char *name, void *arg,
    ct_error *err)
{
	struct doc_check *d = arg;
	ct_node *doc = NULL;
	int rc;

	if ((rc = d->load(text, len, name, d->arg, &doc, err)) < 0)
		return rc;
	ct_node_free(*d->doc);
	*d->doc = doc;
	return 0;
}

int
cli_edit_doc(const char *text, size_t len, unsigned flags, cli_load_fn load,
    void *arg, ct_node **doc, char **out, size_t *outlen)
{
	struct doc_check d = { load, arg, doc };

	return cli_edit_flags(text, len, ".yaml", flags, check_doc, &d, out,
	    outlen);
}

int
cli_input_doc(cli_load_fn load, cli_template_fn tmpl, void *arg,
    unsigned flags, ct_node **doc)
{
	ct_error err = { 0 };
	char *buf = NULL, *edited = NULL;
	size_t len = 0, outlen;
	int rc = CLI_EDIT_CHANGED;

	if (cli.file != NULL) {
		buf = cli_read_input("-f", cli.file, &len);
		if (!cli.edit && load(buf, len, cli_input_name(cli.file), arg,
		    doc, &err) < 0)
			cli_die_err(&err);
	}
	if (cli.edit) {
		if (buf == NULL) {
			if (tmpl(arg, &buf, &err) < 0)
				cli_die_err(&err);
			len = strlen(buf);
		}
		rc = cli_edit_doc(buf, len, flags, load, arg, doc, &edited,
		    &outlen);
	}
	free(buf);
	free(edited);
	return rc;
}
