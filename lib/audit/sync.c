/*
 * Joining the local branch and a remote's tip with a merge (sync.h).
 *
 * ct_sync_merge() holds the store's write lock while it reads the two
 * tips and builds the merge, so no tool of this clone commits in between;
 * ct_sync_move() takes it again, and its compare-and-swap on the branch
 * catches a commit made between the two calls (and git commands).
 *
 * A merge plan diffs the merge base's tree against the local tip's
 * (ct_tree_diff, which skips equal subtrees by id), decides path by path
 * as sync.h says, and applies the local changes to the remote's tree with
 * git_tree_create_updated().
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "casetrail/sync.h"
#include "casetrail/diff.h"
#include "casetrail/kind.h"
#include "casetrail/path.h"
#include "casetrail/registry.h"
#include "casetrail/trailers.h"
#include "casetrail/treediff.h"
#include "casetrail/util.h"
#include "casetrail/walk.h"
#include "casetrail/yaml.h"

#define MAX_FREE_NAME 10000  /* disclosure entry numbers tried */

struct sync {
	ct_store *st;
	git_repository *repo;
	git_signature *sig;      /* the operator who syncs */
	git_oid remote;          /* the remote's tip */
	git_commit *rcommit;
	git_tree *rtree;
	ct_sync_result *res;
};

/* What a merge of one local commit with the remote's tip would do. */
struct plan {
	git_tree_update *up;     /* applied to the remote's tree */
	size_t nup;
	char **names;            /* paths of the updates, owned */
	size_t nconflicts;
	size_t renamed;
};

