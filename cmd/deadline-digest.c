/*
 * deadline-digest: one e-mail per person per run with what became due or
 * overdue in their cases, as an mbox, into a maildir, or to sendmail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "casetrail/digest.h"
#include "casetrail/evaluate.h"
#include "casetrail/registry.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_SHORT('n', "dry-run", NULL, "write the messages to standard "
	    "output and remember\nnothing"),
	CLI_OPT_TODAY_HELP("evaluate as of this day (default "
	    "$CASETRAIL_TODAY,\nelse today in the store's time zone)"),
	CLI_LONG('T', "to", "op", "only this registered operator "
	    "(repeatable; default:\nevery active operator with open "
	    "findings)"),
	CLI_LONG('F', "from", "addr", "the From: address (default "
	    "casetrail <casetrail@\nlocalhost>)"),
	CLI_LONG('D', "maildir", "dir", "deliver into this maildir (its "
	    "tmp/ and new/)"),
	CLI_LONG('S', "sendmail", NULL, "pipe each message to sendmail -t -i"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: deadline-digest [-C dir] [-n] [--today date] [--to operator]...\n"
"                       [--from address] [--maildir dir | --sendmail]\n",
	.about =
"Write one message per person: what became due or overdue in the cases\n"
"they manage since their previous digest, then everything open in them.\n"
"Nothing is written for a person with nothing new.  What each digest told\n"
"is remembered under the git directory (casetrail/digest/), so the next\n"
"run tells only what is new again.  Messages go to standard output as an\n"
"mbox, into a maildir, or each to 'sendmail -t -i'.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok, 2 error.\n",
};

struct ctx {
	ct_evaluator *ev;
	ct_findings open;
	int bad;
};

static int
collect(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *unused)
{
	struct ctx *c = arg;
	ct_error err = { 0 };
	size_t i, kept;

	(void)snap;
	(void)unused;
	kept = c->open.n;
	if (ct_evaluator_case(c->ev, dir, &c->open, &err) < 0) {
		cli_warn("%s: %s", id, ct_error_msg(&err));
		ct_error_clear(&err);
		c->bad++;
	}
	for (i = kept; i < c->open.n; i++)
		if (ct_digest_open(&c->open.v[i]))
			c->open.v[kept++] = c->open.v[i];
		else
			ct_finding_clear(&c->open.v[i]);
	c->open.n = kept;
	return 0;
}

/* An mbox "From " line, and body lines beginning "From " quoted. */
static void
mbox(const ct_buf *msg, long long now)
{
	time_t t = (time_t)now;
	const char *p;
	char when[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	printf("From casetrail@localhost %s\n", when);
	for (p = msg->s; *p != '\0';) {
		const char *e = strchr(p, '\n');
		size_t n = e != NULL ? (size_t)(e - p) + 1 : strlen(p);

		if (strncmp(p, "From ", 5) == 0 || (strncmp(p, ">", 1) == 0 &&
		    strspn(p, ">") < n && strncmp(p + strspn(p, ">"), "From ",
		    5) == 0))
			putchar('>');
		fwrite(p, 1, n, stdout);
		p += n;
	}
	putchar('\n');
}

static void
maildir(const char *dir, const char *id, const ct_buf *msg, long long now)
{
	char *tmp = NULL, *new = NULL, host[64] = "localhost";
	FILE *f;

	(void)gethostname(host, sizeof(host) - 1);
	if (asprintf(&tmp, "%s/tmp/%lld.%ld_%s.%s", dir, now, (long)getpid(),
	    id, host) < 0 || asprintf(&new, "%s/new/%lld.%ld_%s.%s", dir, now,
	    (long)getpid(), id, host) < 0)
		cli_die("out of memory");
	if ((f = fopen(tmp, "wx")) == NULL)
		cli_die("%s: cannot write (is %s a maildir, with tmp/ and "
		    "new/?)", tmp, dir);
	if (fwrite(msg->s, 1, msg->len, f) != msg->len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0 || fclose(f) != 0 || rename(tmp, new) != 0)
		cli_die("%s: writing the message failed", new);
	free(tmp);
	free(new);
}

static void
sendmail(const ct_buf *msg)
{
	FILE *p = popen("sendmail -t -i", "w");

	if (p == NULL)
		cli_die("cannot run sendmail -t -i");
	if (fwrite(msg->s, 1, msg->len, p) != msg->len || pclose(p) != 0)
		cli_die("sendmail -t -i failed");
}

struct out {
	const char *maildir, *from;
	bool sendmail, dry;
	long long now;
	size_t sent, quiet;
};

/* One recipient's digest: made, delivered, remembered. */
static void
one(ct_store *st, const ct_findings *open, const ct_node *op, struct out *o)
{
	ct_digest_to to = { ct_map_str(op, "id"), ct_map_str(op, "name"),
	    ct_map_str(op, "email"), o->from, o->now };
	ct_error err = { 0 };
	ct_buf msg = { 0 };
	char *prev = NULL, *state = NULL;
	size_t nnew;

	if (ct_digest_state_read(st, to.id, &prev, &err) < 0 ||
	    ct_digest_make(open, &to, prev, &msg, &state, &nnew, &err) < 0)
		cli_die_err(&err);
	if (nnew > 0 && (o->dry || (o->maildir == NULL && !o->sendmail)))
		mbox(&msg, o->now);
	else if (nnew > 0 && o->maildir != NULL)
		maildir(o->maildir, to.id, &msg, o->now);
	else if (nnew > 0)
		sendmail(&msg);
	o->sent += nnew > 0;
	o->quiet += nnew == 0;
	if (!o->dry && (prev == NULL || strcmp(prev, state) != 0) &&
	    ct_digest_state_write(st, to.id, state, &err) < 0)
		cli_die_err(&err);
	ct_buf_free(&msg);
	free(prev);
	free(state);
}

/* Is op someone the run writes to: named with --to, or (none named) an
 * active operator managing an open finding? */
static bool
recipient(const ct_node *op, char **to, size_t nto, const ct_findings *open)
{
	const char *id = ct_map_str(op, "id");
	size_t i;

	if (nto > 0) {
		for (i = 0; i < nto; i++)
			if (strcmp(to[i], id) == 0)
				return true;
		return false;
	}
	for (i = 0; ct_operator_active(op) && i < open->n; i++)
		if (open->v[i].manager != NULL &&
		    strcmp(open->v[i].manager, id) == 0)
			return true;
	return false;
}

static void
deliver(ct_store *st, ct_snapshot *snap, struct ctx *c, char **to,
    size_t nto, struct out *o)
{
	ct_node *ops = NULL;
	const ct_node *list;
	ct_error err = { 0 };
	size_t i;

	if (ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < nto; i++)
		if (ct_registry_find(ops, "operators", "id", to[i]) == NULL)
			cli_die("--to: no operator '%s' in %s", to[i],
			    CT_OPERATORS_PATH);
	list = ct_map_get(ops, "operators");
	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n;
	    i++)
		if (recipient(list->items[i], to, nto, &c->open))
			one(st, &c->open, list->items[i], o);
	ct_node_free(ops);
}

