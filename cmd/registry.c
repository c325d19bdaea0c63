/*
 * registry: add and list the agencies and operators of a store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "casetrail/buf.h"
#include "casetrail/case.h"
#include "casetrail/output.h"
#include "casetrail/registry.h"
#include "casetrail/sign.h"
#include "casetrail/trailers.h"

static const char usage[] =
"usage: registry [-C dir] [-n] [-m reason] add-agency id --name name\n"
"                [--map-member] [--funded-by agency]\n"
"       registry [-C dir] [-n] [-m reason] add-operator id --name name\n"
"                --email email --role role[,role...] [--agency agency]\n"
"                [--signing-key file]\n"
"       registry [-C dir] [-n] [-m reason] set-key id --signing-key file\n"
"       registry [-C dir] [-n] [-m reason] set-roles id --role role[,role...]\n"
"       registry [-C dir] [-n] [-m reason] deactivate|reactivate id\n"
"       registry [-C dir] list [agencies|operators] [--format text|json]\n"
"\n"
"Keep the store's registries: agencies (registry/agencies.yaml) and the\n"
"people who may write to the store (registry/operators.yaml).  Every\n"
"addition is one commit.  While no operator is registered, any git\n"
"identity may add agencies, and the first operator must be that identity\n"
"with the administrator role; after that, only operators with the\n"
"administrator role may change the registries.  A deactivated operator\n"
"stays in the registry (and their past commits stay valid) but can no\n"
"longer write; the last active administrator cannot be deactivated.\n"
"\n"
"  -C dir               the store (default $CASETRAIL_STORE, else .)\n"
"  -n, --dry-run        print the change, commit nothing\n"
"  -m, --reason text    the Reason trailer of the commit\n"
"      --name name      display name\n"
"      --map-member     the agency is a member of the Multi-Agency Panel\n"
"      --funded-by id   the member agency that funds this service\n"
"      --email email    the operator's git user.email\n"
"      --role roles     comma-separated: case-manager, cmu-team-leader,\n"
"                       community-team-leader, soct-officer, map-member,\n"
"                       auditor, community-corrections-officer,\n"
"                       administrator\n"
"      --agency id      the operator's agency\n"
"      --signing-key file  the operator's public key for signed commits:\n"
"                       an ssh .pub file (kept in registry/allowed_signers)\n"
"                       or an armored OpenPGP public key (kept in\n"
"                       registry/openpgp/ID.asc); set-key replaces it\n"
"      --format f       list output: text (default) or json\n"
"  -h, --help           show this help\n"
"      --version        print the version\n"
"\n"
"Exit status: 0 ok, 2 error (nothing changed).\n";

struct args {
	const char *cmd, *id, *name, *email, *roles, *agency, *funded_by;
	const char *keyfile;
	ct_sign_format keyformat;
	char *key;           /* the public key read from keyfile */
	bool map_member;
};

static ct_node *
str(const char *s)
{
	ct_node *n = ct_node_new_str(s);

	if (n == NULL)
		cli_die("out of memory");
	return n;
}

/*
 * Once the first operator is registered, the registries are kept by
 * operators with the administrator role.
 */
static int
check_admin(ct_txn *txn, ct_error *err)
{
	const char *me = ct_txn_operator(txn);

	if (me == NULL)  /* bootstrap: nobody is registered yet */
		return 0;
	return ct_txn_require_role(txn, "changing the registries", me,
	    "administrator", err);
}