int
ct_sync_tracking_ref(ct_store *st, const char *remote, char **ref,
    ct_error *err)
{
	git_config *cfg = NULL;
	git_buf url = { 0 };
	char *key = NULL;
	int rc;

	*ref = NULL;
	/* a plain name: no option, no path, nothing git would read as a
	 * refspec */
	if (*remote == '\0' || *remote == '-' || *remote == '.' ||
	    strlen(remote) > 100 || remote[strspn(remote,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-")] != '\0' || strstr(remote, "..") != NULL)
		return ct_error_set(err, CT_EINVALID,
		    "'%s' is not a remote name", remote);
	/* the remote's url, read directly: git_remote_lookup() of libgit2
	 * 1.5 leaks the match data of the regular expressions it uses to
	 * walk the configuration (LeakSanitizer reports it) */
	if (asprintf(&key, "remote.%s.url", remote) < 0)
		return ct_nomem(err);
	if (git_repository_config_snapshot(&cfg, ct_store_repo(st)) < 0) {
		free(key);
		return ct_git_fail(err, "reading the git configuration");
	}
	rc = git_config_get_string_buf(&url, cfg, key);
	git_buf_dispose(&url);
	git_config_free(cfg);
	free(key);
	if (rc == GIT_ENOTFOUND)
		return ct_error_set(err, CT_ENOTFOUND,
		    "no remote '%s' in %s (git remote add %s URL)", remote,
		    ct_store_workdir(st), remote);
	if (rc < 0)
		return ct_git_fail(err, remote);
	if (asprintf(ref, "refs/remotes/%s/main", remote) < 0) {
		*ref = NULL;
		return ct_nomem(err);
	}
	return 0;
}

static void
side_clear(ct_sync_side *s)
{
	free(s->author);
	free(s->subject);
	free(s->changes);
}

void
ct_sync_result_clear(ct_sync_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nconflicts; i++) {
		free(res->conflicts[i].path);
		free(res->conflicts[i].case_id);
		free(res->conflicts[i].record);
		side_clear(&res->conflicts[i].local);
		side_clear(&res->conflicts[i].remote);
	}
	free(res->conflicts);
	for (i = 0; i < res->nskipped; i++)
		free(res->skipped[i].subject);
	free(res->skipped);
	free(res->set_aside);
	free(res->warning);
	memset(res, 0, sizeof(*res));
}

/*
 * The operator who syncs: git config's identity, a registered operator,
 * active, as the remote's registry has it.
 */
static int
operator_who_syncs(struct sync *sp, ct_error *err)
{
	char hex[GIT_OID_HEXSZ + 1];
	ct_snapshot *snap = NULL;
	ct_node *ops = NULL;
	const ct_node *op;
	int rc;

	if (git_signature_default(&sp->sig, sp->repo) < 0)
		return ct_error_set(err, CT_EINVALID,
		    "no git identity: set user.name and user.email "
		    "(git config user.email you@example.org)");
	git_oid_tostr(hex, sizeof(hex), &sp->remote);
	if ((rc = ct_snapshot_open(sp->st, hex, &snap, err)) < 0)
		return rc;
	rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, &ops, err);
	if (rc == 0 && ((op = ct_registry_find(ops, "operators", "email",
	    sp->sig->email)) == NULL || !ct_operator_active(op)))
		rc = ct_error_set(err, CT_EINVALID,
		    "git identity '%s <%s>' is not an active registered "
		    "operator of the remote's store (%s)", sp->sig->name,
		    sp->sig->email, CT_OPERATORS_PATH);
	ct_node_free(ops);
	ct_snapshot_free(snap);
	return rc;
}

/* The entry at path in tree t: *present, and its id and mode. */
static int
entry_at(git_tree *t, const char *path, bool *present, git_oid *id,
    git_filemode_t *mode, ct_error *err)
{
	git_tree_entry *e = NULL;
	int rc;

	*present = false;
	if (t == NULL)
		return 0;
	rc = git_tree_entry_bypath(&e, t, path);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return ct_git_fail(err, path);
	*present = true;
	git_oid_cpy(id, git_tree_entry_id(e));
	if (mode != NULL)
		*mode = git_tree_entry_filemode(e);
	git_tree_entry_free(e);
	return 0;
}

/*
 * A disclosure entry "cases/<xx>/<id>/disclosures/<stem>-<n>.yaml":
 * *stemlen is the length up to and with the '-' before n.
 */
static bool
disclosure_entry(const char *path, size_t *stemlen)
{
	const ct_kind *k = ct_kind_of(path);

	if (k == NULL || k->id != CT_KIND_DISCLOSURE)
		return false;
	*stemlen = (size_t)(strrchr(path, '-') + 1 - path);
	return true;
}

/* The first <stem>-<n>.yaml that neither the remote's tree nor the plan
 * so far holds. */
static int
free_name(struct sync *sp, const struct plan *pl, const char *path,
    size_t stemlen, char **out, ct_error *err)
{
	git_oid id;
	bool taken;
	unsigned long n;
	size_t i;
	int rc = 0;

	*out = NULL;
	for (n = 1; n <= MAX_FREE_NAME; n++) {
		free(*out);
		if (asprintf(out, "%.*s%lu.yaml", (int)stemlen, path, n) < 0) {
			*out = NULL;
			return ct_nomem(err);
		}
		if ((rc = entry_at(sp->rtree, *out, &taken, &id, NULL,
		    err)) < 0)
			break;
		for (i = 0; i < pl->nup && !taken; i++)
			taken = strcmp(pl->names[i], *out) == 0;
		if (!taken)
			return 0;
	}
	free(*out);
	*out = NULL;
	return rc < 0 ? rc : ct_error_set(err, CT_ERROR,
	    "%.*s*: no free name for a disclosure entry", (int)stemlen, path);
}

/* "Name <email>" of a signature. */
static char *
who(const git_signature *s)
{
	char *out = NULL;

	if (asprintf(&out, "%s <%s>", s->name, s->email) < 0)
		return NULL;
	return out;
}

static char *
subject_of(const git_commit *c)
{
	const char *s = git_commit_summary((git_commit *)c);

	return strdup(s != NULL ? s : "");
}

/* A record's tree from blob id (absent: NULL doc); *note on failure. */
static int
load_blob(git_repository *repo, bool present, const git_oid *id,
    const char *path, ct_node **doc, bool *bad, ct_error *err)
{
	int rc;

	*doc = NULL;
	*bad = false;
	if (!present)
		return 0;
	if ((rc = ct_blob_yaml(repo, id, path, doc, err)) == CT_EINVALID) {
		*bad = true;
		ct_error_clear(err);
		return 0;
	}
	return rc;
}

/* The field-level change from one version of path to another. */
static int
changes(git_repository *repo, const char *path, bool from_present,
    const git_oid *from, bool to_present, const git_oid *to, char **out,
    ct_error *err)
{
	ct_node *a = NULL, *b = NULL;
	bool abad, bbad;
	int rc;

	*out = NULL;
	if ((rc = load_blob(repo, from_present, from, path, &a, &abad,
	    err)) < 0 ||
	    (rc = load_blob(repo, to_present, to, path, &b, &bbad, err)) < 0)
		goto out;
	if (abad || bbad) {
		*out = strdup("(not a YAML record: compare with git diff)\n");
	} else if (!to_present) {
		*out = strdup("(the record was removed)\n");
	} else {
		rc = ct_node_diff(a, b, out, NULL, err);
		goto out;
	}
	if (*out == NULL)
		rc = ct_nomem(err);
out:
	ct_node_free(a);
	ct_node_free(b);
	return rc;
}

/*
 * The newest (or the oldest) commit of from's history, hide's excluded,
 * that changed path: merges are passed over, each other commit compared
 * with its parent.  *out is NULL when there is none.
 */
static int
side_commit(struct sync *sp, const git_oid *from, const git_oid *hide,
    bool oldest, const char *path, git_commit **out, ct_error *err)
{
	const ct_walk_step *st;
	ct_walk *walk = NULL;
	git_oid a, b;
	bool ap, bp;
	int rc;

	*out = NULL;
	if ((rc = ct_walk_open(sp->repo, from, hide, CT_WALK_NO_MERGES |
	    (oldest ? 0 : CT_WALK_NEWEST_FIRST), &walk, err)) < 0)
		return rc;
	while ((rc = ct_walk_next(walk, &st, err)) > 0) {
		if ((rc = entry_at(st->tree, path, &bp, &b, NULL, err)) < 0 ||
		    (rc = entry_at(st->ptree, path, &ap, &a, NULL, err)) < 0)
			break;
		if (ap != bp || (ap && !git_oid_equal(&a, &b))) {
			if (git_commit_dup(out, st->commit) < 0)
				rc = ct_git_fail(err, "reading the history");
			break;
		}
	}
	ct_walk_free(walk);
	return rc < 0 ? rc : 0;
}

/* "cases/<xx>/<id>/<record>.yaml": the case id and record name. */
static int
name_record(ct_sync_conflict *cf, ct_error *err)
{
	const char *p = cf->path, *id, *rest, *dot;

	if (strncmp(p, "cases/", 6) == 0 &&
	    (id = strchr(p + 6, '/')) != NULL &&
	    (rest = strchr(++id, '/')) != NULL) {
		if ((cf->case_id = strndup(id, (size_t)(rest - id))) == NULL)
			return ct_nomem(err);
		rest++;
		dot = strrchr(rest, '.');
		if (dot != NULL && strcmp(dot, ".yaml") == 0)
			cf->record = strndup(rest, (size_t)(dot - rest));
		else
			cf->record = strdup(rest);
	} else {
		cf->record = strdup(p);
	}
	return cf->record == NULL ? ct_nomem(err) : 0;
}

/* One side of a conflict: the commit of from, hide's excluded, that
 * changed path (the oldest or the newest), and the change from the
 * base's version. */
static int
fill_side(struct sync *sp, ct_sync_side *side, const git_oid *from,
    const git_oid *hide, bool oldest, const char *path, bool base_present,
    const git_oid *base_id, bool present, const git_oid *id, ct_error *err)
{
	git_commit *c = NULL;
	int rc;

	if ((rc = changes(sp->repo, path, base_present, base_id, present, id,
	    &side->changes, err)) < 0 ||
	    (rc = side_commit(sp, from, hide, oldest, path, &c, err)) < 0 ||
	    c == NULL)
		return rc;
	git_oid_tostr(side->commit, sizeof(side->commit), git_commit_id(c));
	side->author = who(git_commit_author(c));
	side->subject = subject_of(c);
	git_commit_free(c);
	return side->author == NULL || side->subject == NULL ? ct_nomem(err) : 0;
}

/* Report a conflict on path between the local tip and the remote's. */
static int
add_conflict(struct sync *sp, const git_oid *local, const char *path,
    bool base_present, const git_oid *base_id, bool ours_present,
    const git_oid *ours_id, bool theirs_present, const git_oid *theirs_id,
    ct_error *err)
{
	ct_sync_result *res = sp->res;
	ct_sync_conflict *grown, *cf;
	int rc;

	grown = realloc(res->conflicts, (res->nconflicts + 1) *
	    sizeof(*grown));
	if (grown == NULL)
		return ct_nomem(err);
	res->conflicts = grown;
	cf = &res->conflicts[res->nconflicts++];
	memset(cf, 0, sizeof(*cf));
	if ((cf->path = strdup(path)) == NULL)
		return ct_nomem(err);
	if ((rc = name_record(cf, err)) < 0 ||
	    (rc = fill_side(sp, &cf->local, local, &sp->remote, true, path,
	    base_present, base_id, ours_present, ours_id, err)) < 0)
		return rc;
	return fill_side(sp, &cf->remote, &sp->remote, local, false, path,
	    base_present, base_id, theirs_present, theirs_id, err);
}

static int
add_skipped(struct sync *sp, const git_oid *id, ct_error *err)
{
	ct_sync_result *res = sp->res;
	ct_sync_skipped *grown;
	git_commit *c = NULL;

	grown = realloc(res->skipped, (res->nskipped + 1) * sizeof(*grown));
	if (grown == NULL)
		return ct_nomem(err);
	res->skipped = grown;
	if (git_commit_lookup(&c, sp->repo, id) < 0)
		return ct_git_fail(err, "reading a local commit");
	git_oid_tostr(grown[res->nskipped].commit,
	    sizeof(grown[res->nskipped].commit), id);
	grown[res->nskipped].subject = subject_of(c);
	git_commit_free(c);
	if (grown[res->nskipped].subject == NULL)
		return ct_nomem(err);
	res->nskipped++;
	return 0;
}

static void
plan_clear(struct plan *pl)
{
	size_t i;

	for (i = 0; i < pl->nup; i++)
		free(pl->names[i]);
	free(pl->names);
	free(pl->up);
	memset(pl, 0, sizeof(*pl));
}

/* Add an update of path (copied) to the plan: d's new version. */
static int
plan_add(struct plan *pl, const char *path, const ct_tree_change *d,
    ct_error *err)
{
	git_tree_update *up = &pl->up[pl->nup];

	if ((pl->names[pl->nup] = strdup(path)) == NULL)
		return ct_nomem(err);
	up->path = pl->names[pl->nup];
	if (d->status == GIT_DELTA_DELETED) {
		up->action = GIT_TREE_UPDATE_REMOVE;
	} else {
		up->action = GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up->id, &d->new_id);
		up->filemode = d->new_mode;
	}
	pl->nup++;
	return 0;
}

