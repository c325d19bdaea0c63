/*
 * Checkpoints: signed statements of where main was (checkpoint.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "casetrail/buf.h"
#include "casetrail/checkpoint.h"
#include "casetrail/registry.h"
#include "casetrail/util.h"

/* The writer's operator id at HEAD, by git config user.email. */
static int
writer_id(ct_store *st, const git_signature *sig, char **id, ct_error *err)
{
	ct_snapshot *snap = NULL;
	ct_node *ops = NULL;
	const ct_node *op;
	int rc;

	*id = NULL;
	if ((rc = ct_snapshot_open(st, NULL, &snap, err)) < 0 ||
	    (rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops, err)) < 0)
		goto out;
	op = ct_registry_find(ops, "operators", "email", sig->email);
	if (op == NULL || !ct_operator_active(op) ||
	    ct_map_str(op, "id") == NULL)
		rc = ct_error_set(err, CT_EINVALID, "a checkpoint is made by a "
		    "registered operator; <%s> (git config user.email) is "
		    "none", sig->email);
	else if ((*id = strdup(ct_map_str(op, "id"))) == NULL)
		rc = ct_nomem(err);
out:
	ct_node_free(ops);
	ct_snapshot_free(snap);
	return rc;
}

/* The tag object's text, unsigned: header, then the message. */
static void
tag_text(ct_buf *b, const char *hex, const char *name,
    const git_signature *sig, const char *note)
{
	time_t t = (time_t)sig->when.time;
	struct tm tm;
	char when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm);
	ct_buf_printf(b, "object %s\ntype commit\ntag %s\n"
	    "tagger %s <%s> %lld +0000\n\n", hex, name, sig->name, sig->email,
	    (long long)sig->when.time);
	ct_buf_printf(b, "casetrail checkpoint: main at %s on %s\n", hex, when);
	if (note != NULL)
		ct_buf_printf(b, "\n%s\n", note);
}

static int
write_tag(ct_store *st, ct_buf *b, git_oid *out, ct_error *err)
{
	git_odb *odb = NULL;
	char *sig = NULL;
	int rc;

	if ((rc = ct_store_sign_buffer(st, b->s, b->len, &sig, err)) < 0)
		return rc;
	if (sig != NULL)
		ct_buf_puts(b, sig);
	free(sig);
	if (b->failed)
		return ct_nomem(err);
	if (git_repository_odb(&odb, ct_store_repo(st)) < 0 ||
	    git_odb_write(out, odb, b->s, b->len, GIT_OBJECT_TAG) < 0)
		rc = ct_git_fail(err, "writing the checkpoint");
	git_odb_free(odb);
	return rc;
}

int
ct_checkpoint_create(ct_store *st, const char *note, char **ref,
    char commit[41], ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	git_signature *sig = NULL;
	git_reference *r = NULL;
	git_oid tip, tag;
	ct_buf b = { 0 };
	char *id = NULL, stamp[CT_STAMP_SIZE];
	int rc;

	*ref = NULL;
	if (git_reference_name_to_id(&tip, repo, CT_BRANCH) < 0)
		return ct_error_set(err, CT_ENOTFOUND, "%s has no commit",
		    CT_BRANCH);
	git_oid_tostr(commit, 41, &tip);
	if (git_signature_default(&sig, repo) < 0)
		return ct_git_fail(err, "git config user.name / user.email");
	if ((rc = writer_id(st, sig, &id, err)) < 0)
		goto out;
	ct_utc_stamp((long long)sig->when.time, true, stamp);
	if (asprintf(ref, "%s%s/%s", CT_CHECKPOINT_REFS, id, stamp) < 0) {
		*ref = NULL;
		rc = ct_nomem(err);
		goto out;
	}
	tag_text(&b, commit, *ref + strlen("refs/"), sig, note);
	if ((rc = write_tag(st, &b, &tag, err)) < 0)
		goto out;
	if (git_reference_create(&r, repo, *ref, &tag, 0,
	    "store-checkpoint") < 0)
		rc = git_error_last() != NULL && git_reference_lookup(&r, repo,
		    *ref) == 0 ? ct_error_set(err, CT_EEXISTS, "%s exists "
		    "already: one checkpoint a second", *ref) :
		    ct_git_fail(err, *ref);
out:
	if (rc < 0) {
		free(*ref);
		*ref = NULL;
	}
	git_reference_free(r);
	ct_buf_free(&b);
	git_signature_free(sig);
	free(id);
	return rc;
}