static int
add_agency(ct_txn *txn, void *arg, ct_error *err)
{
	struct args *a = arg;
	ct_node *doc = NULL, *e;
	int rc;

	if ((rc = check_admin(txn, err)) < 0)
		return rc;
	if ((rc = ct_txn_load(txn, CT_AGENCIES_PATH, &doc,
	    err)) < 0)
		return rc;
	if (ct_registry_find(doc, "agencies", "id", a->id) != NULL) {
		rc = ct_error_set(err, CT_EEXISTS,
		    "agency '%s' is already registered", a->id);
		goto out;
	}
	if (a->funded_by != NULL &&
	    ct_registry_find(doc, "agencies", "id", a->funded_by) == NULL) {
		rc = ct_error_set(err, CT_EINVALID,
		    "--funded-by: no agency '%s' is registered", a->funded_by);
		goto out;
	}
	if ((e = ct_node_new_map()) == NULL)
		cli_die("out of memory");
	ct_map_set(e, "id", str(a->id));
	ct_map_set(e, "name", str(a->name));
	if (a->map_member)
		ct_map_set(e, "map_member", ct_node_new_bool(true));
	if (a->funded_by != NULL)
		ct_map_set(e, "funded_by", str(a->funded_by));
	if (ct_seq_push(ct_map_get(doc, "agencies"), e) < 0)
		cli_die("out of memory");
	rc = ct_txn_put(txn, CT_AGENCIES_PATH, doc, err);
out:
	ct_node_free(doc);
	return rc;
}

/* Drop the lines of allowed_signers that belong to email (and the
 * "# id" comment line the registry writes above each). */
static void
drop_signer(ct_buf *out, const char *text, size_t len, const char *email)
{
	const char *s = text, *end = text + len, *e, *next;
	size_t elen = strlen(email);

	for (; s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		if (*s == '#' && e < end) {
			next = e + 1;
			if ((size_t)(end - next) > elen &&
			    memcmp(next, email, elen) == 0 && next[elen] == ' ')
				continue;
		}
		if ((size_t)(e - s) > elen && memcmp(s, email, elen) == 0 &&
		    s[elen] == ' ')
			continue;
		ct_buf_add(out, s, (size_t)(e - s));
		ct_buf_putc(out, '\n');
	}
}

