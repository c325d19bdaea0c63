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
 * It runs with a fixed environment (rungit.h), and with the programs on
 * the remote's side named on the command line, not by the store's
 * remote.*.uploadpack and remote.*.receivepack.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "casetrail/checkpoint.h"
#include "rungit.h"
#include "casetrail/incoming.h"
#include "casetrail/output.h"
#include "casetrail/receipt.h"
#include "casetrail/sync.h"

static const char usage[] =
"usage: store-sync [-C dir] [--set-aside] [--quiet] [remote]\n"
"\n"
"Fetch main from remote (default origin), join the local commits it\n"
"lacks with its tip by a merge commit (every commit kept as its author\n"
"made and signed it; the merge made and, in a signing store, signed by\n"
"you), push the merge, and bring the work tree up to date.  A record changed on both sides is reported with both\n"
"commits and both changes field by field; then nothing is pushed and the\n"
"local branch is left as it was.  A remote whose history was rewritten,\n"
"or whose new commits fail store-verify's checks (listed on stdout), is\n"
"refused and nothing is changed.\n"
"\n"
"  -C dir          the store (default $CASETRAIL_STORE, else .)\n"
"      --set-aside on conflicts, keep the old local branch on a branch\n"
"                  set-aside/<time>, merge and push the local commits\n"
"                  before the first conflicting one, and list the\n"
"                  changes to redo on top of the remote's version\n"
"  -q, --quiet     no message when all went well\n"
"  -h, --help      show this help\n"
"      --version   print the version\n"
"\n"
"Exit status: 0 in sync, 1 conflicts reported, 2 error.\n";

#define MAX_ROUNDS 20    /* fetch-merge-push rounds before giving up */

static const char *remote = "origin";
static const char *dir;
static bool quiet;

/* The refspec of the remote's receipts: kept as first fetched (no "+":
 * a receipt the remote moved is a failed fetch, not a new copy). */
static char *
receipts_spec(void)
{
	char *rs;

	if (asprintf(&rs, "%s*:refs/remotes/%s/receipts/*", CT_RECEIPT_REFS,
	    remote) < 0)
		cli_die("out of memory");
	return rs;
}

/* Fetch main to ref, the remote's checkpoints to
 * refs/remotes/<remote>/checkpoints/ and its receipts to
 * refs/remotes/<remote>/receipts/. */
static void
fetch(const char *ref)
{
	char *spec = NULL, *cps = NULL, *rs = receipts_spec(), *out;
	const char *args[] = { "fetch", "--quiet", "--no-tags",
	    "--no-recurse-submodules", "--upload-pack=git-upload-pack", "--",
	    remote, NULL, NULL, NULL, NULL };

	if (asprintf(&spec, "+%s:%s", CT_BRANCH, ref) < 0 ||
	    asprintf(&cps, "+%s*:refs/remotes/%s/checkpoints/*",
	    CT_CHECKPOINT_REFS, remote) < 0)
		cli_die("out of memory");
	args[7] = spec;
	args[8] = cps;
	args[9] = rs;
	if (cli_git(dir, args, &out) != 0) {
		cli_warn("git fetch %s failed:", remote);
		cli_git_show(out);
		cli_die("nothing was changed");
	}
	free(out);
	free(spec);
	free(cps);
	free(rs);
}

/* The receipts of the remote this clone held before the sync: those
 * are checked already; the others are checked as they come. */
struct held_receipt {
	char *ref;
	char tag[41];
};
static struct held_receipt *receipts_held;
static size_t nreceipts_held;

/* A receipt fetched from the remote that this sync has not checked. */
static bool
unchecked_receipt(const char *ref)
{
	size_t len = strlen("refs/remotes/") + strlen(remote), i;

	if (strncmp(ref, "refs/remotes/", 13) != 0 ||
	    strncmp(ref + 13, remote, strlen(remote)) != 0 ||
	    strncmp(ref + len, "/receipts/", 10) != 0)
		return false;
	for (i = 0; i < nreceipts_held; i++)
		if (strcmp(receipts_held[i].ref, ref) == 0)
			return false;
	return true;
}

static void
hold_receipt(const ct_receipt *r)
{
	struct held_receipt *h;

	if ((receipts_held = realloc(receipts_held, (nreceipts_held + 1) *
	    sizeof(*receipts_held))) == NULL)
		cli_die("out of memory");
	h = &receipts_held[nreceipts_held++];
	if ((h->ref = strdup(r->ref)) == NULL)
		cli_die("out of memory");
	memcpy(h->tag, r->tag, sizeof(h->tag));
}

