/*
 * gen-store: build a realistic casetrail store of N cases, deterministically
 * from a seed, for benchmarks and tests.
 *
 * The store starts with a real store-init commit; then, in H rounds, every
 * case gets one more event (reception, engagement, stage changes, orders,
 * EPRDs, risk ratings, ...), one commit per round and shard, so each case
 * is touched by H commits on average and every commit looks like the
 * tools' (tool trailers, canonical records that validate).  Dates are
 * spread over 2021-2026; about one case in five is left with an overdue
 * obligation.
 *
 * Objects are written with libgit2 into an in-memory pack (mempack) and
 * stored as one pack file at the end, so 100,000 cases take minutes, not
 * hours; the work tree and index are checked out last.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/mempack.h>

#include "casetrail/case.h"
#include "casetrail/schema.h"
#include "casetrail/store.h"

static const char usage[] =
"usage: gen-store [--seed n] [--history h] [--jurisdiction ACT|VIC] n dir\n";

static uint64_t seed = 1;

/* splitmix64 of (seed, case, salt): the same case always gets the same
 * dates, whatever order it is generated in. */
static uint64_t
rnd(uint64_t i, uint64_t salt)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ULL + i * 0xbf58476d1ce4e5b9ULL +
	    salt * 0x94d049bb133111ebULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
die(const char *what, ct_error *err)
{
	const git_error *e = git_error_last();

	fprintf(stderr, "gen-store: %s: %s\n", what, err != NULL ?
	    ct_error_msg(err) : e != NULL ? e->message : "failed");
	exit(2);
}

struct kase {
	char id[24];
	char *dir;        /* cases/<xx>/<id> */
	int shard;
};

/* The case record of case i after round r (rounds 0..r applied). */
static ct_node *
case_doc(const struct kase *k, uint64_t i, int r)
{
	ct_jurisdiction j = (i % 2) ? CT_JUR_VIC : CT_JUR_ACT;
	int kind = (int)(rnd(i, 1) % 3);   /* ACT: remandee / sentenced */
	ct_date base = ct_date_from_ymd(2021, 1, 1) + (ct_date)(rnd(i, 2) %
	    (6 * 365 - 200));
	const char *cohort = j == CT_JUR_VIC ? "post-sentence" :
	    kind == 0 ? "remandee" : "sentenced";
	static const char *const ratings[] = { "low", "moderate", "high" };
	ct_error err = { 0 };
	ct_node *doc;
	ct_event ev;
	bool added;
	int step;

	if (ct_case_new(k->id, j, cohort, NULL, base, &doc, &err) < 0)
		die(k->id, &err);
	for (step = 0; step <= r; step++) {
		memset(&ev, 0, sizeof(ev));
		ev.date = base + step * 20 + (ct_date)(rnd(i, 10 + step) % 10);
		if (j == CT_JUR_VIC) {
			ev.type = step == 0 ? "order-made" : step == 1 ?
			    "order-made" : "risk-rating-changed";
			ev.order = step == 0 ? "interim-supervision" :
			    step == 1 ? "supervision" : NULL;
			if (step == 1 && rnd(i, 3) % 5 == 0)
				ev.type = "circumstances-changed", ev.order = NULL;
		} else if (kind == 0) {
			ev.type = step == 0 ? "reception" : step == 1 ?
			    (rnd(i, 3) % 5 == 0 ? "circumstances-changed" :
			    "engaged") : "risk-rating-changed";
			if (step == 1 && strcmp(ev.type, "engaged") == 0)
				ev.date = base + 1 + (ct_date)(rnd(i, 4) % 6);
		} else {
			ev.type = step == 0 ? "sentence-commenced" :
			    step == 1 ? "stage-changed" : step == 2 ?
			    "eprd-set" : "risk-rating-changed";
			if (step == 1)
				ev.stage = "custodial";
			if (step == 2)
				ev.date = base + 365 + (ct_date)(rnd(i, 5) %
				    1500);
		}
		if (strcmp(ev.type, "risk-rating-changed") == 0)
			ev.rating = ratings[rnd(i, 20 + step) % 3];
		if (ct_case_add_event(doc, &ev, &added, &err) < 0)
			die(k->id, &err);
	}
	return doc;
}

