/*
 * store-verify: check the history of a store, commit by commit, against
 * the rules the tools follow (valid records, audit trailers, registered
 * authors, approvals by the right role, approved community plans, the
 * disclosure register), and print one line per problem:
 *
 *   <commit, 12 hex> <path or -> <rule>: <what>
 *
 * A clean run is remembered in refs/casetrail/verified, and the next
 * checks only what is new since (--all: everything).
 *
 * With --pre-receive it is a git pre-receive hook: it reads "old new ref"
 * lines and checks the commits a push would add to main.  All the logic
 * is in ct_verify() (verify.h); this file parses arguments and prints.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/checkpoint.h"
#include "casetrail/output.h"
#include "casetrail/receipt.h"
#include "casetrail/verify.h"

static const char usage[] =
"usage: store-verify [-C dir] [--all | --since rev] [--quiet]\n"
"                    [--since-checkpoint]\n"
"       store-verify [-C dir] [--quiet] --pre-receive [--allow-ref pattern]\n"
"       store-verify [-C dir] --post-receive\n"
"\n"
"Check every commit of the history of main, merged side branches included,\n"
"and print one line per problem: \"<commit> <path or -> <rule>: <what>\".\n"
"Rules: bad-path, misplaced-record, record-invalid, no-trailers,\n"
"case-mismatch, action-mismatch, unregistered-author, inactive-author,\n"
"admin-only, bootstrap, last-admin, writer-role, append-only,\n"
"approval-role, approval-by, approval-own, approval-stale, plan-close,\n"
"exception, merge-introduces, disclosure, unsigned, bad-signature;\n"
"receipt-bad, receipt-signer, receipt-signature, receipt-rewritten for\n"
"the push receipts held; with --since-checkpoint also\n"
"checkpoint-rewritten, checkpoint-signature and checkpoint-bad.\n"
"In a store whose casetrail.yaml has a receipts section, an entry dated\n"
"more than receipts.backdate_days (default 14) before its commit was\n"
"received, else made, is printed as a finding for review, \"review\n"
"<commit> <path> backdated: <what>\"; it does not change the exit status.\n"
"Without such a section only the commits new since the last run that\n"
"found no problem are checked (it is remembered in\n"
"refs/casetrail/verified).  Commits nothing.\n"
"\n"
"  -C dir            the store (default $CASETRAIL_STORE, else .)\n"
"      --all         check every commit, verified before or not\n"
"      --since rev   only the commits after rev (rev..main)\n"
"  -q, --quiet       no progress on stderr\n"
"      --since-checkpoint\n"
"                    also prove main holds every checkpoint of this clone\n"
"                    (store-checkpoint), its own and its remotes'\n"
"      --pre-receive run as a git pre-receive hook: read \"old new ref\"\n"
"                    lines on stdin; refuse any ref but refs/heads/main,\n"
"                    its deletion or a non-fast-forward update, and check\n"
"                    the commits a push adds to it\n"
"      --allow-ref pattern\n"
"                    with --pre-receive, also take refs matching the\n"
"                    fnmatch(3) pattern, unchecked (repeatable)\n"
"      --post-receive\n"
"                    run as a git post-receive hook of the central\n"
"                    repository: write a signed receipt of the push\n"
"                    under refs/receipts/ (the pusher from\n"
"                    $CASETRAIL_PUSHER, else the committer of the tip)\n"
"  -h, --help        show this help\n"
"      --version     print the version\n"
"\n"
"Exit status: 0 no problem, 1 problems found, 2 error.\n";

#define PROGRESS_EVERY 1000

/* The path and what can quote a record, an author's email or a file
 * name of the commit: both are written terminal-safe. */
static void
progress(size_t commits, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: %zu commits checked\n", cli_prog, commits);
}

/* GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES: where git
 * keeps a push's objects while the hook runs (the quarantine). */
