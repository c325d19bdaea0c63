/*
 * store-init: create a new casetrail store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
"usage: store-init [-C dir] --jurisdiction ACT|VIC [--timezone zone]\n"
"\n"
"Create a new casetrail store in dir (default: $CASETRAIL_STORE, else the\n"
"current directory): a git repository with casetrail.yaml, empty agency\n"
"and operator registries, the default deadline rules and the\n"
"jurisdiction's holiday calendar, in one first commit.  The directory\n"
"must be empty or not exist.\n"
"\n"
"  -C dir                  the store directory\n"
"  -j, --jurisdiction J    ACT or VIC\n"
"      --timezone zone     IANA time zone (default Australia/Canberra for\n"
"                          ACT, Australia/Melbourne for VIC)\n"
"  -h, --help              show this help\n"
"      --version           print the version\n"
"\n"
"Exit status: 0 created, 2 error (nothing created).\n";

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "jurisdiction", required_argument, NULL, 'j' },
		{ "timezone", required_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 },
	};
	ct_init_opts opts = { .tool = "store-init", .version = CT_VERSION };
	const char *dir = NULL, *jur = NULL;
	ct_error err = { 0 };
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = getopt_long(argc, argv, "C:j:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'j':
			jur = optarg;
			break;
		case 'z':
			opts.timezone = optarg;
			break;
		default:
			cli_usage();
		}
	}
	if (optind != argc || jur == NULL)
		cli_usage();
	opts.jurisdiction = ct_jurisdiction_parse(jur);
	if (opts.jurisdiction == CT_JUR_NONE)
		cli_die("--jurisdiction: '%s' is not ACT or VIC", jur);
	dir = cli_store_dir(dir);
	if (ct_store_init(dir, &opts, &err) < 0)
		cli_die_err(&err);
	fprintf(stderr, "%s: new %s store in %s\n", cli_prog, jur, dir);
	return 0;
}