int
main(int argc, char **argv)
{
	struct out o = { .from = "casetrail <casetrail@localhost>" };
	struct ctx c = { 0 };
	char **to = NULL;
	size_t nto = 0;
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_rules *r;
	ct_store *st;
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'T':
			if ((to = realloc(to, (nto + 1) * sizeof(*to))) == NULL)
				cli_die("out of memory");
			to[nto++] = optarg;
			break;
		case 'F': o.from = optarg; break;
		case 'D': o.maildir = optarg; break;
		case 'S': o.sendmail = true; break;
		default: cli_usage();
		}
	}
	o.dry = cli.dry_run;
	if (optind != argc || (o.maildir != NULL && o.sendmail))
		cli_usage();
	st = cli_open_store(cli.dir);
	o.now = (long long)time(NULL);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    ct_snapshot_rules(snap, &r, &err) < 0 ||
	    ct_evaluator_new(snap, r, cli_today(cli.today, st), &c.ev,
	    &err) < 0 ||
	    ct_snapshot_each_case(snap, collect, cli_misplaced, &c, &err) < 0)
		cli_die_err(&err);
	ct_findings_sort(&c.open);
	deliver(st, snap, &c, to, nto, &o);
	if (fflush(stdout) != 0)
		cli_die("writing the messages failed");
	fprintf(stderr, "%s: %zu message%s, %zu with nothing new\n", cli_prog,
	    o.sent, o.sent == 1 ? "" : "s", o.quiet);
	ct_findings_clear(&c.open);
	ct_evaluator_free(c.ev);
	ct_rules_free(r);
	ct_snapshot_free(snap);
	ct_store_free(st);
	free(to);
	return c.bad > 0 ? EXIT_ERROR : 0;
}
