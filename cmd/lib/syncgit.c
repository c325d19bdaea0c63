/*
 * store-sync's git commands (syncgit.h).  The programs on the remote's
 * side are named on the command line, not taken from the store's
 * remote.*.uploadpack and remote.*.receivepack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rungit.h"
#include "syncgit.h"
#include "casetrail/checkpoint.h"
#include "casetrail/receipt.h"
#include "casetrail/store.h"

#define FETCH "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", \
	"--upload-pack=git-upload-pack", "--"
#define PUSH "push", "--quiet", "--no-recurse-submodules", \
	"--receive-pack=git-receive-pack", "--"

/* The refspec of the remote's receipts: kept as first fetched (no "+":
 * a receipt the remote moved is a failed fetch, not a new copy). */
static char *
receipts_spec(const char *remote)
{
	char *rs;

	if (asprintf(&rs, "%s*:refs/remotes/%s/receipts/*", CT_RECEIPT_REFS,
	    remote) < 0)
		cli_die("out of memory");
	return rs;
}

void
cli_sync_fetch(const char *dir, const char *remote, const char *ref)
{
	char *spec = NULL, *cps = NULL, *rs = receipts_spec(remote), *out;
	const char *args[] = { FETCH, remote, NULL, NULL, NULL, NULL };

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

bool
cli_sync_fetch_receipts(const char *dir, const char *remote)
{
	char *rs = receipts_spec(remote), *out = NULL;
	const char *args[] = { FETCH, remote, rs, NULL };
	bool ok = true;

	if (cli_git(dir, args, &out) != 0) {
		cli_warn("git fetch %s of the receipts failed:", remote);
		cli_git_show(out);
		ok = false;
	}
	free(out);
	free(rs);
	return ok;
}

int
cli_sync_push(const char *dir, const char *remote, const char *tip,
    char **out)
{
	char *spec = NULL;
	const char *args[] = { PUSH, remote, NULL, NULL };
	int rc;

	if (asprintf(&spec, "%s:%s", tip, CT_BRANCH) < 0)
		cli_die("out of memory");
	args[6] = spec;
	rc = cli_git(dir, args, out);
	free(spec);
	return rc;
}

void
cli_sync_push_checkpoints(const char *dir, const char *remote)
{
	const char *args[] = { PUSH, remote,
	    CT_CHECKPOINT_REFS "*:" CT_CHECKPOINT_REFS "*", NULL };
	char *out = NULL;

	if (cli_git(dir, args, &out) != 0) {
		cli_warn("git push %s of the checkpoints failed:", remote);
		cli_git_show(out);
	}
	free(out);
}

/* The tip of ref now, hex (a fetch just updated it). */
static void
tip_of(ct_store *st, const char *ref, char hex[41])
{
	ct_snapshot *snap;
	ct_error err = { 0 };

	if (ct_snapshot_open(st, ref, &snap, &err) < 0)
		cli_die_err(&err);
	snprintf(hex, 41, "%s", ct_snapshot_id(snap));
	ct_snapshot_free(snap);
}

bool
cli_sync_refetch(ct_store *st, const char *dir, const char *remote,
    const char *ref, const char *was)
{
	char now[41];

	cli_sync_fetch(dir, remote, ref);
	tip_of(st, ref, now);
	return strcmp(now, was) != 0;
}

/* git's words for a push that lost a race with another one, for when the
 * winner's tip has not landed yet (or was refused after all) */
bool
cli_sync_lost_race(const char *out)
{
	return strstr(out, "(fetch first)") != NULL ||
	    strstr(out, "(non-fast-forward)") != NULL ||
	    strstr(out, "failed to update ref") != NULL ||
	    strstr(out, "cannot lock ref") != NULL;
}

void
cli_sync_backoff(int round)
{
	struct timespec ts;
	long ms = 10 + rand() % (25L << (round < 6 ? round : 6));

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}
