/*
 * case-import: cases and dated events from a CSV file, every row checked
 * first, one commit per case changed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "casetrail/import.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_SHORT('n', "dry-run", NULL, "check the rows and print what "
	    "would change; commit\nnothing"),
	CLI_OPT_REASON_HELP("the Reason trailer of every commit"),
	CLI_OPT_TODAY_HELP("the day the rows are recorded "
	    "(default\n$CASETRAIL_TODAY, else today in the store's "
	    "time\nzone): events after it are refused"),
	CLI_LONG('S', "skip-bad", NULL, "import the good rows even when "
	    "some are bad"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: case-import [-C dir] [-n] [-m reason] [--today date] [--skip-bad]\n"
"                   file.csv|-\n",
	.about =
"Create cases and record dated events from a CSV file (a spreadsheet\n"
"saved as CSV UTF-8), one row each.  The header names the columns: id\n"
"(required), cohort, manager, event, date, stage, order, rating, service,\n"
"notified_by, to, cleared, note (casetrail-records(5)).  A row with a\n"
"cohort creates the case if the store does not have it; a row with an\n"
"event records it on the case.  Every row is checked first, in order;\n"
"each bad row is named with its line and the reason, and nothing is\n"
"committed unless --skip-bad.  Then each case changed is one commit; a\n"
"row already recorded changes nothing.\n",
	.opts = opts,
	.status =
"Exit status: 0 every row imported or already there, 1 bad rows skipped\n"
"(--skip-bad), 2 error or bad rows (nothing committed).\n",
};

static char *
slurp(const char *file, size_t *len)
{
	FILE *f = file[0] == '-' && file[1] == '\0' ? stdin : fopen(file, "rb");
	char *buf = NULL, *grown;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		cli_die("%s: cannot be read", file);
	for (;;) {
		if (*len + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > ((size_t)64 << 20) ||
			    (grown = realloc(buf, cap + 1)) == NULL)
				cli_die("%s: too large (64 MiB at most)", file);
			buf = grown;
		}
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	if (ferror(f))
		cli_die("%s: reading failed", file);
	if (f != stdin)
		fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* What the rows change: cases made, events recorded, rows with nothing
 * new. */
static void
summary(const ct_import *im, bool dry)
{
	size_t i, made = 0, events = 0, same = 0;

	for (i = 0; i < im->n; i++) {
		if (im->rows[i].bad)
			continue;
		if (!im->rows[i].changes)
			same++;
		else if (im->rows[i].has_event)
			events++;
		else
			made++;
	}
	fprintf(dry ? stdout : stderr, "%s%zu rows: %zu case%s to create, %zu "
	    "event%s to record, %zu already there, %zu bad\n", dry ?
	    "" : "case-import: ", im->n, made, made == 1 ? "" : "s", events,
	    events == 1 ? "" : "s", same, im->nbad);
}

static void
import(ct_store *st, const ct_import *im, ct_commit_spec *spec)
{
	ct_import_case ic = { .im = im };
	char *subject;
	size_t i;

	for (i = 0; i < im->nids; i++) {
		ic.id = im->ids[i];
		if (asprintf(&subject, "%s imported", ic.id) < 0)
			cli_die("out of memory");
		spec->subject = subject;
		spec->case_id = ic.id;
		cli_write(st, spec, ct_import_apply, &ic);
		free(subject);
	}
}

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "case-import", .version = CT_VERSION,
	    .record = "case", .action = "import" };
	bool dry = false, skip = false;
	ct_import im = { 0 };
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_store *st;
	char *buf;
	size_t len, i;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'S': skip = true; break;
		default: cli_usage();
		}
	}
	if (argc - optind != 1)
		cli_usage();
	dry = cli.dry_run;
	spec.reason = cli.reason;
	cli_check_text("-m", spec.reason);
	buf = slurp(argv[optind], &len);
	st = cli_open_store(cli.dir);
	im.jur = ct_store_jurisdiction(st);
	im.today = cli_today(cli.today, st);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_import_read(&im, buf, len, argv[optind], snap, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	for (i = 0; i < im.nbad; i++)
		cli_warn("%s", im.bad[i]);
	if (dry)
		summary(&im, true);
	else if (im.nbad > 0 && !skip)
		cli_die("%zu bad row%s: nothing was imported (correct them, or "
		    "--skip-bad)", im.nbad, im.nbad == 1 ? "" : "s");
	else {
		import(st, &im, &spec);
		summary(&im, false);
	}
	i = im.nbad;
	ct_import_clear(&im);
	free(buf);
	ct_store_free(st);
	return i > 0 ? (dry ? EXIT_ERROR : EXIT_PROBLEMS) : 0;
}