/*
 * What merging local with the remote's tip takes from the local side, by
 * the three versions of every path the local side changed since the
 * merge base.  Conflicts are counted in pl->nconflicts, and reported in
 * the result when report is true.
 */
static int
plan_merge(struct sync *sp, const git_oid *local, bool report,
    struct plan *pl, ct_error *err)
{
	git_commit *bc = NULL, *lc = NULL;
	git_tree *bt = NULL, *lt = NULL;
	ct_tree_change *ch = NULL;
	git_oid base, theirs;
	bool theirs_present;
	size_t i, n = 0, stemlen;
	char *name = NULL;
	int rc = 0;

	memset(pl, 0, sizeof(*pl));
	if (git_merge_base(&base, sp->repo, local, &sp->remote) < 0 ||
	    git_commit_lookup(&bc, sp->repo, &base) < 0 ||
	    git_commit_lookup(&lc, sp->repo, local) < 0 ||
	    git_commit_tree(&bt, bc) < 0 || git_commit_tree(&lt, lc) < 0) {
		rc = ct_git_fail(err, "reading the local history");
		goto out;
	}
	if ((rc = ct_tree_diff_list(sp->repo, bt, lt, &ch, &n, err)) < 0)
		goto out;
	if (n > 0 && ((pl->up = calloc(n, sizeof(*pl->up))) == NULL ||
	    (pl->names = calloc(n, sizeof(*pl->names))) == NULL)) {
		rc = ct_nomem(err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const ct_tree_change *d = &ch[i];
		bool ours_present = d->status != GIT_DELTA_DELETED;
		bool base_present = d->status != GIT_DELTA_ADDED;

		if ((rc = entry_at(sp->rtree, d->path, &theirs_present,
		    &theirs, NULL, err)) < 0)
			goto out;
		if (theirs_present == base_present && (!base_present ||
		    git_oid_equal(&theirs, &d->old_id))) {
			rc = plan_add(pl, d->path, d, err);
		} else if (theirs_present == ours_present && (!ours_present ||
		    git_oid_equal(&theirs, &d->new_id))) {
			continue;       /* the same change on both sides */
		} else if (!base_present && ours_present &&
		    disclosure_entry(d->path, &stemlen)) {
			if ((rc = free_name(sp, pl, d->path, stemlen, &name,
			    err)) == 0)
				rc = plan_add(pl, name, d, err);
			free(name);
			name = NULL;
			pl->renamed++;
		} else {
			pl->nconflicts++;
			if (report)
				rc = add_conflict(sp, local, d->path,
				    base_present, &d->old_id, ours_present,
				    &d->new_id, theirs_present, &theirs, err);
		}
		if (rc < 0)
			goto out;
	}
out:
	ct_tree_changes_free(ch, n);
	git_tree_free(bt);
	git_tree_free(lt);
	git_commit_free(bc);
	git_commit_free(lc);
	return rc;
}

/* The merge commit of the remote's tip and local, by the plan. */
static int
make_merge(struct sync *sp, const git_oid *local, size_t nlocal,
    const struct plan *pl, git_oid *out, ct_error *err)
{
	git_commit *lc = NULL;
	git_tree *tree = NULL;
	const git_commit *parents[2];
	git_oid tree_id;
	char subject[160], *msg = NULL;
	ct_commit_spec spec = {
		.tool = "store-sync",
		.version = CT_VERSION,
		.subject = subject,
		.action = "sync",
	};
	int rc = 0;

	snprintf(subject, sizeof(subject), "join %zu local "
	    "commit%s with main at %.12s", nlocal, nlocal == 1 ? "" : "s",
	    git_oid_tostr_s(&sp->remote));
	if (pl->nup == 0)
		git_oid_cpy(&tree_id, git_tree_id(sp->rtree));
	else if (git_tree_create_updated(&tree_id, sp->repo, sp->rtree,
	    pl->nup, pl->up) < 0) {
		rc = ct_git_fail(err, "building the merge's tree");
		goto out;
	}
	if (git_tree_lookup(&tree, sp->repo, &tree_id) < 0 ||
	    git_commit_lookup(&lc, sp->repo, local) < 0) {
		rc = ct_git_fail(err, "reading the merge's tree");
		goto out;
	}
	if ((rc = ct_commit_message(&spec, NULL, &msg, err)) < 0)
		goto out;
	parents[0] = sp->rcommit;
	parents[1] = lc;
	rc = ct_store_commit_create(sp->st, out, sp->sig, msg, tree, 2,
	    parents, err);
out:
	free(msg);
	git_tree_free(tree);
	git_commit_free(lc);
	return rc;
}

/* The local commits the remote lacks along the first-parent line,
 * oldest first (owned). */
static int
local_line(struct sync *sp, const git_oid *local, git_oid **out, size_t *n,
    ct_error *err)
{
	const ct_walk_step *st;
	ct_walk *walk = NULL;
	git_oid *v = NULL, *grown;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ct_walk_open(sp->repo, local, &sp->remote,
	    CT_WALK_FIRST_PARENT, &walk, err)) < 0)
		return rc;
	while ((rc = ct_walk_next(walk, &st, err)) > 0) {
		if ((grown = realloc(v, (*n + 1) * sizeof(*v))) == NULL) {
			rc = ct_nomem(err);
			break;
		}
		v = grown;
		git_oid_cpy(&v[(*n)++], git_commit_id(st->commit));
	}
	ct_walk_free(walk);
	if (rc < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

/*
 * Set aside: the newest commit of the local line whose merge, and every
 * older one's, would not conflict, in *keep (*nkeep commits up to it; 0:
 * none, the branch goes to the remote's tip); the later ones are listed
 * as skipped.
 */
static int
keep_before_conflict(struct sync *sp, const git_oid *line, size_t n,
    size_t *nkeep, ct_error *err)
{
	struct plan pl;
	size_t i, conflicts = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if ((rc = plan_merge(sp, &line[i], false, &pl, err)) < 0)
			return rc;
		conflicts = pl.nconflicts;
		plan_clear(&pl);
		if (conflicts > 0)
			break;
	}
	*nkeep = i;
	for (; i < n && rc == 0; i++)
		rc = add_skipped(sp, &line[i], err);
	return rc;
}

