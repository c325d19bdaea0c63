/*
 * gen-store: build a realistic casetrail store of N cases, deterministically
 * from a seed, for benchmarks and tests.
 *
 * The store starts with a real store-init commit and a registry commit
 * (the operators and agencies the records name, registered by the
 * administrator); then, in H rounds, the cases' stories are committed
 * shard by shard, each commit under the identity of the operator whose
 * role writes what it changes: a case manager for case records and new
 * custodial plans, a SOCT officer for the CSPs, a CMU Team Leader for
 * plan approvals (Approved-by).  Every commit carries the trailers the
 * tools write (Reason, Case: every case it changes, Action, Tool), so
 * the history passes store-verify.
 *
 * The data are an open caseload as of --today: ACT remandees received
 * in the last four months, sentenced offenders (custodial plan,
 * EPRD, pre-release stage and release when their dates have come) and
 * Victorian offenders on supervision orders with a CSP endorsed by the
 * MAP and reviewed every five months.  One case in five lets one
 * obligation slip (a remandee not engaged, a custodial plan never
 * approved, a CSP review missed), so about one case in five has an
 * overdue finding.
 *
 * Objects go to an in-memory object database (arenas) while the
 * trees are built, then are streamed, undeltified, into one pack file;
 * the work tree is written as the records are made and the index from
 * the final tree with the files' stat data, so that what is left of the
 * time is making the records.  Commit times are fixed from --today, so
 * everything after store-init's commit is the same for the same seed.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "casetrail/case.h"
#include "casetrail/date.h"
#include "casetrail/schema.h"
#include "casetrail/store.h"
#include "casetrail/yaml.h"

static const char usage[] =
"usage: gen-store [--seed n] [--history h] [--jurisdiction ACT|VIC]\n"
"                 [--today date] n dir\n";

#define MAX_CASES 1000000
#define MANAGERS 40
#define MAX_EVENTS 8
#define MAX_ENDORSE 16
#define TOOL "gen-store 0.2.0"

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

	fprintf(stderr, "gen-store: %s: %s\n", what, err != NULL &&
	    ct_error_msg(err) != NULL ? ct_error_msg(err) : e != NULL ?
	    e->message : strerror(errno));
	exit(2);
}

/* Progress on stderr, with the CPU seconds used so far. */
static void
progress(const char *fmt, ...)
{
	struct rusage ru;
	va_list ap;

	getrusage(RUSAGE_SELF, &ru);
	fputs("gen-store: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (%.1f s of CPU)\n", (double)ru.ru_utime.tv_sec +
	    ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	    ru.ru_stime.tv_usec / 1e6);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		die("out of memory", NULL);
	return p;
}

/* One case's whole story, computed from its number alone. */
struct story {
	ct_jurisdiction jur;
	const char *cohort;
	bool slip;               /* lets one obligation slip */
	ct_event ev[MAX_EVENTS];
	int nev;
	/* ACT sentenced: the custodial plan */
	bool cmp;
	ct_date created, approved, review, approved2;
	/* VIC: the CSP's endorsements */
	int nendorse;
	ct_date endorse[MAX_ENDORSE];
};

enum { COHORT_REMAND, COHORT_SENTENCED, COHORT_VIC };

static const char *const ratings[] = { "low", "moderate", "high" };

static int
cohort_of(size_t i)
{
	if (i % 2)
		return COHORT_VIC;
	return rnd(i, 1) % 3 == 0 ? COHORT_REMAND : COHORT_SENTENCED;
}

static void
add_ev(struct story *s, const char *type, ct_date d)
{
	ct_event *e = &s->ev[s->nev++];

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->date = d;
}

static void
story(size_t i, ct_date today, struct story *s)
{
	ct_date base, d, eprd, pre;
	int k;

	memset(s, 0, sizeof(*s));
	s->slip = rnd(i, 7) % 5 == 0;
	switch (cohort_of(i)) {
	case COHORT_REMAND:
		/* received in the last four months; engaged in 1-3 days */
		s->jur = CT_JUR_ACT;
		s->cohort = "remandee";
		base = today - 3 - (ct_date)(rnd(i, 2) % 117);
		add_ev(s, "reception", base);
		if (!s->slip)
			add_ev(s, "engaged", base + 1 + (ct_date)(rnd(i, 4) % 3));
		if ((d = base + 15 + (ct_date)(rnd(i, 5) % 10)) <= today) {
			add_ev(s, "risk-rating-changed", d);
			s->ev[s->nev - 1].rating = ratings[rnd(i, 20) % 3];
		}
		break;
	case COHORT_SENTENCED:
		/* custodial, a plan within 6 weeks, pre-release 6 months
		 * before the EPRD, released on it */
		s->jur = CT_JUR_ACT;
		s->cohort = "sentenced";
		base = today - 60 - (ct_date)(rnd(i, 2) % (5 * 365 - 60));
		add_ev(s, "sentence-commenced", base);
		add_ev(s, "stage-changed", base + 10 + (ct_date)(rnd(i, 3) % 10));
		s->ev[s->nev - 1].stage = "custodial";
		add_ev(s, "risk-rating-changed", base + 20 +
		    (ct_date)(rnd(i, 4) % 10));
		s->ev[s->nev - 1].rating = ratings[rnd(i, 21) % 3];
		eprd = base + 400 + (ct_date)(rnd(i, 5) % 1800);
		add_ev(s, "eprd-set", eprd);
		pre = ct_date_add_months(eprd, -6) - 5 -
		    (ct_date)(rnd(i, 6) % 20);
		if (pre <= today) {
			add_ev(s, "stage-changed", pre);
			s->ev[s->nev - 1].stage = "pre-release";
		}
		if (eprd <= today)
			add_ev(s, "released", eprd);
		s->cmp = true;
		s->created = base + 30 + (ct_date)(rnd(i, 8) % 5);
		if (s->slip)
			break;
		s->approved = s->created + 1 + (ct_date)(rnd(i, 9) % 3);
		/* the stage transition's review, approved */
		s->review = pre + 3 + (ct_date)(rnd(i, 10) % 8);
		s->approved2 = s->review + 1 + (ct_date)(rnd(i, 11) % 2);
		if (pre > today || s->approved2 > today)
			s->review = s->approved2 = 0;
		break;
	default:
		/* an interim order, then a supervision order; a CSP endorsed
		 * within two weeks, reviewed every five months */
		s->jur = CT_JUR_VIC;
		s->cohort = "post-sentence";
		base = today - 40 - (ct_date)(rnd(i, 2) % (5 * 365 - 40));
		add_ev(s, "order-made", base);
		s->ev[s->nev - 1].order = "interim-supervision";
		add_ev(s, "order-made", base + 20 + (ct_date)(rnd(i, 3) % 20));
		s->ev[s->nev - 1].order = "supervision";
		if ((d = base + 60 + (ct_date)(rnd(i, 4) % 30)) <= today) {
			add_ev(s, "risk-rating-changed", d);
			s->ev[s->nev - 1].rating = ratings[rnd(i, 20) % 3];
		}
		for (k = 0; k < MAX_ENDORSE; k++) {
			d = base + 14 + (ct_date)(rnd(i, 8) % 6) + k * 150 +
			    (k > 0 ? (ct_date)(rnd(i, 40 + k) % 20) : 0);
			if (d > (s->slip ? today - 200 : today))
				break;
			s->endorse[s->nendorse++] = d;
		}
		break;
	}
}

