/*
 * The loops every writing and listing tool runs: one write per case id,
 * and the rows of one record of every case (or of the cases given).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "casetrail/case.h"

void
cli_each_case(ct_store *st, ct_commit_spec *spec, char *const *ids,
    const struct cli_each *e)
{
	char *subject;
	size_t i;

	for (i = 0; ids[i] != NULL; i++) {
		if ((subject = e->subject(ids[i], e->arg)) == NULL)
			cli_die("out of memory");
		spec->subject = subject;
		spec->case_id = ids[i];
		cli_write(st, spec, e->apply, e->arg);
		if (e->done != NULL)
			e->done(ids[i], e->arg);
		free(subject);
	}
}

struct list_ctx {
	const char *rel;
	cli_rows_fn fn;
	void *arg;
	int bad;
};

static int
list_case(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *unused)
{
	struct list_ctx *c = arg;
	ct_error err = { 0 };
	ct_node *doc = NULL;
	char *path;
	int rc;

	(void)unused;
	if (asprintf(&path, "%s/%s", dir, c->rel) < 0)
		cli_die("out of memory");
	rc = ct_snapshot_load(snap, path, &doc, &err);
	if (rc == 0)
		rc = c->fn(doc, c->arg, &err);
	if (rc < 0 && rc != CT_ENOTFOUND) {
		cli_warn("%s: %s", id, ct_error_msg(&err));
		c->bad++;
	}
	ct_error_clear(&err);
	ct_node_free(doc);
	free(path);
	return 0;
}

int
cli_list_cases(ct_store *st, char *const *ids, const char *rel,
    cli_rows_fn fn, void *arg)
{
	struct list_ctx c = { rel, fn, arg, 0 };
	ct_snapshot *snap = NULL;
	ct_error err = { 0 };
	char *cdir;
	size_t i;

	if (ct_snapshot_open(st, NULL, &snap, &err) < 0)
		cli_die_err(&err);
	if (ids == NULL && ct_snapshot_each_case(snap, list_case,
	    cli_misplaced, &c, &err) < 0)
		cli_die_err(&err);
	for (i = 0; ids != NULL && ids[i] != NULL; i++) {
		cdir = cli_case_dir(snap, ids[i]);
		list_case(snap, ids[i], cdir, &c, &err);
		free(cdir);
	}
	ct_snapshot_free(snap);
	if (c.bad > 0)
		cli_warn("%d case%s could not be read", c.bad,
		    c.bad == 1 ? "" : "s");
	return c.bad;
}

void
cli_put(ct_buf *b)
{
	if (b->failed)
		cli_die("out of memory");
	if (b->s != NULL)
		fputs(b->s, stdout);
	ct_buf_free(b);
	if (fflush(stdout) != 0)
		cli_die("writing output failed");
}

void
cli_strv_append(char ***v, size_t *n, const char *s)
{
	char **parts = cli_split(s), **grown;
	size_t k;

	for (k = 0; parts[k] != NULL; k++)
		;
	if ((grown = realloc(*v, (*n + k + 1) * sizeof(**v))) == NULL)
		cli_die("out of memory");
	*v = grown;
	memcpy(*v + *n, parts, (k + 1) * sizeof(*parts));
	*n += k;
	free(parts);
}

void
cli_strv_push(char ***v, size_t *n, char *s)
{
	if ((*v = realloc(*v, (*n + 1) * sizeof(**v))) == NULL)
		cli_die("out of memory");
	(*v)[(*n)++] = s;
}
