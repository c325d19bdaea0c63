/*
 * store-policy: show or change a store's deadline rules, LSI-R bands or
 * holiday calendars, checked as their readers load them, in one commit by
 * an administrator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "edit.h"
#include "casetrail/diff.h"
#include "casetrail/embedded.h"
#include "casetrail/kind.h"
#include "casetrail/policyfile.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON_HELP("why the file changes (the commit's Reason)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: store-policy [-C dir] show file\n"
"       store-policy [-C dir] [-n] [-m reason] set file newfile|-\n"
"       store-policy [-C dir] [-n] [-m reason] edit file\n",
	.about =
"Show or change one of the store's policy files: casetrail.yaml (the\n"
"settings; the jurisdiction stays), rules/deadlines.yaml,\n"
"rules/lsi-r-bands.yaml, calendars/ACT.yaml or calendars/VIC.yaml.\n"
"show prints the file as HEAD has it; set replaces it with newfile (-\n"
"for stdin); edit opens a copy in $VISUAL or $EDITOR (checked on save\n"
"and re-opened with the errors at the top).  The new file is checked\n"
"as deadline-check and assess-add will read it (YAML, schema, the\n"
"reader's own checks) and kept as written, comments included.  The\n"
"changed fields are printed.  One commit, by an administrator; none\n"
"when no field changes.\n",
	.opts = opts,
	.status = CLI_STATUS_ONE,
};

struct ctx {
	const char *path;      /* the store path */
	const char *buf;       /* the new content */
	size_t len;
	ct_node *doc;          /* ... parsed (owned) */
	char *fields;          /* the field-level diff of the last try */
	size_t nfields;
	bool added;            /* the file was not at HEAD */
};

/* The subject: "<path> changed (N fields)" or "<path> added (...)";
 * NULL when out of memory. */
static char *
subject_of(const struct ctx *c)
{
	char *s;

	return asprintf(&s, "%s %s (%zu field%s)", c->path, c->added ?
	    "added" : "changed", c->nfields, c->nfields == 1 ? "" : "s") < 0 ?
	    NULL : s;
}

/* The fields changed from the file as snap has it to the new one. */
static int
diff_against(ct_snapshot *snap, struct ctx *c, ct_error *err)
{
	ct_node *old = NULL;
	int rc;

	free(c->fields);
	c->fields = NULL;
	rc = ct_snapshot_parse(snap, c->path, &old, err);
	c->added = rc == CT_ENOTFOUND;
	if (rc == CT_ENOTFOUND || rc == CT_EINVALID) {
		ct_error_clear(err);   /* absent or not YAML: all fields new */
		rc = 0;
	}
	if (rc == 0)
		rc = ct_node_diff(old, c->doc, &c->fields, &c->nfields, err);
	ct_node_free(old);
	return rc;
}

/* The writer holds the role the kind table gives the file (the change
 * policy decides; this gives the clearer message, before any editing). */
