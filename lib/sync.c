/*
 * Replaying local commits onto a remote's tip (sync.h).
 *
 * ct_sync_rebase() holds the store's write lock from reading the two tips
 * to moving the branch, so no tool of this clone commits in between; the
 * compare-and-swap on refs/heads/main still catches git commands.
 *
 * The replay keeps, as it goes, the tip commit being built and its tree.
 * For each local commit it diffs the commit's tree against its parent's
 * (ct_tree_diff, which skips equal subtrees by id), decides path
 * by path as sync.h says, and applies the commit's changes to the tip's
 * tree with git_tree_create_updated().  Paths of a skipped commit are
 * remembered: a later commit that changes one of them builds on something
 * that was not replayed, and is skipped too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "casetrail/sync.h"
#include "casetrail/diff.h"
#include "casetrail/path.h"
#include "casetrail/registry.h"
#include "casetrail/treediff.h"
#include "casetrail/yaml.h"

#define MAX_FREE_NAME 10000  /* disclosure entry numbers tried */

struct replay {
	ct_store *st;
	git_repository *repo;
	git_signature *committer;
	git_oid base;            /* the merge base */
	git_oid remote;          /* the remote's tip */
	git_commit *tip;         /* the tip being built */
	git_tree *tip_tree;
	char **poisoned;         /* paths of skipped commits */
	size_t npoisoned;
	ct_sync_result *res;
	unsigned flags;
};

static int
oom(ct_error *err)
{
	return ct_error_set(err, CT_ERROR, "out of memory");
}

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
		return oom(err);
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
		return oom(err);
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
 * The committer: git config's identity, a registered operator as the
 * remote's registry has it.
 */
