/*
 * Receipts: the central repository's signed word of when it received a
 * push (receipt.h).
 *
 * The set of receipts is read once, sorted oldest first; the index of
 * the commits they cover is built on the first question, by walking each
 * receipt's old..new once (the commits of all pushes: the history, once)
 * and keeping, for each commit, the first receipt that covered it, in an
 * array sorted by commit id for binary search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/buf.h"
#include "casetrail/checkpoint.h"
#include "casetrail/kind.h"
#include "casetrail/receipt.h"
#include "casetrail/registry.h"
#include "casetrail/treediff.h"
#include "casetrail/util.h"
#include "casetrail/walk.h"

#define HEADER "casetrail receipt: main received at "

void
ct_receipt_policy_of(const ct_node *settings, ct_receipt_policy *p)
{
	const ct_node *r = ct_map_get(settings, "receipts");
	const ct_node *days = ct_map_get(r, "backdate_days");

	p->set = r != NULL && r->kind == CT_NODE_MAP;
	p->signer = ct_map_str(r, "signer");
	p->backdate_days = days != NULL && days->kind == CT_NODE_SCALAR &&
	    days->type == CT_SCALAR_INT ? (int)days->ival : CT_BACKDATE_DAYS;
}

ct_date
ct_receipt_day(const char *tz, long long t)
{
	ct_error err = { 0 };
	ct_date d = 0;

	if (ct_date_today(tz, (int64_t)t, &d, &err) < 0)
		d = 0;
	ct_error_clear(&err);
	return d;
}

bool
ct_event_date_of(const ct_diff_change *ch, ct_date *d)
{
	const char *p = ch->path;
	size_t n = strlen(p);
	ct_error err = { 0 };
	bool ok;

	if (ch->new == NULL || ch->new->kind != CT_NODE_SCALAR ||
	    ch->new->type != CT_SCALAR_STR || ch->new->str == NULL)
		return false;
	if (strcmp(p, "date") != 0 &&
	    (n < 5 || strcmp(p + n - 5, ".date") != 0))
		return false;
	ok = ct_date_parse(ch->new->str, d, &err) == 0;
	ct_error_clear(&err);
	return ok;
}

/* The settings and the operators registry at HEAD (either may be NULL
 * when absent or not valid). */
static int
head_docs(ct_store *st, const char *rev, ct_node **settings, ct_node **ops,
    ct_error *err)
{
	ct_snapshot *snap = NULL;
	int rc;

	*settings = *ops = NULL;
	if ((rc = ct_snapshot_open(st, rev, &snap, err)) < 0)
		return rc;
	if (ct_snapshot_load(snap, CT_SETTINGS_PATH, settings, err) < 0 ||
	    ct_snapshot_load(snap, CT_OPERATORS_PATH, ops, err) < 0)
		ct_error_clear(err);
	ct_snapshot_free(snap);
	return 0;
}

/* The e-mail of operator id in ops (copied), or NULL. */
static char *
email_of(const ct_node *ops, const char *id)
{
	const ct_node *op;

	if (id == NULL || (op = ct_registry_find(ops, "operators", "id",
	    id)) == NULL || ct_map_str(op, "email") == NULL)
		return NULL;
	return strdup(ct_map_str(op, "email"));
}

/* A value that goes on one line of the receipt. */
static bool
one_line(const char *s)
{
	return strpbrk(s, "\n\r") == NULL;
}