static char **
object_dirs(void)
{
	const char *obj = getenv("GIT_OBJECT_DIRECTORY");
	const char *alt = getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	char **v, *all = NULL, *p, *save = NULL;
	size_t n = 0;

	if (asprintf(&all, "%s:%s", obj != NULL ? obj : "",
	    alt != NULL ? alt : "") < 0 ||
	    (v = calloc(strlen(all) + 2, sizeof(*v))) == NULL)
		cli_die("out of memory");
	for (p = strtok_r(all, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save))
		if ((v[n++] = strdup(p)) == NULL)
			cli_die("out of memory");
	free(all);
	return v;
}

static size_t
verify(ct_store *st, ct_verify_opts *o)
{
	ct_verify_result res = { 0 };
	ct_error err = { 0 };
	size_t problems;

	o->result = &res;
	if (ct_verify(st, o, &problems, &err) < 0)
		cli_die_err(&err);
	if (res.from == CT_VERIFY_FROM_REWRITTEN)
		cli_warn("the last verified commit %.12s is not in the history "
		    "of main (rewritten, or set aside): every commit was "
		    "checked", res.verified);
	else if (res.from == CT_VERIFY_FROM_UNREADABLE)
		cli_warn("%s can not be read: every commit was checked, and "
		    "nothing is remembered until it is deleted",
		    CT_VERIFIED_REF);
	return problems;
}

/* The hook: every "old new ref" line (ct_verify_push). */
static size_t
pre_receive(ct_store *st, ct_verify_opts *o, char **allow)
{
	char *line = NULL, old[64], new_[64], ref[1024], **dirs = object_dirs();
	size_t cap = 0, problems = 0, more, i;
	ct_error err = { 0 };

	o->object_dirs = (const char *const *)dirs;
	while (getline(&line, &cap, stdin) > 0) {
		if (strlen(line) >= sizeof(ref) ||
		    sscanf(line, "%63s %63s %1023s", old, new_, ref) != 3)
			cli_die("--pre-receive: expected \"old new ref\" "
			    "lines, not '%s'", line);
		if (ct_verify_push(st, o, old, new_, ref,
		    (const char *const *)allow, &more, &err) < 0)
			cli_die_err(&err);
		problems += more;
	}
	free(line);
	for (i = 0; dirs[i] != NULL; i++)
		free(dirs[i]);
	free(dirs);
	return problems;
}

/* --post-receive: the receipt of the push (receipt.h).  The pusher is
 * who $CASETRAIL_PUSHER names (set by what authenticated the push: a
 * forge, an ssh forced command), else the committer of main's tip. */
static void
post_receive(ct_store *st)
{
	const char *env = getenv("CASETRAIL_PUSHER");
	char *line = NULL, *ref = NULL, *pusher = NULL, *save;
	ct_ref_update *u = NULL;
	ct_error err = { 0 };
	size_t cap = 0, n = 0, i;

	while (getline(&line, &cap, stdin) > 0) {
		if ((u = realloc(u, (n + 1) * sizeof(*u))) == NULL)
			cli_die("out of memory");
		save = NULL;
		u[n].old = strtok_r(line, " \n", &save);
		u[n].new_ = strtok_r(NULL, " \n", &save);
		u[n].ref = strtok_r(NULL, " \n", &save);
		if (u[n].ref == NULL || strtok_r(NULL, " \n", &save) != NULL)
			cli_die("--post-receive: expected \"old new ref\" "
			    "lines");
		n++;
		line = NULL;   /* kept: u points into it */
		cap = 0;
	}
	if (env != NULL && *env != '\0' &&
	    asprintf(&pusher, "%s (CASETRAIL_PUSHER)", env) < 0)
		cli_die("out of memory");
	if (ct_receipt_create(st, u, n, pusher, &ref, &err) < 0) {
		cli_warn("the push was taken, but no receipt was written:");
		cli_die_err(&err);
	}
	if (ref != NULL)
		fprintf(stderr, "%s: receipt %s\n", cli_prog, ref);
	for (i = 0; i < n; i++)
		free((char *)u[i].old);
	free(u);
	free(ref);
	free(pusher);
	free(line);
}