static int
committer(struct replay *rp, ct_error *err)
{
	char hex[GIT_OID_HEXSZ + 1];
	ct_snapshot *snap = NULL;
	ct_node *ops = NULL;
	int rc;

	if (git_signature_default(&rp->committer, rp->repo) < 0)
		return ct_error_set(err, CT_EINVALID,
		    "no git identity: set user.name and user.email "
		    "(git config user.email you@example.org)");
	git_oid_tostr(hex, sizeof(hex), &rp->remote);
	if ((rc = ct_snapshot_open(rp->st, hex, &snap, err)) < 0)
		return rc;
	rc = ct_snapshot_load(snap, CT_OPERATORS_PATH, "operators", &ops, err);
	if (rc == 0 && ct_registry_find(ops, "operators", "email",
	    rp->committer->email) == NULL)
		rc = ct_error_set(err, CT_EINVALID,
		    "git identity '%s <%s>' is not a registered operator of "
		    "the remote's store (%s)", rp->committer->name,
		    rp->committer->email, CT_OPERATORS_PATH);
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

static bool
poisoned(const struct replay *rp, const char *path)
{
	size_t i;

	for (i = 0; i < rp->npoisoned; i++)
		if (strcmp(rp->poisoned[i], path) == 0)
			return true;
	return false;
}

static int
poison(struct replay *rp, const char *path, ct_error *err)
{
	char **grown;

	if (poisoned(rp, path))
		return 0;
	grown = realloc(rp->poisoned, (rp->npoisoned + 1) * sizeof(*grown));
	if (grown == NULL)
		return oom(err);
	rp->poisoned = grown;
	if ((rp->poisoned[rp->npoisoned] = strdup(path)) == NULL)
		return oom(err);
	rp->npoisoned++;
	return 0;
}

/*
 * A new disclosure entry "cases/<xx>/<id>/disclosures/<stem>-<n>.yaml":
 * *stemlen is the length up to and with the '-' before n.
 */
static bool
disclosure_entry(const char *path, size_t *stemlen)
{
	const char *d = path, *name, *dash;
	int slashes = 0;

	if (strncmp(path, "cases/", 6) != 0)
		return false;
	for (d = path; *d != '\0'; d++)
		if (*d == '/')
			slashes++;
	if (slashes != 4 || (name = strrchr(path, '/')) == NULL ||
	    name - path < 12 || strncmp(name - 11, "disclosures", 11) != 0 ||
	    name[-12] != '/')
		return false;
	name++;
	if ((dash = strrchr(name, '-')) == NULL || dash == name ||
	    strcmp(dash + strspn(dash + 1, "0123456789") + 1, ".yaml") != 0 ||
	    dash[1] == '\0' || dash[1] == '.')
		return false;
	*stemlen = (size_t)(dash + 1 - path);
	return true;
}

/* The first <stem>-<n>.yaml that neither the tip nor this commit's
 * updates so far hold. */
static int
free_name(struct replay *rp, const char *path, size_t stemlen,
    const git_tree_update *up, size_t nup, char **out, ct_error *err)
{
	git_oid id;
	bool present, taken;
	unsigned long n;
	size_t i;
	int rc = 0;

	*out = NULL;
	for (n = 1; n <= MAX_FREE_NAME; n++) {
		free(*out);
		if (asprintf(out, "%.*s%lu.yaml", (int)stemlen, path, n) < 0) {
			*out = NULL;
			return oom(err);
		}
		if ((rc = entry_at(rp->tip_tree, *out, &present, &id, NULL,
		    err)) < 0)
			break;
		taken = present;
		for (i = 0; i < nup && !taken; i++)
			taken = strcmp(up[i].path, *out) == 0;
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
	git_blob *b = NULL;
	ct_error perr = { 0 };

	*doc = NULL;
	*bad = false;
	if (!present)
		return 0;
	if (git_blob_lookup(&b, repo, id) < 0)
		return ct_git_fail(err, path);
	if (ct_yaml_load(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
	    path, doc, &perr) < 0)
		*bad = true;
	ct_error_clear(&perr);
	git_blob_free(b);
	return 0;
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
		rc = oom(err);
out:
	ct_node_free(a);
	ct_node_free(b);
	return rc;
}

/* The newest commit of base..remote (first parent) that changed path. */
static int
remote_commit(struct replay *rp, const char *path, git_commit **out,
    ct_error *err)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL, *p = NULL;
	git_tree *ct = NULL, *pt = NULL;
	git_oid id, a, b;
	bool ap, bp;
	int rc = 0, wrc;

	*out = NULL;
	if (git_revwalk_new(&walk, rp->repo) < 0 ||
	    git_revwalk_push(walk, &rp->remote) < 0 ||
	    git_revwalk_hide(walk, &rp->base) < 0) {
		rc = ct_git_fail(err, "walking the remote's history");
		goto out;
	}
	git_revwalk_simplify_first_parent(walk);
	while ((wrc = git_revwalk_next(&id, walk)) == 0) {
		if (git_commit_lookup(&c, rp->repo, &id) < 0 ||
		    git_commit_parent(&p, c, 0) < 0 ||
		    git_commit_tree(&ct, c) < 0 || git_commit_tree(&pt, p) < 0) {
			rc = ct_git_fail(err, "reading the remote's history");
			goto out;
		}
		if ((rc = entry_at(ct, path, &bp, &b, NULL, err)) < 0 ||
		    (rc = entry_at(pt, path, &ap, &a, NULL, err)) < 0)
			goto out;
		if (ap != bp || (ap && !git_oid_equal(&a, &b))) {
			*out = c;
			c = NULL;
			goto out;
		}
		git_tree_free(ct);
		git_tree_free(pt);
		git_commit_free(p);
		git_commit_free(c);
		ct = pt = NULL;
		p = c = NULL;
	}
	if (wrc != GIT_ITEROVER)
		rc = ct_git_fail(err, "walking the remote's history");
out:
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(p);
	git_commit_free(c);
	git_revwalk_free(walk);
	return rc;
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
			return oom(err);
		rest++;
		dot = strrchr(rest, '.');
		if (dot != NULL && strcmp(dot, ".yaml") == 0)
			cf->record = strndup(rest, (size_t)(dot - rest));
		else
			cf->record = strdup(rest);
	} else {
		cf->record = strdup(p);
	}
	return cf->record == NULL ? oom(err) : 0;
}

