/*
 * cmp-print: a case's Case Management Plans as one printable HTML
 * document, for the case manager to go through with the offender.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/cmp.h"
#include "casetrail/pack.h"
#include "casetrail/plandoc.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_TODAY_HELP("the day printed on it (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('k', "kind", "kind", "only this plan: custodial, remand "
	    "or community"),
	CLI_SHORT('o', "out", "file", "write to file, a regular file "
	    "outside the store\n(default, or -: standard output)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: cmp-print [-C dir] [--today date] [--kind kind] [-o file] id\n",
	.about =
"Write the case's Case Management Plans as one printable HTML document:\n"
"for each plan (custodial, remand, community) its goals, needs with\n"
"their interventions, targets and referrals, the s 78 parts a custodial\n"
"plan holds, comments, reviews and approvals, and room to sign that the\n"
"case manager and the offender went through it together.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok; 2 error (nothing written).\n",
};

int
main(int argc, char **argv)
{
	const char *out = NULL, *kind = NULL;
	ct_cmp_kind k = CT_CMP_CUSTODIAL;
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_buf html = { 0 };
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'k': kind = optarg; break;
		case 'o': out = optarg; break;
		default: cli_usage();
		}
	}
	if (optind + 1 != argc)
		cli_usage();
	if (kind != NULL && ct_cmp_kind_parse(kind, "--kind", &k, &err) < 0)
		cli_die_err(&err);
	if (out != NULL && strcmp(out, "-") == 0)
		out = NULL;
	st = cli_open_store(cli.dir);
	if (out != NULL && ct_pack_out_check(st, out, &err) < 0)
		cli_die("--out: %s", ct_error_msg(&err));
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_plan_html(snap, argv[optind], kind != NULL, k,
	    cli_today(cli.today, st), &html, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	if (out != NULL) {
		if (ct_pack_write(st, out, html.s, html.len, &err) < 0)
			cli_die("--out: %s", ct_error_msg(&err));
	} else if (fwrite(html.s, 1, html.len, stdout) != html.len ||
	    fflush(stdout) != 0)
		cli_die("writing the plan failed");
	ct_buf_free(&html);
	ct_store_free(st);
	return 0;
}
