/*
 * store-init (store.h ct_store_init): a new repository on main, and one
 * first write of the settings, the empty registries and the shipped
 * rules and calendar; on failure, what it created is removed again.
 */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "casetrail/date.h"
#include "casetrail/embedded.h"
#include "casetrail/sign.h"
#include "casetrail/trailers.h"
#include "store_int.h"

static const char *
default_timezone(ct_jurisdiction j)
{
	return j == CT_JUR_ACT ? "Australia/Canberra" : "Australia/Melbourne";
}

struct init_arg {
	const ct_init_opts *opts;
};

static int
put_text(ct_txn *txn, const char *path, const char *text, ct_error *err)
{
	return ct_txn_put_raw(txn, path, text, strlen(text), err);
}

/* casetrail.yaml from its fixed text, with the signing key when given
 * (through the emitter, which quotes it as needed). */
static int
put_settings(ct_txn *txn, const char *text, const char *key, ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	if (key == NULL)
		return put_text(txn, CT_SETTINGS_PATH, text, err);
	if ((rc = ct_yaml_load(text, strlen(text), CT_SETTINGS_PATH, &doc,
	    err)) < 0)
		return rc;
	rc = ct_map_set(ct_map_get(doc, "signing"), "key",
	    ct_node_new_str(key));
	if (rc < 0)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	else
		rc = ct_txn_put(txn, CT_SETTINGS_PATH, doc, err);
	ct_node_free(doc);
	return rc;
}

static int
init_fn(ct_txn *txn, void *arg, ct_error *err)
{
	const ct_init_opts *opts = ((struct init_arg *)arg)->opts;
	const struct ct_embedded_file *rules, *cal, *bands;
	const char *jur = ct_jurisdiction_name(opts->jurisdiction);
	char *settings = NULL, *calname = NULL, *calpath = NULL;
	int rc;

	if (asprintf(&settings,
	    "format: 1\n"
	    "jurisdiction: %s\n"
	    "timezone: %s\n"
	    "approval_roles:\n"
	    "  custodial: cmu-team-leader\n"
	    "  community: community-team-leader\n"
	    "signing:\n"
	    "  format: %s\n", jur,
	    opts->timezone ? opts->timezone :
	    default_timezone(opts->jurisdiction),
	    ct_sign_format_name(opts->signing)) < 0 ||
	    asprintf(&calname, "calendar-%s.yaml", jur) < 0 ||
	    asprintf(&calpath, "calendars/%s.yaml", jur) < 0) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	rules = ct_embedded_find("deadlines.yaml");
	cal = ct_embedded_find(calname);
	if ((rc = put_settings(txn, settings, opts->signing_key, err)) < 0 ||
	    (rc = put_text(txn, CT_AGENCIES_PATH, "agencies: []\n", err)) < 0 ||
	    (rc = put_text(txn, CT_OPERATORS_PATH, "operators: []\n",
	    err)) < 0)
		goto out;
	if (rules != NULL &&
	    (rc = ct_txn_put_raw(txn, CT_RULES_PATH, rules->text, rules->len,
	    err)) < 0)
		goto out;
	if (cal != NULL &&
	    (rc = ct_txn_put_raw(txn, calpath, cal->text, cal->len, err)) < 0)
		goto out;
	if ((bands = ct_embedded_find("lsi-r-bands.yaml")) != NULL && (rc =
	    ct_txn_put_raw(txn, "rules/lsi-r-bands.yaml", bands->text,
	    bands->len, err)) < 0)
		goto out;
out:
	free(settings);
	free(calname);
	free(calpath);
	return rc;
}

static bool
dir_is_empty(const char *dir)
{
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return false;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

/* Fail before anything is created when git has no identity to commit as. */
static int
check_identity(ct_error *err)
{
	git_config *cfg = NULL;
	git_buf name = { 0 }, email = { 0 };
	int ok;

	ok = git_config_open_default(&cfg) == 0 &&
	    git_config_get_string_buf(&name, cfg, "user.name") == 0 &&
	    git_config_get_string_buf(&email, cfg, "user.email") == 0;
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return ok ? 0 : ct_error_set(err, CT_EINVALID,
	    "no git identity: set user.name and user.email "
	    "(git config --global user.email you@example.org)");
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Undo a failed store-init: what it created, and nothing else. */
static void
init_undo(const char *dir, bool created)
{
	char *git = NULL;

	if (created) {
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	if (asprintf(&git, "%s/.git", dir) >= 0)
		nftw(git, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(git);
}

int
ct_store_init(const char *dir, const ct_init_opts *opts, ct_error *err)
{
	git_repository_init_options io;
	git_repository *repo = NULL;
	ct_store *st = NULL;
	ct_commit_spec spec = { 0 };
	ct_write_result res = { 0 };
	struct init_arg arg = { opts };
	struct stat sb;
	bool created;
	int rc;

	if ((rc = ct_init(err)) < 0)
		return rc;
	if (opts->jurisdiction == CT_JUR_NONE)
		return ct_error_set(err, CT_EINVALID,
		    "--jurisdiction must be ACT or VIC");
	if (opts->timezone != NULL &&
	    ((rc = ct_text_check("--timezone", opts->timezone, err)) < 0 ||
	    (rc = ct_date_today(opts->timezone, 0, &(ct_date){ 0 }, err)) < 0))
		return rc;
	if (opts->signing_key != NULL &&
	    (rc = ct_text_check("--signing-key", opts->signing_key, err)) < 0)
		return rc;
	if (opts->signing_key != NULL && opts->signing == CT_SIGN_NONE)
		return ct_error_set(err, CT_EINVALID,
		    "--signing-key needs --signing ssh or openpgp");
	if ((rc = check_identity(err)) < 0)
		return rc;
	created = stat(dir, &sb) < 0;
	if (!created) {
		if (!S_ISDIR(sb.st_mode))
			return ct_error_set(err, CT_EEXISTS,
			    "%s: exists and is not a directory", dir);
		if (git_repository_open_ext(&repo, dir,
		    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
			git_repository_free(repo);
			return ct_error_set(err, CT_EEXISTS,
			    "%s: already a git repository; refusing to "
			    "initialise a store in it", dir);
		}
		if (!dir_is_empty(dir))
			return ct_error_set(err, CT_EEXISTS,
			    "%s: directory is not empty and not a store", dir);
	}
	git_repository_init_options_init(&io,
	    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	if (opts->no_worktree)
		io.flags |= GIT_REPOSITORY_INIT_BARE;
	io.initial_head = "main";
	if (git_repository_init_ext(&repo, dir, &io) < 0)
		return ct_git_fail(err, dir);
	if ((rc = store_new(repo, &st, err)) < 0) {
		git_repository_free(repo);
		init_undo(dir, created);
		return rc;
	}
	st->jurisdiction = opts->jurisdiction;
	st->sign = opts->signing;  /* the first commit is signed too */
	if (opts->signing_key != NULL &&
	    (st->sign_key = strdup(opts->signing_key)) == NULL)
		rc = ct_error_set(err, CT_ERROR, "out of memory");
	spec.tool = opts->tool;
	spec.version = opts->version;
	spec.subject = "new store";
	spec.action = "init";
	spec.flags = CT_WRITE_BOOTSTRAP;
	if (rc == 0)
		rc = ct_store_write(st, &spec, init_fn, &arg, &res, err);
	if (rc == 0 && res.warning != NULL)
		rc = ct_error_set(err, CT_ERROR, "%s", res.warning);
	ct_write_result_clear(&res);
	ct_store_free(st);
	if (rc < 0)
		init_undo(dir, created);
	return rc;
}