/* The paths that differ between two commits' trees (owned strings). */
static int
changed_paths(git_repository *repo, const git_oid *a, const git_oid *b,
    char ***out, size_t *n, ct_error *err)
{
	git_commit *ca = NULL, *cb = NULL;
	git_tree *ta = NULL, *tb = NULL;
	ct_tree_change *ch = NULL;
	char **v = NULL;
	size_t i, cnt = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_commit_lookup(&ca, repo, a) < 0 ||
	    git_commit_lookup(&cb, repo, b) < 0 ||
	    git_commit_tree(&ta, ca) < 0 || git_commit_tree(&tb, cb) < 0) {
		rc = ct_git_fail(err, "comparing the two tips");
		goto out;
	}
	if ((rc = ct_tree_diff_list(repo, ta, tb, &ch, &cnt, err)) < 0)
		goto out;
	if ((v = calloc(cnt + 1, sizeof(*v))) == NULL) {
		rc = ct_nomem(err);
		goto out;
	}
	for (i = 0; i < cnt; i++)
		if ((v[i] = strdup(ch[i].path)) == NULL) {
			rc = ct_nomem(err);
			goto out;
		}
	*out = v;
	*n = cnt;
	v = NULL;
out:
	ct_strv_free(v);
	ct_tree_changes_free(ch, cnt);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(ca);
	git_commit_free(cb);
	return rc;
}

