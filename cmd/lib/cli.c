/*
 * Shared command-line plumbing of the casetrail tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "suggest.h"
#include "casetrail/path.h"
#include "casetrail/case.h"
#include "casetrail/output.h"

const char *cli_prog = "casetrail";
static const char *cli_usage_text = "";

void
cli_init(int argc, char **argv, const char *usage)
{
	const char *slash;
	int i;

	if (argc > 0 && argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		cli_prog = slash != NULL ? slash + 1 : argv[0];
	}
	cli_usage_text = usage;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			exit(0);
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("%s %s\n", cli_prog, CT_VERSION);
			exit(0);
		}
	}
}

/* "prog: msg" on stderr; a message can quote data (a record's text, an
 * author's name), so it is written terminal-safe, its lines kept. */
static void
put_msg(const char *msg)
{
	ct_buf b = { 0 };

	ct_buf_puts(&b, "");
	ct_text_safe_lines(&b, msg);
	fprintf(stderr, "%s: %s\n", cli_prog,
	    b.failed ? "out of memory" : b.s);
	ct_buf_free(&b);
}

static void
vwarn(const char *fmt, va_list ap)
{
	ct_buf b = { 0 };

	ct_buf_vprintf(&b, fmt, ap);
	put_msg(b.failed || b.s == NULL ? "out of memory" : b.s);
	ct_buf_free(&b);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

/* Write b on stdout and free it; die when it is out of memory. */
static void
emit(ct_buf *b)
{
	if (b->failed)
		cli_die("out of memory");
	fputs(b->s, stdout);
	ct_buf_free(b);
}

int
cli_print_problem(const ct_verify_problem *p, void *arg, ct_error *err)
{
	ct_buf b = { 0 };

	(void)arg;
	(void)err;
	ct_buf_printf(&b, "%.12s ", p->commit);
	ct_text_safe(&b, p->path != NULL ? p->path : "-");
	ct_buf_printf(&b, " %s: ", p->rule);
	ct_text_safe(&b, p->what);
	ct_buf_putc(&b, '\n');
	emit(&b);
	return 0;
}

int
cli_print_audit(const ct_audit_item *it, void *arg, ct_error *err)
{
	ct_buf b = { 0 };

	(void)arg;
	(void)err;
	if (it->kind == CT_AUDIT_ADDED)
		return 0;
	ct_buf_printf(&b, "%s ", it->commit);
	ct_text_safe(&b, it->path);
	ct_buf_puts(&b, ": ");
	ct_text_safe(&b, it->what);
	ct_buf_putc(&b, '\n');
	emit(&b);
	return 0;
}

int
cli_misplaced(ct_snapshot *snap, const char *dir, const char *why, void *arg,
    ct_error *err)
{
	char *q = ct_path_quote(dir);

	(void)snap;
	(void)arg;
	(void)err;
	cli_warn("%s: %s: %s; skipped", q != NULL ? q : "?",
	    CT_RULE_MISPLACED, why);
	free(q);
	return 0;
}

void
cli_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(EXIT_ERROR);
}

void
cli_die_err(ct_error *err)
{
	put_msg(ct_error_msg(err));
	ct_error_clear(err);
	exit(EXIT_ERROR);
}

void
cli_usage(void)
{
	/* the usage text's first paragraph is the synopsis */
	const char *end = strstr(cli_usage_text, "\n\n");
	int len = end ? (int)(end - cli_usage_text) :
	    (int)strlen(cli_usage_text);

	fprintf(stderr, "%.*s\n", len, cli_usage_text);
	fprintf(stderr, "Try '%s --help' for more information.\n", cli_prog);
	exit(EXIT_ERROR);
}

/* The store named by -C DIR or $CASETRAIL_STORE, or NULL. */
static const char *
store_named(const char *opt)
{
	const char *env;

	if (opt != NULL)
		return opt;
	if ((env = getenv("CASETRAIL_STORE")) != NULL && *env != '\0')
		return env;
	return NULL;
}

const char *
cli_store_dir(const char *opt)
{
	const char *dir = store_named(opt);

	return dir != NULL ? dir : ".";
}

ct_store *
cli_open_store(const char *opt)
{
	ct_error err = { 0 };
	const char *dir = store_named(opt);
	ct_store *st;

	/* a store named is exactly that directory; the current directory
	 * may be anywhere in its store's work tree */
	if ((dir != NULL ? ct_store_open(dir, &st, &err) :
	    ct_store_discover(".", &st, &err)) < 0)
		cli_die_err(&err);
	return st;
}