/* The round (0..h-1) in which event k of the story is recorded. */
static int
ev_round(const struct story *s, int k, int h)
{
	return k * h / s->nev;
}

struct gen {
	git_repository *repo;
	git_odb *odb;
	struct arena *objects;   /* the object database while generating */
	ct_schema *sc_case, *sc_csp, *sc_cmp, *sc_ops, *sc_agencies;
	const char *dir;
	ct_date today;
	int history;
	int64_t when;            /* the next commit's time */
	git_commit *parent;
	size_t commits;
};

/* Canonical text of doc, validated against s; doc is freed. */
static void
emit(ct_schema *s, ct_node *doc, const char *name, char **text, size_t *len)
{
	ct_error err = { 0 };

	ct_schema_order(s, doc);
	if (ct_schema_validate(s, doc, name, &err) < 0 ||
	    ct_yaml_emit(doc, text, len, &err) < 0)
		die(name, &err);
	ct_node_free(doc);
}

/* Canonical text of the YAML in buf (made by the generator). */
static void
canon(ct_schema *s, char *buf, size_t blen, const char *name, char **text,
    size_t *len)
{
	ct_error err = { 0 };
	ct_node *doc;

	if (ct_yaml_load(buf, blen, name, &doc, &err) < 0)
		die(name, &err);
	emit(s, doc, name, text, len);
}

static char *
fmt(ct_date d, char buf[CT_DATE_BUFSZ])
{
	return ct_date_format(d, buf);
}

static void
case_text(struct gen *g, const char *id, int m, const struct story *s,
    int r, char **text, size_t *len)
{
	char manager[16];
	ct_error err = { 0 };
	ct_node *doc;
	bool added;
	int k;

	snprintf(manager, sizeof(manager), "cm-%02d", m);
	if (ct_case_new(id, s->jur, s->cohort, s->jur == CT_JUR_ACT ?
	    manager : NULL, s->ev[0].date, &doc, &err) < 0)
		die(id, &err);
	for (k = 0; k < s->nev && ev_round(s, k, g->history) <= r; k++)
		if (ct_case_add_event(doc, &s->ev[k], &added, &err) < 0)
			die(id, &err);
	emit(g->sc_case, doc, id, text, len);
}

static const char csp_services[] =
"services:\n"
"  - id: s1\n"
"    agency: djcs\n"
"    delivers: Specialist case management\n"
"    addresses: Compliance with the Supervision Order conditions\n"
"    frequency: weekly\n"
"    start: '%s'\n"
"    status: active\n"
"  - id: s2\n"
"    agency: dh\n"
"    delivers: Forensic mental health treatment\n"
"    addresses: Mental illness\n"
"    frequency: fortnightly\n"
"    start: '%s'\n"
"    status: active\n";

static void
csp_text(struct gen *g, const char *id, const struct story *s, char **text,
    size_t *len)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ], *buf = NULL;
	size_t blen = 0;
	FILE *f;
	int k;

	if ((f = open_memstream(&buf, &blen)) == NULL)
		die("out of memory", NULL);
	fprintf(f, "case: %s\nversion: %d\nstatus: endorsed\n", id,
	    s->nendorse);
	fprintf(f, csp_services, fmt(s->endorse[0], a), fmt(s->endorse[0], b));
	fputs("endorsements:\n", f);
	for (k = 0; k < s->nendorse; k++)
		fprintf(f, "  - version: %d\n    meeting: MAP %s\n"
		    "    date: '%s'\n    agencies: [djcs, dffh, dh, vicpol]\n",
		    k + 1, fmt(s->endorse[k], a), fmt(s->endorse[k], b));
	if (s->nendorse > 1)
		fputs("reviews:\n", f);
	for (k = 1; k < s->nendorse; k++)
		fprintf(f, "  - version: %d\n    opened: '%s'\n"
		    "    reason: Six-monthly review\n", k + 1,
		    fmt(s->endorse[k] - 20, a));
	if (fclose(f) != 0)
		die("out of memory", NULL);
	canon(g->sc_csp, buf, blen, id, text, len);
	free(buf);
}

