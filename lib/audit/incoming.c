/*
 * What a fetch brought, checked before it is taken (incoming.h).
 *
 * The remembered tip is a plain ref beside the branches, so git log,
 * git update-ref and git for-each-ref see it, and clones and pushes of
 * the branches leave it out.  "Descends from" is git_graph_descendant_of(),
 * over every parent, not only the first.  The verification is ct_verify()
 * itself, with its own handle on the repository, so it sees the objects
 * the fetch wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "casetrail/incoming.h"

/* refs/casetrail/synced/<remote>, in new memory. */
static int
synced_ref(const char *remote, char **name, ct_error *err)
{
	int valid = 0;

	if (asprintf(name, CT_SYNCED_REFS "%s", remote) < 0) {
		*name = NULL;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	if (git_reference_name_is_valid(&valid, *name) < 0 || !valid ||
	    strchr(remote, '/') != NULL) {
		free(*name);
		*name = NULL;
		return ct_error_set(err, CT_EINVALID,
		    "'%s' is not a remote name", remote);
	}
	return 0;
}

/* ct_verify over merge-base(main, tip)..tip. */
static int
verify_new(ct_store *st, const git_oid *tip, ct_verify_fn fn, void *arg,
    ct_incoming *in, ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	ct_verify_opts o = { .fn = fn, .arg = arg };
	git_oid local, base;
	int rc, grc;

	if (git_reference_name_to_id(&local, repo, CT_BRANCH) < 0)
		return ct_git_fail(err, "reading " CT_BRANCH);
	grc = git_merge_base(&base, repo, &local, tip);
	if (grc == GIT_ENOTFOUND)
		return ct_error_set(err, CT_EINVALID, "the remote's history "
		    "has nothing in common with this store's: is it a clone "
		    "of another store?");
	if (grc < 0)
		return ct_git_fail(err, "finding the merge base");
	git_oid_tostr(in->base, sizeof(in->base), &base);
	if (git_oid_equal(&base, tip))
		return 0;       /* nothing new */
	o.since = in->base;
	o.tip = in->tip;
	if ((rc = ct_verify(st, &o, &in->problems, err)) != 0)
		return rc;
	if (in->problems > 0)
		in->state = CT_INCOMING_PROBLEMS;
	return 0;
}

int
ct_incoming_check(ct_store *st, const char *remote, const char *remote_ref,
    ct_verify_fn fn, void *arg, ct_incoming *in, ct_error *err)
{
	git_repository *repo = ct_store_repo(st);
	git_oid tip, synced;
	char *name = NULL;
	int rc, grc;

	memset(in, 0, sizeof(*in));
	if ((rc = synced_ref(remote, &name, err)) < 0)
		return rc;
	grc = git_reference_name_to_id(&tip, repo, remote_ref);
	if (grc == GIT_ENOTFOUND) {
		rc = ct_error_set(err, CT_ENOTFOUND, "%s: no such branch "
		    "(has the remote been fetched?)", remote_ref);
		goto out;
	}
	if (grc < 0) {
		rc = ct_git_fail(err, remote_ref);
		goto out;
	}
	git_oid_tostr(in->tip, sizeof(in->tip), &tip);
	grc = git_reference_name_to_id(&synced, repo, name);
	if (grc < 0 && grc != GIT_ENOTFOUND) {
		rc = ct_git_fail(err, name);
		goto out;
	}
	if (grc == 0) {
		git_oid_tostr(in->synced, sizeof(in->synced), &synced);
		grc = git_oid_equal(&tip, &synced) ? 1 :
		    git_graph_descendant_of(repo, &tip, &synced);
		if (grc < 0) {
			rc = ct_git_fail(err, "comparing the fetched tip with "
			    "the last one synced with");
			goto out;
		}
		if (grc == 0) {
			in->state = CT_INCOMING_REWRITTEN;
			goto out;
		}
	}
	rc = verify_new(st, &tip, fn, arg, in, err);
out:
	free(name);
	return rc;
}

int
ct_incoming_record(ct_store *st, const char *remote, const char *tip,
    ct_error *err)
{
	git_reference *ref = NULL;
	git_oid id;
	char *name = NULL;
	int rc;

	if (strlen(tip) != GIT_OID_HEXSZ || git_oid_fromstr(&id, tip) < 0)
		return ct_error_set(err, CT_EINVALID, "'%s' is not a commit "
		    "id", tip);
	if ((rc = synced_ref(remote, &name, err)) < 0)
		return rc;
	if (git_reference_create(&ref, ct_store_repo(st), name, &id, 1,
	    "store-sync: in sync") < 0)
		rc = ct_git_fail(err, name);
	git_reference_free(ref);
	free(name);
	return rc;
}