ct_date
cli_date(const char *opt_name, const char *value)
{
	ct_error err = { 0 };
	ct_date d;

	if (ct_date_parse(value, &d, &err) < 0)
		cli_die("%s: %s: expected YYYY-MM-DD", opt_name,
		    ct_error_msg(&err));
	return d;
}

int
cli_number(const char *opt, const char *s, long lo, long hi,
    const char *what)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < lo || n > hi)
		cli_die("%s: expected %s, not '%s'", opt, what, s);
	return (int)n;
}

ct_date
cli_today(const char *opt, const ct_store *st)
{
	ct_error err = { 0 };
	const char *env;
	ct_date d;

	if (opt != NULL)
		return cli_date("--today", opt);
	if ((env = getenv("CASETRAIL_TODAY")) != NULL && *env != '\0')
		return cli_date("CASETRAIL_TODAY", env);
	if (ct_date_today(st != NULL ? ct_store_timezone(st) : NULL,
	    (int64_t)time(NULL), &d, &err) < 0)
		cli_die_err(&err);
	return d;
}

static void
push_id(char ***v, size_t *n, size_t *cap, const char *id)
{
	ct_error err = { 0 };
	char **grown;

	if (ct_case_id_check(id, &err) < 0)
		cli_die_err(&err);
	if (*n + 1 >= *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((grown = realloc(*v, *cap * sizeof(**v))) == NULL)
			cli_die("out of memory");
		*v = grown;
	}
	if (((*v)[(*n)++] = strdup(id)) == NULL)
		cli_die("out of memory");
	(*v)[*n] = NULL;
}

char **
cli_case_ids(int argc, char **argv, size_t *n)
{
	char **v = NULL, *line = NULL;
	size_t cap = 0, linecap = 0, count;
	ssize_t len;
	int i;

	if (n == NULL)
		n = &count;
	*n = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			push_id(&v, n, &cap, argv[i]);
			continue;
		}
		while ((len = getline(&line, &linecap, stdin)) >= 0) {
			while (len > 0 && (line[len - 1] == '\n' ||
			    line[len - 1] == '\r'))
				line[--len] = '\0';
			if (strlen(line) != (size_t)len)
				cli_die("(standard input): a case id contains a "
				    "NUL byte");
			if (len > 0)
				push_id(&v, n, &cap, line);
		}
	}
	free(line);
	if (*n == 0)
		cli_die("no case id given");
	return v;
}

void
cli_print_lines(const char *text)
{
	ct_buf b = { 0 };

	ct_buf_puts(&b, "");
	ct_text_safe_lines(&b, text);
	emit(&b);
}

static void
report(const ct_write_result *res, const char *what)
{
	if (res->diff != NULL) {
		cli_print_lines(res->diff);
		cli_warn("dry run: %s not committed", what);
	} else if (!res->changed)
		cli_warn("%s: nothing changed, no commit made", what);
	else
		cli_warn("%s: committed %.12s", what, res->commit);
	if (res->warning != NULL)
		cli_warn("warning: %s", res->warning);
}

/* A write failed with CT_ENOTFOUND: when its case is not at HEAD, say so
 * with the nearest ids. */
static void
case_gone(ct_store *st, const char *id)
{
	ct_error err = { 0 };
	ct_snapshot *snap;
	char *dir = NULL;

	if (ct_case_dir(id, &dir, &err) < 0 ||
	    ct_snapshot_open(st, NULL, &snap, &err) < 0) {
		ct_error_clear(&err);
		free(dir);
		return;
	}
	if (!ct_snapshot_is_dir(snap, dir))
		cli_no_case(snap, id);
	ct_snapshot_free(snap);
	free(dir);
}

void
cli_write(ct_store *st, const ct_commit_spec *spec, ct_txn_fn fn, void *arg)
{
	ct_write_result res;
	ct_error err = { 0 };

	if (ct_store_write(st, spec, fn, arg, &res, &err) < 0) {
		if (err.code == CT_ENOTFOUND && spec->case_id != NULL)
			case_gone(st, spec->case_id);
		cli_die_err(&err);
	}
	report(&res, spec->subject);
	ct_write_result_clear(&res);
}