static bool
is_zero(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

/* The receipt's tag text, unsigned. */
static void
tag_text(ct_buf *b, const ct_ref_update *main_u, const ct_ref_update *u,
    size_t n, const char *name, const git_signature *sig, const char *pusher)
{
	char when[CT_STAMP_SIZE];
	size_t i;

	ct_utc_stamp((long long)sig->when.time, false, when);
	ct_buf_printf(b, "object %s\ntype commit\ntag %s\n"
	    "tagger %s <%s> %lld +0000\n\n", main_u->new_, name, sig->name,
	    sig->email, (long long)sig->when.time);
	ct_buf_printf(b, HEADER "%.10s %.8sZ\n\n", when, when + 11);
	ct_buf_printf(b, "Received: %s\nPusher: %s\n", when, pusher);
	for (i = 0; i < n; i++)
		ct_buf_printf(b, "Update: %s %s %s\n", u[i].old, u[i].new_,
		    u[i].ref);
}

/* "<email> (committer of main's new tip)": who pushed, when nothing
 * that authenticated the push says so, as the commit claims. */
static int
committer_of(git_repository *repo, const char *hex, char **who,
    ct_error *err)
{
	const git_signature *c;
	git_commit *commit = NULL;
	git_oid id;
	int rc = 0;

	*who = NULL;
	if (git_oid_fromstr(&id, hex) < 0 ||
	    git_commit_lookup(&commit, repo, &id) < 0)
		return ct_git_fail(err, "reading main's new tip");
	c = git_commit_committer(commit);
	if (c == NULL || c->email == NULL || !one_line(c->email) ||
	    asprintf(who, "%s (committer of main's new tip)", c->email) < 0) {
		*who = NULL;
		rc = ct_error_set(err, CT_EINVALID, "main's new tip has no "
		    "committer to name as the pusher");
	}
	git_commit_free(commit);
	return rc;
}

/* The central repository's identity, git config user.name and
 * user.email: the e-mail must be that of the operator the settings name
 * as receipts.signer. */
static int
signer_sig(ct_store *st, git_signature **sig, ct_error *err)
{
	ct_node *settings = NULL, *ops = NULL;
	ct_receipt_policy pol;
	char *want = NULL;
	int rc;

	*sig = NULL;
	if ((rc = head_docs(st, NULL, &settings, &ops, err)) < 0)
		goto out;
	ct_receipt_policy_of(settings, &pol);
	if (pol.signer == NULL) {
		rc = ct_error_set(err, CT_EINVALID, "%s names no "
		    "receipts.signer: name the operator whose key signs the "
		    "central repository's receipts", CT_SETTINGS_PATH);
		goto out;
	}
	if (git_signature_default(sig, ct_store_repo(st)) < 0) {
		*sig = NULL;
		rc = ct_git_fail(err, "the central repository's git config "
		    "user.name / user.email");
		goto out;
	}
	want = email_of(ops, pol.signer);
	if (want == NULL || strcmp(want, (*sig)->email) != 0) {
		rc = ct_error_set(err, CT_EINVALID, "receipts are signed by "
		    "the operator %s (%s receipts.signer)%s%s%s, but this "
		    "repository's git config user.email is <%s>", pol.signer,
		    CT_SETTINGS_PATH, want ? ", <" : ", who is not registered",
		    want ? want : "", want ? ">" : "", (*sig)->email);
		git_signature_free(*sig);
		*sig = NULL;
	}
out:
	free(want);
	ct_node_free(settings);
	ct_node_free(ops);
	return rc;
}

int
ct_receipt_create(ct_store *st, const ct_ref_update *u, size_t n,
    const char *pusher, char **ref, ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	const ct_ref_update *main_u = NULL;
	git_signature *sig = NULL;
	git_reference *r = NULL;
	git_odb *odb = NULL;
	ct_buf b = { 0 };
	git_oid tag;
	char *sigtext = NULL, *who = NULL, stamp[CT_STAMP_SIZE];
	size_t i;
	int rc;

	*ref = NULL;
	for (i = 0; i < n; i++)
		if (strcmp(u[i].ref, CT_BRANCH) == 0 && !is_zero(u[i].new_))
			main_u = &u[i];
	if (main_u == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (!one_line(u[i].ref) || !one_line(u[i].old) ||
		    !one_line(u[i].new_))
			return ct_error_set(err, CT_EINVALID, "a ref update is "
			    "not one line");
	if (pusher != NULL && !one_line(pusher))
		return ct_error_set(err, CT_EINVALID, "the pusher '%s' is not "
		    "one line", pusher);
	if (pusher == NULL && (rc = committer_of(repo, main_u->new_, &who,
	    err)) < 0)
		return rc;
	if ((rc = signer_sig(st, &sig, err)) < 0)
		goto out;
	ct_utc_stamp((long long)sig->when.time, true, stamp);
	if (asprintf(ref, "%s%s-%.12s", CT_RECEIPT_REFS, stamp,
	    main_u->new_) < 0) {
		*ref = NULL;
		rc = ct_nomem(err);
		goto out;
	}
	tag_text(&b, main_u, u, n, *ref + strlen("refs/"), sig,
	    pusher != NULL ? pusher : who);
	if (b.failed) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((rc = ct_store_sign_buffer(st, b.s, b.len, &sigtext, err)) < 0)
		goto out;
	if (sigtext != NULL)
		ct_buf_puts(&b, sigtext);
	if (b.failed) {
		rc = ct_nomem(err);
		goto out;
	}
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_write(&tag, odb, b.s, b.len, GIT_OBJECT_TAG) < 0 ||
	    git_reference_create(&r, repo, *ref, &tag, 0, "receipt") < 0)
		rc = ct_git_fail(err, *ref);
out:
	if (rc < 0) {
		free(*ref);
		*ref = NULL;
	}
	git_reference_free(r);
	git_odb_free(odb);
	ct_buf_free(&b);
	free(sigtext);
	free(who);
	git_signature_free(sig);
	return rc;
}

/* The ref updates of a push, "old new ref" lines; u points into the
 * lines, kept in line[]. */
struct updates {
	ct_ref_update *u;
	char **line;
	size_t n;
};

static int
read_updates(FILE *in, struct updates *up, ct_error *err)
{
	char *line = NULL, *save = NULL, **lv;
	ct_ref_update *u, *uv;
	size_t cap = 0;

	while (getline(&line, &cap, in) > 0) {
		if ((uv = realloc(up->u, (up->n + 1) * sizeof(*uv))) != NULL)
			up->u = uv;
		if ((lv = realloc(up->line, (up->n + 1) * sizeof(*lv))) !=
		    NULL)
			up->line = lv;
		if (uv == NULL || lv == NULL) {
			free(line);
			return ct_error_set(err, CT_ERROR, "out of memory");
		}
		up->line[up->n] = line;
		u = &up->u[up->n++];
		u->old = strtok_r(line, " \n", &save);
		u->new_ = strtok_r(NULL, " \n", &save);
		u->ref = strtok_r(NULL, " \n", &save);
		if (u->ref == NULL || strtok_r(NULL, " \n", &save) != NULL)
			return ct_error_set(err, CT_EINVALID, "--post-receive: "
			    "expected \"old new ref\" lines");
		line = NULL;
		cap = 0;
	}
	free(line);
	return 0;
}

int
ct_receipt_hook(ct_store *st, FILE *in, const char *env, char **ref,
    bool *read, ct_error *err)
{
	struct updates up = { 0 };
	char *pusher = NULL;
	size_t i;
	int rc;

	*ref = NULL;
	*read = false;
	if ((rc = read_updates(in, &up, err)) < 0)
		goto out;
	*read = true;
	if (env != NULL && *env != '\0' &&
	    asprintf(&pusher, "%s (CASETRAIL_PUSHER)", env) < 0) {
		pusher = NULL;
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	rc = ct_receipt_create(st, up.u, up.n, pusher, ref, err);
out:
	for (i = 0; i < up.n; i++)
		free(up.line[i]);
	free(up.line);
	free(up.u);
	free(pusher);
	return rc;
}

/* What a receipt's index keeps: a commit and the receipt covering it. */
struct covered {
	git_oid id;
	size_t receipt;
};

struct ct_receipts {
	git_repository *repo;
	ct_receipt *v;
	git_tag **tags;        /* the strings of v point into these */
	char **refs;
	size_t n;
	ct_receipt_policy pol;
	ct_node *settings;
	char *signer_email;    /* NULL when no signer is named */
	bool indexed;
	struct covered *cov;
	size_t ncov;
	char *held_tip;        /* the history held[] is of, hex */
	git_oid *held;         /* its commits, sorted */
	size_t nheld;
};

size_t
ct_receipts_count(const ct_receipts *rs)
{
	return rs->n;
}

const ct_receipt *
ct_receipts_get(const ct_receipts *rs, size_t i)
{
	return &rs->v[i];
}

const ct_receipt_policy *
ct_receipts_policy(const ct_receipts *rs)
{
	return &rs->pol;
}


/* The main update of msg: old and new hex of "Update: old new main". */
static bool
main_update(const char *msg, char old[41], char new_[41])
{
	const char *p = msg;
	char o[41], nw[41], ref[64];

	while ((p = strstr(p, "\nUpdate: ")) != NULL) {
		p++;
		if (sscanf(p, "Update: %40s %40s %63s", o, nw, ref) == 3 &&
		    strcmp(ref, CT_BRANCH) == 0) {
			memcpy(old, o, 41);
			memcpy(new_, nw, 41);
			return true;
		}
	}
	return false;
}

/* Read the receipt at ref into r; a tag that is no receipt keeps commit
 * "" (the checks say so). */
static void
read_one(ct_receipts *rs, const char *ref, git_tag **tg, ct_receipt *r)
{
	const git_signature *who;
	const char *msg;
	char old[41], new_[41];
	git_oid id;

	memset(r, 0, sizeof(*r));
	r->ref = ref;
	*tg = NULL;
	if (git_reference_name_to_id(&id, rs->repo, ref) < 0)
		return;
	git_oid_tostr(r->tag, sizeof(r->tag), &id);
	if (git_tag_lookup(tg, rs->repo, &id) < 0 ||
	    git_tag_target_type(*tg) != GIT_OBJECT_COMMIT ||
	    (msg = git_tag_message(*tg)) == NULL ||
	    strncmp(msg, HEADER, strlen(HEADER)) != 0 ||
	    !main_update(msg, old, new_) ||
	    (who = git_tag_tagger(*tg)) == NULL)
		return;
	git_oid_tostr(r->commit, sizeof(r->commit), git_tag_target_id(*tg));
	if (strcmp(new_, r->commit) != 0) {
		r->commit[0] = '\0';
		return;
	}
	if (!is_zero(old))
		memcpy(r->old, old, sizeof(r->old));
	r->by = who->email;
	r->when = (long long)who->when.time;
	r->is_signed = strstr(msg, "-----BEGIN ") != NULL;
}

struct held {
	ct_receipt r;
	git_tag *tg;
	char *ref;
};

static int
by_when(const void *a, const void *b)
{
	const ct_receipt *x = &((const struct held *)a)->r;
	const ct_receipt *y = &((const struct held *)b)->r;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return strcmp(x->tag, y->tag);
}

static int
list_refs(ct_receipts *rs, ct_names *ns, ct_error *err)
{
	if (git_reference_foreach_glob(rs->repo, CT_RECEIPT_REFS "*",
	    ct_ref_collect, ns) < 0 ||
	    git_reference_foreach_glob(rs->repo, "refs/remotes/*/receipts/*",
	    ct_ref_collect, ns) < 0)
		return ct_git_fail(err, "listing receipts");
	return 0;
}

int
ct_receipts_open(ct_store *st, const char *rev, ct_receipts **out,
    ct_error *err)
{
	ct_names ns = { 0 };
	struct held *h = NULL;
	ct_receipts *rs;
	ct_node *ops = NULL;
	size_t i;
	int rc;

	*out = NULL;
	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return ct_nomem(err);
	rs->repo = ct_store_repo(st);
	if ((rc = head_docs(st, rev, &rs->settings, &ops, err)) < 0 ||
	    (rc = list_refs(rs, &ns, err)) < 0)
		goto out;
	ct_receipt_policy_of(rs->settings, &rs->pol);
	rs->signer_email = email_of(ops, rs->pol.signer);
	if (ns.n > 0 && ((h = calloc(ns.n, sizeof(*h))) == NULL ||
	    (rs->v = calloc(ns.n, sizeof(*rs->v))) == NULL ||
	    (rs->tags = calloc(ns.n, sizeof(*rs->tags))) == NULL ||
	    (rs->refs = calloc(ns.n, sizeof(*rs->refs))) == NULL)) {
		rc = ct_nomem(err);
		goto out;
	}
	for (i = 0; i < ns.n; i++) {
		h[i].ref = ns.v[i];
		ns.v[i] = NULL;
		read_one(rs, h[i].ref, &h[i].tg, &h[i].r);
	}
	if (ns.n > 1)
		qsort(h, ns.n, sizeof(*h), by_when);
	/* one of each tag (a clone may hold one under several remotes):
	 * sorted by time, then tag, copies are neighbours */
	for (i = 0; i < ns.n; i++) {
		if (rs->n > 0 && h[i].r.tag[0] != '\0' &&
		    strcmp(rs->v[rs->n - 1].tag, h[i].r.tag) == 0) {
			git_tag_free(h[i].tg);
			free(h[i].ref);
			continue;
		}
		rs->v[rs->n] = h[i].r;
		rs->tags[rs->n] = h[i].tg;
		rs->refs[rs->n] = h[i].ref;
		rs->v[rs->n].ref = h[i].ref;
		rs->n++;
	}
	*out = rs;
	rs = NULL;
out:
	free(h);
	ct_names_clear(&ns);
	ct_node_free(ops);
	ct_receipts_free(rs);
	return rc;
}

void
ct_receipts_free(ct_receipts *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		git_tag_free(rs->tags[i]);
		free(rs->refs[i]);
	}
	free(rs->tags);
	free(rs->refs);
	free(rs->v);
	free(rs->cov);
	free(rs->held_tip);
	free(rs->held);
	free(rs->signer_email);
	ct_node_free(rs->settings);
	free(rs);
}

/* A receipt that counts: a receipt, by the signer. */
static bool
counts(const ct_receipts *rs, const ct_receipt *r)
{
	return r->commit[0] != '\0' && rs->signer_email != NULL &&
	    r->by != NULL && strcmp(r->by, rs->signer_email) == 0;
}

static int
by_oid_only(const void *a, const void *b)
{
	const struct covered *x = a, *y = b;

	return git_oid_cmp(&x->id, &y->id);
}

static int
by_oid(const void *a, const void *b)
{
	const struct covered *x = a, *y = b;
	int c = git_oid_cmp(&x->id, &y->id);

	if (c != 0)
		return c;
	return x->receipt < y->receipt ? -1 : x->receipt > y->receipt;
}

/* Add the commits old..new of receipt i to the index. */
static int
cover(ct_receipts *rs, size_t i, size_t *cap, ct_error *err)
{
	const ct_receipt *r = &rs->v[i];
	git_revwalk *walk = NULL;
	struct covered *grown;
	git_oid id, tip, old;
	int rc = 0, grc;

	if (git_oid_fromstr(&tip, r->commit) < 0)
		return 0;
	if (git_revwalk_new(&walk, rs->repo) < 0)
		return ct_git_fail(err, "walking a receipt's commits");
	if (git_revwalk_push(walk, &tip) < 0) {
		git_revwalk_free(walk);
		return 0;  /* a commit this clone lacks: it covers nothing */
	}
	if (r->old[0] != '\0' && git_oid_fromstr(&old, r->old) == 0)
		(void)git_revwalk_hide(walk, &old);
	while ((grc = git_revwalk_next(&id, walk)) == 0) {
		if (rs->ncov == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			if ((grown = realloc(rs->cov, *cap *
			    sizeof(*grown))) == NULL) {
				rc = ct_nomem(err);
				break;
			}
			rs->cov = grown;
		}
		git_oid_cpy(&rs->cov[rs->ncov].id, &id);
		rs->cov[rs->ncov++].receipt = i;
	}
	if (rc == 0 && grc != GIT_ITEROVER)
		rc = ct_git_fail(err, "walking a receipt's commits");
	git_revwalk_free(walk);
	return rc;
}

static int
build_index(ct_receipts *rs, ct_error *err)
{
	size_t i, j, cap = 0;
	int rc = 0;

	for (i = 0; rc == 0 && i < rs->n; i++)
		if (counts(rs, &rs->v[i]))
			rc = cover(rs, i, &cap, err);
	if (rc < 0)
		return rc;
	if (rs->ncov > 1)
		qsort(rs->cov, rs->ncov, sizeof(*rs->cov), by_oid);
	/* keep the first receipt (the oldest) of each commit */
	for (i = j = 0; i < rs->ncov; i++)
		if (j == 0 || !git_oid_equal(&rs->cov[j - 1].id,
		    &rs->cov[i].id))
			rs->cov[j++] = rs->cov[i];
	rs->ncov = j;
	rs->indexed = true;
	return 0;
}

int
ct_receipts_covering(ct_receipts *rs, const char *commit,
    const ct_receipt **r, ct_error *err)
{
	struct covered key, *found;
	int rc;

	*r = NULL;
	if (!rs->indexed && (rc = build_index(rs, err)) < 0)
		return rc;
	if (rs->ncov == 0 || git_oid_fromstr(&key.id, commit) < 0)
		return 0;
	key.receipt = 0;
	found = bsearch(&key, rs->cov, rs->ncov, sizeof(*rs->cov),
	    by_oid_only);
	if (found != NULL)
		*r = &rs->v[found->receipt];
	return 0;
}

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* The commits of the history of rev, sorted, kept in rs for the next
 * receipt (one walk, not one search per receipt). */
static int
history_of(ct_receipts *rs, const char *rev, ct_error *err)
{
	git_object *obj = NULL;
	git_revwalk *walk = NULL;
	git_oid id, *grown;
	char hex[GIT_OID_HEXSZ + 1];
	size_t cap = 0;
	int rc = 0, grc;

	if (git_revparse_single(&obj, rs->repo, rev) < 0)
		return ct_error_set(err, CT_ENOTFOUND, "unknown revision '%s'",
		    rev);
	git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
	if (rs->held_tip != NULL && strcmp(rs->held_tip, hex) == 0) {
		git_object_free(obj);
		return 0;
	}
	free(rs->held_tip);
	free(rs->held);
	rs->held = NULL;
	rs->nheld = 0;
	if ((rs->held_tip = strdup(hex)) == NULL) {
		git_object_free(obj);
		return ct_nomem(err);
	}
	if (git_revwalk_new(&walk, rs->repo) < 0 ||
	    git_revwalk_push(walk, git_object_id(obj)) < 0)
		rc = ct_git_fail(err, "walking the history");
	while (rc == 0 && (grc = git_revwalk_next(&id, walk)) == 0) {
		if (rs->nheld == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((grown = realloc(rs->held, cap *
			    sizeof(*grown))) == NULL) {
				rc = ct_nomem(err);
				break;
			}
			rs->held = grown;
		}
		git_oid_cpy(&rs->held[rs->nheld++], &id);
	}
	if (rc == 0 && grc != GIT_ITEROVER)
		rc = ct_git_fail(err, "walking the history");
	if (rc == 0 && rs->nheld > 1)
		qsort(rs->held, rs->nheld, sizeof(*rs->held), oid_cmp);
	else {
		free(rs->held_tip);
		rs->held_tip = NULL;
	}
	git_revwalk_free(walk);
	git_object_free(obj);
	return rc;
}

int
ct_receipt_verify(ct_store *st, ct_receipts *rs, const ct_receipt *r,
    const char *tip, const char **rule, ct_error *err)
{
	git_oid c;
	int rc;

	*rule = NULL;
	if (r->commit[0] == '\0') {
		*rule = "receipt-bad";
		return ct_error_set(err, CT_EINVALID, "not a receipt: a tag of "
		    "main's new tip whose message says what the push "
		    "updated");
	}
	if (rs->signer_email == NULL || r->by == NULL ||
	    strcmp(r->by, rs->signer_email) != 0) {
		*rule = "receipt-signer";
		return rs->pol.signer == NULL ? ct_error_set(err, CT_EINVALID,
		    "the receipt is <%s>'s, but %s names no receipts.signer",
		    r->by ? r->by : "?", CT_SETTINGS_PATH) :
		    ct_error_set(err, CT_EINVALID, "the receipt is <%s>'s, not "
		    "the receipts signer %s's%s%s%s", r->by ? r->by : "?",
		    rs->pol.signer, rs->signer_email ? " <" : "",
		    rs->signer_email ? rs->signer_email : "",
		    rs->signer_email ? ">" : "");
	}
	if ((rc = ct_tag_verify_sig(st, r->tag, r->by, r->is_signed,
	    "receipt", err)) < 0) {
		if (rc == CT_EINVALID)
			*rule = "receipt-signature";
		return rc;
	}
	if ((rc = history_of(rs, tip != NULL ? tip : CT_BRANCH, err)) < 0)
		return rc;
	if (git_oid_fromstr(&c, r->commit) < 0 || rs->nheld == 0 ||
	    bsearch(&c, rs->held, rs->nheld, sizeof(*rs->held),
	    oid_cmp) == NULL) {
		*rule = "receipt-rewritten";
		return ct_error_set(err, CT_EINVALID, "the receipt says main "
		    "was received at %s, which the history of %.12s does "
		    "not hold: the history was rewritten after it", r->commit,
		    tip != NULL ? tip : "main");
	}
	return 0;
}

int
ct_receipt_drop(ct_store *st, const char *ref, const char *keep,
    ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	git_reference *r = NULL;
	git_oid id;
	int rc = 0;

	if (strncmp(ref, "refs/remotes/", strlen("refs/remotes/")) != 0 ||
	    strstr(ref, "/receipts/") == NULL)
		return ct_error_set(err, CT_EINVALID, "%s: not a fetched "
		    "receipt", ref);
	if (keep != NULL) {
		if (git_oid_fromstr(&id, keep) < 0 ||
		    git_reference_create(&r, repo, ref, &id, 1,
		    "receipt kept as first fetched") < 0)
			rc = ct_git_fail(err, ref);
	} else if (git_reference_lookup(&r, repo, ref) < 0 ||
	    git_reference_delete(r) < 0)
		rc = ct_git_fail(err, ref);
	git_reference_free(r);
	return rc;
}

static int
by_date(const void *a, const void *b)
{
	const ct_recorded *x = a, *y = b;

	return x->date < y->date ? -1 : x->date > y->date;
}

/* Note that date was recorded at when in case c: the earliest is kept. */
static int
note_recorded(ct_case_recorded *c, ct_date date, long long when,
    bool received, ct_error *err)
{
	ct_recorded *grown;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].date == date) {
			if (when < c->v[i].when) {
				c->v[i].when = when;
				c->v[i].received = received;
			}
			return 0;
		}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		if ((grown = realloc(c->v, c->cap * sizeof(*grown))) == NULL)
			return ct_nomem(err);
		c->v = grown;
	}
	c->v[c->n++] = (ct_recorded){ date, when, received };
	return 0;
}

