/*
 * csp-pack: the pack of a Multi-Agency Panel meeting, one printable HTML
 * document for the cases on its agenda; with --share-with-map, the
 * s 284 register entries (purpose csp) that record it was shared with the
 * MAP member agencies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "casetrail/evaluate.h"
#include "casetrail/disclosure.h"
#include "casetrail/pack.h"
#include "casetrail/registry.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_SHORT('n', "dry-run", NULL, "with --share-with-map: print the "
	    "entries, commit\nnothing, write no file"),
	CLI_OPT_REASON_HELP("with --share-with-map: the commits' Reason"),
	CLI_OPT_TODAY_HELP("evaluate deadlines as of this day "
	    "(default\n$CASETRAIL_TODAY, else today in the store's zone)"),
	CLI_LONG('M', "meeting", "ref", "the meeting's reference"),
	CLI_OPT_DATE_HELP("the meeting's day (default today)"),
	CLI_LONG('o', "out", "file", "write the pack to file, a regular "
	    "file outside the\nstore (default, or -: standard output)"),
	CLI_LONG('s', "share-with-map", NULL, "record that the pack was "
	    "shared with the MAP"),
	CLI_LONG('N', "no-cache", NULL, "evaluate every case, neither "
	    "reading nor writing\nthe evaluation cache"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: csp-pack [-C dir] [--today date] --meeting ref [--date date]\n"
"                [--out file] [--no-cache] id...|-\n"
"       csp-pack [-C dir] [-n] [-m reason] [--today date] --meeting ref\n"
"                [--date date] --out file [--no-cache] --share-with-map\n"
"                id...|-\n",
	.about =
"Write the pack of a Multi-Agency Panel (MAP) meeting: one printable HTML\n"
"document with a summary table of the cases (\"-\" reads ids from stdin),\n"
"then for each its current Coordinated Services Plan, each agency's latest\n"
"service-delivery update, the requests outstanding, the open notices of\n"
"the Post-Sentence Authority, its deadlines (as deadline-check computes\n"
"them) and a timeline.  --share-with-map also records, in the s 284\n"
"register, that the pack was shared with every MAP member agency: one\n"
"commit per case with one disclose-log entry per agency (purpose csp);\n"
"nothing is written when any check fails.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok; 2 error (nothing written).\n",
};

struct share {
	const char *id;
	char *const *members;     /* the MAP member agencies, "agency:ID" */
	ct_disclosure_req req;
	char **paths;             /* the entries made (last run) */
	size_t npaths;
};

static void
share_clear(struct share *s)
{
	size_t i;

	for (i = 0; i < s->npaths; i++)
		free(s->paths[i]);
	free(s->paths);
	s->paths = NULL;
	s->npaths = 0;
}

static int
share_fn(ct_txn *txn, void *arg, ct_error *err)
{
	struct share *s = arg;
	size_t i, n;
	int rc;

	share_clear(s);
	for (n = 0; s->members[n] != NULL; n++)
		;
	if ((s->paths = calloc(n + 1, sizeof(*s->paths))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		s->req.to = s->members[i];
		if ((rc = ct_disclosure_add(txn, s->id, &s->req,
		    &s->paths[i], err)) < 0)
			return rc;
		s->npaths++;
	}
	return 0;
}

/* "agency:ID" of every registered MAP member agency. */
static char **
map_members(ct_snapshot *snap, char **names)
{
	ct_error err = { 0 };
	ct_node *doc = NULL;
	char **v;
	int rc;

	if (ct_snapshot_load(snap, CT_AGENCIES_PATH, &doc, &err) < 0)
		cli_die_err(&err);
	rc = ct_registry_map_members(doc, &v, names, &err);
	ct_node_free(doc);
	if (rc == CT_ENOTFOUND)
		cli_die("--share-with-map: no MAP member agency is registered "
		    "(registry add-agency --map-member)");
	if (rc < 0)
		cli_die_err(&err);
	return v;
}

/* Whether ids[i] is given before it (each case's pack is shared once). */
static bool
given_before(char *const *ids, size_t i)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (strcmp(ids[k], ids[i]) == 0)
			return true;
	return false;
}

/* The disclosure entries of sharing the pack with the MAP members,
 * checked; the text of their info (the caller's to free). */
static char *
share_start(struct share *sh, char *const *members, const char *meeting)
{
	ct_error err = { 0 };
	char *info;

	if (asprintf(&info, "MAP meeting pack %s: the case's current CSP, "
	    "service-delivery updates, outstanding requests, Authority "
	    "notices, deadlines and timeline", meeting) < 0)
		cli_die("out of memory");
	sh->members = members;
	sh->req = (ct_disclosure_req){ .purpose = "csp", .info = info,
	    .means = "written", .ref = meeting, .at = (long long)time(NULL),
	    .to = members[0] };
	if (ct_disclosure_check(&sh->req, &err) < 0)
		cli_die_err(&err);
	return info;
}