/* A receipt held before that the fetch changed is put back: a receipt
 * is never moved.  The number put back. */
static size_t
keep_held(ct_store *st, const ct_receipts *rs)
{
	ct_error err = { 0 };
	const ct_receipt *r;
	size_t i, j, moved = 0;

	for (i = 0; i < ct_receipts_count(rs); i++) {
		r = ct_receipts_get(rs, i);
		for (j = 0; j < nreceipts_held; j++)
			if (strcmp(receipts_held[j].ref, r->ref) == 0 &&
			    strcmp(receipts_held[j].tag, r->tag) != 0)
				break;
		if (j == nreceipts_held)
			continue;
		cli_warn("%s: %s moved its receipt from %.12s to %.12s; the "
		    "clone keeps the one it had", r->ref, remote,
		    receipts_held[j].tag, r->tag);
		if (ct_receipt_drop(st, r->ref, receipts_held[j].tag,
		    &err) < 0)
			cli_die_err(&err);
		moved++;
	}
	return moved;
}

static void
note_receipts(ct_store *st)
{
	ct_receipts *rs;
	ct_error err = { 0 };
	size_t i;

	if (ct_receipts_open(st, NULL, &rs, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < ct_receipts_count(rs); i++) {
		const ct_receipt *r = ct_receipts_get(rs, i);

		if (unchecked_receipt(r->ref))
			hold_receipt(r);
	}
	ct_receipts_free(rs);
}

/*
 * Check the receipts fetched in this sync against the remote's tip
 * (its settings name the signer, its registry holds the key, its history
 * the commits): a bad one is not kept, and nothing is taken.
 */
static void
check_receipts(ct_store *st, const char *tip)
{
	ct_receipts *rs;
	ct_error err = { 0 }, why = { 0 };
	const ct_receipt *r;
	const char *rule;
	size_t i, bad = 0;
	int rc;

	if (ct_receipts_open(st, tip, &rs, &err) < 0)
		cli_die_err(&err);
	bad = keep_held(st, rs);
	for (i = 0; i < ct_receipts_count(rs); i++) {
		r = ct_receipts_get(rs, i);
		if (!unchecked_receipt(r->ref))
			continue;
		if ((rc = ct_receipt_verify(st, rs, r, tip, &rule,
		    &why)) == 0) {
			hold_receipt(r);
			continue;
		}
		if (rc != CT_EINVALID)
			cli_die_err(&why);
		cli_warn("%s: %s: %s", r->ref, rule, ct_error_msg(&why));
		ct_error_clear(&why);
		if (ct_receipt_drop(st, r->ref, NULL, &err) < 0)
			cli_die_err(&err);
		bad++;
	}
	ct_receipts_free(rs);
	if (bad > 0)
		cli_die("%zu bad or moved receipt%s from %s, not kept; "
		    "nothing was changed: see store-verify(1), Receipts", bad,
		    bad == 1 ? "" : "s", remote);
}

/* After a push: bring the receipt the remote wrote for it, so that this
 * clone holds it at once (a failure is only warned of). */
static void
fetch_receipts(ct_store *st, const char *tip)
{
	char *rs = receipts_spec(), *out = NULL;
	const char *args[] = { "fetch", "--quiet", "--no-tags",
	    "--no-recurse-submodules", "--upload-pack=git-upload-pack", "--",
	    remote, rs, NULL };

	if (cli_git(dir, args, &out) != 0) {
		cli_warn("git fetch %s of the receipts failed:", remote);
		cli_git_show(out);
	} else
		check_receipts(st, tip);
	free(out);
	free(rs);
}

/* Push this clone's checkpoints (made once, never moved); a remote that
 * refuses them is warned of, the sync stands. */
static void
push_checkpoints(void)
{
	const char *args[] = { "push", "--quiet", "--no-recurse-submodules",
	    "--receive-pack=git-receive-pack", "--", remote,
	    CT_CHECKPOINT_REFS "*:" CT_CHECKPOINT_REFS "*", NULL };
	char *out = NULL;

	if (cli_git(dir, args, &out) != 0) {
		cli_warn("git push %s of the checkpoints failed:", remote);
		cli_git_show(out);
	}
	free(out);
}

/* The tip of ref now, hex (the fetch just updated it). */
static void
tip_of(ct_store *st, const char *ref, char hex[CT_SYNC_HEXSZ + 1])
{
	ct_snapshot *snap;
	ct_error err = { 0 };

	if (ct_snapshot_open(st, ref, &snap, &err) < 0)
		cli_die_err(&err);
	snprintf(hex, CT_SYNC_HEXSZ + 1, "%s", ct_snapshot_id(snap));
	ct_snapshot_free(snap);
}

static void
print_side(const char *label, const ct_sync_side *s)
{
	ct_buf b = { 0 };

	ct_buf_printf(&b, "  %s ", label);
	if (s->commit[0] == '\0')
		ct_buf_puts(&b, "(no single commit)\n");
	else {
		ct_buf_printf(&b, "%.12s ", s->commit);
		ct_text_safe(&b, s->subject);
		ct_buf_puts(&b, " (");
		ct_text_safe(&b, s->author);
		ct_buf_puts(&b, ")\n");
	}
	ct_text_safe_indent(&b, "    ", s->changes);
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
}

static bool
is_conflict_commit(const ct_sync_result *res, const char *commit)
{
	size_t i;

	for (i = 0; i < res->nconflicts; i++)
		if (strcmp(res->conflicts[i].local.commit, commit) == 0)
			return true;
	return false;
}

static void
print_conflicts(const ct_sync_result *res)
{
	ct_buf b = { 0 };
	size_t i;

	for (i = 0; i < res->nconflicts; i++) {
		const ct_sync_conflict *c = &res->conflicts[i];

		ct_buf_truncate(&b, 0);
		ct_buf_puts(&b, "conflict: ");
		if (c->case_id != NULL) {
			ct_buf_puts(&b, "case ");
			ct_text_safe(&b, c->case_id);
			ct_buf_puts(&b, ", record ");
			ct_text_safe(&b, c->record);
			ct_buf_puts(&b, " (");
			ct_text_safe(&b, c->path);
			ct_buf_puts(&b, ")\n");
		} else {
			ct_text_safe(&b, c->path);
			ct_buf_puts(&b, "\n");
		}
		if (b.failed)
			cli_die("out of memory");
		fputs(b.s, stdout);
		print_side("local ", &c->local);
		print_side("remote", &c->remote);
	}
	for (i = 0; i < res->nskipped; i++) {
		ct_buf_truncate(&b, 0);
		ct_buf_printf(&b, "set aside: %.12s ", res->skipped[i].commit);
		ct_text_safe(&b, res->skipped[i].subject);
		ct_buf_puts(&b, is_conflict_commit(res, res->skipped[i].commit) ?
		    " (conflicts)\n" : " (after a conflicting commit)\n");
		if (b.failed)
			cli_die("out of memory");
		fputs(b.s, stdout);
	}
	ct_buf_free(&b);
}

/* Push tip; 0 when the remote took it. */
static int
push(const char *tip, char **out)
{
	char *spec = NULL;
	const char *args[] = { "push", "--quiet", "--no-recurse-submodules",
	    "--receive-pack=git-receive-pack", "--", remote, NULL, NULL };
	int rc;

	if (asprintf(&spec, "%s:%s", tip, CT_BRANCH) < 0)
		cli_die("out of memory");
	args[6] = spec;
	rc = cli_git(dir, args, out);
	free(spec);
	return rc;
}

/* git's words for a push that lost a race with another one, for when the
 * winner's tip has not landed yet (or was refused after all) */
static bool
lost_race(const char *out)
{
	return strstr(out, "(fetch first)") != NULL ||
	    strstr(out, "(non-fast-forward)") != NULL ||
	    strstr(out, "failed to update ref") != NULL ||
	    strstr(out, "cannot lock ref") != NULL;
}

/* A random wait, growing with the rounds lost (at most 1.6 s),
 * so that clones pushing at the same moment spread out. */
static void
backoff(int round)
{
	struct timespec ts;
	long ms = 10 + rand() % (25L << (round < 6 ? round : 6));

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
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

static int
unheld(const ct_checkpoint *cp, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	const char *tip = arg;

	(void)err;
	if (strcmp(rule, "checkpoint-rewritten") == 0)
		cli_warn("%s/main %.12s does not hold the checkpoint %s by "
		    "<%s>, which says main was at %.12s", remote, tip, cp->ref,
		    cp->by != NULL ? cp->by : "?", cp->commit);
	else
		cli_warn("%s: %s: %s", cp->ref, rule, what);
	return 0;
}

/* The remote's tip holds every checkpoint this clone holds, or nothing is
 * taken: its history was rewritten after one (store-checkpoint(1)). */
static void
refuse_unheld(ct_store *st, const char *tip)
{
	ct_error err = { 0 };
	size_t problems;

	if (ct_checkpoint_check(st, tip, unheld, (void *)tip, &problems,
	    &err) < 0)
		cli_die_err(&err);
	if (problems > 0)
		cli_die("the remote's history was rewritten after a "
		    "checkpoint (or a checkpoint is bad); nothing was changed: "
		    "see store-checkpoint(1)");
}

/* Take what the fetch brought only when it may be taken; its tip (the
 * tip of ref) in hex. */
static void
take(ct_store *st, const char *ref, char tip[CT_SYNC_HEXSZ + 1])
{
	ct_incoming in;
	ct_error err = { 0 };

	if (ct_incoming_check(st, remote, ref, cli_print_problem, NULL, &in,
	    &err) < 0)
		cli_die_err(&err);
	if (in.state == CT_INCOMING_PROBLEMS) {
		fflush(stdout);
		cli_die("%zu problem%s in what %s/main %.12s would bring in "
		    "(the checks of store-verify, listed above); nothing was "
		    "changed: the remote's history must be corrected, see "
		    "store-sync(1)", in.problems, in.problems == 1 ? "" : "s",
		    remote, in.tip);
	}
	if (in.state == CT_INCOMING_REWRITTEN) {
		cli_warn("the remote's history was rewritten: %s/main %.12s "
		    "does not descend from %.12s, the last commit synced "
		    "with; nothing was changed", remote, in.tip, in.synced);
		cli_die("see what changed with git log --stat %.12s..%.12s "
		    "and git log --stat %.12s..%.12s; to accept the rewrite, "
		    "follow \"Rewritten history\" in store-sync(1)", in.synced,
		    in.tip, in.tip, in.synced);
	}
	refuse_unheld(st, in.tip);
	check_receipts(st, in.tip);
	memcpy(tip, in.tip, CT_SYNC_HEXSZ + 1);
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
	char now[CT_SYNC_HEXSZ + 1];

	fetch(ref);
	tip_of(st, ref, now);
	if (strcmp(now, res->remote) == 0 && !lost_race(out)) {
		cli_warn("git push %s refused %.12s:", remote, res->tip);
		cli_git_show(out);
		cli_die("the remote refused the push; your commits stay "
		    "in the local branch (nothing was lost): see what "
		    "it reports above, then run store-sync again");
	}
}

static int
any(const ct_checkpoint *cp, void *arg, ct_error *err)
{
	(void)cp;
	(void)err;
	*(bool *)arg = true;
	return 0;
}

static bool
has_checkpoints(ct_store *st)
{
	ct_error err = { 0 };
	bool some = false;

	if (ct_checkpoint_each(st, CT_CHECKPOINT_REFS, any, &some, &err) < 0)
		cli_die_err(&err);
	return some;
}

/* Fetch, check, merge, push, move: until in sync, or MAX_ROUNDS. */
static void
sync_with(ct_store *st, const char *ref, unsigned flags)
{
	ct_sync_result res = { 0 };
	ct_error err = { 0 };
	char *out = NULL, fetched[CT_SYNC_HEXSZ + 1];
	size_t i;
	int round;

	note_receipts(st);
	fetch(ref);
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
		if (push(res.tip, &out) == 0) {
			record(st, res.tip);
			fetch_receipts(st, res.tip);
			if (res.state == CT_SYNC_AHEAD || move(st, &res)) {
				report(&res, true);
				break;
			}
			/* a tool committed meanwhile: join that too */
		} else {
			refused(st, ref, &res, out);
			backoff(round);
		}
		free(out);
		out = NULL;
		fetch(ref);
	}
	if (round > MAX_ROUNDS)
		cli_die("gave up after %d rounds: %s kept moving while "
		    "pushing; your commits stay in the local branch, run "
		    "store-sync again", MAX_ROUNDS, remote);
	if (has_checkpoints(st))
		push_checkpoints();
	free(out);
	ct_sync_result_clear(&res);
	for (i = 0; i < nreceipts_held; i++)
		free(receipts_held[i].ref);
	free(receipts_held);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "set-aside", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	ct_error err = { 0 };
	char *ref = NULL;
	unsigned flags = 0;
	ct_store *st;
	int ch, lockfd;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:q", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 's': flags |= CT_SYNC_SET_ASIDE; break;
		case 'q': quiet = true; break;
		default: cli_usage();
		}
	}
	if (argc - optind > 1)
		cli_usage();
	if (argc - optind == 1)
		remote = argv[optind];
	st = cli_open_store(dir);
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