/* Keep the old local tip on a new branch set-aside/<UTC time>[-n]. */
static int
set_aside(git_repository *repo, ct_sync_result *res, const git_oid *local,
    ct_error *err)
{
	git_reference *ref = NULL;
	char stamp[CT_STAMP_SIZE], *name = NULL;
	int i, grc = GIT_EEXISTS;

	ct_utc_stamp((long long)time(NULL), true, stamp);
	for (i = 1; i <= 100 && grc == GIT_EEXISTS; i++) {
		free(name);
		if ((i == 1 ? asprintf(&name, "refs/heads/set-aside/%s",
		    stamp) : asprintf(&name, "refs/heads/set-aside/%s-%d",
		    stamp, i)) < 0)
			return ct_nomem(err);
		grc = git_reference_create(&ref, repo, name, local, 0,
		    "store-sync: set aside the commits that conflicted");
	}
	git_reference_free(ref);
	if (grc < 0) {
		free(name);
		return ct_git_fail(err, "creating a set-aside branch");
	}
	res->set_aside = strdup(name + strlen("refs/heads/"));
	free(name);
	return res->set_aside == NULL ? ct_nomem(err) : 0;
}

/* A path the work tree update may write or remove: every part of it a
 * valid name (path.h). */
static bool
inside_worktree(const char *path)
{
	const char *p = path, *end;

	for (; p != NULL; p = *end != '\0' ? end + 1 : NULL) {
		end = p + strcspn(p, "/");
		if (!ct_path_name_ok(p, (size_t)(end - p), NULL))
			return false;
	}
	return true;
}