/* Register the operator's public key (ssh or OpenPGP, by its content). */
static int
put_key(ct_txn *txn, const struct args *a, const ct_node *op, ct_error *err)
{
	const char *id = ct_map_str(op, "id"), *email = ct_map_str(op, "email");
	ct_buf b = { 0 };
	char *text = NULL, *path = NULL;
	size_t len = 0;
	int rc;

	if (a->keyformat == CT_SIGN_OPENPGP) {
		if (asprintf(&path, "%s/%s.asc", CT_OPENPGP_KEYS_DIR, id) < 0)
			cli_die("out of memory");
		rc = ct_txn_put_raw(txn, path, a->key, strlen(a->key), err);
		free(path);
		return rc;
	}
	rc = ct_txn_read(txn, CT_ALLOWED_SIGNERS_PATH, &text, &len, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		return rc;
	drop_signer(&b, text != NULL ? text : "", len, email);
	ct_buf_printf(&b, "# %s\n%s namespaces=\"git\" %s\n", id, email,
	    a->key);
	if (b.failed)
		cli_die("out of memory");
	rc = ct_txn_put_raw(txn, CT_ALLOWED_SIGNERS_PATH, b.s, b.len, err);
	ct_buf_free(&b);
	free(text);
	return rc;
}

static int
set_key(ct_txn *txn, void *arg, ct_error *err)
{
	struct args *a = arg;
	const ct_node *op;
	ct_node *doc = NULL;
	int rc;

	if ((rc = check_admin(txn, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_OPERATORS_PATH, &doc,
	    err)) < 0)
		return rc;
	if ((op = ct_registry_find(doc, "operators", "id", a->id)) == NULL)
		rc = ct_error_set(err, CT_ENOTFOUND,
		    "no operator '%s' is registered", a->id);
	else
		rc = put_key(txn, a, op, err);
	ct_node_free(doc);
	return rc;
}

/* The roles of --role, checked: NULL and err on an unknown one. */
static ct_node *
role_list(const char *roles, ct_error *err)
{
	char **rv = cli_split(roles), **r;
	ct_node *seq = ct_node_new_seq();

	if (seq == NULL)
		cli_die("out of memory");
	for (r = rv; *r != NULL; r++) {
		if (!ct_in_list(ct_roles, *r)) {
			ct_error_set(err, CT_EINVALID, "--role: unknown role "
			    "'%s'", *r);
			ct_node_free(seq);
			seq = NULL;
			break;
		}
		ct_seq_push(seq, str(*r));
	}
	ct_strv_free(rv);
	return seq;
}

static int
add_operator(ct_txn *txn, void *arg, ct_error *err)
{
	struct args *a = arg;
	ct_node *doc = NULL, *agencies = NULL, *e, *roles;
	int rc;

	if ((rc = check_admin(txn, err)) < 0)
		return rc;
	if ((rc = ct_txn_load(txn, CT_OPERATORS_PATH, &doc,
	    err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_AGENCIES_PATH, &agencies,
	    err)) < 0)
		goto out;
	if (ct_registry_find(doc, "operators", "id", a->id) != NULL) {
		rc = ct_error_set(err, CT_EEXISTS,
		    "operator '%s' is already registered", a->id);
		goto out;
	}
	if (ct_registry_find(doc, "operators", "email", a->email) != NULL) {
		rc = ct_error_set(err, CT_EEXISTS,
		    "an operator with email '%s' is already registered",
		    a->email);
		goto out;
	}
	if (a->agency != NULL &&
	    ct_registry_find(agencies, "agencies", "id", a->agency) == NULL) {
		rc = ct_error_set(err, CT_EINVALID,
		    "--agency: no agency '%s' is registered (add it with "
		    "'registry add-agency')", a->agency);
		goto out;
	}
	if ((roles = role_list(a->roles, err)) == NULL) {
		rc = CT_EINVALID;
		goto out;
	}
	if ((e = ct_node_new_map()) == NULL)
		cli_die("out of memory");
	ct_map_set(e, "id", str(a->id));
	ct_map_set(e, "name", str(a->name));
	ct_map_set(e, "email", str(a->email));
	ct_map_set(e, "roles", roles);
	if (a->agency != NULL)
		ct_map_set(e, "agency", str(a->agency));
	if (ct_txn_operator(txn) == NULL &&
	    (strcasecmp(a->email, ct_txn_email(txn)) != 0 ||
	    !ct_operator_has_role(e, "administrator"))) {
		/* otherwise nobody could ever change the registries again */
		ct_node_free(e);
		rc = ct_error_set(err, CT_EINVALID, "the first operator must be "
		    "you (--email %s) with the administrator role",
		    ct_txn_email(txn));
		goto out;
	}
	if (ct_seq_push(ct_map_get(doc, "operators"), e) < 0)
		cli_die("out of memory");
	rc = ct_txn_put(txn, CT_OPERATORS_PATH, doc, err);
	if (rc == 0 && a->key != NULL)
		rc = put_key(txn, a, e, err);
out:
	ct_node_free(agencies);
	ct_node_free(doc);
	return rc;
}

/* set-roles, deactivate and reactivate: one operator entry changed. */
static int
edit_operator(ct_txn *txn, void *arg, ct_error *err)
{
	struct args *a = arg;
	ct_node *doc = NULL, *op, *roles;
	int rc;

	if ((rc = check_admin(txn, err)) < 0 ||
	    (rc = ct_txn_load(txn, CT_OPERATORS_PATH, &doc,
	    err)) < 0)
		return rc;
	op = (ct_node *)ct_registry_find(doc, "operators", "id", a->id);
	if (op == NULL) {
		rc = ct_error_set(err, CT_ENOTFOUND,
		    "no operator '%s' is registered", a->id);
		goto out;
	}
	if (strcmp(a->cmd, "set-roles") == 0) {
		if ((roles = role_list(a->roles, err)) == NULL) {
			rc = CT_EINVALID;
			goto out;
		}
		ct_map_set(op, "roles", roles);
	} else if (strcmp(a->cmd, "deactivate") == 0)
		ct_map_set(op, "active", ct_node_new_bool(false));
	else
		ct_map_del(op, "active");
	/* the change policy refuses to leave no active administrator */
	rc = ct_txn_put(txn, CT_OPERATORS_PATH, doc, err);
out:
	ct_node_free(doc);
	return rc;
}

/* One line per entry; every field, the ids too, comes from the registry
 * file and is written terminal-safe, padded to its column. */
static void
print_entries(const char *what, const ct_node *l)
{
	ct_buf b = { 0 };
	const char *s;
	size_t i, j;

	for (i = 0; l != NULL && i < l->n; i++) {
		const ct_node *e = l->items[i], *roles, *m;

		ct_buf_truncate(&b, 0);
		ct_text_col(&b, ct_map_str(e, "id"), 16);
		ct_buf_putc(&b, ' ');
		if (strcmp(what, "agencies") == 0) {
			m = ct_map_get(e, "map_member");
			ct_buf_printf(&b, "%-4s ",
			    m != NULL && m->ival ? "MAP" : "-");
			s = ct_map_str(e, "funded_by");
			ct_text_col(&b, s != NULL ? s : "-", 16);
			ct_buf_putc(&b, ' ');
		} else {
			ct_text_col(&b, ct_map_str(e, "email"), 30);
			ct_buf_putc(&b, ' ');
			s = ct_map_str(e, "agency");
			ct_text_col(&b, s != NULL ? s : "-", 12);
			ct_buf_putc(&b, ' ');
			roles = ct_map_get(e, "roles");
			for (j = 0; roles != NULL && j < roles->n; j++) {
				ct_buf_puts(&b, j ? "," : "");
				ct_text_safe(&b, roles->items[j]->str);
			}
			ct_buf_puts(&b, "  ");
		}
		ct_text_safe(&b, ct_map_str(e, "name"));
		ct_buf_putc(&b, '\n');
		if (b.failed)
			cli_die("out of memory");
		fputs(b.s, stdout);
	}
	ct_buf_free(&b);
}

/* List one registry (what), or both under headings (what == NULL); as
 * JSON, one array, or one object {"agencies": [...], "operators": [...]}. */
static void
list(ct_store *st, const char *what, const char *format)
{
	static const char *const both[] = { "agencies", "operators", NULL };
	const char *const one[] = { what, NULL };
	const char *const *w;
	ct_snapshot *snap;
	ct_node *doc, *all;
	ct_error err = { 0 };
	char *out;
	size_t len;

	if ((all = ct_node_new_map()) == NULL)
		cli_die("out of memory");
	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	for (w = what ? one : both; *w != NULL; w++) {
		if (ct_snapshot_load(snap, strcmp(*w, "agencies") == 0 ?
		    CT_AGENCIES_PATH : CT_OPERATORS_PATH, &doc, &err) < 0)
			cli_die_err(&err);
		if (strcmp(format, "text") == 0) {
			if (what == NULL)
				printf("%s%s:\n", w == both ? "" : "\n", *w);
			print_entries(*w, ct_registry_list(doc, *w));
		}
		ct_map_set(all, *w, ct_node_dup(ct_registry_list(doc, *w)));
		ct_node_free(doc);
	}
	if (strcmp(format, "json") == 0) {
		if (ct_json_emit(what ? ct_map_get(all, what) : all, true,
		    &out, &len, &err) < 0)
			cli_die_err(&err);
		fputs(out, stdout);
		free(out);
	}
	ct_node_free(all);
	ct_snapshot_free(snap);
}

static const char *const commands[] = {
	"add-agency", "add-operator", "set-key", "set-roles", "deactivate",
	"reactivate", "list", NULL
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'N' },
		{ "map-member", no_argument, NULL, 'M' },
		{ "funded-by", required_argument, NULL, 'F' },
		{ "email", required_argument, NULL, 'E' },
		{ "role", required_argument, NULL, 'R' },
		{ "agency", required_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'f' },
		{ "signing-key", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct args a = { 0 };
	ct_commit_spec spec = { .tool = "registry", .version = CT_VERSION,
	    .flags = CT_WRITE_BOOTSTRAP };
	const char *dir = NULL, *format = "text";
	ct_error err = { 0 };
	ct_store *st;
	char *subject = NULL;
	int ch;

	cli_init(argc, argv, usage);
	while ((ch = cli_getopt(argc, argv, "C:nm:", longopts)) != -1) {
		switch (ch) {
		case 'C': dir = optarg; break;
		case 'n': spec.flags |= CT_WRITE_DRY_RUN; break;
		case 'm': spec.reason = optarg; break;
		case 'N': a.name = optarg; break;
		case 'M': a.map_member = true; break;
		case 'F': a.funded_by = optarg; break;
		case 'E': a.email = optarg; break;
		case 'R': a.roles = optarg; break;
		case 'A': a.agency = optarg; break;
		case 'f': format = optarg; break;
		case 'K': a.keyfile = optarg; break;
		default: cli_usage();
		}
	}
	if (optind >= argc)
		cli_usage();
	a.cmd = argv[optind++];
	cli_command(a.cmd, commands);
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		cli_die("--format: expected text or json, not '%s'", format);
	st = cli_open_store(dir);
	if (strcmp(a.cmd, "list") == 0) {
		if (argc - optind > 1)
			cli_usage();
		if (optind == argc)
			list(st, NULL, format);
		else if (strcmp(argv[optind], "agencies") == 0 ||
		    strcmp(argv[optind], "operators") == 0)
			list(st, argv[optind], format);
		else
			cli_usage();
		ct_store_free(st);
		return 0;
	}
	if (argc - optind != 1)
		cli_usage();
	a.id = argv[optind];
	if (a.keyfile != NULL && ct_sign_read_pubkey(a.keyfile, &a.keyformat,
	    &a.key, &err) < 0)
		cli_die_err(&err);
	if (strcmp(a.cmd, "set-key") == 0) {
		if (a.keyfile == NULL)
			cli_die("set-key needs --signing-key");
		if (a.name || a.email || a.roles || a.agency || a.map_member ||
		    a.funded_by)
			cli_die("set-key takes only --signing-key");
		if (asprintf(&subject, "operator %s signing key set",
		    a.id) < 0)
			cli_die("out of memory");
		spec.record = "registry";
		spec.action = a.cmd;
		spec.subject = subject;
		cli_write(st, &spec, set_key, &a);
		goto done;
	}
	if (strcmp(a.cmd, "set-roles") == 0 ||
	    strcmp(a.cmd, "deactivate") == 0 ||
	    strcmp(a.cmd, "reactivate") == 0) {
		if ((a.roles == NULL) != (strcmp(a.cmd, "set-roles") != 0) ||
		    a.name || a.email || a.agency || a.map_member ||
		    a.funded_by || a.keyfile)
			cli_die("%s takes %s", a.cmd, strcmp(a.cmd,
			    "set-roles") == 0 ? "only --role" : "no options "
			    "but -n and -m");
		if (asprintf(&subject, "operator %s %s", a.id,
		    strcmp(a.cmd, "set-roles") == 0 ? "roles set" :
		    strcmp(a.cmd, "deactivate") == 0 ? "deactivated" :
		    "reactivated") < 0)
			cli_die("out of memory");
		spec.record = "registry";
		spec.action = a.cmd;
		spec.subject = subject;
		cli_write(st, &spec, edit_operator, &a);
		goto done;
	}
	if (a.name == NULL)
		cli_die("%s needs --name", a.cmd);
	if (ct_text_check("--name", a.name, &err) < 0)
		cli_die_err(&err);
	spec.record = "registry";
	spec.action = a.cmd;
	if (strcmp(a.cmd, "add-agency") == 0) {
		if (a.email || a.roles || a.agency)
			cli_die("add-agency takes no --email, --role or "
			    "--agency");
		if (a.keyfile != NULL)
			cli_die("add-agency takes no --signing-key");
		if (asprintf(&subject, "agency %s added", a.id) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		cli_write(st, &spec, add_agency, &a);
	} else if (strcmp(a.cmd, "add-operator") == 0) {
		if (a.email == NULL || a.roles == NULL)
			cli_die("add-operator needs --email and --role");
		if (a.map_member || a.funded_by)
			cli_die("add-operator takes no --map-member or "
			    "--funded-by");
		if (asprintf(&subject, "operator %s added", a.id) < 0)
			cli_die("out of memory");
		spec.subject = subject;
		cli_write(st, &spec, add_operator, &a);
	} else {
		cli_usage();
	}
done:
	free(a.key);
	free(subject);
	ct_store_free(st);
	return 0;
}