/* The custodial plan: as submitted (final false), or as it ends. */
static void
cmp_text(struct gen *g, const char *id, int m, const struct story *s,
    bool final, char **text, size_t *len)
{
	char a[CT_DATE_BUFSZ], b[CT_DATE_BUFSZ], *buf = NULL;
	bool approved = final && s->approved != 0;
	bool reviewed = approved && s->review != 0;
	size_t blen = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &blen)) == NULL)
		die("out of memory", NULL);
	fprintf(f, "case: %s\nkind: custodial\nversion: %d\nstatus: %s\n"
	    "created: '%s'\nsubmitted: '%s'\nchanged_by: cm-%02d\n", id,
	    reviewed ? 2 : 1, approved ? "approved" : "pending-approval",
	    fmt(s->created, a), fmt(reviewed ? s->review : s->created, b), m);
	fputs("goals:\n  - Complete an alcohol and drug program\n"
	    "needs:\n  - id: N1\n    domain: alcohol-drug\n"
	    "    description: Substance use linked to offending\n"
	    "    interventions:\n      - type: program\n"
	    "        description: Therapeutic community\n", f);
	fprintf(f, "    target: '%s'\n    status: open\n",
	    fmt(s->created + 365, a));
	fputs("s78:\n  work_activities: Kitchen work\n"
	    "  needs_capacity_welfare: See needs\n"
	    "  release_preparation: Housing referral\n"
	    "comments: Developed with the offender.\n", f);
	if (reviewed)
		fprintf(f, "reviews:\n  - date: '%s'\n    reason: "
		    "stage-transition\n    by: cm-%02d\n    version: 2\n",
		    fmt(s->review, a), m);
	if (approved)
		fprintf(f, "approvals:\n  - version: 1\n    by: tl-01\n"
		    "    role: cmu-team-leader\n    date: '%s'\n",
		    fmt(s->approved, a));
	if (reviewed)
		fprintf(f, "  - version: 2\n    by: tl-01\n"
		    "    role: cmu-team-leader\n    date: '%s'\n",
		    fmt(s->approved2, a));
	if (fclose(f) != 0)
		die("out of memory", NULL);
	canon(g->sc_cmp, buf, blen, id, text, len);
	free(buf);
}

/* Write a file of the work tree (its directories made as needed). */
static void
put_file(struct gen *g, const char *path, const char *text, size_t len)
{
	char full[4096], *p;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", g->dir, path);
	if ((f = fopen(full, "wb")) == NULL && errno == ENOENT) {
		for (p = full + strlen(g->dir) + 1;
		    (p = strchr(p, '/')) != NULL; p++) {
			*p = '\0';
			if (mkdir(full, 0777) < 0 && errno != EEXIST)
				die(full, NULL);
			*p = '/';
		}
		f = fopen(full, "wb");
	}
	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		die(full, NULL);
}

/* The tree updates and case ids of one commit. */
struct batch {
	git_tree_update *up;
	size_t n, cap;
	char *cases;             /* "id, id, ..." */
	size_t clen, ccap;
	const char *last;        /* the case named last */
};

static void
batch_add(struct gen *g, struct batch *b, const char *dir, const char *rel,
    const char *id, char *text, size_t len, bool last)
{
	git_tree_update *u;
	size_t need;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		if ((b->up = realloc(b->up, b->cap * sizeof(*b->up))) == NULL)
			die("out of memory", NULL);
	}
	u = &b->up[b->n++];
	memset(u, 0, sizeof(*u));
	u->action = GIT_TREE_UPDATE_UPSERT;
	u->filemode = GIT_FILEMODE_BLOB;
	if (asprintf((char **)&u->path, "%s/%s", dir, rel) < 0)
		die("out of memory", NULL);
	if (git_blob_create_from_buffer(&u->id, g->repo, text, len) < 0)
		die("writing a blob", NULL);
	if (last)
		put_file(g, u->path, text, len);
	free(text);
	/* a case's records are added one after the other: named once */
	if (*id == '\0' || (b->last != NULL && strcmp(b->last, id) == 0))
		return;
	b->last = id;
	need = strlen(id) + 3;
	if (b->clen + need > b->ccap) {
		b->ccap = (b->clen + need) * 2;
		if ((b->cases = realloc(b->cases, b->ccap)) == NULL)
			die("out of memory", NULL);
	}
	b->clen += (size_t)sprintf(b->cases + b->clen, "%s%s",
	    b->clen ? ", " : "", id);
}

struct author {
	const char *id, *name, *email;
};

/* Commit the batch on the branch under author a. */
static void
commit(struct gen *g, struct batch *b, const struct author *a,
    const char *action, const char *approved, int round, int shard)
{
	git_signature *sig;
	git_tree *tree;
	git_oid tree_id, oid;
	char *msg;
	int rc;

	if (b->n == 0)
		return;
	if (git_commit_tree(&tree, g->parent) < 0 ||
	    git_tree_create_updated(&tree_id, g->repo, tree, b->n, b->up) < 0)
		die("building a tree", NULL);
	git_tree_free(tree);
	if (round < 0)
		rc = asprintf(&msg, "registry: the benchmark's operators and "
		    "agencies\n\nReason: benchmark store\nAction: %s\n"
		    "Tool: %s\n", action, TOOL);
	else
		rc = asprintf(&msg, "gen-store: %zu records, round %d, shard "
		    "%02x\n\nReason: benchmark store\nCase: %s\nAction: %s\n"
		    "%s%s%sTool: %s\n", b->n, round + 1, shard, b->cases,
		    action, approved ? "Approved-by: " : "",
		    approved ? approved : "", approved ? "\n" : "", TOOL);
	if (rc < 0)
		die("out of memory", NULL);
	if (git_signature_new(&sig, a->name, a->email, g->when++, 0) < 0 ||
	    git_tree_lookup(&tree, g->repo, &tree_id) < 0 ||
	    git_commit_create(&oid, g->repo, NULL, sig, sig, NULL, msg, tree,
	    1, (const git_commit **)&g->parent) < 0)
		die("writing a commit", NULL);
	git_tree_free(tree);
	git_signature_free(sig);
	git_commit_free(g->parent);
	if (git_commit_lookup(&g->parent, g->repo, &oid) < 0)
		die("reading a commit", NULL);
	free(msg);
	while (b->n > 0)
		free((char *)b->up[--b->n].path);
	b->clen = 0;
	b->last = NULL;
	g->commits++;
}

static struct author admin;   /* the caller's git identity */
static const struct author soct = { "soct-01", "SOCT Officer",
    "soct-01@example.org" };
static const struct author leader = { "tl-01", "CMU Team Leader",
    "tl-01@example.org" };

