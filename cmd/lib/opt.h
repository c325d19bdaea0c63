/*
 * The option table of a tool, in the manner of git's parse-options: each
 * tool describes its options once, as a table of entries, and from it
 * come the getopt_long arrays, the option list of --help and the handling
 * of the options the tools share (-C, -n, -m, --today, --format, --date).
 *
 *	static const struct cli_opt opts[] = {
 *		CLI_OPT_STORE, CLI_OPT_DRY_RUN, CLI_OPT_REASON,
 *		CLI_OPT_TODAY,
 *		CLI_OPT_DATE_HELP("the day of the meeting"),
 *		CLI_LONG('M', "meeting", "ref", "the meeting's reference"),
 *		CLI_OPT_END,
 *	};
 *	static const struct cli_cmd cmd = { usage, about, opts, status };
 *
 *	while ((ch = cli_next(&cmd, argc, argv)) != -1)
 *		switch (ch) { case 'M': meeting = optarg; break; ... }
 *
 * --help prints the synopsis, the description, the option list (each
 * entry's "-x, --name arg" with its help in a column, then -h/--help and
 * --version) and the closing paragraph.  The shape of that list is what
 * the completion scripts and the man-page test read.
 */
#ifndef CASETRAIL_OPT_H
#define CASETRAIL_OPT_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/store.h"

/* Ids of the shared long-only options (cli_next never returns them). */
enum {
	CLI_O_TODAY = 0x100,
	CLI_O_FORMAT,
	CLI_O_DATE,
	CLI_O_FILE,
	CLI_O_EDIT,
	CLI_O_VERSION,
	CLI_O_TOOL = 0x200,	/* a tool's own codes may start here */
};

struct cli_opt {
	int ch;			/* the short option letter, or 0 */
	const char *name;	/* the long name, or NULL */
	const char *arg;	/* the argument's name in --help; NULL: none;
				   "[=when]": optional, given as --name=when
				   (optarg NULL when it is not) */
	const char *help;	/* its help; "\n" starts a new line; NULL:
				   taken, but not shown in --help */
	int id;			/* what cli_next returns for it (for -ch
				   too) */
};

/* An option with a short letter (returned as that letter). */
#define CLI_SHORT(c, name, arg, help)	{ (c), (name), (arg), (help), (c) }
/* A long-only option, returned as id. */
#define CLI_LONG(id, name, arg, help)	{ 0, (name), (arg), (help), (id) }
#define CLI_OPT_END			{ 0, NULL, NULL, NULL, 0 }

/* The shared entries; a tool whose words differ gives its own help. */
#define CLI_OPT_STORE CLI_SHORT('C', NULL, "dir", \
	"the store (default $CASETRAIL_STORE, else .)")
#define CLI_OPT_DRY_RUN CLI_SHORT('n', "dry-run", NULL, \
	"print the change, commit nothing")
#define CLI_OPT_REASON_HELP(help) CLI_SHORT('m', "reason", "text", help)
#define CLI_OPT_REASON CLI_OPT_REASON_HELP("the commit's Reason")
#define CLI_OPT_TODAY_HELP(help) CLI_LONG(CLI_O_TODAY, "today", "date", help)
#define CLI_OPT_TODAY CLI_OPT_TODAY_HELP("today (default $CASETRAIL_TODAY, " \
	"else today in the\nstore's time zone)")
#define CLI_OPT_FORMAT_HELP(help) CLI_LONG(CLI_O_FORMAT, "format", "f", help)
#define CLI_OPT_DATE_HELP(help) CLI_LONG(CLI_O_DATE, "date", "date", help)
/* A writer's input: -f file (- for stdin), or --edit in the editor. */
#define CLI_OPT_FILE_HELP(help) { 'f', "file", "file", (help), CLI_O_FILE }
#define CLI_OPT_EDIT_HELP(help) CLI_LONG(CLI_O_EDIT, "edit", NULL, help)

/* The exit status of a tool that writes with cli_each_case. */
#define CLI_STATUS_EACH "Exit status: 0 ok, 2 error (the failing case and " \
	"any after it are\nunchanged).\n"

/* ... of a tool that makes one commit, or none when nothing changes. */
#define CLI_STATUS_ONE "Exit status: 0 ok (also when nothing changed), 2 " \
	"error (nothing\nchanged).\n"

/* A tool's command line: its --help and its options. */
struct cli_cmd {
	const char *synopsis;	/* "usage: tool ...\n" lines */
	const char *about;	/* what it does: paragraphs, "\n\n" between */
	const struct cli_opt *opts;	/* ends with CLI_OPT_END */
	const char *status;	/* the closing paragraph (exit status) */
	int width;		/* the help column; 0: 21 */
	bool stop_at_operand;	/* options end at the first operand, and
				   -h, --help, --version are options only
				   before it (casetrail: the tool's follow) */
};

/* The values of the shared options (NULL or false when not given). */
struct cli_args {
	const char *dir;	/* -C */
	const char *today;	/* --today */
	const char *reason;	/* -m / --reason */
	const char *format;	/* --format */
	const char *date;	/* --date: the day of what is recorded */
	const char *file;	/* -f / --file: the writer's input, - stdin */
	bool edit;		/* --edit: the input from the editor */
	bool dry_run;		/* -n / --dry-run */
};

extern struct cli_args cli;

/*
 * The next option of the tool's own (its entry's id, optarg set as by
 * getopt), or -1 after the last, optind at the first operand.  The first
 * call sets cli_prog, makes the --help text from cmd and handles --help
 * and --version (exit 0); cmd must outlive the parse.  Shared options are
 * taken into cli; a bad option dies as cli_getopt does.
 */
int cli_next(const struct cli_cmd *cmd, int argc, char **argv);

/* The name messages give the input file: "<stdin>" for "-". */
const char *cli_input_name(const char *file);

/* The one operand, a case id, or die (the usage; an invalid id). */
const char *cli_one_id(int argc, char **argv);

/*
 * The command among names (NULL-terminated) that the first operand names
 * (cli_command), with *argc and *argv moved past it to its operands; when
 * allowed is not NULL, allowed[c] lists the options of command c
 * (cli_allow).
 */
size_t cli_subcommand(int *argc, char ***argv, const char *const *names,
    const int *const *allowed);

/*
 * Die "--kind is not an option of list" when an option was given whose
 * id is not among ids (0-terminated): the options of a tool's command.
 */
void cli_allow(const char *cmd, const int *ids);

/* The --help text (after the first cli_next). */
const char *cli_help(void);

/* Fill spec's Reason and dry-run flag from -m and -n. */
void cli_spec(ct_commit_spec *spec);

/* Die naming what (an option) when s is not one line of text. */
void cli_check_text(const char *what, const char *s);

/* The index of s among the NULL-ended names, or die "opt: expected a, b
 * or c, not 's'". */
size_t cli_choice(const char *opt, const char *s, const char *const *names);

/* Die unless cli.format (def when not given) is one of the NULL-ended
 * names; the format given. */
const char *cli_format(const char *def, const char *const *names);

#endif
