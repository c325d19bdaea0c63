/*
 * store-init: create a new casetrail store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt opts[] = {
	CLI_SHORT('C', NULL, "dir", "the store directory"),
	CLI_SHORT('j', "jurisdiction", "J", "ACT or VIC"),
	CLI_LONG('z', "timezone", "zone", "IANA time zone (default "
	    "Australia/Canberra for\nACT, Australia/Melbourne for VIC)"),
	CLI_LONG('s', "signing", "F", "sign every commit, from the first: "
	    "ssh\n(ssh-keygen -Y sign) or openpgp (gpg)"),
	CLI_LONG('k', "signing-key", "key", "the store's default key (a key "
	    "file for ssh,\na key id for openpgp); each writer's git "
	    "config\nuser.signingKey takes precedence"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: store-init [-C dir] --jurisdiction ACT|VIC [--timezone zone]\n"
"                  [--signing ssh|openpgp [--signing-key key]]\n",
	.about =
"Create a new casetrail store in dir (default: $CASETRAIL_STORE, else the\n"
"current directory): a git repository with casetrail.yaml, empty agency\n"
"and operator registries, the default deadline rules and the\n"
"jurisdiction's holiday calendar, in one first commit.  The directory\n"
"must be empty or not exist.\n",
	.opts = opts,
	.status = "Exit status: 0 created, 2 error (nothing created).\n",
	.width = 26,
};

int
main(int argc, char **argv)
{
	ct_init_opts o = { .tool = "store-init", .version = CT_VERSION };
	const char *dir, *jur = NULL, *signing = NULL;
	ct_error err = { 0 };
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'j': jur = optarg; break;
		case 'z': o.timezone = optarg; break;
		case 's': signing = optarg; break;
		case 'k': o.signing_key = optarg; break;
		default: cli_usage();
		}
	}
	if (optind != argc || jur == NULL)
		cli_usage();
	o.jurisdiction = ct_jurisdiction_parse(jur);
	if (o.jurisdiction == CT_JUR_NONE)
		cli_die("--jurisdiction: '%s' is not ACT or VIC", jur);
	if (signing != NULL && strcmp(signing, "ssh") == 0)
		o.signing = CT_SIGN_SSH;
	else if (signing != NULL && strcmp(signing, "openpgp") == 0)
		o.signing = CT_SIGN_OPENPGP;
	else if (signing != NULL)
		cli_die("--signing: '%s' is not ssh or openpgp", signing);
	dir = cli_store_dir(cli.dir);
	if (ct_store_init(dir, &o, &err) < 0)
		cli_die_err(&err);
	fprintf(stderr, "%s: new %s store in %s\n", cli_prog, jur, dir);
	return 0;
}