/* Report a conflict of local commit c on path. */
static int
add_conflict(struct replay *rp, git_commit *c, const char *path,
    bool base_present, const git_oid *base_id, bool ours_present,
    const git_oid *ours_id, bool theirs_present, const git_oid *theirs_id,
    ct_error *err)
{
	ct_sync_result *res = rp->res;
	ct_sync_conflict *grown, *cf;
	git_commit *rc_commit = NULL;
	int rc;

	grown = realloc(res->conflicts, (res->nconflicts + 1) *
	    sizeof(*grown));
	if (grown == NULL)
		return oom(err);
	res->conflicts = grown;
	cf = &res->conflicts[res->nconflicts++];
	memset(cf, 0, sizeof(*cf));
	if ((cf->path = strdup(path)) == NULL)
		return oom(err);
	if ((rc = name_record(cf, err)) < 0)
		return rc;
	git_oid_tostr(cf->local.commit, sizeof(cf->local.commit),
	    git_commit_id(c));
	if ((cf->local.author = who(git_commit_author(c))) == NULL ||
	    (cf->local.subject = subject_of(c)) == NULL)
		return oom(err);
	if ((rc = changes(rp->repo, path, base_present, base_id,
	    ours_present, ours_id, &cf->local.changes, err)) < 0 ||
	    (rc = changes(rp->repo, path, base_present, base_id,
	    theirs_present, theirs_id, &cf->remote.changes, err)) < 0 ||
	    (rc = remote_commit(rp, path, &rc_commit, err)) < 0)
		return rc;
	if (rc_commit != NULL) {
		git_oid_tostr(cf->remote.commit, sizeof(cf->remote.commit),
		    git_commit_id(rc_commit));
		cf->remote.author = who(git_commit_author(rc_commit));
		cf->remote.subject = subject_of(rc_commit);
		git_commit_free(rc_commit);
		if (cf->remote.author == NULL || cf->remote.subject == NULL)
			return oom(err);
	}
	return 0;
}

static int
add_skipped(struct replay *rp, git_commit *c, ct_error *err)
{
	ct_sync_result *res = rp->res;
	ct_sync_skipped *grown;

	grown = realloc(res->skipped, (res->nskipped + 1) * sizeof(*grown));
	if (grown == NULL)
		return oom(err);
	res->skipped = grown;
	git_oid_tostr(grown[res->nskipped].commit,
	    sizeof(grown[res->nskipped].commit), git_commit_id(c));
	if ((grown[res->nskipped].subject = subject_of(c)) == NULL)
		return oom(err);
	res->nskipped++;
	return 0;
}

/* Make c's change anew on the tip (or skip or drop it). */
static int
replay_one(struct replay *rp, git_commit *c, ct_error *err)
{
	git_commit *parent = NULL;
	git_tree *pt = NULL, *ct = NULL, *newtree = NULL;
	ct_tree_change *ch = NULL;
	git_tree_update *up = NULL;
	char **names = NULL;
	const git_commit *parents[1];
	git_oid theirs, tree_id, commit_id;
	bool theirs_present, skip = false;
	size_t i, n = 0, nup = 0, nnames = 0, stemlen;
	int rc = 0;

	if (git_commit_parentcount(c) == 0 ||
	    git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&pt, parent) < 0 || git_commit_tree(&ct, c) < 0) {
		rc = ct_git_fail(err, "reading a local commit");
		goto out;
	}
	if ((rc = ct_tree_diff_list(rp->repo, pt, ct, &ch, &n, err)) < 0)
		goto out;
	if (n > 0 && ((up = calloc(n, sizeof(*up))) == NULL ||
	    (names = calloc(n, sizeof(*names))) == NULL)) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const ct_tree_change *d = &ch[i];
		bool ours_present = d->status != GIT_DELTA_DELETED;
		bool base_present = d->status != GIT_DELTA_ADDED;
		const char *path = d->path;

		if (poisoned(rp, path)) {
			skip = true;
			continue;
		}
		if ((rc = entry_at(rp->tip_tree, path, &theirs_present,
		    &theirs, NULL, err)) < 0)
			goto out;
		if (theirs_present == base_present && (!base_present ||
		    git_oid_equal(&theirs, &d->old_id))) {
			/* the other side left it alone: take ours */
		} else if (theirs_present == ours_present && (!ours_present ||
		    git_oid_equal(&theirs, &d->new_id))) {
			continue;       /* already there */
		} else if (!base_present && ours_present &&
		    disclosure_entry(path, &stemlen)) {
			if ((rc = free_name(rp, path, stemlen, up, nup,
			    &names[nnames], err)) < 0)
				goto out;
			path = names[nnames++];
			rp->res->renamed++;
		} else {
			if ((rc = add_conflict(rp, c, path, base_present,
			    &d->old_id, ours_present, &d->new_id,
			    theirs_present, &theirs, err)) < 0)
				goto out;
			skip = true;
			continue;
		}
		up[nup].path = path;
		if (ours_present) {
			up[nup].action = GIT_TREE_UPDATE_UPSERT;
			git_oid_cpy(&up[nup].id, &d->new_id);
			up[nup].filemode = d->new_mode;
		} else {
			up[nup].action = GIT_TREE_UPDATE_REMOVE;
		}
		nup++;
	}
	if (skip) {
		for (i = 0; i < n && rc == 0; i++) {
			rc = poison(rp, ch[i].path, err);
		}
		if (rc == 0)
			rc = add_skipped(rp, c, err);
		goto out;
	}
	if (nup == 0 || git_tree_create_updated(&tree_id, rp->repo,
	    rp->tip_tree, nup, up) < 0) {
		if (nup > 0)
			rc = ct_git_fail(err, "building a tree");
		else
			rp->res->dropped++;
		goto out;
	}
	if (git_oid_equal(&tree_id, git_tree_id(rp->tip_tree))) {
		rp->res->dropped++;
		goto out;
	}
	if (git_tree_lookup(&newtree, rp->repo, &tree_id) < 0) {
		rc = ct_git_fail(err, "reading a new tree");
		goto out;
	}
	parents[0] = rp->tip;
	if ((rc = ct_store_commit_create(rp->st, &commit_id,
	    git_commit_author(c), rp->committer, git_commit_message_raw(c),
	    newtree, 1, parents, err)) < 0)
		goto out;
	git_commit_free(rp->tip);
	git_tree_free(rp->tip_tree);
	rp->tip = NULL;
	rp->tip_tree = newtree;
	newtree = NULL;
	if (git_commit_lookup(&rp->tip, rp->repo, &commit_id) < 0) {
		rc = ct_git_fail(err, "reading a new commit");
		goto out;
	}
	rp->res->replayed++;
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(up);
	ct_tree_changes_free(ch, n);
	git_tree_free(newtree);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(parent);
	return rc;
}

