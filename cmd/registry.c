/*
 * registry: add and list the agencies and operators of a store.  The
 * changes and the administrator policy are lib/records/registry.c's
 * (ct_registry_*); this tool checks which options each subcommand takes,
 * runs its one change as one commit, and prints the lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "casetrail/buf.h"
#include "casetrail/output.h"
#include "casetrail/registry.h"
#include "casetrail/sign.h"
#include "casetrail/trailers.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_REASON_HELP("the Reason trailer of the commit"),
	CLI_LONG('N', "name", "name", "display name"),
	CLI_LONG('M', "map-member", NULL, "the agency is a member of the "
	    "Multi-Agency Panel"),
	CLI_LONG('F', "funded-by", "id", "the member agency that funds "
	    "this service"),
	CLI_LONG('E', "email", "email", "the operator's git user.email"),
	CLI_LONG('R', "role", "roles", "comma-separated: case-manager, "
	    "cmu-team-leader,\ncommunity-team-leader, soct-officer, "
	    "map-member,\nauditor, "
	    "community-corrections-officer,\nadministrator"),
	CLI_LONG('A', "agency", "id", "the operator's agency"),
	CLI_LONG('T', "team", "team", "the operator's team (for work queues)"),
	CLI_LONG('K', "signing-key", "file", "the operator's public key "
	    "for signed commits:\nan ssh .pub file (kept in "
	    "registry/allowed_signers)\nor an armored OpenPGP public key "
	    "(kept in\nregistry/openpgp/ID.asc); set-key replaces it"),
	CLI_OPT_FORMAT_HELP("list output: text (default) or json"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: registry [-C dir] [-n] [-m reason] add-agency id --name name\n"
"                [--map-member] [--funded-by agency]\n"
"       registry [-C dir] [-n] [-m reason] add-operator id --name name\n"
"                --email email --role role[,role...] [--agency agency]\n"
"                [--team team] [--signing-key file]\n"
"       registry [-C dir] [-n] [-m reason] set-key id --signing-key file\n"
"       registry [-C dir] [-n] [-m reason] set-roles id --role role[,role...]\n"
"       registry [-C dir] [-n] [-m reason] deactivate|reactivate id\n"
"       registry [-C dir] list [agencies|operators] [--format text|json]\n",
	.about =
"Keep the store's registries: agencies (registry/agencies.yaml) and the\n"
"people who may write to the store (registry/operators.yaml).  Every\n"
"addition is one commit.  While no operator is registered, any git\n"
"identity may add agencies, and the first operator must be that identity\n"
"with the administrator role; after that, only operators with the\n"
"administrator role may change the registries.  A deactivated operator\n"
"stays in the registry (and their past commits stay valid) but can no\n"
"longer write; the last active administrator cannot be deactivated.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok, 2 error (nothing changed).\n",
	.width = 23,
};

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

/* The subcommands that change a registry: their change and subject. */
static const struct change_cmd {
	const char *name;
	ct_txn_fn fn;
	const char *subject;       /* a format of the id */
} changes[] = {
	{ "add-agency", ct_registry_add_agency, "agency %s added" },
	{ "add-operator", ct_registry_add_operator, "operator %s added" },
	{ "set-key", ct_registry_set_key, "operator %s signing key set" },
	{ "set-roles", ct_registry_set_roles, "operator %s roles set" },
	{ "deactivate", ct_registry_deactivate, "operator %s deactivated" },
	{ "reactivate", ct_registry_reactivate, "operator %s reactivated" },
};

static const char *const commands[] = {
	"add-agency", "add-operator", "set-key", "set-roles", "deactivate",
	"reactivate", "list", NULL
};

static const char *const formats[] = { "text", "json", NULL };

struct args {
	const char *cmd, *format, *keyfile, *roles;
	ct_registry_change c;
	ct_commit_spec spec;
};

