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
 * lines and checks the commits a push would add to main; with
 * --post-receive it writes the push's receipt.  All the logic is in
 * ct_verify_store(), ct_verify_pre_receive() (verify.h) and
 * ct_receipt_hook() (receipt.h); this file parses arguments and prints.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "casetrail/output.h"
#include "casetrail/receipt.h"
#include "casetrail/verify.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_LONG('a', "all", NULL, "check every commit, verified before or "
	    "not"),
	CLI_LONG('s', "since", "rev", "only the commits after rev "
	    "(rev..main)"),
	CLI_SHORT('q', "quiet", NULL, "no progress on stderr"),
	CLI_LONG('k', "since-checkpoint", NULL, "also prove main holds every "
	    "checkpoint of this clone\n(store-checkpoint), its own and its "
	    "remotes'"),
	CLI_LONG('p', "pre-receive", NULL, "run as a git pre-receive hook: "
	    "read \"old new ref\"\nlines on stdin; refuse any ref but "
	    "refs/heads/main,\nits deletion or a non-fast-forward update, and "
	    "check\nthe commits a push adds to it"),
	CLI_LONG('r', "allow-ref", "pattern", "with --pre-receive, also take "
	    "refs matching the\nfnmatch(3) pattern, unchecked (repeatable)"),
	CLI_LONG('P', "post-receive", NULL, "run as a git post-receive hook of "
	    "the central\nrepository: write a signed receipt of the push\n"
	    "under refs/receipts/ (the pusher from\n$CASETRAIL_PUSHER, else "
	    "the committer of the tip)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: store-verify [-C dir] [--all | --since rev] [--quiet]\n"
"                    [--since-checkpoint]\n"
"       store-verify [-C dir] [--quiet] --pre-receive [--allow-ref pattern]\n"
"       store-verify [-C dir] --post-receive\n",
	.about =
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
"refs/casetrail/verified).  Commits nothing.\n",
	.opts = opts,
	.status = "Exit status: 0 no problem, 1 problems found, 2 error.\n",
	.width = 20,
};

#define PROGRESS_EVERY 1000

enum mode { VERIFY, PRE_RECEIVE, POST_RECEIVE };

struct args {
	enum mode mode;
	unsigned flags;		/* CT_VERIFY_CHECKPOINTS */
	char **allow;		/* --allow-ref, NULL-terminated */
};

static void
progress(size_t commits, void *arg)
{
	(void)arg;
	fprintf(stderr, "%s: %zu commits checked\n", cli_prog, commits);
}

/* A finding for review: the problem's line after "review ". */
static int
print_review(const ct_verify_problem *p, void *arg, ct_error *err)
{
	(*(size_t *)arg)++;
	fputs("review ", stdout);
	return cli_print_problem(p, NULL, err);
}

/* The mode and the walk's options; die on a combination that is none. */
static void
parse(int argc, char **argv, ct_verify_opts *o, struct args *a)
{
	size_t nallow = 0;
	bool all = false, pre = false, post = false;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'a': all = true; o->incremental = 0; break;
		case 's': o->since = optarg; break;
		case 'q': o->progress = NULL; break;
		case 'p': pre = true; break;
		case 'k': a->flags |= CT_VERIFY_CHECKPOINTS; break;
		case 'P': post = true; break;
		case 'r':
			if ((a->allow = realloc(a->allow, (nallow + 2) *
			    sizeof(*a->allow))) == NULL)
				cli_die("out of memory");
			a->allow[nallow++] = optarg;
			a->allow[nallow] = NULL;
			break;
		default: cli_usage();
		}
	}
	if (argc != optind || (all && o->since != NULL) || (pre && post) ||
	    ((pre || post) && (o->since != NULL || a->flags != 0 || all)) ||
	    (!pre && a->allow != NULL))
		cli_usage();
	a->mode = pre ? PRE_RECEIVE : post ? POST_RECEIVE : VERIFY;
}

/* The walk began from scratch although a commit was remembered. */
static void
warn_from(const ct_verify_result *res)
{
	if (!res->walked)
		return;
	if (res->from == CT_VERIFY_FROM_REWRITTEN)
		cli_warn("the last verified commit %.12s is not in the history "
		    "of main (rewritten, or set aside): every commit was "
		    "checked", res->verified);
	else if (res->from == CT_VERIFY_FROM_UNREADABLE)
		cli_warn("%s can not be read: every commit was checked, and "
		    "nothing is remembered until it is deleted",
		    CT_VERIFIED_REF);
}

/* --post-receive: the receipt of the push (ct_receipt_hook), by the
 * pusher $CASETRAIL_PUSHER names (else the committer of main's tip). */
static void
post_receive(ct_store *st)
{
	ct_error err = { 0 };
	char *ref = NULL;
	bool read;

	if (ct_receipt_hook(st, stdin, getenv("CASETRAIL_PUSHER"), &ref, &read,
	    &err) < 0) {
		if (read)
			cli_warn("the push was taken, but no receipt was "
			    "written:");
		cli_die_err(&err);
	}
	if (ref != NULL)
		fprintf(stderr, "%s: receipt %s\n", cli_prog, ref);
	free(ref);
}

int
main(int argc, char **argv)
{
	ct_verify_result res = { 0 };
	ct_verify_opts o = { .fn = cli_print_problem, .progress = progress,
	    .every = PROGRESS_EVERY, .incremental = 1 };
	struct args a = { VERIFY, 0, NULL };
	ct_error err = { 0 };
	size_t problems, reviews = 0;
	ct_store *st;
	int rc;

	parse(argc, argv, &o, &a);
	st = cli_open_store(cli.dir);
	if (a.mode == POST_RECEIVE) {
		post_receive(st);
		ct_store_free(st);
		return 0;
	}
	if (a.mode == PRE_RECEIVE) {
		ct_verify_hook h = { stdin, getenv("GIT_OBJECT_DIRECTORY"),
		    getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"),
		    (const char *const *)a.allow };

		rc = ct_verify_pre_receive(st, &o, &h, &problems, &err);
	} else {
		o.review = print_review;
		o.arg = &reviews;
		o.result = &res;
		rc = ct_verify_store(st, &o, a.flags, &problems, &err);
		warn_from(&res);
	}
	if (rc < 0)
		cli_die_err(&err);
	if (reviews > 0 && o.progress != NULL)
		fprintf(stderr, "%s: %zu finding%s for review (backdated "
		    "entries), not problems\n", cli_prog, reviews,
		    reviews == 1 ? "" : "s");
	free(a.allow);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die("writing the output failed");
	ct_store_free(st);
	return problems > 0 ? EXIT_PROBLEMS : 0;
}
