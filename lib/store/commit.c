/*
 * Commit objects (store.h): every commit the tools make is created here,
 * signed when the store's settings say so, with the writer's key.
 */
#include <stdlib.h>

#include <git2.h>

#include "casetrail/sign.h"
#include "store_int.h"

/*
 * The key a signing writer uses: git config user.signingKey, else the
 * store's signing.key; "~/" is expanded as git does.
 */
static int
signing_key(ct_store *st, git_buf *key, ct_error *err)
{
	git_config *cfg = NULL;
	int rc = 0, grc = GIT_ENOTFOUND;

	if (git_repository_config_snapshot(&cfg, st->repo) == 0)
		grc = git_config_get_path(key, cfg, "user.signingkey");
	git_config_free(cfg);
	if (grc == GIT_ENOTFOUND && st->sign_key != NULL)
		grc = git_config_parse_path(key, st->sign_key);
	if (grc == GIT_ENOTFOUND)
		rc = ct_error_set(err, CT_EINVALID, "the store signs every "
		    "commit (%s signing.format: %s) but no key is set: set "
		    "git config user.signingKey, or signing.key in %s",
		    CT_SETTINGS_PATH, ct_sign_format_name(st->sign),
		    CT_SETTINGS_PATH);
	else if (grc < 0)
		rc = ct_git_fail(err, "reading user.signingKey");
	return rc;
}

int
ct_store_sign_buffer(ct_store *st, const char *data, size_t len, char **sig,
    ct_error *err)
{
	git_buf key = GIT_BUF_INIT;
	int rc;

	*sig = NULL;
	if (st->sign == CT_SIGN_NONE)
		return 0;
	if ((rc = signing_key(st, &key, err)) == 0)
		rc = ct_sign(st->sign, key.ptr, st->gitdir, data, len, sig, err);
	git_buf_dispose(&key);
	return rc;
}

int
ct_store_commit_create(ct_store *st, git_oid *out, const git_signature *sig,
    const char *msg, const git_tree *tree, size_t nparents,
    const git_commit **parents, ct_error *err)
{
	git_buf content = GIT_BUF_INIT, key = GIT_BUF_INIT;
	char *signature = NULL;
	int rc;

	if (st->sign == CT_SIGN_NONE) {
		if (git_commit_create(out, st->repo, NULL, sig, sig, NULL,
		    msg, tree, nparents, parents) < 0)
			return ct_git_fail(err, "creating commit");
		return 0;
	}
	if (git_commit_create_buffer(&content, st->repo, sig, sig, NULL,
	    msg, tree, nparents, parents) < 0) {
		rc = ct_git_fail(err, "creating commit");
		goto out;
	}
	if ((rc = signing_key(st, &key, err)) < 0 ||
	    (rc = ct_sign(st->sign, key.ptr, st->gitdir, content.ptr,
	    content.size, &signature, err)) < 0)
		goto out;
	if (git_commit_create_with_signature(out, st->repo, content.ptr,
	    signature, NULL) < 0)
		rc = ct_git_fail(err, "creating the signed commit");
out:
	free(signature);
	git_buf_dispose(&key);
	git_buf_dispose(&content);
	return rc;
}
