/*
 * case-show: print a case and its records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"
#include "casetrail/episode.h"
#include "casetrail/output.h"

static const struct cli_opt opts[] = {
	CLI_OPT_STORE,
	CLI_LONG('r', "rev", "rev", "read the store as of a git revision"),
	CLI_OPT_FORMAT_HELP("yaml (default): each file after a '# path' "
	    "line,\nthe episodes after case.yaml as comments;\njson: one "
	    "object per case {\"id\", \"dir\",\n\"episodes\", \"records\": "
	    "{relative path: record}}"),
	CLI_LONG('p', "path", NULL, "print the case directory only"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: case-show [-C dir] [--rev rev] [--format yaml|json] [--path]\n"
"                 id... | -\n",
	.about =
"Print each case's records as the store holds them at HEAD (or at rev):\n"
"case.yaml first, then every other record under the case directory.\n"
"With --path, print only the case directory (cases/<xx>/<id>), relative\n"
"to the store.\n",
	.opts = opts,
	.status =
"Exit status: 0 ok, 2 error (e.g. no such case).\n",
	.width = 20,
};

/* Append every file below dir (depth first, git order) to *files. */
static void
collect(ct_snapshot *snap, const char *dir, char ***files, size_t *n)
{
	ct_error err = { 0 };
	char **names, *child, **grown;
	size_t i, cnt;

	if (ct_snapshot_list(snap, dir, &names, &cnt, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < cnt; i++) {
		if (asprintf(&child, "%s/%s", dir, names[i]) < 0)
			cli_die("out of memory");
		if (ct_snapshot_is_dir(snap, child)) {
			collect(snap, child, files, n);
			free(child);
			continue;
		}
		if ((grown = realloc(*files, (*n + 2) * sizeof(*grown))) ==
		    NULL)
			cli_die("out of memory");
		*files = grown;
		(*files)[(*n)++] = child;
		(*files)[*n] = NULL;
	}
	ct_strv_free(names);
}

/*
 * "# path" and the file as the store holds it, line by line: a record
 * written outside the tools can hold raw control or bidi characters,
 * which are shown as escapes (a CR too), the lines kept.
 */
static void
print_file(const char *path, const char *buf, size_t len)
{
	ct_buf b = { 0 };

	ct_buf_puts(&b, "# ");
	ct_text_safe(&b, path);
	ct_buf_putc(&b, '\n');
	ct_text_safe_mem(&b, buf, len, CT_TEXT_KEEP_LF);
	if (b.failed)
		cli_die("out of memory");
	fputs(b.s, stdout);
	ct_buf_free(&b);
}

/* The case's episodes (episode.h), each {kind, start, end, opened_by,
 * closed_by}; end and closed_by null while it is open. */
static ct_node *
episodes_node(const ct_node *casedoc)
{
	ct_episodes eps;
	ct_error err = { 0 };
	ct_node *list, *m;
	char d[CT_DATE_BUFSZ];
	size_t i;

	if (ct_case_episodes(casedoc, &eps, &err) < 0)
		cli_die_err(&err);
	if ((list = ct_node_new_seq()) == NULL)
		cli_die("out of memory");
	for (i = 0; i < eps.n; i++) {
		const ct_episode *e = &eps.v[i];

		if ((m = ct_node_new_map()) == NULL || ct_seq_push(list, m) < 0 ||
		    ct_map_set(m, "kind", ct_node_new_str(ct_episode_kind_name(
		    e->kind))) < 0 ||
		    ct_map_set(m, "start", ct_node_new_str(ct_date_format(
		    e->start, d))) < 0 ||
		    ct_map_set(m, "end", e->closed ? ct_node_new_str(
		    ct_date_format(e->end, d)) : ct_node_new_null()) < 0 ||
		    ct_map_set(m, "opened_by", ct_node_new_str(e->opened_by)) <
		    0 ||
		    ct_map_set(m, "closed_by", e->closed ? ct_node_new_str(
		    e->closed_by) : ct_node_new_null()) < 0)
			cli_die("out of memory");
	}
	ct_episodes_clear(&eps);
	return list;
}

/* "#   custody    2026-01-05 reception .. 2026-06-30 released", when the
 * case has episodes */
static void
print_episodes(const ct_node *casedoc)
{
	ct_node *list = episodes_node(casedoc);
	size_t i;

	if (list->n > 0)
		printf("# episodes (derived from the events):\n");
	for (i = 0; i < list->n; i++) {
		const ct_node *e = list->items[i];

		printf("#   %-9s  %s %s .. ", ct_map_str(e, "kind"),
		    ct_map_str(e, "start"), ct_map_str(e, "opened_by"));
		if (ct_map_str(e, "end") != NULL)
			printf("%s %s\n", ct_map_str(e, "end"),
			    ct_map_str(e, "closed_by"));
		else
			printf("open\n");
	}
	ct_node_free(list);
}

static void
show(ct_snapshot *snap, const char *id, const char *format)
{
	ct_error err = { 0 };
	ct_node *doc, *all, *records;
	char *dir, **files = NULL, *buf, *out;
	size_t i, n = 0, len, dlen;

	if (ct_case_dir(id, &dir, &err) < 0)
		cli_die_err(&err);
	if (!ct_snapshot_is_dir(snap, dir))
		cli_no_case(snap, id);
	collect(snap, dir, &files, &n);
	dlen = strlen(dir) + 1;
	for (i = 1; i < n; i++)  /* case.yaml first */
		if (strcmp(files[i] + dlen, "case.yaml") == 0) {
			char *t = files[i];

			memmove(files + 1, files, i * sizeof(*files));
			files[0] = t;
			break;
		}
	if ((all = ct_node_new_map()) == NULL ||
	    (records = ct_node_new_map()) == NULL)
		cli_die("out of memory");
	ct_map_set(all, "id", ct_node_new_str(id));
	ct_map_set(all, "dir", ct_node_new_str(dir));
	for (i = 0; i < n; i++) {
		if (strcmp(format, "yaml") == 0) {
			if (ct_snapshot_read(snap, files[i], &buf, &len,
			    &err) < 0)
				cli_die_err(&err);
			print_file(files[i], buf, len);
			free(buf);
			if (i == 0 && ct_snapshot_load_case(snap, id, &doc,
			    &err) == 0) {
				print_episodes(doc);
				ct_node_free(doc);
			}
			ct_error_clear(&err);
			continue;
		}
		if (ct_snapshot_parse(snap, files[i], &doc, &err) < 0)
			cli_die_err(&err);
		ct_map_set(records, files[i] + dlen, doc);
	}
	if (strcmp(format, "json") == 0) {
		ct_map_set(all, "episodes", episodes_node(ct_map_get(records,
		    "case.yaml")));
		ct_map_set(all, "records", records);
		records = NULL;
		if (ct_json_emit(all, true, &out, &len, &err) < 0)
			cli_die_err(&err);
		printf("%s\n", out);
		free(out);
	}
	ct_node_free(records);
	ct_node_free(all);
	ct_strv_free(files);
	free(dir);
}

int
main(int argc, char **argv)
{
	static const char *const formats[] = { "yaml", "json", NULL };
	const char *rev = NULL, *format;
	ct_error err = { 0 };
	ct_snapshot *snap;
	ct_store *st;
	char **ids, *cdir;
	size_t i, n;
	int ch, path_only = 0;

	while ((ch = cli_next(&cmd, argc, argv)) != -1) {
		switch (ch) {
		case 'r': rev = optarg; break;
		case 'p': path_only = 1; break;
		default: cli_usage();
		}
	}
	if (optind == argc)
		cli_usage();
	format = cli_format("yaml", formats);
	ids = cli_case_ids(argc - optind, argv + optind, &n);
	st = cli_open_store(cli.dir);
	if (ct_snapshot_open(st, rev, &snap, &err) < 0)
		cli_die_err(&err);
	for (i = 0; i < n; i++) {
		if (!path_only) {
			show(snap, ids[i], format);
			continue;
		}
		if (ct_case_dir(ids[i], &cdir, &err) < 0)
			cli_die_err(&err);
		if (!ct_snapshot_is_dir(snap, cdir))
			cli_no_case(snap, ids[i]);
		printf("%s\n", cdir);
		free(cdir);
	}
	ct_snapshot_free(snap);
	ct_strv_free(ids);
	ct_store_free(st);
	return 0;
}