/* How many events case i can have: its cohort's story length. */
static int
max_steps(uint64_t i)
{
	return (i % 2) ? 3 : (rnd(i, 1) % 3 == 0 ? 3 : 4);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "history", required_argument, NULL, 'H' },
		{ "jurisdiction", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	ct_init_opts io = { .jurisdiction = CT_JUR_ACT, .tool = "gen-store",
	    .version = "0.1.0" };
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *mem;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats;
	git_buf pack = { 0 };
	git_reference *ref;
	git_signature *sig;
	git_commit *parent;
	git_tree *tree;
	git_oid oid, tree_id;
	git_tree_update *up;
	git_checkout_options co;
	ct_schema *schema;
	ct_error err = { 0 };
	struct kase *k;
	size_t n, i, nup, commits = 0, per_shard[256] = { 0 }, most = 0;
	int ch, history = 3, r, s;
	char *text, msg[256];
	size_t len;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'H': history = atoi(optarg); break;
		case 'j': io.jurisdiction = ct_jurisdiction_parse(optarg); break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 2 || history < 1 || history > 4 ||
	    io.jurisdiction == CT_JUR_NONE) {
		fputs(usage, stderr);
		return 2;
	}
	n = strtoul(argv[optind], NULL, 10);
	if (n < 1 || n > 999999) {
		fputs("gen-store: n must be 1 to 999999\n", stderr);
		return 2;
	}
	if (ct_store_init(argv[optind + 1], &io, &err) < 0)
		die("store-init", &err);
	if (ct_schema_load("case", &schema, &err) < 0)
		die("schema", &err);
	if (git_repository_open(&repo, argv[optind + 1]) < 0 ||
	    git_repository_odb(&odb, repo) < 0 || git_mempack_new(&mem) < 0 ||
	    git_odb_add_backend(odb, mem, 1000) < 0 ||
	    git_signature_default(&sig, repo) < 0)
		die("opening the store", NULL);
	if ((k = calloc(n, sizeof(*k))) == NULL)
		die("out of memory", NULL);
	for (i = 0; i < n; i++) {
		snprintf(k[i].id, sizeof(k[i].id), "%s-%06zu",
		    (i % 2) ? "VIC" : "ACT", i);
		if (ct_case_dir(k[i].id, &k[i].dir, &err) < 0)
			die(k[i].id, &err);
		k[i].shard = (int)strtol(k[i].dir + 6, NULL, 16);
		if (++per_shard[k[i].shard] > most)
			most = per_shard[k[i].shard];
	}
	if ((up = calloc(most + 1, sizeof(*up))) == NULL)
		die("out of memory", NULL);
	if (git_repository_head(&ref, repo) < 0 ||
	    git_reference_peel((git_object **)&parent, ref, GIT_OBJECT_COMMIT) < 0)
		die("reading HEAD", NULL);
	git_reference_free(ref);
	for (r = 0; r < history; r++) {
		for (s = 0; s < 256; s++) {
			nup = 0;
			for (i = 0; i < n; i++) {
				ct_node *doc;

				if (k[i].shard != s || r >= max_steps(i))
					continue;
				doc = case_doc(&k[i], i, r);
				ct_schema_order(schema, doc);
				if (ct_schema_validate(schema, doc, k[i].id,
				    &err) < 0 ||
				    ct_yaml_emit(doc, &text, &len, &err) < 0)
					die(k[i].id, &err);
				ct_node_free(doc);
				up[nup].action = GIT_TREE_UPDATE_UPSERT;
				up[nup].filemode = GIT_FILEMODE_BLOB;
				if (asprintf((char **)&up[nup].path,
				    "%s/case.yaml", k[i].dir) < 0 ||
				    git_blob_create_from_buffer(&up[nup].id,
				    repo, text, len) < 0)
					die("writing a blob", NULL);
				free(text);
				nup++;
			}
			if (nup == 0)
				continue;
			if (git_commit_tree(&tree, parent) < 0 ||
			    git_tree_create_updated(&tree_id, repo, tree, nup,
			    up) < 0)
				die("building a tree", NULL);
			git_tree_free(tree);
			snprintf(msg, sizeof(msg), "gen-store: %zu cases, round "
			    "%d, shard %02x\n\nAction: generate\nTool: "
			    "gen-store 0.1.0\n", nup, r + 1, s);
			if (git_tree_lookup(&tree, repo, &tree_id) < 0 ||
			    git_commit_create(&oid, repo, NULL, sig, sig, NULL,
			    msg, tree, 1, (const git_commit **)&parent) < 0)
				die("writing a commit", NULL);
			git_tree_free(tree);
			git_commit_free(parent);
			if (git_commit_lookup(&parent, repo, &oid) < 0)
				die("reading a commit", NULL);
			while (nup > 0)
				free((char *)up[--nup].path);
			commits++;
		}
		fprintf(stderr, "gen-store: round %d of %d done (%zu commits)\n",
		    r + 1, history, commits);
	}
	/* the in-memory objects become one pack file */
	if (git_mempack_dump(&pack, repo, mem) < 0 ||
	    git_odb_write_pack(&wp, odb, NULL, NULL) < 0 ||
	    wp->append(wp, pack.ptr, pack.size, &stats) < 0 ||
	    wp->commit(wp, &stats) < 0)
		die("writing the pack", NULL);
	wp->free(wp);
	git_buf_dispose(&pack);
	git_mempack_reset(mem);
	if (git_reference_create(&ref, repo, CT_BRANCH,
	    git_commit_id(parent), 1, "gen-store") < 0)
		die("updating main", NULL);
	git_reference_free(ref);
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_checkout_head(repo, &co) < 0)
		die("checking out", NULL);
	fprintf(stderr, "gen-store: %zu cases, %zu commits in %s\n", n,
	    commits + 1, argv[optind + 1]);
	git_commit_free(parent);
	git_signature_free(sig);
	git_odb_free(odb);
	git_repository_free(repo);
	ct_schema_free(schema);
	for (i = 0; i < n; i++)
		free(k[i].dir);
	free(k);
	free(up);
	return 0;
}