/* A finding for review: the problem's line after "review ". */
static int
print_review(const ct_verify_problem *p, void *arg, ct_error *err)
{
	(*(size_t *)arg)++;
	fputs("review ", stdout);
	return cli_print_problem(p, NULL, err);
}

/* Every receipt held: a good one, by the signer, of main's history. */
static size_t
check_receipts(ct_store *st)
{
	ct_receipts *rs;
	ct_error err = { 0 }, why = { 0 };
	const ct_receipt *r;
	const char *rule;
	size_t i, problems = 0;
	int rc;

	if (ct_receipts_open(st, NULL, &rs, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < ct_receipts_count(rs); i++) {
		r = ct_receipts_get(rs, i);
		if ((rc = ct_receipt_verify(st, rs, r, NULL, &rule, &why)) == 0)
			continue;
		if (rc != CT_EINVALID)
			cli_die_err(&why);
		{
			ct_verify_problem p = { r->commit[0] ? r->commit :
			    r->tag, r->ref, rule, ct_error_msg(&why) };

			cli_print_problem(&p, NULL, &err);
		}
		ct_error_clear(&why);
		problems++;
	}
	ct_receipts_free(rs);
	return problems;
}

static int
print_checkpoint(const ct_checkpoint *cp, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	ct_verify_problem p = { cp->commit[0] ? cp->commit : "-", cp->ref,
	    rule, what };

	return cli_print_problem(&p, arg, err);
}

/* --since-checkpoint: main holds every checkpoint of the clone. */
static size_t
check_checkpoints(ct_store *st)
{
	ct_snapshot *snap;
	ct_error err = { 0 };
	size_t problems;

	if (ct_snapshot_open(st, CT_BRANCH, &snap, &err) < 0 ||
	    ct_checkpoint_check(st, ct_snapshot_id(snap), print_checkpoint,
	    NULL, &problems, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	return problems;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "since", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "pre-receive", no_argument, NULL, 'p' },
		{ "allow-ref", required_argument, NULL, 'r' },
		{ "since-checkpoint", no_argument, NULL, 'k' },
		{ "post-receive", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	ct_verify_opts o = { .fn = cli_print_problem, .progress = progress,
	    .every = PROGRESS_EVERY, .incremental = 1 };
	const char *dir = NULL;
	char **allow = NULL;
	size_t nallow = 0;
	bool hook = false, checkpoints = false, post = false, all = false;
	size_t problems, reviews = 0;
	ct_store *st;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:q", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'a': all = true; o.incremental = 0; break;
		case 's': o.since = optarg; break;
		case 'q': o.progress = NULL; break;
		case 'p': hook = true; break;
		case 'k': checkpoints = true; break;
		case 'P': post = true; break;
		case 'r':
			if ((allow = realloc(allow, (nallow + 2) *
			    sizeof(*allow))) == NULL)
				cli_die("out of memory");
			allow[nallow++] = optarg;
			allow[nallow] = NULL;
			break;
		default: cli_usage();
		}
	}
	if (argc != optind || (all && o.since != NULL) ||
	    (hook && (o.since != NULL || checkpoints || all)) ||
	    (!hook && allow != NULL) || (post && (hook || checkpoints ||
	    o.since != NULL || all)))
		cli_usage();
	st = cli_open_store(dir);
	if (post) {
		post_receive(st);
		ct_store_free(st);
		return 0;
	}
	if (!hook) {
		o.review = print_review;
		o.arg = &reviews;
	}
	problems = hook ? pre_receive(st, &o, allow) : verify(st, &o);
	if (!hook)
		problems += check_receipts(st);
	if (checkpoints)
		problems += check_checkpoints(st);
	if (reviews > 0 && o.progress != NULL)
		fprintf(stderr, "%s: %zu finding%s for review (backdated "
		    "entries), not problems\n", cli_prog, reviews,
		    reviews == 1 ? "" : "s");
	free(allow);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("writing the output failed");
	ct_store_free(st);
	return problems > 0 ? EXIT_PROBLEMS : 0;
}