/* The paths a move from local to tip changes, each checked: inside the
 * work tree, without uncommitted edits. */
static int
move_paths(ct_store *st, const git_oid *local, const git_oid *tip,
    char ***paths, size_t *n, ct_error *err)
{
	size_t i;
	int rc;

	if ((rc = changed_paths(ct_store_repo(st), local, tip, paths, n,
	    err)) < 0)
		return rc;
	for (i = 0; i < *n && rc == 0; i++)
		if (!inside_worktree((*paths)[i]))
			rc = ct_error_set(err, CT_EINVALID, "'%s': a path "
			    "outside the work tree or inside .git; nothing "
			    "was changed", (*paths)[i]);
	if (rc == 0)
		rc = ct_store_check_clean(st, (const char *const *)*paths, *n,
		    err);
	if (rc < 0) {
		ct_strv_free(*paths);
		*paths = NULL;
		*n = 0;
	}
	return rc;
}

static void
drop_set_aside(git_repository *repo, ct_sync_result *res)
{
	git_reference *sa = NULL;
	char *full = NULL;

	if (res->set_aside == NULL)
		return;
	if (asprintf(&full, "refs/heads/%s", res->set_aside) >= 0 &&
	    git_reference_lookup(&sa, repo, full) == 0)
		git_reference_delete(sa);
	git_reference_free(sa);
	free(full);
	free(res->set_aside);
	res->set_aside = NULL;
}

