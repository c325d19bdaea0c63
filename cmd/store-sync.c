/*
 * store-sync: meet the other clones of the store at a remote.
 *
 *   git fetch -> check what it brought (ct_incoming_check: a rewritten
 *   history is refused, and so is a commit that fails store-verify's
 *   checks, printed on stdout as store-verify prints it) -> join the
 *   local branch and the remote's tip with a merge commit
 *   (ct_sync_merge; no ref moves) -> git push <merge>:refs/heads/main,
 *   which the server takes only as a fast-forward -> refused because the
 *   remote moved again?  fetch, check and merge again (bounded) -> move
 *   the local branch to the merge (ct_sync_move) -> remember the
 *   remote's tip now in sync (ct_incoming_record).
 *
 * Conflicts (a record changed on both sides) are printed on stdout and
 * nothing is pushed (exit 1).  Transport is the git CLI's: it knows the
 * user's URLs, credentials and the server's atomic fast-forward check.
 * It runs with a fixed environment (rungit.h, syncgit.h).  The receipts
 * fetched are checked as they come (ct_sync_receipts_check), and the
 * checkpoints this clone holds against the remote's tip.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "rungit.h"
#include "syncgit.h"
#include "casetrail/incoming.h"
#include "casetrail/sync.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_LONG('s', "set-aside", NULL, "on conflicts, keep the old local "
	    "branch on a branch\nset-aside/<time>, merge and push the local "
	    "commits\nbefore the first conflicting one, and list the\n"
	    "changes to redo on top of the remote's version"),
	CLI_SHORT('q', "quiet", NULL, "no message when all went well"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis = "usage: store-sync [-C dir] [--set-aside] [--quiet] "
	    "[remote]\n",
	.about =
"Fetch main from remote (default origin), join the local commits it\n"
"lacks with its tip by a merge commit (every commit kept as its author\n"
"made and signed it; the merge made and, in a signing store, signed by\n"
"you), push the merge, and bring the work tree up to date.  A record changed on both sides is reported with both\n"
"commits and both changes field by field; then nothing is pushed and the\n"
"local branch is left as it was.  A remote whose history was rewritten,\n"
"or whose new commits fail store-verify's checks (listed on stdout), is\n"
"refused and nothing is changed.\n",
	.opts = opts,
	.status = "Exit status: 0 in sync, 1 conflicts reported, 2 error.\n",
	.width = 18,
};

#define MAX_ROUNDS 20    /* fetch-merge-push rounds before giving up */

static const char *remote = "origin";
static const char *dir;		/* the store's work tree */
static bool quiet;
static ct_sync_receipts *receipts;	/* the remote's, across the sync */

static void
warn_msg(const char *msg, void *arg)
{
	(void)arg;
	cli_warn("%s", msg);
}

/* Die unless the receipts fetched after a push are good. */
static void
check_receipts(const char *tip)
{
	ct_error err = { 0 };

	if (ct_sync_receipts_check(receipts, tip, warn_msg, NULL, &err) < 0)
		cli_die_err(&err);
}

static void
print_conflicts(const ct_sync_result *res)
{
	ct_buf b = { 0 };

	ct_sync_conflicts_text(res, &b);
	cli_put(&b);
}

static void
report(const ct_sync_result *res, bool pushed)
{
	if (quiet)
		return;
	if (res->merged > 0)
		fprintf(stderr, "%s: merged %zu local commit%s with %s's "
		    "history\n", cli_prog, res->merged, res->merged == 1 ?
		    "" : "s", remote);
	if (res->renamed > 0)
		fprintf(stderr, "%s: %zu disclosure entr%s given a free "
		    "name\n", cli_prog, res->renamed, res->renamed == 1 ?
		    "y" : "ies");
	if (pushed)
		fprintf(stderr, "%s: pushed %.12s to %s\n", cli_prog, res->tip,
		    remote);
	else
		fprintf(stderr, "%s: in sync with %s at %.12s\n", cli_prog,
		    remote, res->tip);
}

/* Take what the fetch brought only when it may be taken (the problems
 * found on stdout, as store-verify prints them); its tip in hex. */
static void
take(ct_store *st, const char *ref, char tip[CT_SYNC_HEXSZ + 1])
{
	ct_error err = { 0 };

	if (ct_sync_take(st, receipts, ref, cli_print_problem, warn_msg, NULL,
	    tip, &err) < 0) {
		fflush(stdout);
		cli_die_err(&err);
	}
}

/* Remember tip as the remote's tip this clone is in sync with. */
static void
record(ct_store *st, const char *tip)
{
	ct_error err = { 0 };

	if (ct_incoming_record(st, remote, tip, &err) < 0) {
		cli_warn("in sync, but the tip could not be remembered: %s",
		    ct_error_msg(&err));
		ct_error_clear(&err);
	}
}