/* s in single quotes, for YAML. */
static void
quoted(FILE *f, const char *s)
{
	putc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			putc('\'', f);
		putc(*s, f);
	}
	putc('\'', f);
}

/* The administrator: the git identity of the caller (user.name and
 * user.email, as for the tools), its id the local part of its email. */
static void
set_admin(struct gen *g)
{
	static char id[41];
	git_signature *sig;
	const char *e;
	size_t n = 0;

	if (git_signature_default(&sig, g->repo) < 0)
		die("git user.name and user.email", NULL);
	/* lower case; what an operator id can not hold becomes '-' */
	for (e = sig->email; *e != '\0' && *e != '@' && n < 40; e++) {
		char c = *e >= 'A' && *e <= 'Z' ? (char)(*e - 'A' + 'a') : *e;
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (alnum || (n > 0 && (c == '.' || c == '_' || c == '-')))
			id[n++] = c;
		else if (n > 0)
			id[n++] = '-';
	}
	id[n] = '\0';
	if (n == 0 || strncmp(id, "cm-", 3) == 0 || strcmp(id, "tl-01") == 0 ||
	    strcmp(id, "soct-01") == 0)
		strcpy(id, "admin");
	admin.id = id;
	if ((admin.name = strdup(sig->name)) == NULL ||
	    (admin.email = strdup(sig->email)) == NULL)
		die("out of memory", NULL);
	git_signature_free(sig);
}

/* The operators and agencies of the records, registered by the
 * administrator (the store's bootstrap). */
static void
registry(struct gen *g)
{
	static const char agencies[] =
	    "agencies:\n"
	    "  - {id: djcs, name: Department of Justice and Community Safety,"
	    " map_member: true}\n"
	    "  - {id: dffh, name: 'Department of Families, Fairness and "
	    "Housing', map_member: true}\n"
	    "  - {id: dh, name: Department of Health, map_member: true}\n"
	    "  - {id: vicpol, name: Victoria Police, map_member: true}\n";
	struct batch b = { 0 };
	char *buf = NULL, *text;
	size_t blen = 0, len;
	FILE *f;
	int m;

	if ((f = open_memstream(&buf, &blen)) == NULL)
		die("out of memory", NULL);
	set_admin(g);
	fprintf(f, "operators:\n  - {id: %s, name: ", admin.id);
	quoted(f, admin.name);
	fputs(", email: ", f);
	quoted(f, admin.email);
	fputs(", roles: [administrator, case-manager]}\n", f);
	for (m = 1; m <= MANAGERS; m++)
		fprintf(f, "  - {id: cm-%02d, name: Case Manager %d, email: "
		    "cm-%02d@example.org, roles: [case-manager]}\n", m, m, m);
	fprintf(f, "  - {id: %s, name: %s, email: %s, roles: "
	    "[cmu-team-leader]}\n", leader.id, leader.name, leader.email);
	fprintf(f, "  - {id: %s, name: %s, email: %s, roles: [soct-officer], "
	    "agency: djcs}\n", soct.id, soct.name, soct.email);
	if (fclose(f) != 0)
		die("out of memory", NULL);
	canon(g->sc_ops, buf, blen, "registry/operators.yaml", &text, &len);
	free(buf);
	batch_add(g, &b, "registry", "operators.yaml", "", text, len, true);
	canon(g->sc_agencies, (char *)agencies, sizeof(agencies) - 1,
	    "registry/agencies.yaml", &text, &len);
	batch_add(g, &b, "registry", "agencies.yaml", "", text, len, true);
	commit(g, &b, &admin, "register", NULL, -1, 0);
	free(b.up);
	free(b.cases);
}

struct kase {
	char id[16];
	char *dir;               /* cases/<xx>/<id> */
};

/* What of story st round r writes, by whom: 0 the case manager (case
 * record, a plan submitted), 1 the SOCT officer (CSP), 2 the Team
 * Leader (a plan approved). */
static void
stage(struct gen *g, const struct kase *k, int m, const struct story *st,
    int r, int who, struct batch *b)
{
	int h = g->history, q, last_ev = ev_round(st, st->nev - 1, h);
	bool changed = false;
	char *text;
	size_t len;

	switch (who) {
	case 0:
		for (q = 0; q < st->nev; q++)
			changed |= ev_round(st, q, h) == r;
		if (changed) {
			case_text(g, k->id, m, st, r, &text, &len);
			batch_add(g, b, k->dir, "case.yaml", k->id, text, len,
			    r == last_ev);
		}
		/* submitted the round before its approval; a slipped plan
		 * is never approved */
		if (st->cmp && r == (h > 1 ? h - 2 : 0) &&
		    (st->slip || h > 1)) {
			cmp_text(g, k->id, m, st, false, &text, &len);
			batch_add(g, b, k->dir, "cmp/custodial.yaml", k->id,
			    text, len, st->slip);
		}
		break;
	case 1:
		if (st->nendorse > 0 && r == h - 1) {
			csp_text(g, k->id, st, &text, &len);
			batch_add(g, b, k->dir, "csp.yaml", k->id, text, len,
			    true);
		}
		break;
	default:
		if (st->cmp && !st->slip && r == h - 1) {
			cmp_text(g, k->id, m, st, true, &text, &len);
			batch_add(g, b, k->dir, "cmp/custodial.yaml", k->id,
			    text, len, true);
		}
		break;
	}
}

/* Round r of the cases of shard s: up to three commits, one per author.
 * The shard's cases are managed by one case manager. */
static void
round_shard(struct gen *g, const struct kase *k, const size_t *which,
    size_t nw, int r, int s, struct batch *b)
{
	char id[16], name[32], email[64], approved[64];
	struct author cm = { id, name, email };
	int m = s % MANAGERS + 1, who;
	struct story st;
	size_t w;

	snprintf(id, sizeof(id), "cm-%02d", m);
	snprintf(name, sizeof(name), "Case Manager %d", m);
	snprintf(email, sizeof(email), "cm-%02d@example.org", m);
	snprintf(approved, sizeof(approved), "%s (cmu-team-leader)",
	    leader.id);
	for (who = 0; who < 3; who++) {
		for (w = 0; w < nw; w++) {
			story(which[w], g->today, &st);
			stage(g, &k[which[w]], m, &st, r, who, b);
		}
		commit(g, b, who == 0 ? &cm : who == 1 ? &soct : &leader,
		    who == 2 ? "approve" : "generate", who == 2 ? approved :
		    NULL, r, s);
	}
}

