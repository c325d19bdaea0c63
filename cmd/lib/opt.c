/*
 * The option table of a tool: the getopt_long arrays, the --help text and
 * the shared options, made from one table (see opt.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"
#include "casetrail/buf.h"
#include "casetrail/case.h"
#include "casetrail/trailers.h"

#define HELP_WIDTH 21

struct cli_args cli;

static struct {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;
	char *optstring;
	struct option *longopts;
	unsigned long long given;	/* the entries given, by index */
	ct_buf help;
} P;

/* An option whose argument may be left out: --color[=when]. */
static bool
optional(const struct cli_opt *o)
{
	return o->arg != NULL && o->arg[0] == '[';
}

/* "  -x, --name arg" padded to the column, or on a line of its own. */
static void
put_entry(ct_buf *b, const struct cli_opt *o, int width)
{
	const char *h, *nl;
	size_t start = b->len;

	ct_buf_puts(b, "  ");
	if (o->ch != 0)
		ct_buf_printf(b, "-%c%s", o->ch, o->name != NULL ? ", " : "");
	else
		ct_buf_puts(b, "    ");
	if (o->name != NULL)
		ct_buf_printf(b, "--%s", o->name);
	if (o->arg != NULL)
		ct_buf_printf(b, "%s%s", optional(o) ? "" : " ", o->arg);
	if (b->failed)
		return;
	if (b->len - start + 1 > (size_t)width)
		ct_buf_printf(b, "\n%*s", width, "");
	else
		ct_buf_printf(b, "%*s", (int)(width - (b->len - start)), "");
	for (h = o->help; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
		ct_buf_printf(b, "%.*s\n%*s", (int)(nl - h), h, width, "");
	ct_buf_printf(b, "%s\n", h);
}

static void
make_help(const struct cli_cmd *cmd)
{
	static const struct cli_opt tail[] = {
		CLI_SHORT('h', "help", NULL, "show this help"),
		CLI_LONG(0, "version", NULL, "print the version"),
	};
	int width = cmd->width > 0 ? cmd->width : HELP_WIDTH;
	const struct cli_opt *o;
	ct_buf *b = &P.help;

	ct_buf_printf(b, "%s\n%s\n", cmd->synopsis, cmd->about);
	for (o = cmd->opts; o->ch != 0 || o->name != NULL; o++)
		if (o->help != NULL)
			put_entry(b, o, width);
	put_entry(b, &tail[0], width);
	put_entry(b, &tail[1], width);
	ct_buf_printf(b, "\n%s", cmd->status);
	if (b->failed)
		cli_die("out of memory");
}

static void
make_getopt(const struct cli_cmd *cmd)
{
	const struct cli_opt *o;
	size_t n = 0, k = 0, s = 0;

	for (o = cmd->opts; o->ch != 0 || o->name != NULL; o++)
		n++;
	if ((P.optstring = calloc(3 * n + 3, 1)) == NULL ||
	    (P.longopts = calloc(n + 3, sizeof(*P.longopts))) == NULL)
		cli_die("out of memory");
	if (cmd->stop_at_operand) {
		/* the help and version are cli_init's scan elsewhere */
		memcpy(P.optstring, "+h", 2);
		s = 2;
		P.longopts[k++] = (struct option){ "help", no_argument, NULL,
		    'h' };
		P.longopts[k++] = (struct option){ "version", no_argument,
		    NULL, CLI_O_VERSION };
	}
	for (o = cmd->opts; o->ch != 0 || o->name != NULL; o++) {
		if (o->ch != 0) {
			P.optstring[s++] = (char)o->ch;
			if (o->arg != NULL)
				P.optstring[s++] = ':';
			if (optional(o))
				P.optstring[s++] = ':';
		}
		if (o->name == NULL)
			continue;
		P.longopts[k].name = o->name;
		P.longopts[k].has_arg = optional(o) ? optional_argument :
		    o->arg != NULL ? required_argument : no_argument;
		P.longopts[k++].val = o->id;
	}
}

/* Set cli_prog, make the --help text and the getopt arrays from cmd and
 * handle --help and --version (exit 0). */
static void
start(const struct cli_cmd *cmd, int argc, char **argv)
{
	/* a new parse (one a process; the unit test makes several) */
	ct_buf_free(&P.help);
	free(P.optstring);
	free(P.longopts);
	P.given = 0;
	P.cmd = cmd;
	P.argc = argc;
	P.argv = argv;
	make_help(cmd);
	make_getopt(cmd);
	cli_init(cmd->stop_at_operand ? 1 : argc, argv, P.help.s);
}

const char *
cli_help(void)
{
	return P.help.s;
}

/* Note the entry getopt returned ch for as given; its id. */
static int
mark_given(int ch)
{
	const struct cli_opt *o;
	size_t i;

	/* getopt returns the letter of a short option, the id of a long */
	for (o = P.cmd->opts, i = 0; o->ch != 0 || o->name != NULL; o++, i++)
		if ((o->ch == ch || (o->name != NULL && o->id == ch)) &&
		    i < 64) {
			P.given |= 1ull << i;
			return o->id;
		}
	return ch;
}

int
cli_next(const struct cli_cmd *cmd, int argc, char **argv)
{
	int ch;

	if (P.cmd != cmd || P.argv != argv)
		start(cmd, argc, argv);
	for (;;) {
		ch = cli_getopt(P.argc, P.argv, P.optstring, P.longopts);
		if (ch != -1)
			ch = mark_given(ch);
		switch (ch) {
		case 'C': cli.dir = optarg; break;
		case 'n': cli.dry_run = true; break;
		case 'm': cli.reason = optarg; break;
		case CLI_O_TODAY: cli.today = optarg; break;
		case CLI_O_FORMAT: cli.format = optarg; break;
		case CLI_O_DATE: cli.date = optarg; break;
		case CLI_O_FILE: cli.file = optarg; break;
		case CLI_O_EDIT: cli.edit = true; break;
		case 'h':
			if (!P.cmd->stop_at_operand)
				return ch;
			fputs(P.help.s, stdout);
			exit(0);
		case CLI_O_VERSION:
			printf("%s %s\n", cli_prog, CT_VERSION);
			exit(0);
		default: return ch;
		}
	}
}

void
cli_spec(ct_commit_spec *spec)
{
	spec->reason = cli.reason;
	if (cli.dry_run)
		spec->flags |= CT_WRITE_DRY_RUN;
}

void
cli_check_text(const char *what, const char *s)
{
	ct_error err = { 0 };

	if (s != NULL && ct_text_check(what, s, &err) < 0)
		cli_die_err(&err);
}

size_t
cli_choice(const char *opt, const char *s, const char *const *names)
{
	ct_buf all = { 0 };
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	for (i = 0; names[i] != NULL; i++)
		ct_buf_printf(&all, "%s%s", i == 0 ? "" : names[i + 1] ==
		    NULL ? " or " : ", ", names[i]);
	cli_die("%s: expected %s, not '%s'", opt, all.failed ? "another" :
	    all.s, s);
}

const char *
cli_format(const char *def, const char *const *names)
{
	const char *f = cli.format != NULL ? cli.format : def;

	return names[cli_choice("--format", f, names)];
}

void
cli_allow(const char *cmd, const int *ids)
{
	const struct cli_opt *o;
	size_t i, k;

	for (o = P.cmd->opts, i = 0; o->ch != 0 || o->name != NULL; o++, i++) {
		/* the store and today go with every command */
		if (i >= 64 || !(P.given & (1ull << i)) || o->id == 'C' ||
		    o->id == CLI_O_TODAY)
			continue;
		for (k = 0; ids[k] != 0 && ids[k] != o->id; k++)
			;
		if (ids[k] != 0)
			continue;
		if (o->ch != 0 && o->name != NULL)
			cli_die("-%c/--%s is not an option of %s", o->ch,
			    o->name, cmd);
		if (o->name != NULL)
			cli_die("--%s is not an option of %s", o->name, cmd);
		cli_die("-%c is not an option of %s", o->ch, cmd);
	}
}

const char *
cli_input_name(const char *file)
{
	return strcmp(file, "-") != 0 ? file : "<stdin>";
}

const char *
cli_one_id(int argc, char **argv)
{
	ct_error err = { 0 };

	if (argc - optind != 1)
		cli_usage();
	if (ct_case_id_check(argv[optind], &err) < 0)
		cli_die_err(&err);
	return argv[optind];
}

size_t
cli_subcommand(int *argc, char ***argv, const char *const *names,
    const int *const *allowed)
{
	size_t c;

	if (optind >= *argc)
		cli_usage();
	c = cli_command((*argv)[optind], names);
	if (allowed != NULL)
		cli_allow(names[c], allowed[c]);
	*argc -= optind + 1;
	*argv += optind + 1;
	return c;
}