/* Report conflicts that stopped the sync; exit 1. */
static void
conflicts(const ct_sync_result *res)
{
	if (res->state != CT_SYNC_CONFLICT)
		return;
	print_conflicts(res);
	fflush(stdout);
	cli_warn("%zu conflict%s with %s: nothing was pushed and the local "
	    "branch is as it was; to redo your change on top of the remote's "
	    "version see store-sync(1) (--set-aside)", res->nconflicts,
	    res->nconflicts == 1 ? "" : "s", remote);
	exit(EXIT_PROBLEMS);
}

/* Move the local branch to the sync's tip; false when a tool committed
 * meanwhile (sync again).  Set-aside conflicts are reported then. */
static bool
move(ct_store *st, ct_sync_result *res)
{
	ct_error err = { 0 };

	if (ct_sync_move(st, res, &err) < 0) {
		if (err.code == CT_ECONFLICT && res->state == CT_SYNC_MERGED) {
			ct_error_clear(&err);
			return false;
		}
		if (res->state == CT_SYNC_MERGED)
			cli_warn("the merge %.12s is on %s, but the local "
			    "branch could not be moved to it:", res->tip,
			    remote);
		cli_die_err(&err);
	}
	if (res->warning != NULL)
		cli_warn("%s", res->warning);
	if (res->nconflicts > 0) {
		print_conflicts(res);
		fflush(stdout);
		cli_warn("%zu local commit%s set aside on branch %s: redo the "
		    "changes above with the tools", res->nskipped,
		    res->nskipped == 1 ? "" : "s", res->set_aside);
	}
	return true;
}

/* A push was refused: fetch again; die when the remote did not move and
 * git's words are not those of a lost race. */
static void
refused(ct_store *st, const char *ref, const ct_sync_result *res,
    const char *out)
{
	if (!cli_sync_refetch(st, dir, remote, ref, res->remote) &&
	    !cli_sync_lost_race(out)) {
		cli_warn("git push %s refused %.12s:", remote, res->tip);
		cli_git_show(out);
		cli_die("the remote refused the push; your commits stay "
		    "in the local branch (nothing was lost): see what "
		    "it reports above, then run store-sync again");
	}
}

/* Fetch, check, merge, push, move: until in sync, or MAX_ROUNDS. */
static void
sync_with(ct_store *st, const char *ref, unsigned flags)
{
	ct_sync_result res = { 0 };
	ct_error err = { 0 };
	char *out = NULL, fetched[CT_SYNC_HEXSZ + 1];
	bool some;
	int round;

	if (ct_sync_receipts_open(st, remote, &receipts, &err) < 0)
		cli_die_err(&err);
	cli_sync_fetch(dir, remote, ref);
	for (round = 1; round <= MAX_ROUNDS; round++) {
		take(st, ref, fetched);
		ct_sync_result_clear(&res);
		if (ct_sync_merge(st, fetched, flags, &res, &err) < 0)
			cli_die_err(&err);
		conflicts(&res);
		if (res.state == CT_SYNC_UP_TO_DATE ||
		    res.state == CT_SYNC_FAST_FORWARD) {
			(void)move(st, &res);
			record(st, res.remote);
			report(&res, false);
			break;
		}
		if (cli_sync_push(dir, remote, res.tip, &out) == 0) {
			record(st, res.tip);
			if (cli_sync_fetch_receipts(dir, remote))
				check_receipts(res.tip);
			if (res.state == CT_SYNC_AHEAD || move(st, &res)) {
				report(&res, true);
				break;
			}
			/* a tool committed meanwhile: join that too */
		} else {
			refused(st, ref, &res, out);
			cli_sync_backoff(round);
		}
		free(out);
		out = NULL;
		cli_sync_fetch(dir, remote, ref);
	}
	if (round > MAX_ROUNDS)
		cli_die("gave up after %d rounds: %s kept moving while "
		    "pushing; your commits stay in the local branch, run "
		    "store-sync again", MAX_ROUNDS, remote);
	if (ct_sync_has_checkpoints(st, &some, &err) < 0)
		cli_die_err(&err);
	if (some)
		cli_sync_push_checkpoints(dir, remote);
	free(out);
	ct_sync_result_clear(&res);
	ct_sync_receipts_free(receipts);
}

int
main(int argc, char **argv)
{
	ct_error err = { 0 };
	char *ref = NULL;
	unsigned flags = 0;
	ct_store *st;
	int ch, lockfd;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 's': flags |= CT_SYNC_SET_ASIDE; break;
		case 'q': quiet = true; break;
		default: cli_usage();
		}
	}
	if (argc - optind > 1)
		cli_usage();
	if (argc - optind == 1)
		remote = argv[optind];
	st = cli_open_store(cli.dir);
	dir = ct_store_workdir(st);
	if (ct_sync_tracking_ref(st, remote, &ref, &err) < 0)
		cli_die_err(&err);
	/* one sync of this clone at a time (tools may write meanwhile) */
	if (ct_store_lock(st, "casetrail-sync.lock", &lockfd, &err) < 0)
		cli_die_err(&err);
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	sync_with(st, ref, flags);
	free(ref);
	ct_store_unlock(lockfd);
	ct_store_free(st);
	return 0;
}