/*
 * The object database the generator writes to.  Every object's bytes are
 * appended to large arenas and found by id in an open-addressed table
 * (the ids are uniformly random, so their first bytes are the hash),
 * instead of one heap allocation per object as libgit2's mempack makes:
 * at a million cases the history holds millions of objects, and malloc's
 * bookkeeping of them, interleaved with every record's short-lived
 * allocations, had become a quarter of the generator's time.  The table
 * is also the list of what was written, for the pack.
 */
struct obj {
	git_oid id;
	uint32_t len;
	git_object_t type;      /* 0: an empty slot */
	uint32_t rank;          /* its place in the pack, when reachable
	                           from the final tree (pack_order) */
	unsigned char *data;
};

#define ARENA_CHUNK (64u << 20)

struct arena {
	git_odb_backend parent;
	struct obj *tab;
	size_t cap, n;           /* cap a power of two, n < cap / 2 */
	unsigned char **chunks;
	size_t nchunks;
	unsigned char *cur;      /* the free part of the last chunk */
	size_t left;
};

static size_t
slot_of(const struct arena *a, const git_oid *id)
{
	uint64_t h;
	size_t i;

	memcpy(&h, id->id, sizeof(h));
	for (i = (size_t)h & (a->cap - 1); a->tab[i].type != 0 &&
	    !git_oid_equal(&a->tab[i].id, id); i = (i + 1) & (a->cap - 1))
		;
	return i;
}

static const struct obj *
arena_find(const struct arena *a, const git_oid *id)
{
	const struct obj *o = &a->tab[slot_of(a, id)];

	return o->type != 0 ? o : NULL;
}

static void
arena_grow(struct arena *a)
{
	struct obj *old = a->tab;
	size_t i, oldcap = a->cap;

	a->cap = oldcap ? oldcap * 2 : 1 << 16;
	a->tab = xcalloc(a->cap, sizeof(*a->tab));
	for (i = 0; i < oldcap; i++)
		if (old[i].type != 0)
			a->tab[slot_of(a, &old[i].id)] = old[i];
	free(old);
}

/* len bytes of arena memory for good. */
static unsigned char *
arena_alloc(struct arena *a, size_t len)
{
	size_t size = len > ARENA_CHUNK ? len : ARENA_CHUNK;
	unsigned char *p;

	if (len > a->left) {
		if ((a->chunks = realloc(a->chunks, (a->nchunks + 1) *
		    sizeof(*a->chunks))) == NULL ||
		    (a->cur = malloc(size)) == NULL)
			die("out of memory", NULL);
		a->chunks[a->nchunks++] = a->cur;
		a->left = size;
	}
	p = a->cur;
	a->cur += len;
	a->left -= len;
	return p;
}

static int
ar_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *id)
{
	const struct obj *o = arena_find((struct arena *)b, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	if ((*data = git_odb_backend_data_alloc(b, o->len + 1)) == NULL)
		return -1;
	memcpy(*data, o->data, o->len);
	*len = o->len;
	*type = o->type;
	return 0;
}

static int
ar_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *id)
{
	const struct obj *o = arena_find((struct arena *)b, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	*len = o->len;
	*type = o->type;
	return 0;
}

static int
ar_exists(git_odb_backend *b, const git_oid *id)
{
	return arena_find((struct arena *)b, id) != NULL;
}

static int
ar_write(git_odb_backend *b, const git_oid *id, const void *data,
    size_t len, git_object_t type)
{
	struct arena *a = (struct arena *)b;
	struct obj *o;

	if (len > UINT32_MAX)
		die("an object of 4 GiB or more", NULL);
	if (2 * (a->n + 1) > a->cap)
		arena_grow(a);
	o = &a->tab[slot_of(a, id)];
	if (o->type != 0)
		return 0;  /* written before */
	git_oid_cpy(&o->id, id);
	o->len = (uint32_t)len;
	o->type = type;
	o->data = arena_alloc(a, len);
	memcpy(o->data, data, len);
	a->n++;
	return 0;
}

static void
ar_free(git_odb_backend *b)
{
	struct arena *a = (struct arena *)b;

	while (a->nchunks > 0)
		free(a->chunks[--a->nchunks]);
	free(a->chunks);
	free(a->tab);
	free(a);
}

static struct arena *
arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	if (git_odb_init_backend(&a->parent, GIT_ODB_BACKEND_VERSION) < 0)
		die("making the object database", NULL);
	arena_grow(a);
	a->parent.read = ar_read;
	a->parent.read_header = ar_read_header;
	a->parent.exists = ar_exists;
	a->parent.write = ar_write;
	a->parent.free = ar_free;
	return a;
}

/* Empty slots last, commits first, then the final tree's objects in
 * the order of its walk, then the older trees and blobs by type and id. */
static int
obj_cmp(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	if ((x->type == 0) != (y->type == 0))
		return x->type == 0 ? 1 : -1;
	if ((x->type == GIT_OBJECT_COMMIT) != (y->type == GIT_OBJECT_COMMIT))
		return x->type == GIT_OBJECT_COMMIT ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return git_oid_cmp(&x->id, &y->id);
}

/* Rank the objects of the tree id, itself first and then its entries in
 * tree order, depth first, from *next on: the order in which git's
 * pack-objects lays out the objects of the newest commit, and the one
 * in which a walk of the store's cases reads them. */
