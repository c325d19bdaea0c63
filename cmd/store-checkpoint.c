/*
 * store-checkpoint: record, signed, where main is now; list the
 * checkpoints this clone holds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "casetrail/checkpoint.h"
#include "casetrail/trailers.h"

/* The note is the checkpoint's only text: a checkpoint is a tag, not a
 * commit, so -m here is --note and not the Reason. */
static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	{ 'm', "note", "text", "a one-line note kept with the checkpoint",
	    CLI_O_TOOL },
	CLI_LONG('l', "list", NULL, "list the checkpoints held, oldest first"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: store-checkpoint [-C dir] [-m note]\n"
"       store-checkpoint [-C dir] --list\n",
	.about =
"Record a checkpoint: a statement, by the operator who runs it and signed\n"
"as the store signs commits, that main was at its present commit at this\n"
"time.  It is kept as refs/checkpoints/<operator>/<time> in this clone;\n"
"store-sync takes it to the central repository and brings the others'.\n"
"A history rewritten after a checkpoint no longer holds its commit:\n"
"store-verify reports it when asked to check checkpoints, and store-sync\n"
"refuses such a remote.  Run it nightly in each office.\n",
	.opts = opts,
	.status = "Exit status: 0 ok, 2 error (nothing made).\n",
};

static int
print_one(const ct_checkpoint *cp, void *arg, ct_error *err)
{
	char when[CT_STAMP_SIZE] = "?";

	(void)arg;
	(void)err;
	if (cp->commit[0] != '\0')
		ct_utc_stamp(cp->when, false, when);
	printf("%s  %.12s  %s  %s%s\n", when, cp->commit[0] ? cp->commit :
	    "(not a checkpoint)", cp->by ? cp->by : "?", cp->ref,
	    cp->is_signed ? "  signed" : "");
	return 0;
}

int
main(int argc, char **argv)
{
	const char *note = NULL;
	char *ref = NULL, commit[41];
	bool list = false;
	ct_error err = { 0 };
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case CLI_O_TOOL: note = optarg; break;
		case 'l': list = true; break;
		default: cli_usage();
		}
	}
	if (argc != optind || (list && note != NULL))
		cli_usage();
	cli_check_text("--note", note);
	st = cli_open_store(cli.dir);
	if (list) {
		if (ct_checkpoint_each(st, CT_CHECKPOINT_REFS, print_one, NULL,
		    &err) < 0 || ct_checkpoint_each(st,
		    "refs/remotes/*/checkpoints/", print_one, NULL, &err) < 0)
			cli_die_err(&err);
	} else {
		if (ct_checkpoint_create(st, note, &ref, commit, &err) < 0)
			cli_die_err(&err);
		printf("%s %s\n", ref, commit);
		free(ref);
	}
	ct_store_free(st);
	return 0;
}