static int
require_admin(ct_txn *txn, const char *path, ct_error *err)
{
	const char *me = ct_txn_operator(txn);
	const char *role = ct_kind_of(path)->change_role;
	char *what;
	int rc;

	if (me == NULL || role == NULL)  /* bootstrap: the policy judges it */
		return 0;
	if (asprintf(&what, "changing %s", path) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	rc = ct_txn_require_role(txn, what, me, role, err);
	free(what);
	return rc;
}

static int
admin_only(ct_txn *txn, void *arg, ct_error *err)
{
	return require_admin(txn, ((struct ctx *)arg)->path, err);
}

static int
replace(ct_txn *txn, void *arg, ct_error *err)
{
	struct ctx *c = arg;
	char *subject;
	int rc;

	if ((rc = require_admin(txn, c->path, err)) < 0 ||
	    (rc = diff_against(ct_txn_snapshot(txn), c, err)) < 0)
		return rc;
	if (c->nfields == 0)   /* changed meanwhile to what is asked */
		return 0;
	if ((subject = subject_of(c)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((rc = ct_txn_set_subject(txn, subject, err)) == 0)
		rc = ct_txn_put_raw(txn, c->path, c->buf, c->len, err);
	free(subject);
	return rc;
}

/* The editor's check: the file as a policy file of its path. */
static int
load(const char *text, size_t len, const char *name, void *arg,
    ct_node **doc, ct_error *err)
{
	return ct_policyfile_check(((const struct ctx *)arg)->path, text, len,
	    name, doc, err);
}

/* The file at HEAD; NULL (*len 0) when absent.  Dies on another error. */
static char *
read_head(ct_store *st, const char *path, size_t *len)
{
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	char *buf = NULL;
	int rc;

	*len = 0;
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	rc = ct_snapshot_read(snap, path, &buf, len, &err);
	ct_snapshot_free(snap);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(&err);
		return NULL;
	}
	if (rc < 0)
		cli_die_err(&err);
	return buf;
}

/* The text to start editing from: HEAD's, else the built-in default. */
static char *
edit_start(ct_store *st, const char *path, size_t *len)
{
	const struct ct_embedded_file *f;
	const char *base = strrchr(path, '/') + 1;
	char *buf, *name;

	if ((buf = read_head(st, path, len)) != NULL)
		return buf;
	if (asprintf(&name, "%s%s", strncmp(path, "calendars/", 10) == 0 ?
	    "calendar-" : "", base) < 0)
		cli_die("out of memory");
	f = ct_embedded_find(name);
	free(name);
	if (f == NULL || (buf = strndup(f->text, f->len)) == NULL)
		cli_die("out of memory");
	*len = f->len;
	return buf;
}

static void
show(ct_store *st, const char *path)
{
	size_t len;
	char *buf = read_head(st, path, &len);

	if (buf == NULL)
		cli_die("%s: not in the store at HEAD", path);
	cli_print_lines(buf);
	free(buf);
}

/* edit: the file edited (cli_edit_doc's result), after checking the
 * writer may change it, so that no one edits what they cannot commit. */
static int
edit_file(ct_store *st, ct_commit_spec *spec, struct ctx *c, char **buf,
    size_t *len)
{
	unsigned flags = spec->flags;
	ct_write_result res;
	ct_error err = { 0 };
	char *start;
	size_t startlen;
	int rc;

	spec->flags |= CT_WRITE_DRY_RUN;
	if (ct_store_write(st, spec, admin_only, c, &res, &err) < 0)
		cli_die_err(&err);
	ct_write_result_clear(&res);
	spec->flags = flags;   /* a -n of the writer's stays */
	start = edit_start(st, c->path, &startlen);
	rc = cli_edit_doc(start, startlen, CLI_EDIT_ERRORS_IN_FILE, load, c,
	    &c->doc, buf, len);
	free(start);
	return rc;
}

static const char *const commands[] = { "show", "set", "edit", NULL };

int
main(int argc, char **argv)
{
	ct_commit_spec spec = { .tool = "store-policy", .version = CT_VERSION };
	struct ctx c = { 0 };
	const char *verb, *name;
	char *buf = NULL, *subject, *old;
	size_t len = 0, oldlen;
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	ct_store *st;
	int rc;

	if (cli_next(&cmd, argc, argv) != -1)
		cli_usage();
	cli_spec(&spec);
	if (argc - optind < 2)
		cli_usage();
	verb = argv[optind];
	cli_command(verb, commands);
	c.path = argv[optind + 1];
	if (argc - optind != (strcmp(verb, "set") == 0 ? 3 : 2))
		cli_usage();
	if (!ct_policyfile_is(c.path))
		cli_die("%s: not a policy file; store-policy changes %s", c.path,
		    ct_policyfile_list());
	cli_check_text("--reason", spec.reason);
	st = cli_open_store(cli.dir);
	if (strcmp(verb, "show") == 0) {
		show(st, c.path);
		ct_store_free(st);
		return 0;
	}

	spec.action = verb;
	spec.record = c.path;
	spec.subject = c.path;
	if (strcmp(verb, "set") == 0) {
		name = argv[optind + 2];
		buf = cli_read_input("set", name, &len);
		if (ct_policyfile_check(c.path, buf, len, strcmp(name, "-") ?
		    name : "(standard input)", &c.doc, &err) < 0)
			cli_die_err(&err);
	} else if ((rc = edit_file(st, &spec, &c, &buf, &len)) !=
	    CLI_EDIT_CHANGED) {
		ct_store_free(st);
		return rc == CLI_EDIT_UNCHANGED ? 0 : EXIT_ERROR;
	}
	c.buf = buf;
	c.len = len;

	old = read_head(st, c.path, &oldlen);
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0 ||
	    diff_against(snap, &c, &err) < 0)
		cli_die_err(&err);
	ct_snapshot_free(snap);
	if (c.nfields == 0) {
		cli_warn("%s: %snothing to change", c.path, old != NULL &&
		    (oldlen != len || memcmp(old, buf, len) != 0) ?
		    "only comments or layout differ: " : "");
		goto out;
	}
	if ((subject = subject_of(&c)) == NULL)
		cli_die("out of memory");
	spec.subject = subject;
	cli_write(st, &spec, replace, &c);
	cli_print_lines(c.fields);
	free(subject);
out:
	free(old);
	free(c.fields);
	free(buf);
	ct_node_free(c.doc);
	ct_store_free(st);
	return 0;
}