int
ct_sync_move(ct_store *st, ct_sync_result *res, ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	git_reference *ref = NULL;
	git_oid local, tip;
	char **paths = NULL;
	size_t n = 0;
	int lockfd = -1, rc, grc;

	if (git_oid_fromstr(&local, res->local) < 0 ||
	    git_oid_fromstr(&tip, res->tip) < 0)
		return ct_error_set(err, CT_EINVALID, "no sync to move to");
	if (git_oid_equal(&local, &tip))
		return 0;
	if ((rc = ct_store_lock(st, NULL, &lockfd, err)) < 0)
		return rc;
	if ((rc = move_paths(st, &local, &tip, &paths, &n, err)) < 0)
		goto out;
	if (res->nskipped > 0 && (rc = set_aside(repo, res, &local, err)) < 0)
		goto out;
	grc = git_reference_create_matching(&ref, repo, CT_BRANCH, &tip, 1,
	    &local, res->state == CT_SYNC_MERGED ? "store-sync: merged with "
	    "the remote's tip" : "store-sync: onto the remote's tip");
	git_reference_free(ref);
	if (grc == GIT_EMODIFIED || grc == GIT_EEXISTS || grc == GIT_ELOCKED)
		rc = ct_error_set(err, CT_ECONFLICT, "%s moved during the "
		    "sync (a tool or git command); run store-sync again",
		    CT_BRANCH);
	else if (grc < 0)
		rc = ct_git_fail(err, "updating " CT_BRANCH);
	if (rc < 0) {
		drop_set_aside(repo, res);
		goto out;
	}
	rc = ct_store_sync_paths(st, (const char *const *)paths, n,
	    &res->warning, err);
out:
	ct_strv_free(paths);
	ct_store_unlock(lockfd);
	return rc;
}

/* The commit id hex, which must be a commit of the clone. */
static int
parse_tip(git_repository *repo, const char *hex, git_oid *id, ct_error *err)
{
	git_object *obj = NULL;

	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(id, hex) < 0)
		return ct_error_set(err, CT_EINVALID, "'%s' is not a commit id",
		    hex);
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_COMMIT) < 0)
		return ct_error_set(err, CT_ENOTFOUND, "the remote's tip %.12s "
		    "is not in this clone (has the remote been fetched?)",
		    hex);
	git_object_free(obj);
	return 0;
}

/* Merge the local line, or with CT_SYNC_SET_ASIDE its part before the
 * first conflict; *tip the commit the branch is to be at. */