int
ct_ref_collect(const char *name, void *arg)
{
	ct_names *ns = arg;
	char **grown = realloc(ns->v, (ns->n + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	ns->v = grown;
	if ((ns->v[ns->n] = strdup(name)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

void
ct_names_clear(ct_names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

/* Read the checkpoint at ref into cp (by and ref borrowed from tg). */
static void
read_one(git_repository *repo, const char *ref, git_tag **tg,
    ct_checkpoint *cp)
{
	const git_signature *who;
	git_oid id;

	memset(cp, 0, sizeof(*cp));
	cp->ref = ref;
	*tg = NULL;
	if (git_reference_name_to_id(&id, repo, ref) < 0 ||
	    git_tag_lookup(tg, repo, &id) < 0 ||
	    git_tag_target_type(*tg) != GIT_OBJECT_COMMIT)
		return;
	git_oid_tostr(cp->commit, sizeof(cp->commit), git_tag_target_id(*tg));
	if ((who = git_tag_tagger(*tg)) != NULL) {
		cp->by = who->email;
		cp->when = (long long)who->when.time;
	}
	cp->is_signed = git_tag_message(*tg) != NULL &&
	    strstr(git_tag_message(*tg), "-----BEGIN ") != NULL;
}

struct held {
	ct_checkpoint cp;
	git_tag *tg;
};

/* Oldest first; of one second, by ref name. */
static int
by_when(const void *a, const void *b)
{
	const ct_checkpoint *x = &((const struct held *)a)->cp;
	const ct_checkpoint *y = &((const struct held *)b)->cp;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

int
ct_checkpoint_each(ct_store *st, const char *prefix, ct_checkpoint_fn fn,
    void *arg, ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	ct_names ns = { 0 };
	struct held *h = NULL;
	char *glob = NULL;
	size_t i;
	int rc = 0;

	if (asprintf(&glob, "%s*", prefix) < 0)
		return ct_nomem(err);
	if (git_reference_foreach_glob(repo, glob, ct_ref_collect, &ns) < 0)
		rc = ct_git_fail(err, "listing checkpoints");
	free(glob);
	if (rc == 0 && ns.n > 0 && (h = calloc(ns.n, sizeof(*h))) == NULL)
		rc = ct_nomem(err);
	for (i = 0; rc == 0 && i < ns.n; i++)
		read_one(repo, ns.v[i], &h[i].tg, &h[i].cp);
	if (rc == 0 && ns.n > 1)
		qsort(h, ns.n, sizeof(*h), by_when);
	for (i = 0; rc == 0 && i < ns.n; i++)
		rc = fn(&h[i].cp, arg, err);
	for (i = 0; h != NULL && i < ns.n; i++)
		git_tag_free(h[i].tg);
	free(h);
	ct_names_clear(&ns);
	return rc;
}

int
ct_checkpoint_held(ct_store *st, const char *tip, const ct_checkpoint *cp,
    bool *held, ct_error *err)
{
	git_oid a, b;
	int r;

	(void)err;
	*held = false;
	if (cp->commit[0] == '\0' || git_oid_fromstr(&a, tip) < 0 ||
	    git_oid_fromstr(&b, cp->commit) < 0)
		return 0;
	if (git_oid_equal(&a, &b)) {
		*held = true;
		return 0;
	}
	r = git_graph_descendant_of(ct_store_repo(st), &a, &b);
	*held = r == 1;
	return 0;
}

/* The e-mail of the active operator id[0..n) at HEAD, or *email NULL. */
static int
operator_email(ct_store *st, const char *id, size_t n, char **email,
    ct_error *err)
{
	ct_snapshot *snap = NULL;
	ct_node *ops = NULL;
	const ct_node *list, *op;
	const char *oid;
	size_t i;
	int rc;

	*email = NULL;
	if ((rc = ct_snapshot_open(st, NULL, &snap, err)) < 0 ||
	    (rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops, err)) < 0)
		goto out;
	list = ct_map_get(ops, "operators");
	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n;
	    i++) {
		op = list->items[i];
		oid = ct_map_str(op, "id");
		if (oid != NULL && strlen(oid) == n && strncmp(oid, id, n) == 0 &&
		    ct_operator_active(op) && ct_map_str(op, "email") != NULL &&
		    (*email = strdup(ct_map_str(op, "email"))) == NULL)
			rc = ct_nomem(err);
	}
out:
	ct_node_free(ops);
	ct_snapshot_free(snap);
	return rc;
}

/* The registered key of the operator with e-mail, at HEAD. */
static int
keys_of(ct_store *st, ct_sign_format f, const char *email, char **keys,
    size_t *len, ct_error *err)
{
	ct_snapshot *snap = NULL;
	ct_node *ops = NULL;
	const ct_node *op;
	char *path = NULL;
	int rc;

	*keys = NULL;
	if ((rc = ct_snapshot_open(st, NULL, &snap, err)) < 0)
		return rc;
	if (f == CT_SIGN_SSH)
		rc = ct_snapshot_read(snap, CT_ALLOWED_SIGNERS_PATH, keys, len,
		    err);
	else if ((rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops,
	    err)) == 0) {
		op = ct_registry_find(ops, "operators", "email", email);
		if (op == NULL || asprintf(&path, "%s/%s.asc",
		    CT_OPENPGP_KEYS_DIR, ct_map_str(op, "id")) < 0)
			rc = ct_error_set(err, CT_EINVALID, "<%s> is not a "
			    "registered operator", email);
		else
			rc = ct_snapshot_read(snap, path, keys, len, err);
	}
	free(path);
	ct_node_free(ops);
	ct_snapshot_free(snap);
	return rc;
}

/* The signature of the tag id of repo by the operator with e-mail by. */
static int
verify_sig_in(ct_store *st, git_repository *repo, const git_oid *id,
    const char *by, bool is_signed, const char *what, ct_error *err)
{
	ct_sign_format f = ct_store_sign_format(st);
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	const char *data, *sig;
	char *copy = NULL, *keys = NULL;
	size_t len, keyslen = 0;
	int rc = 0;

	if (f == CT_SIGN_NONE && !is_signed)
		return 0;
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read(&obj, odb, id) < 0) {
		rc = ct_error_set(err, CT_ERROR, "reading the %s: %s", what,
		    git_error_last() ? git_error_last()->message : "?");
		goto out;
	}
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	if ((copy = strndup(data, len)) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	if ((sig = strstr(copy, "-----BEGIN ")) == NULL) {
		rc = ct_error_set(err, CT_EINVALID, "the %s is not signed, "
		    "but the store requires %s signatures", what,
		    ct_sign_format_name(f));
		goto out;
	}
	if ((rc = keys_of(st, f, by != NULL ? by : "", &keys, &keyslen,
	    err)) == 0)
		rc = ct_sign_verify(f, keys, keyslen, by, ct_store_gitdir(st),
		    copy, (size_t)(sig - copy), sig, err);
out:
	free(keys);
	free(copy);
	git_odb_object_free(obj);
	git_odb_free(odb);
	return rc;
}

int
ct_checkpoint_verify_sig(ct_store *st, const ct_checkpoint *cp,
    ct_error *err)
{
	git_oid id;

	if (git_reference_name_to_id(&id, ct_store_repo(st), cp->ref) < 0)
		return ct_git_fail(err, cp->ref);
	return verify_sig_in(st, ct_store_repo(st), &id, cp->by,
	    cp->is_signed, "checkpoint", err);
}

int
ct_tag_verify_sig(ct_store *st, const char *tag, const char *by,
    bool is_signed, const char *what, ct_error *err)
{
	git_oid id;

	if (git_oid_fromstr(&id, tag) < 0)
		return ct_error_set(err, CT_EINVALID, "'%s' is not a tag id",
		    tag);
	return verify_sig_in(st, ct_store_repo(st), &id, by, is_signed, what,
	    err);
}

int
ct_checkpoint_check_new(ct_store *st, git_repository *repo, const char *ref,
    const char *newhex, ct_error *err)
{
	const char *op = ref + strlen(CT_CHECKPOINT_REFS), *slash;
	const git_signature *who;
	git_tag *tg = NULL;
	git_oid id, mainid;
	char *want = NULL;
	int rc = 0;

	slash = strchr(op, '/');
	if (strncmp(ref, CT_CHECKPOINT_REFS, strlen(CT_CHECKPOINT_REFS)) != 0 ||
	    slash == NULL || strchr(slash + 1, '/') != NULL ||
	    git_oid_fromstr(&id, newhex) < 0 ||
	    git_tag_lookup(&tg, repo, &id) < 0 ||
	    git_tag_target_type(tg) != GIT_OBJECT_COMMIT ||
	    (who = git_tag_tagger(tg)) == NULL) {
		rc = ct_error_set(err, CT_EINVALID, "not a checkpoint: "
		    "refs/checkpoints/<operator>/<time> names a tag of a "
		    "commit");
		goto out;
	}
	if ((rc = operator_email(st, op, (size_t)(slash - op), &want,
	    err)) < 0)
		goto out;
	if (want == NULL || strcmp(want, who->email) != 0)
		rc = ct_error_set(err, CT_EINVALID, "the checkpoint is <%s>'s, "
		    "but its ref names the operator %.*s", who->email,
		    (int)(slash - op), op);
	else if (git_reference_name_to_id(&mainid, repo, CT_BRANCH) < 0 ||
	    (!git_oid_equal(&mainid, git_tag_target_id(tg)) &&
	    git_graph_descendant_of(repo, &mainid,
	    git_tag_target_id(tg)) != 1))
		rc = ct_error_set(err, CT_EINVALID, "the checkpoint names "
		    "a commit %s does not hold", CT_BRANCH);
	else
		rc = verify_sig_in(st, repo, &id, who->email,
		    strstr(git_tag_message(tg), "-----BEGIN ") != NULL,
		    "checkpoint", err);
out:
	free(want);
	git_tag_free(tg);
	return rc;
}

struct check {
	ct_store *st;
	const char *tip;
	ct_checkpoint_problem_fn fn;
	void *arg;
	size_t problems;
};

static int
check_one(const ct_checkpoint *cp, void *arg, ct_error *err)
{
	struct check *c = arg;
	ct_error why = { 0 };
	char *what = NULL;
	const char *rule = NULL;
	bool held;
	int rc;

	if (cp->commit[0] == '\0') {
		rule = "checkpoint-bad";
		what = strdup("not a checkpoint: no tag of a commit");
	} else if ((rc = ct_checkpoint_held(c->st, c->tip, cp, &held,
	    err)) < 0)
		return rc;
	else if (!held) {
		rule = "checkpoint-rewritten";
		if (asprintf(&what, "the checkpoint by <%s> says main was at "
		    "%s, which the history of %.12s does not hold: the "
		    "history was rewritten after it", cp->by ? cp->by : "?",
		    cp->commit, c->tip) < 0)
			what = NULL;
	} else if (ct_checkpoint_verify_sig(c->st, cp, &why) < 0) {
		rule = "checkpoint-signature";
		what = strdup(ct_error_msg(&why));
		ct_error_clear(&why);
	}
	if (rule == NULL)
		return 0;
	if (what == NULL)
		return ct_nomem(err);
	c->problems++;
	rc = c->fn(cp, rule, what, c->arg, err);
	free(what);
	return rc;
}

int
ct_checkpoint_check(ct_store *st, const char *tip,
    ct_checkpoint_problem_fn fn, void *arg, size_t *problems, ct_error *err)
{
	struct check c = { st, tip, fn, arg, 0 };
	int rc;

	if ((rc = ct_checkpoint_each(st, CT_CHECKPOINT_REFS, check_one, &c,
	    err)) == 0)
		rc = ct_checkpoint_each(st, "refs/remotes/*/checkpoints/",
		    check_one, &c, err);
	*problems = c.problems;
	return rc;
}