/* Replay local..base onto the remote's tip. */
static int
replay(struct replay *rp, const git_oid *local, ct_error *err)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid id;
	int rc, wrc;

	if ((rc = committer(rp, err)) < 0)
		return rc;
	if (git_commit_lookup(&rp->tip, rp->repo, &rp->remote) < 0 ||
	    git_commit_tree(&rp->tip_tree, rp->tip) < 0)
		return ct_git_fail(err, "reading the remote's tip");
	if (git_revwalk_new(&walk, rp->repo) < 0 ||
	    git_revwalk_push(walk, local) < 0 ||
	    git_revwalk_hide(walk, &rp->remote) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_REVERSE) < 0) {
		rc = ct_git_fail(err, "walking the local history");
		goto out;
	}
	git_revwalk_simplify_first_parent(walk);
	while ((wrc = git_revwalk_next(&id, walk)) == 0) {
		if (git_commit_lookup(&c, rp->repo, &id) < 0) {
			rc = ct_git_fail(err, "reading a local commit");
			goto out;
		}
		rc = replay_one(rp, c, err);
		git_commit_free(c);
		if (rc < 0)
			goto out;
	}
	if (wrc != GIT_ITEROVER)
		rc = ct_git_fail(err, "walking the local history");
out:
	git_revwalk_free(walk);
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
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < cnt; i++)
		if ((v[i] = strdup(ch[i].path)) == NULL) {
			rc = oom(err);
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
set_aside(struct replay *rp, const git_oid *local, ct_error *err)
{
	git_reference *ref = NULL;
	char stamp[32], *name = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int i, grc = GIT_EEXISTS;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 1; i <= 100 && grc == GIT_EEXISTS; i++) {
		free(name);
		if ((i == 1 ? asprintf(&name, "refs/heads/set-aside/%s",
		    stamp) : asprintf(&name, "refs/heads/set-aside/%s-%d",
		    stamp, i)) < 0)
			return oom(err);
		grc = git_reference_create(&ref, rp->repo, name, local, 0,
		    "store-sync: set aside the commits that conflicted");
	}
	git_reference_free(ref);
	if (grc < 0) {
		free(name);
		return ct_git_fail(err, "creating a set-aside branch");
	}
	rp->res->set_aside = strdup(name + strlen("refs/heads/"));
	free(name);
	return rp->res->set_aside == NULL ? oom(err) : 0;
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

/* Move the branch from local to tip; then the index and work tree. */
static int
move_branch(struct replay *rp, const git_oid *local, const git_oid *tip,
    ct_error *err)
{
	git_reference *ref = NULL;
	char **paths = NULL;
	size_t i, n;
	int rc, grc;

	if ((rc = changed_paths(rp->repo, local, tip, &paths, &n, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (!inside_worktree(paths[i])) {
			rc = ct_error_set(err, CT_EINVALID, "'%s': a path "
			    "outside the work tree or inside .git; nothing "
			    "was changed", paths[i]);
			goto out;
		}
	if ((rc = ct_store_check_clean(rp->st, (const char *const *)paths, n,
	    err)) < 0)
		goto out;
	if (rp->res->nskipped > 0 && (rc = set_aside(rp, local, err)) < 0)
		goto out;
	grc = git_reference_create_matching(&ref, rp->repo, CT_BRANCH, tip,
	    1, local, "store-sync: onto the remote's tip");
	git_reference_free(ref);
	if (grc == GIT_EMODIFIED || grc == GIT_EEXISTS || grc == GIT_ELOCKED)
		rc = ct_error_set(err, CT_ECONFLICT, "%s moved during the "
		    "sync (a git command?); run store-sync again", CT_BRANCH);
	else if (grc < 0)
		rc = ct_git_fail(err, "updating " CT_BRANCH);
	if (rc < 0) {
		if (rp->res->set_aside != NULL) {
			char *full = NULL;
			git_reference *sa = NULL;

			if (asprintf(&full, "refs/heads/%s",
			    rp->res->set_aside) >= 0 &&
			    git_reference_lookup(&sa, rp->repo, full) == 0)
				git_reference_delete(sa);
			git_reference_free(sa);
			free(full);
			free(rp->res->set_aside);
			rp->res->set_aside = NULL;
		}
		goto out;
	}
	rc = ct_store_sync_paths(rp->st, (const char *const *)paths, n,
	    &rp->res->warning, err);
out:
	ct_strv_free(paths);
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

int
ct_sync_rebase(ct_store *st, const char *remote_tip, unsigned flags,
    ct_sync_result *res, ct_error *err)
{
	struct replay rp = { .st = st, .repo = ct_store_repo(st), .res = res,
	    .flags = flags };
	git_oid local, tip;
	size_t i;
	int lockfd = -1, rc, grc;

	memset(res, 0, sizeof(*res));
	if ((rc = ct_store_lock(st, NULL, &lockfd, err)) < 0)
		return rc;
	if (git_reference_name_to_id(&local, rp.repo, CT_BRANCH) < 0) {
		rc = ct_git_fail(err, "reading " CT_BRANCH);
		goto out;
	}
	if ((rc = parse_tip(rp.repo, remote_tip, &rp.remote, err)) < 0)
		goto out;
	git_oid_tostr(res->local, sizeof(res->local), &local);
	git_oid_tostr(res->remote, sizeof(res->remote), &rp.remote);
	if (git_oid_equal(&local, &rp.remote)) {
		res->state = CT_SYNC_UP_TO_DATE;
		memcpy(res->tip, res->local, sizeof(res->tip));
		goto out;
	}
	grc = git_merge_base(&rp.base, rp.repo, &local, &rp.remote);
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
	if (git_oid_equal(&rp.base, &rp.remote)) {
		res->state = CT_SYNC_AHEAD;
		memcpy(res->tip, res->local, sizeof(res->tip));
		goto out;
	}
	if (git_oid_equal(&rp.base, &local)) {
		git_oid_cpy(&tip, &rp.remote);
		res->state = CT_SYNC_FAST_FORWARD;
	} else {
		if ((rc = replay(&rp, &local, err)) < 0)
			goto out;
		if (res->nconflicts > 0 && !(flags & CT_SYNC_SET_ASIDE)) {
			res->state = CT_SYNC_CONFLICT;
			goto out;
		}
		git_oid_cpy(&tip, git_commit_id(rp.tip));
		res->state = git_oid_equal(&tip, &rp.remote) ?
		    CT_SYNC_FAST_FORWARD : CT_SYNC_REPLAYED;
	}
	if ((rc = move_branch(&rp, &local, &tip, err)) < 0)
		goto out;
	git_oid_tostr(res->tip, sizeof(res->tip), &tip);
out:
	ct_store_unlock(lockfd);
	for (i = 0; i < rp.npoisoned; i++)
		free(rp.poisoned[i]);
	free(rp.poisoned);
	git_tree_free(rp.tip_tree);
	git_commit_free(rp.tip);
	git_signature_free(rp.committer);
	if (rc < 0) {
		ct_sync_result_clear(res);
		res->tip[0] = '\0';
	}
	return rc;
}
