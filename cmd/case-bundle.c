/*
 * case-bundle: write one case's history as a file that anyone can check
 * offline, and check such a file.  A bundle for a recipient is a
 * disclosure: its s 284 register entry is committed first, and the bundle
 * holds that commit, whose entry names the commits before it.  The
 * bundle, its register entry, its file and its check are lib/audit/bundle.c's;
 * this file parses the options, orders the steps and prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "casetrail/bundle.h"
#include "casetrail/case.h"
#include "casetrail/disclosure.h"
#include "casetrail/output.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_SHORT('o', "output", "file", "the bundle to write"),
	CLI_SHORT('n', "dry-run", NULL, "print the register entry, commit and "
	    "write nothing"),
	CLI_OPT_REASON_HELP("the Reason trailer of the register entry's "
	    "commit"),
	CLI_LONG('r', "recipient", "r", "the recipient: a registered operator "
	    "or agency id"),
	CLI_LONG('p', "purpose", "p", "the s 284 purpose: report, application, "
	    "csp,\nservice-delivery, offender-management,\nrisk-reduction "
	    "(needs --grounds)"),
	CLI_LONG('i', "info", "text", "what was disclosed (default: the case's "
	    "records\nand their history, as a case bundle)"),
	CLI_LONG('g', "grounds", "text", "risk-reduction: the reasonable "
	    "grounds"),
	CLI_LONG('V', "verify", "file", "check a bundle offline and print its "
	    "history"),
	CLI_LONG('S', "signers", "keys", "--verify: check the signatures "
	    "against these keys"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: case-bundle [-C dir] [-n] [-m reason] id -o file\n"
"                   [--recipient r --purpose p [--info text]\n"
"                   [--grounds text]]\n"
"       case-bundle --verify file [--signers keys]\n",
	.about =
"Write the history of one case as a self-contained file: the case's\n"
"commits as raw git objects with the trees on their paths, the case's\n"
"files, the settings and registry keys their signatures are checked\n"
"against, and the checkpoints that hold them.  Other cases appear only\n"
"as names and ids in the shard's tree.  --verify checks a bundle with\n"
"nothing but the file: every object id, the trees, each signature, the\n"
"records, the checkpoints, and that no commit of the case is missing; it\n"
"prints the case's history.  The keys a bundle carries are only as good\n"
"as the bundle: give keys you trust (the agency's registry/allowed_signers,\n"
"or armored OpenPGP keys) to check the signatures against them.\n"
"\n"
"A bundle for anyone outside your agency is a disclosure: name the\n"
"recipient and the s 284 purpose, and the register entry is committed\n"
"with the bundle (a recipient or purpose the register refuses makes\n"
"neither).\n",
	.opts = opts,
	.status = "Exit status: 0 ok (a valid bundle); 1 --verify found "
	    "problems;\n2 error (nothing changed).\n",
};

static const char default_info[] =
    "the case's records and their history, as a case bundle";

/* The bundle being written, removed unless it was renamed into place. */
static char *tmp_path;

static void
remove_tmp(void)
{
	if (tmp_path != NULL)
		(void)unlink(tmp_path);
}

/* Make the temporary file next to file now, so that a bundle that could
 * not be written is known before anything is committed. */
static int
open_tmp(const char *file)
{
	int fd;

	if (asprintf(&tmp_path, "%s.tmpXXXXXX", file) < 0)
		cli_die("out of memory");
	if ((fd = mkstemp(tmp_path)) < 0) {
		free(tmp_path);
		tmp_path = NULL;
		cli_die("%s: cannot write: %s", file, strerror(errno));
	}
	atexit(remove_tmp);
	return fd;
}

static void
write_out(int fd, const char *file, const ct_buf *b)
{
	ct_error err = { 0 };

	if (ct_bundle_write(fd, tmp_path, file, b, &err) < 0)
		cli_die_err(&err);
	free(tmp_path);
	tmp_path = NULL;
}

struct opts {
	const char *out, *verify, *signers;
	ct_disclosure_req req;
};

/* Commit the register entry; its commit id in at. */
static bool
record(ct_store *st, const char *id, struct opts *o, char at[41])
{
	ct_commit_spec spec = { .tool = "case-bundle", .version = CT_VERSION,
	    .record = "disclosure", .action = "add",
	    .purpose = o->req.purpose, .case_id = id };
	ct_bundle_entry e = { .case_id = id, .req = &o->req };
	ct_write_result res;
	ct_error err = { 0 };
	char *subject;

	if (asprintf(&subject, "%s bundled for %s for %s", id, o->req.to,
	    o->req.purpose) < 0)
		cli_die("out of memory");
	spec.subject = subject;
	cli_spec(&spec);
	if (cli.dry_run)
		cli_write(st, &spec, ct_bundle_entry_fn, &e);
	else if (ct_store_write(st, &spec, ct_bundle_entry_fn, &e, &res,
	    &err) < 0)
		cli_die_err(&err);
	else if (!res.changed)
		cli_die("%s: the register entry was not recorded", id);
	else {
		memcpy(at, res.commit, 41);
		cli_warn("%s: committed %.12s", subject, res.commit);
		printf("%s\n", e.path);
		ct_write_result_clear(&res);
	}
	ct_bundle_entry_clear(&e);
	free(subject);
	return !cli.dry_run;
}

