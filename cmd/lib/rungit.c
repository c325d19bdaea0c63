/*
 * The git CLI with a fixed environment (rungit.h).
 *
 * git runs as a child with standard input from /dev/null and its stdout
 * and stderr on one pipe, read to the end (stderr goes to /dev/null when
 * only the output is wanted).  The settings are fixed strings
 * but for the user's own ones (USER_KEYS), read once per process with
 * "git config --global -z --get-regexp" (itself run with the fixed
 * settings) and passed after the fixed ones, so that they win over them
 * and over the store's.  A setting whose name holds '=' (possible only in
 * a URL-scoped credential helper) cannot be written as -c and is left out:
 * that helper is not run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "rungit.h"
#include "casetrail/output.h"

/* Removed: they point git at another repository, configuration or set of
 * programs than the store's and git's own. */
static const char *const dropped_env[] = {
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR",
	"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
	"GIT_NAMESPACE", "GIT_SHALLOW_FILE", "GIT_GRAFT_FILE", "GIT_PREFIX",
	"GIT_IMPLICIT_WORK_TREE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS",
	"GIT_CONFIG_COUNT", "GIT_CONFIG_SYSTEM", "GIT_EXEC_PATH",
	"GIT_PROXY_COMMAND", NULL,
};

/* Set, whatever the environment held. */
static const char *const fixed_env[][2] = {
	{ "GIT_CONFIG_NOSYSTEM", "1" },
	{ "GIT_TERMINAL_PROMPT", "0" },
	{ "GIT_ALLOW_PROTOCOL", "file:ssh:https" },
	{ "GIT_PROTOCOL_FROM_USER", "0" },
};

/* Every setting with which a configuration file names a program that a
 * fetch or a push would run; then git's checks of the objects a fetch
 * brings (a tree entry "..", ".git", a malformed commit). */
static const char *const fixed[] = {
	"core.hooksPath=/dev/null",
	"core.fsmonitor=false",
	"core.alternateRefsCommand=",
	"push.gpgSign=false",
	"core.sshCommand=ssh",      /* the user's own may follow */
	"core.askPass=",            /* ditto */
	"credential.helper=",       /* empties the list; ditto */
	"fetch.fsckObjects=true",   /* and check what a fetch receives */
	NULL,
};

#define USER_KEYS "^(core\\.sshcommand|core\\.askpass|credential\\..*helper)$"

struct args {
	const char **v;
	size_t n, cap;
};

static char **user;   /* the user's own settings, "name=value" */

static void
add(struct args *a, const char *s)
{
	const char **grown;

	if (a->n + 2 > a->cap) {
		a->cap = a->cap > 0 ? 2 * a->cap : 32;
		if ((grown = realloc(a->v, a->cap * sizeof(*grown))) == NULL)
			cli_die("out of memory");
		a->v = grown;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

/* git -C dir and the fixed settings. */
static void
start(struct args *a, const char *dir)
{
	size_t i;

	add(a, "git");
	add(a, "-C");
	add(a, dir);
	for (i = 0; fixed[i] != NULL; i++) {
		add(a, "-c");
		add(a, fixed[i]);
	}
}

/* In the child: stdin from /dev/null, stdout to out, stderr to out too
 * or to /dev/null; the environment; exec. */
static void __attribute__((noreturn))
child(int out, bool errors, const char *const *argv)
{
	size_t i;
	int null;

	if ((null = open("/dev/null", O_RDWR)) >= 0) {
		dup2(null, 0);
		if (!errors)
			dup2(null, 2);
		if (null > 2)
			close(null);
	}
	dup2(out, 1);
	if (errors)
		dup2(out, 2);
	if (out > 2)
		close(out);
	for (i = 0; dropped_env[i] != NULL; i++)
		unsetenv(dropped_env[i]);
	for (i = 0; i < sizeof(fixed_env) / sizeof(fixed_env[0]); i++)
		setenv(fixed_env[i][0], fixed_env[i][1], 1);
	execvp("git", (char *const *)argv);
	fprintf(stderr, "git: %s\n", strerror(errno));
	_exit(127);
}

/* Run argv; its output (with its errors, or not) in *output
 * (NUL-terminated, *len bytes). */
static int
spawn(const char *const *argv, bool errors, char **output, size_t *len)
{
	char buf[4096], *acc = NULL, *grown;
	size_t n = 0;
	ssize_t r;
	int fd[2], status;
	pid_t pid;

	fflush(NULL);
	if (pipe(fd) < 0 || (pid = fork()) < 0)
		cli_die("running git: %s", strerror(errno));
	if (pid == 0) {
		close(fd[0]);
		child(fd[1], errors, argv);
	}
	close(fd[1]);
	for (;;) {
		r = read(fd[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if ((grown = realloc(acc, n + (size_t)r + 1)) == NULL)
			cli_die("out of memory");
		acc = grown;
		memcpy(acc + n, buf, (size_t)r);
		n += (size_t)r;
		acc[n] = '\0';
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			cli_die("running git: %s", strerror(errno));
	if (acc == NULL && (acc = strdup("")) == NULL)
		cli_die("out of memory");
	*output = acc;
	if (len != NULL)
		*len = n;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The user's own USER_KEYS: records "name\nvalue\0" (or "name\0" for a
 * name without a value) become "name=value" (or "name"). */
static void
load_user(const char *dir)
{
	static bool loaded;
	struct args a = { 0 };
	char *out, *p, *nl;
	size_t len, n = 0;

	if (loaded)
		return;
	loaded = true;
	start(&a, dir);
	add(&a, "config");
	add(&a, "--global");
	add(&a, "-z");
	add(&a, "--get-regexp");
	add(&a, USER_KEYS);
	if (spawn(a.v, false, &out, &len) != 0)
		len = 0;        /* nothing set (exit 1), or no such file */
	if ((user = calloc(len + 1, sizeof(*user))) == NULL)
		cli_die("out of memory");
	for (p = out; p < out + len; p += strlen(p) + 1) {
		nl = strchr(p, '\n');
		if (memchr(p, '=', nl != NULL ? (size_t)(nl - p) :
		    strlen(p)) != NULL)
			continue;
		if (nl != NULL)
			*nl = '=';
		if ((user[n++] = strdup(p)) == NULL)
			cli_die("out of memory");
	}
	free(out);
	free(a.v);
}

int
cli_git(const char *dir, const char *const *args, char **output)
{
	struct args a = { 0 };
	size_t i;
	int rc;

	load_user(dir);
	start(&a, dir);
	for (i = 0; user[i] != NULL; i++) {
		add(&a, "-c");
		add(&a, user[i]);
	}
	for (i = 0; args[i] != NULL; i++)
		add(&a, args[i]);
	rc = spawn(a.v, true, output, NULL);
	free(a.v);
	return rc;
}

void
cli_git_show(const char *out)
{
	ct_buf b = { 0 };

	ct_text_safe_indent(&b, "  ", out);
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stderr);
	ct_buf_free(&b);
}