static int
merge(struct sync *sp, const git_oid *local, unsigned flags, git_oid *tip,
    ct_error *err)
{
	ct_sync_result *res = sp->res;
	struct plan pl = { 0 };
	git_oid *line = NULL;
	const git_oid *keep = local;
	size_t n = 0, nkeep;
	int rc;

	if ((rc = operator_who_syncs(sp, err)) < 0 ||
	    (rc = local_line(sp, local, &line, &n, err)) < 0 ||
	    (rc = plan_merge(sp, local, true, &pl, err)) < 0)
		goto out;
	nkeep = n;
	if (pl.nconflicts > 0) {
		res->state = CT_SYNC_CONFLICT;
		if (!(flags & CT_SYNC_SET_ASIDE))
			goto out;
		plan_clear(&pl);
		if ((rc = keep_before_conflict(sp, line, n, &nkeep, err)) < 0)
			goto out;
		if (nkeep == 0) {
			git_oid_cpy(tip, &sp->remote);
			res->state = CT_SYNC_FAST_FORWARD;
			goto out;
		}
		keep = &line[nkeep - 1];
		if ((rc = plan_merge(sp, keep, false, &pl, err)) < 0)
			goto out;
	}
	if ((rc = make_merge(sp, keep, nkeep, &pl, tip, err)) < 0)
		goto out;
	res->state = CT_SYNC_MERGED;
	res->merged = nkeep;
	res->renamed = pl.renamed;
out:
	plan_clear(&pl);
	free(line);
	return rc;
}

int
ct_sync_merge(ct_store *st, const char *remote_tip, unsigned flags,
    ct_sync_result *res, ct_error *err)
{
	struct sync sp = { .st = st, .repo = ct_store_repo(st), .res = res };
	git_oid local, tip, base;
	char **paths = NULL;
	size_t n = 0;
	int lockfd = -1, rc, grc;

	memset(res, 0, sizeof(*res));
	if ((rc = ct_store_lock(st, NULL, &lockfd, err)) < 0)
		return rc;
	if (git_reference_name_to_id(&local, sp.repo, CT_BRANCH) < 0) {
		rc = ct_git_fail(err, "reading " CT_BRANCH);
		goto out;
	}
	if ((rc = parse_tip(sp.repo, remote_tip, &sp.remote, err)) < 0)
		goto out;
	git_oid_tostr(res->local, sizeof(res->local), &local);
	git_oid_tostr(res->remote, sizeof(res->remote), &sp.remote);
	if (git_oid_equal(&local, &sp.remote)) {
		res->state = CT_SYNC_UP_TO_DATE;
		memcpy(res->tip, res->local, sizeof(res->tip));
		goto out;
	}
	grc = git_merge_base(&base, sp.repo, &local, &sp.remote);
	if (grc == GIT_ENOTFOUND) {
		rc = ct_error_set(err, CT_EINVALID, "the remote's history has "
		    "nothing in common with this store's: is it a clone of "
		    "another store?");
		goto out;
	}
	if (grc < 0) {
		rc = ct_git_fail(err, "finding the merge base");
		goto out;
	}
	if (git_oid_equal(&base, &sp.remote)) {
		res->state = CT_SYNC_AHEAD;
		memcpy(res->tip, res->local, sizeof(res->tip));
		goto out;
	}
	if (git_oid_equal(&base, &local)) {
		git_oid_cpy(&tip, &sp.remote);
		res->state = CT_SYNC_FAST_FORWARD;
	} else {
		if (git_commit_lookup(&sp.rcommit, sp.repo, &sp.remote) < 0 ||
		    git_commit_tree(&sp.rtree, sp.rcommit) < 0) {
			rc = ct_git_fail(err, "reading the remote's tip");
			goto out;
		}
		if ((rc = merge(&sp, &local, flags, &tip, err)) < 0 ||
		    res->state == CT_SYNC_CONFLICT)
			goto out;
	}
	/* what the move will change must be movable before anything is
	 * pushed */
	if ((rc = move_paths(st, &local, &tip, &paths, &n, err)) < 0)
		goto out;
	git_oid_tostr(res->tip, sizeof(res->tip), &tip);
out:
	ct_strv_free(paths);
	ct_store_unlock(lockfd);
	git_tree_free(sp.rtree);
	git_commit_free(sp.rcommit);
	git_signature_free(sp.sig);
	if (rc < 0) {
		ct_sync_result_clear(res);
		res->tip[0] = '\0';
	}
	return rc;
}