static void
rank_tree(struct arena *a, const git_oid *id, uint32_t *next)
{
	struct obj *t = (struct obj *)arena_find(a, id);
	const unsigned char *p, *end;
	git_oid sub;
	struct obj *o;
	bool dir;

	if (t == NULL || t->rank != UINT32_MAX)
		return;
	t->rank = (*next)++;
	for (p = t->data, end = p + t->len; p < end; p += GIT_OID_RAWSZ) {
		dir = *p == '4';   /* mode 40000 */
		p = memchr(p, '\0', (size_t)(end - p));
		if (p == NULL || (size_t)(end - ++p) < GIT_OID_RAWSZ)
			die("a tree the generator wrote does not parse", NULL);
		git_oid_fromraw(&sub, p);
		if (dir)
			rank_tree(a, &sub, next);
		else if ((o = (struct obj *)arena_find(a, &sub)) != NULL &&
		    o->rank == UINT32_MAX)
			o->rank = (*next)++;
	}
}

/* Every object unranked, then the final tree's objects ranked. */
static void
pack_order(struct arena *a, git_commit *tip)
{
	uint32_t next = 0;
	size_t i;

	for (i = 0; i < a->cap; i++)
		a->tab[i].rank = UINT32_MAX;
	rank_tree(a, git_commit_tree_id(tip), &next);
}

/*
 * The pack: every object generated, undeltified, in the order git's
 * pack-objects would write them (obj_cmp), and its index (version 2), both written here: the
 * generator knows every object's id, so nothing is inflated and hashed
 * again as libgit2's indexer would (that was half of the pack's time).
 * A pack without deltas is what a store has before its first git gc; it
 * is also the cheapest to read.  zlib is most of what is left, at a few
 * tens of microseconds an object, so the two halves of each batch of
 * objects are compressed on two threads and written in order.
 */
struct packer {
	FILE *f;
	EVP_MD_CTX *md;          /* the checksum of what is written */
	uint64_t off;            /* bytes written */
};

static void
pk_write(struct packer *p, const void *data, size_t len)
{
	if (EVP_DigestUpdate(p->md, data, len) != 1 ||
	    fwrite(data, 1, len, p->f) != len)
		die("writing the pack", NULL);
	p->off += len;
}

static void
pk_be32(struct packer *p, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	pk_write(p, b, 4);
}

/* Finish the checksum, write it and close the file. */
static void
pk_close(struct packer *p, unsigned char sum[20])
{
	unsigned int slen;

	if (EVP_DigestFinal_ex(p->md, sum, &slen) != 1 || slen != 20 ||
	    fwrite(sum, 1, 20, p->f) != 20 || fclose(p->f) != 0)
		die("writing the pack", NULL);
	EVP_MD_CTX_free(p->md);
	p->f = NULL;
}

