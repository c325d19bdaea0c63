/*
 * Tests of cmd/lib/opt.c, the option table of the tools: the --help text
 * made from a table (columns, long names on a line of their own, help on
 * several lines, hidden entries, -h/--help and --version last) and the
 * parse (the shared options taken into cli, a tool's own returned by id,
 * a short letter whose id differs, optind at the first operand).
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

enum { O_KIND = CLI_O_TOOL, O_SECRET };

static const struct cli_opt opts[] = {
	CLI_OPT_STORE, CLI_OPT_DRY_RUN, CLI_OPT_REASON, CLI_OPT_TODAY,
	CLI_OPT_DATE_HELP("the day"),
	CLI_OPT_FILE_HELP("the input; - for stdin"),
	CLI_LONG(O_KIND, "kind", "k", "custodial or community"),
	CLI_LONG('s', "supervisor", "text", "the supervisor"),
	CLI_LONG(O_SECRET, "secret", NULL, NULL),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis = "usage: t [-C dir] [-n] [-m reason] id\n",
	.about = "What t does.\n",
	.opts = opts,
	.status = "Exit status: 0 ok.\n",
};

static const char want_help[] =
"usage: t [-C dir] [-n] [-m reason] id\n"
"\n"
"What t does.\n"
"\n"
"  -C dir             the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run      print the change, commit nothing\n"
"  -m, --reason text  the commit's Reason\n"
"      --today date   today (default $CASETRAIL_TODAY, else today in the\n"
"                     store's time zone)\n"
"      --date date    the day\n"
"  -f, --file file    the input; - for stdin\n"
"      --kind k       custodial or community\n"
"      --supervisor text\n"
"                     the supervisor\n"
"  -h, --help         show this help\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 ok.\n";

/* Parse argv (NULL-ended) with c from the start; the tool's own ids in
 * got (0-ended). */
static void
parse(const struct cli_cmd *c, char **argv, int *got)
{
	int argc = 0, ch, n = 0;

	while (argv[argc] != NULL)
		argc++;
	memset(&cli, 0, sizeof(cli));
	optind = 0;	/* glibc: start a new scan */
	while ((ch = cli_next(c, argc, argv)) != -1)
		got[n++] = ch;
	got[n] = 0;
}

static void
test_help_is_made_from_the_table(void **state)
{
	char *argv[] = { "t", NULL };
	int got[8];

	(void)state;
	parse(&cmd, argv, got);
	assert_string_equal(cli_help(), want_help);
}

static void
test_help_column_is_the_tools(void **state)
{
	static const struct cli_opt o[] = {
		CLI_OPT_STORE,
		CLI_LONG('j', "jurisdiction", "J", "ACT or VIC"),
		CLI_OPT_END,
	};
	static const struct cli_cmd c = { .synopsis = "usage: u\n",
	    .about = "U.\n", .opts = o, .status = "S.\n", .width = 26 };
	char *argv[] = { "u", NULL };
	int got[4];

	(void)state;
	parse(&c, argv, got);
	assert_non_null(strstr(cli_help(),
	    "\n  -C dir                  the store (default"));
	assert_non_null(strstr(cli_help(),
	    "\n      --jurisdiction J    ACT or VIC\n"));
	assert_non_null(strstr(cli_help(),
	    "\n  -h, --help              show this help\n"));
}

static void
test_shared_options_land_in_cli(void **state)
{
	char *argv[] = { "t", "-C", "/s", "-n", "-m", "why", "--today",
	    "2026-01-02", "--date", "2026-01-01", "-f", "-", "ACT-1", NULL };
	int got[8];

	(void)state;
	parse(&cmd, argv, got);
	assert_int_equal(got[0], 0);
	assert_string_equal(cli.dir, "/s");
	assert_true(cli.dry_run);
	assert_string_equal(cli.reason, "why");
	assert_string_equal(cli.today, "2026-01-02");
	assert_string_equal(cli.date, "2026-01-01");
	assert_string_equal(cli.file, "-");
	assert_int_equal(optind, 12);
	assert_string_equal(argv[optind], "ACT-1");
}

static void
test_own_options_by_id(void **state)
{
	char *argv[] = { "t", "--kind", "community", "--supervisor", "CO2",
	    "--secret", "--reason=x", "ACT-1", NULL };
	int got[8];

	(void)state;
	parse(&cmd, argv, got);
	assert_int_equal(got[0], O_KIND);
	assert_int_equal(got[1], 's');
	assert_int_equal(got[2], O_SECRET);
	assert_int_equal(got[3], 0);
	assert_string_equal(cli.reason, "x");
	assert_int_equal(optind, 7);
}

static void
test_spec_takes_reason_and_dry_run(void **state)
{
	char *argv[] = { "t", "-nm", "because", "ACT-1", NULL };
	ct_commit_spec spec = { .tool = "t" };
	int got[4];

	(void)state;
	parse(&cmd, argv, got);
	cli_spec(&spec);
	assert_string_equal(spec.reason, "because");
	assert_true(spec.flags & CT_WRITE_DRY_RUN);
}

/* An argument that may be left out: "--color[=when]" in --help, NULL
 * when it is, the word after --name= when it is not. */
static void
test_optional_argument(void **state)
{
	enum { O_COLOR = CLI_O_TOOL };
	static const struct cli_opt o[] = {
		CLI_LONG(O_COLOR, "color", "[=when]", "auto, always or never"),
		CLI_OPT_END,
	};
	static const struct cli_cmd c = { .synopsis = "usage: v\n",
	    .about = "V.\n", .opts = o, .status = "S.\n" };
	char *bare[] = { "v", "--color", "ACT-1", NULL };
	char *given[] = { "v", "--color=never", NULL };

	(void)state;
	optind = 0;
	assert_int_equal(cli_next(&c, 3, bare), O_COLOR);
	assert_null(optarg);
	assert_int_equal(cli_next(&c, 3, bare), -1);
	assert_int_equal(optind, 2);	/* the word after it an operand */
	assert_non_null(strstr(cli_help(),
	    "\n      --color[=when] auto, always or never\n"));
	optind = 0;
	assert_int_equal(cli_next(&c, 2, given), O_COLOR);
	assert_string_equal(optarg, "never");
}

static void
test_input_name(void **state)
{
	(void)state;
	assert_string_equal(cli_input_name("-"), "<stdin>");
	assert_string_equal(cli_input_name("plan.yaml"), "plan.yaml");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_is_made_from_the_table),
		cmocka_unit_test(test_help_column_is_the_tools),
		cmocka_unit_test(test_shared_options_land_in_cli),
		cmocka_unit_test(test_own_options_by_id),
		cmocka_unit_test(test_spec_takes_reason_and_dry_run),
		cmocka_unit_test(test_optional_argument),
		cmocka_unit_test(test_input_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