static int
make(struct opts *o, const char *id)
{
	ct_bundle_stats stats;
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_buf b = { 0 };
	ct_store *st;
	char at[41], *dir = NULL;
	bool disclosed = false;
	int fd = -1;

	if (ct_case_id_check(id, &err) < 0)
		cli_die_err(&err);
	if (o->req.to != NULL && (ct_text_check("--recipient", o->req.to,
	    &err) < 0 || (cli.reason != NULL && ct_text_check("--reason",
	    cli.reason, &err) < 0) || ct_disclosure_check(&o->req, &err) < 0))
		cli_die_err(&err);
	st = cli_open_store(cli.dir);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	if (ct_case_dir(id, &dir, &err) < 0)
		cli_die_err(&err);
	if (!ct_snapshot_is_dir(snap, dir))
		cli_no_case(snap, id);
	free(dir);
	if (o->req.to != NULL && ct_disclosure_case_check(snap, id, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	/* a bundle that can not be made is known before the entry is
	 * committed */
	if (o->req.to != NULL && !cli.dry_run) {
		if (ct_bundle_make(st, id, NULL, false, &b, NULL, &err) < 0)
			cli_die_err(&err);
		ct_buf_truncate(&b, 0);
	}
	if (!cli.dry_run)
		fd = open_tmp(o->out);
	if (o->req.to != NULL) {
		o->req.at = (long long)time(NULL);
		if (!(disclosed = record(st, id, o, at)))
			goto out;
	} else if (cli.dry_run) {
		cli_warn("dry run: %s not written", o->out);
		goto out;
	}
	if (ct_bundle_make(st, id, disclosed ? at : NULL, disclosed, &b,
	    &stats, &err) < 0)
		cli_die_err(&err);
	if (b.failed)
		cli_die("out of memory");
	write_out(fd, o->out, &b);
	cli_warn("%s: case %s, %zu commit%s, %zu checkpoint%s, %zu objects",
	    o->out, id, stats.commits, stats.commits == 1 ? "" : "s",
	    stats.checkpoints, stats.checkpoints == 1 ? "" : "s",
	    stats.objects);
	if (!disclosed)
		cli_warn("not recorded as a disclosure: for anyone outside "
		    "your agency, name its --recipient and --purpose");
out:
	ct_buf_free(&b);
	ct_store_free(st);
	return 0;
}

static int
verify(const char *file, const char *signers)
{
	const char *tmp = getenv("TMPDIR");
	ct_error err = { 0 };
	ct_buf out = { 0 };
	size_t problems;
	int rc;

	rc = ct_bundle_verify_file(file, signers, tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp", &out, &problems, &err);
	if (rc < 0) {
		fputs(out.s != NULL ? out.s : "", stdout);
		fflush(stdout);
		cli_die_err(&err);
	}
	if (out.failed)
		cli_die("out of memory");
	fputs(out.s != NULL ? out.s : "", stdout);
	ct_buf_free(&out);
	if (problems > 0) {
		fflush(stdout);
		cli_warn("%s: %zu problem%s found: the bundle is not valid",
		    file, problems, problems == 1 ? "" : "s");
		return EXIT_PROBLEMS;
	}
	printf("valid: every object id, the trees to the case, the "
	    "signatures, the records and the checkpoints check out\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { .req = { .info = default_info,
	    .means = "electronic" } };
	bool info = false;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'o': o.out = optarg; break;
		case 'r': o.req.to = optarg; break;
		case 'p': o.req.purpose = optarg; break;
		case 'i': o.req.info = optarg; info = true; break;
		case 'g': o.req.grounds = optarg; break;
		case 'V': o.verify = optarg; break;
		case 'S': o.signers = optarg; break;
		default: cli_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (o.verify != NULL) {
		if (argc != 0 || o.out != NULL || cli.dir != NULL ||
		    cli.dry_run || cli.reason != NULL || o.req.to != NULL ||
		    o.req.purpose != NULL || info || o.req.grounds != NULL)
			cli_die("--verify takes the bundle and its --signers "
			    "alone");
		return verify(o.verify, o.signers);
	}
	if (argc != 1 || o.out == NULL)
		cli_usage();
	if (o.signers != NULL)
		cli_die("--signers is for --verify");
	if ((o.req.to == NULL) != (o.req.purpose == NULL))
		cli_die("--recipient and --purpose go together: a disclosure "
		    "names both");
	if (o.req.to == NULL && (info || o.req.grounds != NULL ||
	    cli.reason != NULL))
		cli_die("--info, --grounds and --reason describe a disclosure; "
		    "name its --recipient and --purpose");
	return make(&o, argv[0]);
}