static void
parse_options(int argc, char **argv, struct args *a)
{
	int ch;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'N': a->c.name = optarg; break;
		case 'M': a->c.map_member = true; break;
		case 'F': a->c.funded_by = optarg; break;
		case 'E': a->c.email = optarg; break;
		case 'R': a->roles = optarg; break;
		case 'A': a->c.agency = optarg; break;
		case 'K': a->keyfile = optarg; break;
		case 'T': a->c.team = optarg; break;
		default: cli_usage();
		}
	}
	cli_spec(&a->spec);
	a->format = cli_format("text", formats);
}

/* Die unless the options given are those the subcommand takes. */
static void
check_options(const struct args *a)
{
	const ct_registry_change *c = &a->c;
	ct_error err = { 0 };

	if (strcmp(a->cmd, "set-key") == 0) {
		if (a->keyfile == NULL)
			cli_die("set-key needs --signing-key");
		if (c->name || c->email || a->roles || c->agency ||
		    c->map_member || c->funded_by || c->team)
			cli_die("set-key takes only --signing-key");
		return;
	}
	if (strncmp(a->cmd, "add-", 4) != 0) {
		if ((a->roles == NULL) != (strcmp(a->cmd, "set-roles") != 0) ||
		    c->name || c->email || c->agency || c->map_member ||
		    c->team ||
		    c->funded_by || a->keyfile)
			cli_die("%s takes %s", a->cmd, strcmp(a->cmd,
			    "set-roles") == 0 ? "only --role" : "no options "
			    "but -n and -m");
		return;
	}
	if (c->name == NULL)
		cli_die("%s needs --name", a->cmd);
	if (ct_text_check("--name", c->name, &err) < 0)
		cli_die_err(&err);
	if (strcmp(a->cmd, "add-agency") == 0) {
		if (c->email || a->roles || c->agency || c->team)
			cli_die("add-agency takes no --email, --role, "
			    "--agency or --team");
		if (a->keyfile != NULL)
			cli_die("add-agency takes no --signing-key");
	} else {
		if (c->email == NULL || a->roles == NULL)
			cli_die("add-operator needs --email and --role");
		if (c->map_member || c->funded_by)
			cli_die("add-operator takes no --map-member or "
			    "--funded-by");
	}
}

int
main(int argc, char **argv)
{
	struct args a = { .spec = { .tool = "registry",
	    .version = CT_VERSION, .flags = CT_WRITE_BOOTSTRAP,
	    .record = "registry" } };
	const struct change_cmd *change;
	ct_error err = { 0 };
	size_t which;
	ct_store *st;
	char *subject = NULL, *key = NULL, **roles = NULL;

	parse_options(argc, argv, &a);
	if (optind >= argc)
		cli_usage();
	a.cmd = argv[optind++];
	which = cli_command(a.cmd, commands);
	st = cli_open_store(cli.dir);
	if (which >= sizeof(changes) / sizeof(changes[0])) {  /* list */
		if (argc - optind > 1 || (optind < argc &&
		    strcmp(argv[optind], "agencies") != 0 &&
		    strcmp(argv[optind], "operators") != 0))
			cli_usage();
		list(st, optind < argc ? argv[optind] : NULL, a.format);
		ct_store_free(st);
		return 0;
	}
	change = &changes[which];
	if (argc - optind != 1)
		cli_usage();
	a.c.id = argv[optind];
	if (a.keyfile != NULL && ct_sign_read_pubkey(a.keyfile,
	    &a.c.keyformat, &key, &err) < 0)
		cli_die_err(&err);
	a.c.key = key;
	check_options(&a);
	if (a.roles != NULL)
		a.c.roles = (const char *const *)(roles = cli_split(a.roles));
	if (asprintf(&subject, change->subject, a.c.id) < 0)
		cli_die("out of memory");
	a.spec.action = a.cmd;
	a.spec.subject = subject;
	cli_write(st, &a.spec, change->fn, &a.c);
	ct_strv_free(roles);
	free(key);
	free(subject);
	ct_store_free(st);
	return 0;
}