static void
pk_open(struct packer *p, const char *path)
{
	p->off = 0;
	if ((p->f = fopen(path, "wb")) == NULL ||
	    (p->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(p->md, EVP_sha1(), NULL) != 1)
		die(path, NULL);
	setvbuf(p->f, NULL, _IOFBF, 1 << 20);
}

/* One thread's share of a batch: its objects' pack entries (header and
 * deflated data) in order, and each entry's length and CRC-32. */
struct zjob {
	const struct obj *v;
	size_t n;
	uint32_t *elen, *crc;
	z_stream zs;             /* reset for every object, not remade */
	unsigned char *out;
	size_t len, cap;
};

static void
zj_room(struct zjob *j, size_t more)
{
	if (j->len + more <= j->cap)
		return;
	j->cap = (j->len + more) * 2;
	if ((j->out = realloc(j->out, j->cap)) == NULL)
		die("out of memory", NULL);
}

static void *
zj_run(void *arg)
{
	struct zjob *j = arg;
	const struct obj *o;
	unsigned char *hdr;
	size_t k, n, size, bound, at;

	for (k = 0; k < j->n; k++) {
		o = &j->v[k];
		bound = deflateBound(&j->zs, o->len);
		zj_room(j, 16 + bound);
		at = j->len;
		hdr = j->out + at;
		n = 0;
		size = o->len;
		hdr[n] = (unsigned char)((o->type << 4) | (size & 15));
		for (size >>= 4; size > 0; size >>= 7) {
			hdr[n++] |= 0x80;
			hdr[n] = size & 0x7f;
		}
		j->len += n + 1;
		j->zs.next_in = o->data;
		j->zs.avail_in = o->len;
		j->zs.next_out = j->out + j->len;
		j->zs.avail_out = (uInt)bound;
		if (deflate(&j->zs, Z_FINISH) != Z_STREAM_END ||
		    deflateReset(&j->zs) != Z_OK)
			die("compressing an object", NULL);
		j->len += bound - j->zs.avail_out;
		j->elen[k] = (uint32_t)(j->len - at);
		j->crc[k] = (uint32_t)crc32(0, j->out + at, (uInt)(j->len - at));
	}
	return NULL;
}

#define PACK_BATCH 65536

/* The pack's entries: off[i] and crc[i] of object i of tab. */
static void
pack_entries(struct arena *o, struct packer *p, uint64_t *off,
    uint32_t *crc)
{
	struct zjob job[2] = { { 0 }, { 0 } };
	uint32_t *elen = xcalloc(PACK_BATCH, sizeof(*elen));
	pthread_t t;
	uint64_t at;
	size_t i, m, k, e;

	for (k = 0; k < 2; k++)
		if (deflateInit2(&job[k].zs, Z_BEST_SPEED, Z_DEFLATED, 15, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK)
			die("writing the pack", NULL);
	for (i = 0; i < o->n; i += m) {
		m = o->n - i < PACK_BATCH ? o->n - i : PACK_BATCH;
		for (k = 0; k < 2; k++) {
			job[k].v = o->tab + i + (k ? m / 2 : 0);
			job[k].n = k ? m - m / 2 : m / 2;
			job[k].elen = elen + (k ? m / 2 : 0);
			job[k].crc = crc + i + (k ? m / 2 : 0);
		}
		if (pthread_create(&t, NULL, zj_run, &job[1]) != 0)
			die("starting a thread", NULL);
		zj_run(&job[0]);
		pthread_join(t, NULL);
		for (at = p->off, e = 0; e < m; at += elen[e++])
			off[i + e] = at;
		for (k = 0; k < 2; k++) {
			pk_write(p, job[k].out, job[k].len);
			job[k].len = 0;
		}
	}
	for (k = 0; k < 2; k++) {
		deflateEnd(&job[k].zs);
		free(job[k].out);
	}
	free(elen);
}

static int
by_id(const void *a, const void *b, void *arg)
{
	const struct obj *tab = arg;

	return git_oid_cmp(&tab[*(const uint32_t *)a].id,
	    &tab[*(const uint32_t *)b].id);
}

/* The pack's index, version 2: the ids in order with their CRC-32 and
 * offset (over 2 GiB, in a table of 64-bit offsets). */
static void
write_idx(struct arena *o, const uint64_t *off, const uint32_t *crc,
    const unsigned char packsum[20], const char *path)
{
	static const unsigned char magic[8] = { 0xff, 't', 'O', 'c', 0, 0, 0,
	    2 };
	uint32_t *ix = xcalloc(o->n, sizeof(*ix)), fan[256] = { 0 }, nbig = 0;
	unsigned char sum[20], big[8];
	struct packer p;
	size_t i;
	int b;

	for (i = 0; i < o->n; i++) {
		ix[i] = (uint32_t)i;
		fan[o->tab[i].id.id[0]]++;
	}
	qsort_r(ix, o->n, sizeof(*ix), by_id, o->tab);
	pk_open(&p, path);
	pk_write(&p, magic, sizeof(magic));
	for (b = 0, i = 0; b < 256; b++)
		pk_be32(&p, (uint32_t)(i += fan[b]));
	for (i = 0; i < o->n; i++)
		pk_write(&p, o->tab[ix[i]].id.id, GIT_OID_RAWSZ);
	for (i = 0; i < o->n; i++)
		pk_be32(&p, crc[ix[i]]);
	for (i = 0; i < o->n; i++)
		pk_be32(&p, off[ix[i]] < 0x80000000u ? (uint32_t)off[ix[i]] :
		    0x80000000u | nbig++);
	for (i = 0; i < o->n; i++)
		if (off[ix[i]] >= 0x80000000u) {
			for (b = 0; b < 8; b++)
				big[b] = (unsigned char)(off[ix[i]] >> (56 - 8 * b));
			pk_write(&p, big, 8);
		}
	pk_write(&p, packsum, 20);
	pk_close(&p, sum);
	free(ix);
}

static void
write_pack(struct gen *g, git_commit *tip)
{
	struct arena *o = g->objects;
	unsigned char hdr[12] = { 'P', 'A', 'C', 'K', 0, 0, 0, 2 }, sum[20];
	char tmp[4096], idx[4096], final[4096], hex[GIT_OID_HEXSZ + 1];
	uint64_t *off;
	uint32_t *crc;
	struct packer p;
	git_oid name;

	pack_order(o, tip);
	/* the table is a list from here on: no object is looked up again */
	qsort(o->tab, o->cap, sizeof(*o->tab), obj_cmp);
	off = xcalloc(o->n ? o->n : 1, sizeof(*off));
	crc = xcalloc(o->n ? o->n : 1, sizeof(*crc));
	snprintf(tmp, sizeof(tmp), "%s/.git/objects/pack/tmp_gen_pack", g->dir);
	pk_open(&p, tmp);
	hdr[8] = (unsigned char)(o->n >> 24);
	hdr[9] = (unsigned char)(o->n >> 16);
	hdr[10] = (unsigned char)(o->n >> 8);
	hdr[11] = (unsigned char)o->n;
	pk_write(&p, hdr, sizeof(hdr));
	pack_entries(o, &p, off, crc);
	pk_close(&p, sum);
	git_oid_fromraw(&name, sum);
	git_oid_tostr(hex, sizeof(hex), &name);
	snprintf(idx, sizeof(idx), "%s/.git/objects/pack/pack-%s.idx", g->dir,
	    hex);
	snprintf(final, sizeof(final), "%s/.git/objects/pack/pack-%s.pack",
	    g->dir, hex);
	if (rename(tmp, final) < 0)
		die(final, NULL);
	write_idx(o, off, crc, sum, idx);
	free(off);
	free(crc);
}

/* The index of the final tree, with the stat data of the files the
 * generator wrote, so that git sees a clean work tree without hashing
 * a file. */
static void
write_index(struct gen *g, const git_oid *tip)
{
	git_commit *c;
	git_index *ix;
	git_tree *tree;
	git_index_entry e;
	struct stat sb;
	char full[4096];
	size_t i, n;

	if (git_repository_index(&ix, g->repo) < 0 ||
	    git_commit_lookup(&c, g->repo, tip) < 0 ||
	    git_commit_tree(&tree, c) < 0 ||
	    git_index_read_tree(ix, tree) < 0)
		die("reading the tree into the index", NULL);
	n = git_index_entrycount(ix);
	for (i = 0; i < n; i++) {
		e = *git_index_get_byindex(ix, i);
		snprintf(full, sizeof(full), "%s/%s", g->dir, e.path);
		if (lstat(full, &sb) < 0)
			die(full, NULL);
		e.ctime.seconds = (int32_t)sb.st_ctim.tv_sec;
		e.ctime.nanoseconds = (uint32_t)sb.st_ctim.tv_nsec;
		e.mtime.seconds = (int32_t)sb.st_mtim.tv_sec;
		e.mtime.nanoseconds = (uint32_t)sb.st_mtim.tv_nsec;
		e.dev = (uint32_t)sb.st_dev;
		e.ino = (uint32_t)sb.st_ino;
		e.uid = sb.st_uid;
		e.gid = sb.st_gid;
		e.file_size = (uint32_t)sb.st_size;
		if (git_index_add(ix, &e) < 0)
			die(e.path, NULL);
	}
	if (git_index_write(ix) < 0)
		die("writing the index", NULL);
	git_tree_free(tree);
	git_commit_free(c);
	git_index_free(ix);
}

static int
copy_object(const git_oid *id, void *arg)
{
	git_odb **two = arg;
	git_odb_object *o;
	git_oid out;
	int rc;

	if ((rc = git_odb_read(&o, two[0], id)) < 0)
		return rc;
	rc = git_odb_write(&out, two[1], git_odb_object_data(o),
	    git_odb_object_size(o), git_odb_object_type(o));
	git_odb_object_free(o);
	return rc;
}

/*
 * The store made by store-init, its repository reading and writing only
 * the generator's object database, with store-init's few objects copied
 * in: no loose object to stat and no pack directory to rescan for each
 * object written.
 */
static void
open_store(struct gen *g, const ct_init_opts *io)
{
	git_reference *ref;
	git_odb *two[2] = { NULL, NULL };
	ct_error err = { 0 };

	if (ct_store_init(g->dir, io, &err) < 0)
		die("store-init", &err);
	if (ct_schema_load("case", &g->sc_case, &err) < 0 ||
	    ct_schema_load("csp", &g->sc_csp, &err) < 0 ||
	    ct_schema_load("cmp", &g->sc_cmp, &err) < 0 ||
	    ct_schema_load("operators", &g->sc_ops, &err) < 0 ||
	    ct_schema_load("agencies", &g->sc_agencies, &err) < 0)
		die("schema", &err);
	if (git_repository_open(&g->repo, g->dir) < 0 ||
	    git_repository_odb(&two[0], g->repo) < 0 ||
	    git_odb_new(&g->odb) < 0 ||
	    (g->objects = arena_new()) == NULL ||
	    git_odb_add_backend(g->odb, &g->objects->parent, 1) < 0 ||
	    (two[1] = g->odb, git_odb_foreach(two[0], copy_object, two)) < 0 ||
	    git_repository_set_odb(g->repo, g->odb) < 0)
		die("opening the store", NULL);
	git_odb_free(two[0]);
	if (git_repository_head(&ref, g->repo) < 0 ||
	    git_reference_peel((git_object **)&g->parent, ref,
	    GIT_OBJECT_COMMIT) < 0)
		die("reading HEAD", NULL);
	git_reference_free(ref);
}

/* The pack, main and the index: from here on, the store as the tools
 * see it. */
static void
finish(struct gen *g)
{
	git_reference *ref;
	git_oid tip;

	write_pack(g, g->parent);
	progress("pack written");
	git_oid_cpy(&tip, git_commit_id(g->parent));
	git_commit_free(g->parent);
	git_repository_free(g->repo);
	git_odb_free(g->odb);
	if (git_repository_open(&g->repo, g->dir) < 0 ||
	    git_reference_create(&ref, g->repo, CT_BRANCH, &tip, 1,
	    "gen-store") < 0)
		die("updating main", NULL);
	git_reference_free(ref);
	write_index(g, &tip);
	git_repository_free(g->repo);
	ct_schema_free(g->sc_case);
	ct_schema_free(g->sc_csp);
	ct_schema_free(g->sc_cmp);
	ct_schema_free(g->sc_ops);
	ct_schema_free(g->sc_agencies);
}

/* The n cases, and their order grouped by shard: the cases of shard s
 * are (*order)[start[s] .. start[s + 1]). */
static struct kase *
make_cases(size_t n, size_t start[257], size_t **order)
{
	struct kase *k = xcalloc(n, sizeof(*k));
	ct_error err = { 0 };
	size_t i, fill[256];
	int s;

	*order = xcalloc(n, sizeof(**order));
	for (i = 0; i < n; i++) {
		snprintf(k[i].id, sizeof(k[i].id), "%s-%06u",
		    (i % 2) ? "VIC" : "ACT", (unsigned)i);
		if (ct_case_dir(k[i].id, &k[i].dir, &err) < 0)
			die(k[i].id, &err);
		start[strtol(k[i].dir + 6, NULL, 16) + 1]++;
	}
	for (s = 0; s < 256; s++)
		start[s + 1] += start[s];
	memcpy(fill, start, sizeof(fill));
	for (i = 0; i < n; i++)
		(*order)[fill[strtol(k[i].dir + 6, NULL, 16)]++] = i;
	return k;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "history", required_argument, NULL, 'H' },
		{ "jurisdiction", required_argument, NULL, 'j' },
		{ "today", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	ct_init_opts io = { .jurisdiction = CT_JUR_ACT, .tool = "gen-store",
	    .version = "0.2.0" };
	struct gen g = { .history = 3 };
	ct_error err = { 0 };
	struct batch b = { 0 };
	struct kase *k;
	size_t n, i, w, *order, start[257] = { 0 };
	char *end;
	int ch, r, s;

	g.today = ct_date_from_ymd(2026, 11, 24);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'H': g.history = atoi(optarg); break;
		case 'j': io.jurisdiction = ct_jurisdiction_parse(optarg); break;
		case 't':
			if (ct_date_parse(optarg, &g.today, &err) < 0)
				die("--today", &err);
			break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 2 || g.history < 1 || g.history > 4 ||
	    io.jurisdiction == CT_JUR_NONE) {
		fputs(usage, stderr);
		return 2;
	}
	errno = 0;
	n = strtoul(argv[optind], &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > MAX_CASES) {
		fprintf(stderr, "gen-store: n must be 1 to %d\n", MAX_CASES);
		return 2;
	}
	g.dir = argv[optind + 1];
	/* the commits of the day before today, one second apart */
	g.when = (int64_t)(g.today - 1 - ct_date_from_ymd(1970, 1, 1)) * 86400;
	open_store(&g, &io);
	registry(&g);

	k = make_cases(n, start, &order);
	for (r = 0; r < g.history; r++) {
		for (s = 0; s < 256; s++) {
			w = start[s];
			round_shard(&g, k, order + w, start[s + 1] - w, r, s,
			    &b);
		}
		progress("round %d of %d done, %zu commits", r + 1, g.history,
		    g.commits);
	}
	finish(&g);
	progress("%zu cases, %zu commits in %s", n, g.commits + 1, g.dir);
	for (i = 0; i < n; i++)
		free(k[i].dir);
	free(k);
	free(order);
	free(b.up);
	free(b.cases);
	return 0;
}
