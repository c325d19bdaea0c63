/*
 * store-init: create a new casetrail store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"usage: store-init [-C dir] --jurisdiction ACT|VIC [--timezone zone]\n"
"                  [--signing ssh|openpgp [--signing-key key]]\n"
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
"      --signing F         sign every commit, from the first: ssh\n"
"                          (ssh-keygen -Y sign) or openpgp (gpg)\n"
"      --signing-key key   the store's default key (a key file for ssh,\n"
"                          a key id for openpgp); each writer's git config\n"
"                          user.signingKey takes precedence\n"
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
		{ "signing", required_argument, NULL, 's' },
		{ "signing-key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	ct_init_opts opts = { .tool = "store-init", .version = CT_VERSION };
	const char *dir = NULL, *jur = NULL, *signing = NULL;
	ct_error err = { 0 };
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:j:", longopts)) != -1) {
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
		case 's':
			signing = optarg;
			break;
		case 'k':
			opts.signing_key = optarg;
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
	if (signing != NULL && strcmp(signing, "ssh") == 0)
		opts.signing = CT_SIGN_SSH;
	else if (signing != NULL && strcmp(signing, "openpgp") == 0)
		opts.signing = CT_SIGN_OPENPGP;
	else if (signing != NULL)
		cli_die("--signing: '%s' is not ssh or openpgp", signing);
	dir = cli_store_dir(dir);
	if (ct_store_init(dir, &opts, &err) < 0)
		cli_die_err(&err);
	fprintf(stderr, "%s: new %s store in %s\n", cli_prog, jur, dir);
	return 0;
}