char **
cli_split(const char *s)
{
	char **v, *copy, *tok, *save = NULL;
	size_t n = 0, cap = 1;
	const char *p;

	for (p = s; *p; p++)
		if (*p == ',')
			cap++;
	if ((v = calloc(cap + 1, sizeof(*v))) == NULL ||
	    (copy = strdup(s)) == NULL)
		cli_die("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if ((v[n++] = strdup(tok)) == NULL)
			cli_die("out of memory");
	free(copy);
	return v;
}

/* The long option named by arg ("--name" or "--name=value"): exact, else
 * the one it abbreviates; NULL when none or (*ambiguous) several. */
static const struct option *
find_longopt(const struct option *longopts, const char *arg, size_t len,
    bool *ambiguous)
{
	const struct option *o, *found = NULL;

	*ambiguous = false;
	for (o = longopts; o->name != NULL; o++) {
		if (strncmp(o->name, arg, len) != 0)
			continue;
		if (o->name[len] == '\0')
			return o;
		*ambiguous = found != NULL;
		found = o;
	}
	return *ambiguous ? NULL : found;
}

static void __attribute__((noreturn))
bad_longopt(const struct option *longopts, const char *arg)
{
	const struct option *o;
	const char *eq = strchr(arg, '=');
	size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	cli_near near;
	bool ambiguous;
	char *name;

	if ((name = strndup(arg, len)) == NULL)
		cli_die("out of memory");
	if ((o = find_longopt(longopts, name, len, &ambiguous)) != NULL)
		cli_warn(o->has_arg == no_argument ? "option '--%s' takes no "
		    "argument" : "option '--%s' needs an argument", o->name);
	else {
		/* ambiguous: the options it abbreviates, else the nearest */
		cli_near_init(&near, name);
		for (o = longopts; o->name != NULL; o++)
			if (ambiguous && strncmp(o->name, name, len) == 0)
				cli_near_put(&near, o->name, 0);
			else
				cli_near_add(&near, o->name);
		cli_warn("%s option '--%s'%s", ambiguous ? "ambiguous" :
		    "unknown", name, cli_near_text(&near, "--"));
	}
	cli_usage();
}

int
cli_getopt(int argc, char *const argv[], const char *optstring,
    const struct option *longopts)
{
	const char *arg;
	int ch;

	opterr = 0;
	if ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != '?')
		return ch;
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (strncmp(arg, "--", 2) == 0 && arg[2] != '\0')
		bad_longopt(longopts, arg + 2);
	if (optopt != 0 && strchr(optstring, optopt) != NULL)
		cli_warn("option '-%c' needs an argument", optopt);
	else if (optopt > 0x20 && optopt < 0x7f)
		cli_warn("unknown option '-%c'", optopt);
	else
		cli_warn("unknown option");
	cli_usage();
}

size_t
cli_command(const char *cmd, const char *const *names)
{
	ct_buf all = { 0 };
	cli_near near;
	const char *text;
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(cmd, names[i]) == 0)
			return i;
	cli_near_init(&near, cmd);
	cli_near_addv(&near, names);
	if (*(text = cli_near_text(&near, "")) != '\0')
		cli_die("unknown command '%s'%s", cmd, text);
	for (i = 0; names[i] != NULL; i++)
		ct_buf_printf(&all, "%s%s", i == 0 ? "" : names[i + 1] ==
		    NULL ? " or " : ", ", names[i]);
	cli_die("unknown command '%s': expected %s", cmd,
	    all.failed ? "another" : all.s);
}

static int
near_case(ct_snapshot *snap, const char *case_id, const char *dir,
    void *arg, ct_error *err)
{
	cli_near_add(arg, case_id);
	return 0;
}

void
cli_no_case(ct_snapshot *snap, const char *id)
{
	ct_error err = { 0 };
	cli_near near;
	const char *text;

	/* one typo: ids of a sequence differ from each other in two digits */
	cli_near_init(&near, id);
	near.max = 1;
	if (ct_snapshot_each_case(snap, near_case, NULL, &near, &err) < 0)
		ct_error_clear(&err);
	if (*(text = cli_near_text(&near, "")) != '\0')
		cli_die("case %s does not exist%s", id, text);
	cli_die("case %s does not exist (create it with case-new)", id);
}

char *
cli_case_dir(ct_snapshot *snap, const char *id)
{
	ct_error err = { 0 };
	char *dir;

	if (ct_case_dir(id, &dir, &err) < 0)
		cli_die_err(&err);
	if (!ct_snapshot_is_dir(snap, dir))
		cli_no_case(snap, id);
	return dir;
}

int
cli_stdout(const char *s, size_t n, void *arg)
{
	(void)arg;
	return fwrite(s, 1, n, stdout) == n ? 0 : -1;
}

void
cli_put_stream(ct_buf *b)
{
	ct_buf_flush(b, true);
	if (b->failed)
		cli_die("writing the report failed");
	ct_buf_free(b);
	if (fflush(stdout) != 0)
		cli_die("writing output failed");
}

bool
cli_use_color(const char *when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0)
		return false;
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}
