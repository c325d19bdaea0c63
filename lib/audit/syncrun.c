/*
 * The parts of a sync around the merge (sync.h): what a fetch brought is
 * checked before anything is taken (the history, the checkpoints, the
 * receipts), and the text of the conflicts a sync reports.
 *
 * A receipt is never moved: git's fetch replaces a ref that names no
 * commit without complaint, so the receipts of the remote held before
 * the sync are noted with their tags, and a fetch that changed one is
 * undone.  A receipt the sync brought is checked against the remote's
 * tip before anything is taken, and one that fails is not kept, so the
 * next fetch refuses it again.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/buf.h"
#include "casetrail/checkpoint.h"
#include "casetrail/incoming.h"
#include "casetrail/output.h"
#include "casetrail/receipt.h"
#include "casetrail/sync.h"
#include "casetrail/util.h"

struct held {
	char *ref;
	char tag[41];
};

struct ct_sync_receipts {
	ct_store *st;
	char *remote;
	char *prefix;		/* "refs/remotes/<remote>/receipts/" */
	struct held *held;	/* checked, by this sync or before it */
	size_t nheld;
};

/* A receipt fetched from the remote that has not been checked. */
static bool
unchecked(const ct_sync_receipts *g, const char *ref)
{
	size_t i;

	if (strncmp(ref, g->prefix, strlen(g->prefix)) != 0)
		return false;
	for (i = 0; i < g->nheld; i++)
		if (strcmp(g->held[i].ref, ref) == 0)
			return false;
	return true;
}

static int
hold(ct_sync_receipts *g, const ct_receipt *r, ct_error *err)
{
	struct held *h;

	if ((h = realloc(g->held, (g->nheld + 1) * sizeof(*h))) == NULL)
		return ct_nomem(err);
	g->held = h;
	h = &g->held[g->nheld];
	if ((h->ref = strdup(r->ref)) == NULL)
		return ct_nomem(err);
	memcpy(h->tag, r->tag, sizeof(h->tag));
	g->nheld++;
	return 0;
}

/* Tell warn of a problem found (formatted as printf). */
static int
warn_of(ct_sync_warn_fn *warn, void *arg, ct_error *err, const char *fmt,
    ...)
{
	ct_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	ct_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.failed)
		return ct_nomem(err);
	warn(b.s, arg);
	ct_buf_free(&b);
	return 0;
}