/* Every case's entries checked, as a dry run, before anything is
 * written; printed with -n. */
static void
check_shares(ct_store *st, ct_commit_spec *spec, struct share *sh,
    char *const *ids, bool dry)
{
	ct_write_result res;
	ct_error err = { 0 };
	size_t i;

	for (i = 0; ids[i] != NULL; i++) {
		if (given_before(ids, i))
			continue;
		sh->id = spec->case_id = ids[i];
		spec->subject = "MAP meeting pack shared";
		spec->flags = CT_WRITE_DRY_RUN;
		if (ct_store_write(st, spec, share_fn, sh, &res, &err) < 0)
			cli_die_err(&err);
		if (dry && res.diff != NULL)
			cli_print_lines(res.diff);
		ct_write_result_clear(&res);
	}
}

/* One commit per case: the entries of the pack shared with the MAP. */
static void
write_shares(ct_store *st, ct_commit_spec *spec, struct share *sh,
    char *const *ids, const char *names)
{
	char *subject;
	size_t i, k;

	for (i = 0; ids[i] != NULL; i++) {
		if (given_before(ids, i))
			continue;
		sh->id = spec->case_id = ids[i];
		if (asprintf(&subject, "%s MAP meeting pack %s shared with the "
		    "MAP members (%s)", ids[i], sh->req.ref, names) < 0)
			cli_die("out of memory");
		spec->subject = subject;
		spec->flags = 0;
		cli_write(st, spec, share_fn, sh);
		for (k = 0; k < sh->npaths; k++)
			printf("%s\n", sh->paths[k]);
		free(subject);
	}
}

/* Die unless the options go together; the file to write, or NULL for
 * standard output. */
static const char *
check_options(const char *meeting, const char *out, bool share)
{
	if (meeting == NULL)
		cli_die("--meeting is required: the MAP meeting's reference");
	cli_check_text("--meeting", meeting);
	if (strlen(meeting) > 200)
		cli_die("--meeting: longer than 200 bytes");
	if (!share && (cli.dry_run || cli.reason != NULL))
		cli_die("-n and -m go with --share-with-map");
	if (out != NULL && strcmp(out, "-") == 0)
		out = NULL;
	if (share && out == NULL)
		cli_die("--share-with-map needs --out file: the pack shared is "
		    "a file");
	cli_check_text("--reason", cli.reason);
	return out;
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	bool share = false;
	ct_commit_spec spec = { .tool = "csp-pack", .version = CT_VERSION,
	    .record = "disclosure", .action = "add", .purpose = "csp" };
	struct share sh = { 0 };
	ct_pack_opts o = { 0 };
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_rules *rules = NULL;
	ct_buf html = { 0 };
	ct_store *st;
	char **ids, **members = NULL, *names = NULL, *info = NULL;
	size_t n;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'M': o.meeting = optarg; break;
		case 'o': out = optarg; break;
		case 's': share = true; break;
		case 'N': o.no_cache = true; break;
		default: cli_usage();
		}
	}
	spec.reason = cli.reason;
	out = check_options(o.meeting, out, share);
	if (optind >= argc)
		cli_usage();
	ids = cli_case_ids(argc - optind, argv + optind, &n);
	if (!share)     /* sharing writes: it checks the objects it reads */
		ct_init_report_reads();
	st = cli_open_store(cli.dir);
	if (out != NULL && ct_pack_out_check(st, out, &err) < 0)
		cli_die("--out: %s", ct_error_msg(&err));
	o.today = cli_today(cli.today, st);
	o.date = cli.date != NULL ? cli_date("--date", cli.date) : o.today;
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_rules(snap, &rules, &err) < 0 ||
	    ct_pack_html(snap, rules, &o, ids, n, &html, &err) < 0)
		cli_die_err(&err);

	if (share)
		members = map_members(snap, &names);
	ct_snapshot_free(snap);
	snap = NULL;
	if (share) {
		info = share_start(&sh, members, o.meeting);
		check_shares(st, &spec, &sh, ids, cli.dry_run);
	}
	if (cli.dry_run) {
		fprintf(stderr, "%s: dry run: nothing written, no commit made\n",
		    cli_prog);
		goto done;
	}
	if (out != NULL) {
		if (ct_pack_write(st, out, html.s, html.len, &err) < 0)
			cli_die("--out: %s", ct_error_msg(&err));
	} else if (fwrite(html.s, 1, html.len, stdout) != html.len ||
	    fflush(stdout) != 0)
		cli_die("writing the pack failed");
	if (share)
		write_shares(st, &spec, &sh, ids, names);
done:
	share_clear(&sh);
	ct_strv_free(members);
	free(names);
	free(info);
	ct_buf_free(&html);
	ct_rules_free(rules);
	ct_snapshot_free(snap);
	ct_store_free(st);
	ct_strv_free(ids);
	return 0;
}