struct recording {
	ct_receipts *rs;
	git_repository *repo;
	ct_case_recorded *cases;
	size_t ncases;
	const ct_walk_step *step;
	bool have_when;
	long long when;
	bool received;
};

/* The record at blob id, parsed; NULL when absent or not YAML. */
static ct_node *
parse_blob(git_repository *repo, const git_oid *id, const char *path)
{
	ct_error err = { 0 };
	git_blob *b = NULL;
	ct_node *doc = NULL;

	if (git_oid_is_zero(id) || git_blob_lookup(&b, repo, id) < 0)
		return NULL;
	if (ct_yaml_load(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
	    path, &doc, &err) < 0)
		doc = NULL;
	ct_error_clear(&err);
	git_blob_free(b);
	return doc;
}

static int
case_cmp(const void *key, const void *elem)
{
	const char *const *k = key;
	const ct_case_recorded *c = elem;

	return strcmp(*k, c->case_id);
}

static int
recorded_fn(const ct_tree_change *d, void *arg, ct_error *err)
{
	struct recording *rec = arg;
	const ct_receipt *r = NULL;
	ct_case_recorded *c;
	ct_node *old, *new_;
	ct_diff df = { 0 };
	const char *id;
	char *idz;
	ct_date date;
	size_t len, i;
	int rc = 0;

	if (d->status == GIT_DELTA_DELETED)
		return 0;
	(void)ct_kind_place(d->path, NULL, &id, &len);
	if (id == NULL)
		return 0;
	if ((idz = strndup(id, len)) == NULL)
		return ct_nomem(err);
	c = bsearch(&idz, rec->cases, rec->ncases, sizeof(*rec->cases),
	    case_cmp);
	free(idz);
	if (c == NULL)
		return 0;
	old = parse_blob(rec->repo, &d->old_id, d->path);
	new_ = parse_blob(rec->repo, &d->new_id, d->path);
	if (new_ != NULL && (rc = ct_diff_trees(old, new_, &df, err)) == 0)
		for (i = 0; rc == 0 && i < df.n; i++) {
			if (!ct_event_date_of(&df.v[i], &date))
				continue;
			if (!rec->have_when) {
				if ((rc = ct_receipts_covering(rec->rs,
				    rec->step->id, &r, err)) < 0)
					break;
				rec->received = r != NULL;
				rec->when = r != NULL ? r->when : (long long)
				    git_commit_time(rec->step->commit);
				rec->have_when = true;
			}
			rc = note_recorded(c, date, rec->when, rec->received,
			    err);
		}
	ct_diff_clear(&df);
	ct_node_free(old);
	ct_node_free(new_);
	return rc;
}

int
ct_receipt_recorded(ct_store *st, ct_receipts *rs, ct_case_recorded *cases,
    size_t n, ct_error *err)
{
	struct recording rec = { rs, ct_store_repo(st), cases, n, NULL,
	    false, 0, false };
	ct_walk *walk = NULL;
	git_oid tip;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = git_reference_name_to_id(&tip, rec.repo, CT_BRANCH)) < 0)
		return rc == GIT_ENOTFOUND ? 0 : ct_git_fail(err, CT_BRANCH);
	if ((rc = ct_walk_open(rec.repo, &tip, NULL, CT_WALK_NO_MERGES, &walk,
	    err)) < 0)
		return rc;
	while ((rc = ct_walk_next(walk, &rec.step, err)) > 0) {
		rec.have_when = false;
		if ((rc = ct_tree_diff(rec.repo, rec.step->ptree,
		    rec.step->tree, recorded_fn, &rec, err)) != 0)
			break;
	}
	ct_walk_free(walk);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (cases[i].n > 1)
			qsort(cases[i].v, cases[i].n, sizeof(*cases[i].v),
			    by_date);
	return 0;
}