int
ct_sync_receipts_open(ct_store *st, const char *remote,
    ct_sync_receipts **out, ct_error *err)
{
	ct_sync_receipts *g;
	ct_receipts *rs = NULL;
	size_t i;
	int rc = 0;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return ct_nomem(err);
	g->st = st;
	if ((g->remote = strdup(remote)) == NULL ||
	    asprintf(&g->prefix, "refs/remotes/%s/receipts/", remote) < 0) {
		g->prefix = NULL;
		ct_sync_receipts_free(g);
		return ct_nomem(err);
	}
	if ((rc = ct_receipts_open(st, NULL, &rs, err)) < 0)
		goto out;
	for (i = 0; i < ct_receipts_count(rs); i++)
		if (unchecked(g, ct_receipts_get(rs, i)->ref) &&
		    (rc = hold(g, ct_receipts_get(rs, i), err)) < 0)
			goto out;
out:
	ct_receipts_free(rs);
	if (rc < 0) {
		ct_sync_receipts_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

/* A receipt held before that the fetch changed is put back. */
static int
keep_held(ct_sync_receipts *g, const ct_receipts *rs, ct_sync_warn_fn *warn,
    void *arg, size_t *bad, ct_error *err)
{
	const ct_receipt *r;
	size_t i, j;
	int rc;

	for (i = 0; i < ct_receipts_count(rs); i++) {
		r = ct_receipts_get(rs, i);
		for (j = 0; j < g->nheld; j++)
			if (strcmp(g->held[j].ref, r->ref) == 0 &&
			    strcmp(g->held[j].tag, r->tag) != 0)
				break;
		if (j == g->nheld)
			continue;
		if ((rc = warn_of(warn, arg, err, "%s: %s moved its receipt "
		    "from %.12s to %.12s; the clone keeps the one it had",
		    r->ref, g->remote, g->held[j].tag, r->tag)) < 0 ||
		    (rc = ct_receipt_drop(g->st, r->ref, g->held[j].tag,
		    err)) < 0)
			return rc;
		(*bad)++;
	}
	return 0;
}

/* Check each receipt new to this sync against tip; *bad counts those
 * put back or dropped. */
static int
check_new(ct_sync_receipts *g, const char *tip, ct_sync_warn_fn *warn,
    void *arg, size_t *bad, ct_error *err)
{
	ct_receipts *rs;
	ct_error why = { 0 };
	const ct_receipt *r;
	const char *rule;
	size_t i;
	int rc;

	if ((rc = ct_receipts_open(g->st, tip, &rs, err)) < 0)
		return rc;
	if ((rc = keep_held(g, rs, warn, arg, bad, err)) < 0)
		goto out;
	for (i = 0; i < ct_receipts_count(rs); i++) {
		r = ct_receipts_get(rs, i);
		if (!unchecked(g, r->ref))
			continue;
		if ((rc = ct_receipt_verify(g->st, rs, r, tip, &rule,
		    &why)) == 0) {
			if ((rc = hold(g, r, err)) < 0)
				goto out;
			continue;
		}
		if (rc != CT_EINVALID) {
			rc = ct_error_set(err, rc, "%s", ct_error_msg(&why));
			goto out;
		}
		rc = warn_of(warn, arg, err, "%s: %s: %s", r->ref, rule,
		    ct_error_msg(&why));
		ct_error_clear(&why);
		if (rc < 0 || (rc = ct_receipt_drop(g->st, r->ref, NULL,
		    err)) < 0)
			goto out;
		(*bad)++;
	}
	rc = 0;
out:
	ct_error_clear(&why);
	ct_receipts_free(rs);
	return rc;
}

int
ct_sync_receipts_check(ct_sync_receipts *g, const char *tip,
    ct_sync_warn_fn *warn, void *arg, ct_error *err)
{
	size_t bad = 0;
	int rc;

	if ((rc = check_new(g, tip, warn, arg, &bad, err)) < 0)
		return rc;
	if (bad > 0)
		return ct_error_set(err, CT_EINVALID, "%zu bad or moved "
		    "receipt%s from %s, not kept; nothing was changed: see "
		    "store-verify(1), Receipts", bad, bad == 1 ? "" : "s",
		    g->remote);
	return 0;
}

void
ct_sync_receipts_free(ct_sync_receipts *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nheld; i++)
		free(g->held[i].ref);
	free(g->held);
	free(g->prefix);
	free(g->remote);
	free(g);
}

struct unheld {
	const char *remote, *tip;
	ct_sync_warn_fn *warn;
	void *arg;
};

static int
unheld(const ct_checkpoint *cp, const char *rule, const char *what,
    void *arg, ct_error *err)
{
	struct unheld *u = arg;

	if (strcmp(rule, "checkpoint-rewritten") == 0)
		return warn_of(u->warn, u->arg, err, "%s/main %.12s does not "
		    "hold the checkpoint %s by <%s>, which says main was at "
		    "%.12s", u->remote, u->tip, cp->ref, cp->by != NULL ?
		    cp->by : "?", cp->commit);
	return warn_of(u->warn, u->arg, err, "%s: %s: %s", cp->ref, rule,
	    what);
}

/* The remote's tip holds every checkpoint this clone holds, or nothing is
 * taken: its history was rewritten after one (store-checkpoint(1)). */
static int
refuse_unheld(ct_store *st, const char *remote, const char *tip,
    ct_sync_warn_fn *warn, void *arg, ct_error *err)
{
	struct unheld u = { remote, tip, warn, arg };
	size_t problems;
	int rc;

	if ((rc = ct_checkpoint_check(st, tip, unheld, &u, &problems,
	    err)) < 0)
		return rc;
	if (problems > 0)
		return ct_error_set(err, CT_EINVALID, "the remote's history "
		    "was rewritten after a checkpoint (or a checkpoint is "
		    "bad); nothing was changed: see store-checkpoint(1)");
	return 0;
}

/* The error of a fetch ct_incoming_check refused. */
static int
refused(const char *remote, const ct_incoming *in, ct_sync_warn_fn *warn,
    void *arg, ct_error *err)
{
	if (in->state == CT_INCOMING_PROBLEMS)
		return ct_error_set(err, CT_EINVALID, "%zu problem%s in what "
		    "%s/main %.12s would bring in (the checks of store-verify, "
		    "listed above); nothing was changed: the remote's history "
		    "must be corrected, see store-sync(1)", in->problems,
		    in->problems == 1 ? "" : "s", remote, in->tip);
	if (warn_of(warn, arg, err, "the remote's history was rewritten: "
	    "%s/main %.12s does not descend from %.12s, the last commit "
	    "synced with; nothing was changed", remote, in->tip,
	    in->synced) < 0)
		return CT_ERROR;
	return ct_error_set(err, CT_EINVALID, "see what changed with git log "
	    "--stat %.12s..%.12s and git log --stat %.12s..%.12s; to accept "
	    "the rewrite, follow \"Rewritten history\" in store-sync(1)",
	    in->synced, in->tip, in->tip, in->synced);
}

int
ct_sync_take(ct_store *st, ct_sync_receipts *g, const char *ref,
    ct_verify_fn problem, ct_sync_warn_fn *warn, void *arg,
    char tip[CT_SYNC_HEXSZ + 1], ct_error *err)
{
	ct_incoming in;
	int rc;

	if ((rc = ct_incoming_check(st, g->remote, ref, problem, arg, &in,
	    err)) < 0)
		return rc;
	if (in.state != CT_INCOMING_OK)
		return refused(g->remote, &in, warn, arg, err);
	if ((rc = refuse_unheld(st, g->remote, in.tip, warn, arg, err)) < 0 ||
	    (rc = ct_sync_receipts_check(g, in.tip, warn, arg, err)) < 0)
		return rc;
	memcpy(tip, in.tip, CT_SYNC_HEXSZ + 1);
	return 0;
}

static int
any(const ct_checkpoint *cp, void *arg, ct_error *err)
{
	(void)cp;
	(void)err;
	*(bool *)arg = true;
	return 0;
}

int
ct_sync_has_checkpoints(ct_store *st, bool *some, ct_error *err)
{
	*some = false;
	return ct_checkpoint_each(st, CT_CHECKPOINT_REFS, any, some, err);
}

static void
put_side(ct_buf *b, const char *label, const ct_sync_side *s)
{
	ct_buf_printf(b, "  %s ", label);
	if (s->commit[0] == '\0')
		ct_buf_puts(b, "(no single commit)\n");
	else {
		ct_buf_printf(b, "%.12s ", s->commit);
		ct_text_safe(b, s->subject);
		ct_buf_puts(b, " (");
		ct_text_safe(b, s->author);
		ct_buf_puts(b, ")\n");
	}
	ct_text_safe_indent(b, "    ", s->changes);
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

void
ct_sync_conflicts_text(const ct_sync_result *res, ct_buf *b)
{
	const ct_sync_conflict *c;
	size_t i;

	for (i = 0; i < res->nconflicts; i++) {
		c = &res->conflicts[i];
		ct_buf_puts(b, "conflict: ");
		if (c->case_id != NULL) {
			ct_buf_puts(b, "case ");
			ct_text_safe(b, c->case_id);
			ct_buf_puts(b, ", record ");
			ct_text_safe(b, c->record);
			ct_buf_puts(b, " (");
			ct_text_safe(b, c->path);
			ct_buf_puts(b, ")\n");
		} else {
			ct_text_safe(b, c->path);
			ct_buf_puts(b, "\n");
		}
		put_side(b, "local ", &c->local);
		put_side(b, "remote", &c->remote);
	}
	for (i = 0; i < res->nskipped; i++) {
		ct_buf_printf(b, "set aside: %.12s ", res->skipped[i].commit);
		ct_text_safe(b, res->skipped[i].subject);
		ct_buf_puts(b, is_conflict_commit(res, res->skipped[i].commit) ?
		    " (conflicts)\n" : " (after a conflicting commit)\n");
	}
}
