/*
 * Evaluating the deadline rules on the cases of a snapshot: calendars,
 * the per-case record cache the rules engine reads through its
 * ct_record_fn callback, the evaluation cache (evalcache.h), and every
 * case of a snapshot on a few threads.
 *
 * Threads: libgit2 objects are used by one thread at a time, so each
 * worker opens the store again and reads its own snapshot of the same
 * commit, with its own evaluator (calendars, schemas, libyaml parsers,
 * evaluation cache).  What they share is read only: the rules.  Work is
 * handed out by shard (cases/<xx>/), so each worker's cache writes its
 * own shards' files; the caller's thread hands the results on in tree
 * order, never more than a few shards behind the workers.
 */
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "casetrail/buf.h"
#include "casetrail/evalcache.h"
#include "casetrail/evaluate.h"
#include "casetrail/exception.h"

struct rec {
	char *rel;
	ct_node *doc;          /* NULL: the case has no such record */
};

struct ct_evaluator {
	ct_snapshot *snap;
	const ct_rules *rules;
	ct_date today;
	ct_calendar *cal[3];   /* by ct_jurisdiction */
	const char *dir;       /* the case being evaluated */
	struct rec *rec;
	size_t nrec, caprec;
	ct_evalcache *cache;   /* NULL: evaluate every case */
	size_t ncached, nevaluated;
	ct_finding_keep_fn keep;  /* NULL: every finding */
	void *keep_arg;
};

static int
nomem(ct_error *err)
{
	return ct_error_set(err, CT_ERROR, "out of memory");
}

int
ct_snapshot_calendar(ct_snapshot *snap, ct_jurisdiction j, ct_calendar **out,
    ct_error *err)
{
	ct_node *doc = NULL;
	char *path = NULL;
	int rc;

	*out = NULL;
	if (asprintf(&path, "calendars/%s.yaml", ct_jurisdiction_name(j)) < 0)
		return nomem(err);
	if ((rc = ct_calendar_new(j, out, err)) == 0)
		rc = ct_snapshot_load(snap, path, &doc, err);
	if (rc == 0)
		rc = ct_calendar_apply(*out, doc, path, err);
	else if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0) {
		ct_calendar_free(*out);
		*out = NULL;
	}
	ct_node_free(doc);
	free(path);
	return rc;
}

int
ct_snapshot_rules(ct_snapshot *snap, ct_rules **out, ct_error *err)
{
	ct_node *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = ct_snapshot_load(snap, CT_RULES_PATH, &doc, err)) == 0)
		rc = ct_rules_load(doc, CT_RULES_PATH, out, err);
	ct_node_free(doc);
	return rc;
}

int
ct_evaluator_new(ct_snapshot *snap, const ct_rules *rules, ct_date today,
    ct_evaluator **out, ct_error *err)
{
	return ct_evaluator_new_cal(snap, rules, snap, today, out, err);
}

int
ct_evaluator_new_cal(ct_snapshot *snap, const ct_rules *rules,
    ct_snapshot *calsnap, ct_date today, ct_evaluator **out, ct_error *err)
{
	ct_evaluator *ev;
	int rc;

	*out = NULL;
	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		return nomem(err);
	ev->snap = snap;
	ev->rules = rules;
	ev->today = today;
	if ((rc = ct_snapshot_calendar(calsnap, CT_JUR_ACT,
	    &ev->cal[CT_JUR_ACT], err)) < 0 ||
	    (rc = ct_snapshot_calendar(calsnap, CT_JUR_VIC,
	    &ev->cal[CT_JUR_VIC], err)) < 0) {
		ct_evaluator_free(ev);
		return rc;
	}
	*out = ev;
	return 0;
}

static void
drop_records(ct_evaluator *ev)
{
	while (ev->nrec > 0) {
		ev->nrec--;
		free(ev->rec[ev->nrec].rel);
		ct_node_free(ev->rec[ev->nrec].doc);
	}
}

void
ct_evaluator_free(ct_evaluator *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	drop_records(ev);
	free(ev->rec);
	ct_evalcache_free(ev->cache);
	for (i = 0; i < 3; i++)
		ct_calendar_free(ev->cal[i]);
	free(ev);
}

/*
 * The path of the record rel of the current case.  rel may end in a
 * pattern ("assessments/<date>-lsi-r.yaml" as a glob): the last matching
 * file in name order (dated names: the newest).  *path NULL when nothing
 * matches.
 */
static int
record_path(ct_evaluator *ev, const char *rel, char **path, ct_error *err)
{
	const char *slash = strrchr(rel, '/');
	char *dir = NULL, **names = NULL;
	size_t i, n = 0;
	int rc;

	*path = NULL;
	if (strchr(rel, '*') == NULL)
		return asprintf(path, "%s/%s", ev->dir, rel) < 0 ?
		    nomem(err) : 0;
	if (asprintf(&dir, "%s/%.*s", ev->dir, slash ? (int)(slash - rel) : 0,
	    rel) < 0)
		return nomem(err);
	rc = ct_snapshot_list(ev->snap, dir, &names, &n, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	for (i = n; rc == 0 && i > 0; i--)
		if (fnmatch(slash ? slash + 1 : rel, names[i - 1], 0) == 0) {
			if (asprintf(path, "%s/%s", dir, names[i - 1]) < 0)
				rc = nomem(err);
			break;
		}
	ct_strv_free(names);
	free(dir);
	return rc;
}

static int
case_record(void *arg, const char *rel, const ct_node **out, ct_error *err)
{
	ct_evaluator *ev = arg;
	char *path = NULL;
	ct_node *doc = NULL;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < ev->nrec; i++)
		if (strcmp(ev->rec[i].rel, rel) == 0) {
			*out = ev->rec[i].doc;
			return 0;
		}
	if ((rc = record_path(ev, rel, &path, err)) < 0)
		return rc;
	rc = path != NULL ? ct_snapshot_parse(ev->snap, path, &doc, err) :
	    CT_ENOTFOUND;
	free(path);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		return rc;
	if (ev->nrec == ev->caprec) {
		size_t cap = ev->caprec ? ev->caprec * 2 : 16;
		struct rec *grown = realloc(ev->rec, cap * sizeof(*grown));

		if (grown == NULL) {
			ct_node_free(doc);
			return nomem(err);
		}
		ev->rec = grown;
		ev->caprec = cap;
	}
	if ((ev->rec[ev->nrec].rel = strdup(rel)) == NULL) {
		ct_node_free(doc);
		return nomem(err);
	}
	ev->rec[ev->nrec++].doc = doc;
	*out = doc;
	return 0;
}

/* The days on which the case's exceptions stay as they apply today: a
 * deferral counts up to its last day. */
static void
exceptions_span(const ct_node *exc, ct_date today, ct_span *span)
{
	const ct_node *list = ct_map_get(exc, "exceptions");
	const char *until;
	ct_date d;
	size_t i;

	for (i = 0; list != NULL && list->kind == CT_NODE_SEQ && i < list->n;
	    i++)
		if ((until = ct_map_str(list->items[i], "until")) != NULL &&
		    ct_date_parse(until, &d, NULL) == 0)
			ct_span_narrow(span, d + 1, today);
}

static int
evaluate(ct_evaluator *ev, const char *dir, ct_findings *out, ct_span *span,
    ct_error *err)
{
	ct_node *doc = NULL;
	const ct_node *exc = NULL;
	char *path = NULL;
	const char *base, *id;
	ct_jurisdiction j;
	size_t first;
	int rc;

	if (asprintf(&path, "%s/case.yaml", dir) < 0)
		return nomem(err);
	ev->dir = dir;
	if ((rc = ct_snapshot_load(ev->snap, path, &doc, err)) < 0)
		goto out;
	base = strrchr(dir, '/') != NULL ? strrchr(dir, '/') + 1 : dir;
	id = ct_map_str(doc, "id");
	if (id == NULL || strcmp(id, base) != 0) {
		rc = ct_error_set(err, CT_EINVALID, "%s: misplaced-record: its "
		    "id '%s' is not the name of its directory; skipped", path,
		    id != NULL ? id : "");
		goto out;
	}
	j = ct_jurisdiction_parse(ct_map_str(doc, "jurisdiction"));
	if (j == CT_JUR_NONE) {
		rc = ct_error_set(err, CT_EINVALID, "%s: jurisdiction: neither "
		    "ACT nor VIC", path);
		goto out;
	}
	first = out->n;
	if ((rc = ct_rules_eval_span(ev->rules, ev->cal[j], doc, case_record,
	    ev, ev->today, out, span, err)) == 0 &&
	    (rc = case_record(ev, CT_EXCEPTIONS_FILE, &exc, err)) == 0)
		rc = ct_exceptions_apply(exc, out->v + first, out->n - first,
		    ev->today, err);
	exceptions_span(exc, ev->today, span);
out:
	drop_records(ev);
	ev->dir = NULL;
	ct_node_free(doc);
	free(path);
	return rc;
}

/* Of out's findings from first on, drop those ev's filter drops; those
 * kept are held to the end of a run: packed. */
static void
keep_only(ct_evaluator *ev, ct_findings *out, size_t first)
{
	size_t i, kept = first;

	if (ev->keep == NULL)
		return;
	for (i = first; i < out->n; i++)
		if (ev->keep(&out->v[i], ev->keep_arg)) {
			(void)ct_finding_pack(&out->v[i]);
			out->v[kept++] = out->v[i];
		} else
			ct_finding_clear(&out->v[i]);
	out->n = kept;
}

/* The case at dir, whose tree id is known when tree is not NULL. */
static int
case_at(ct_evaluator *ev, const char *dir, const char *tree, ct_findings *out,
    ct_error *err)
{
	char id[CT_OID_HEXSZ + 1];
	ct_span span = { CT_SPAN_MIN, CT_SPAN_MAX };
	ct_error miss = { 0 };
	size_t first = out->n;
	bool keyed;
	int rc;

	keyed = ev->cache != NULL && (tree != NULL ||
	    ct_snapshot_entry_id(ev->snap, dir, id, &miss) == 0);
	if (keyed && tree == NULL)
		tree = id;
	if (keyed && ct_evalcache_get_kept(ev->cache, dir, tree, ev->rules,
	    ev->today, ev->keep, ev->keep_arg, out, &miss) == 0) {
		ev->ncached++;
		return 0;
	}
	ct_error_clear(&miss);
	ev->nevaluated++;
	if ((rc = evaluate(ev, dir, out, &span, err)) == 0 && keyed &&
	    ct_evalcache_put(ev->cache, dir, tree, ev->rules, out->v + first,
	    out->n - first, span, &miss) < 0)
		ct_error_clear(&miss);
	keep_only(ev, out, first);
	return rc;
}

int
ct_evaluator_case(ct_evaluator *ev, const char *dir, ct_findings *out,
    ct_error *err)
{
	return case_at(ev, dir, NULL, out, err);
}

void
ct_evaluator_filter(ct_evaluator *ev, ct_finding_keep_fn keep, void *arg)
{
	ev->keep = keep;
	ev->keep_arg = arg;
}

int
ct_evaluator_use_cache(ct_evaluator *ev, ct_error *err)
{
	char *key = NULL, *dir = NULL;
	int rc;

	if (ev->cache != NULL)
		return 0;
	if ((rc = ct_evalcache_key(ev->snap, &key, err)) < 0)
		return rc;
	if (asprintf(&dir, "%s/%s", ct_store_gitdir(ct_snapshot_store(
	    ev->snap)), CT_EVALCACHE_DIR) < 0)
		rc = nomem(err);
	else
		rc = ct_evalcache_open(dir, key, &ev->cache, err);
	free(dir);
	free(key);
	return rc;
}

void
ct_evaluator_counts(const ct_evaluator *ev, size_t *cached,
    size_t *evaluated)
{
	*cached = ev->ncached;
	*evaluated = ev->nevaluated;
}

/*
 * Every case of the snapshot (ct_evaluator_each_case).
 */
struct item {
	char *id;           /* a case; NULL: a misplaced directory */
	char *dir, *why;    /* the misplaced directory and why */
	ct_findings fs;
	ct_error err;       /* msg set: the case could not be evaluated */
};

struct shard {
	char *name;
	struct item *v;
	size_t n, cap;
	bool done;
	int rc;             /* < 0: the walk failed, with err */
	ct_error err;
};

struct pool {
	struct shard *shards;
	size_t nshards, next, consumed, ahead;
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

struct worker {
	struct pool *pool;
	ct_store *st;
	ct_snapshot *snap;
	ct_evaluator *ev;
	struct shard *cur;
	pthread_t tid;
	bool started;
};

/*
 * The cases of one shard, cases/<name>: from the cache's list of its
 * directories when the shard's tree is the one listed (no tree of the
 * shard is read for a case whose findings are cached), else from the
 * tree, listing them for the next run.
 */
typedef int (*visit_fn)(ct_evaluator *ev, const char *id, const char *dir,
    const char *tree, void *arg, ct_error *err);

struct slow {
	ct_evaluator *ev;
	visit_fn visit;
	ct_misplaced_fn bad;
	void *arg;
	ct_evalcache_dir *dirs;
	size_t n, cap;
	bool unlisted;      /* a directory broke the path rule, or memory */
};

static int
slow_case(ct_snapshot *snap, const char *id, const char *dir, void *arg,
    ct_error *err)
{
	struct slow *sl = arg;
	ct_evalcache_dir *d;
	ct_error miss = { 0 };

	if (sl->ev->cache == NULL || sl->unlisted)
		return sl->visit(sl->ev, id, dir, NULL, sl->arg, err);
	if (sl->n == sl->cap) {
		size_t cap = sl->cap ? sl->cap * 2 : 256;

		if ((d = realloc(sl->dirs, cap * sizeof(*d))) == NULL)
			return nomem(err);
		sl->dirs = d;
		sl->cap = cap;
	}
	d = &sl->dirs[sl->n];
	if (ct_snapshot_entry_id(snap, dir, d->tree, &miss) < 0 ||
	    (d->name = strdup(id)) == NULL) {
		ct_error_clear(&miss);
		sl->unlisted = true;
		return sl->visit(sl->ev, id, dir, NULL, sl->arg, err);
	}
	sl->n++;
	return sl->visit(sl->ev, id, dir, d->tree, sl->arg, err);
}

static int
slow_bad(ct_snapshot *snap, const char *dir, const char *why, void *arg,
    ct_error *err)
{
	struct slow *sl = arg;

	sl->unlisted = true;
	return sl->bad != NULL ? sl->bad(snap, dir, why, sl->arg, err) : 0;
}

static int
shard_cases(ct_evaluator *ev, const char *name, visit_fn visit,
    ct_misplaced_fn bad, void *arg, ct_error *err)
{
	struct slow sl = { ev, visit, bad, arg, NULL, 0, 0, false };
	char tree[CT_OID_HEXSZ + 1], *path = NULL;
	ct_evalcache_dir *dirs = NULL;
	ct_buf d = { 0 };
	ct_error miss = { 0 };
	size_t i, n = 0;
	int rc = 0;
	bool keyed;

	if (asprintf(&path, "cases/%s", name) < 0)
		return nomem(err);
	keyed = ev->cache != NULL &&
	    ct_snapshot_entry_id(ev->snap, path, tree, &miss) == 0;
	if (keyed && ct_evalcache_shard(ev->cache, name, tree, &dirs, &n,
	    &miss) == 0) {
		for (i = 0; rc == 0 && i < n; i++) {
			ct_buf_truncate(&d, 0);
			ct_buf_puts(&d, path);
			ct_buf_putc(&d, '/');
			ct_buf_puts(&d, dirs[i].name);
			rc = d.failed ? nomem(err) : visit(ev, dirs[i].name,
			    d.s, dirs[i].tree, arg, err);
		}
		ct_buf_free(&d);
		free(dirs);
		free(path);
		return rc;
	}
	ct_error_clear(&miss);
	free(path);
	if (!keyed)
		sl.unlisted = true;
	rc = ct_snapshot_each_case_in(ev->snap, name, slow_case, slow_bad, &sl,
	    err);
	if (rc == 0 && !sl.unlisted &&
	    ct_evalcache_put_shard(ev->cache, name, tree, sl.dirs, sl.n,
	    &miss) < 0)
		ct_error_clear(&miss);
	ct_evalcache_dirs_free(sl.dirs, sl.n);
	return rc;
}

/* What the caller's callbacks get, for the walk on one thread. */
struct serial {
	ct_evaluator *ev;
	ct_found_fn fn;
	ct_misplaced_fn bad;
	void *arg;
};

int
ct_evaluator_jobs(int asked)
{
	long n = asked > 0 ? asked : sysconf(_SC_NPROCESSORS_ONLN);

	if (asked <= 0 && n > CT_EVAL_JOBS_DEFAULT_MAX)
		n = CT_EVAL_JOBS_DEFAULT_MAX;
	if (!(git_libgit2_features() & GIT_FEATURE_THREADS))
		n = 1;
	return n < 1 ? 1 : (int)n;
}

static int
serial_case(ct_evaluator *ev, const char *id, const char *dir,
    const char *tree, void *arg, ct_error *err)
{
	struct serial *s = arg;
	ct_findings fs = { 0 };
	ct_error failed = { 0 };
	int rc;

	(void)err;
	rc = case_at(ev, dir, tree, &fs, &failed);
	rc = s->fn(id, &fs, rc < 0 ? &failed : NULL, s->arg);
	ct_findings_clear(&fs);
	ct_error_clear(&failed);
	return rc;
}

static int
serial_bad(ct_snapshot *snap, const char *dir, const char *why, void *arg,
    ct_error *err)
{
	struct serial *s = arg;

	return s->bad != NULL ? s->bad(snap, dir, why, s->arg, err) : 0;
}

static struct item *
new_item(struct shard *s)
{
	struct item *v;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(*s->v));
	return &s->v[s->n++];
}

/* A case's findings waiting in a shard's queue hold no spare room:
 * arrays are made for 64 findings, and a few thousand cases wait. */
static void
shrink(ct_findings *fs)
{
	ct_finding *v;

	if (fs->n == 0) {
		free(fs->v);
		fs->v = NULL;
		fs->cap = 0;
	} else if (fs->n < fs->cap &&
	    (v = realloc(fs->v, fs->n * sizeof(*v))) != NULL) {
		fs->v = v;
		fs->cap = fs->n;
	}
}

static int
worker_case(ct_evaluator *ev, const char *id, const char *dir,
    const char *tree, void *arg, ct_error *err)
{
	struct worker *w = arg;
	struct item *it = new_item(w->cur);

	if (it == NULL || (it->id = strdup(id)) == NULL)
		return nomem(err);
	if (case_at(ev, dir, tree, &it->fs, &it->err) < 0 &&
	    it->err.msg == NULL)
		return nomem(err);
	shrink(&it->fs);
	return 0;
}

static int
worker_bad(ct_snapshot *snap, const char *dir, const char *why, void *arg,
    ct_error *err)
{
	struct worker *w = arg;
	struct item *it = new_item(w->cur);

	(void)snap;
	if (it == NULL || (it->dir = strdup(dir)) == NULL ||
	    (it->why = strdup(why)) == NULL)
		return nomem(err);
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct shard *s;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->nshards &&
		    p->next >= p->consumed + p->ahead)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next == p->nshards) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		s = &p->shards[p->next++];
		pthread_mutex_unlock(&p->mu);
		w->cur = s;
		s->rc = shard_cases(w->ev, s->name, worker_case, worker_bad, w,
		    &s->err);
		pthread_mutex_lock(&p->mu);
		s->done = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static void
shard_clear(struct shard *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free(s->v[i].dir);
		free(s->v[i].why);
		ct_findings_clear(&s->v[i].fs);
		ct_error_clear(&s->v[i].err);
	}
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
	ct_error_clear(&s->err);
}

/* A worker's own store, snapshot of ev's commit and evaluator. */
static int
worker_open(struct worker *w, ct_evaluator *ev, ct_error *err)
{
	ct_store *st = ct_snapshot_store(ev->snap);
	int rc;

	if ((rc = ct_store_open(ct_store_workdir(st), &w->st, err)) < 0 ||
	    (rc = ct_snapshot_open(w->st, ct_snapshot_id(ev->snap), &w->snap,
	    err)) < 0 ||
	    (rc = ct_evaluator_new(w->snap, ev->rules, ev->today, &w->ev,
	    err)) < 0)
		return rc;
	ct_evaluator_filter(w->ev, ev->keep, ev->keep_arg);
	return ev->cache != NULL ? ct_evaluator_use_cache(w->ev, err) : 0;
}

static void
worker_close(struct worker *w, ct_evaluator *ev)
{
	if (w->ev != NULL) {
		ev->ncached += w->ev->ncached;
		ev->nevaluated += w->ev->nevaluated;
	}
	ct_evaluator_free(w->ev);
	ct_snapshot_free(w->snap);
	ct_store_free(w->st);
}

/* Hand on the results of shard s in tree order. */
static int
replay(ct_evaluator *ev, struct shard *s, ct_found_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < s->n; i++) {
		struct item *it = &s->v[i];

		if (it->id != NULL)
			rc = fn(it->id, &it->fs, it->err.msg != NULL ?
			    &it->err : NULL, arg);
		else if (bad != NULL)
			rc = bad(ev->snap, it->dir, it->why, arg, err);
	}
	return rc;
}

/* The caller's side: each shard's results, in order, as they are done. */
static int
consume(ct_evaluator *ev, struct pool *p, ct_found_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err)
{
	struct shard *s;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < p->nshards; i++) {
		s = &p->shards[i];
		pthread_mutex_lock(&p->mu);
		while (!s->done)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		if ((rc = s->rc) < 0) {
			*err = s->err;
			s->err = (ct_error){ 0 };
		} else
			rc = replay(ev, s, fn, bad, arg, err);
		shard_clear(s);
		pthread_mutex_lock(&p->mu);
		p->consumed = i + 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return rc;
}

/* Run the pool of jobs workers over the shards of names[0..n). */
static int
run_pool(ct_evaluator *ev, char **names, size_t n, int jobs, ct_found_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err)
{
	struct pool p = { .nshards = n, .ahead = 4 * (size_t)jobs };
	struct worker *w = calloc((size_t)jobs, sizeof(*w));
	size_t i;
	int k, rc = 0;

	p.shards = calloc(n ? n : 1, sizeof(*p.shards));
	if (w == NULL || p.shards == NULL) {
		free(w);
		free(p.shards);
		return nomem(err);
	}
	for (i = 0; i < n; i++)
		p.shards[i].name = names[i];
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (k = 0; rc == 0 && k < jobs; k++) {
		w[k].pool = &p;
		if ((rc = worker_open(&w[k], ev, err)) == 0 &&
		    pthread_create(&w[k].tid, NULL, work, &w[k]) != 0)
			rc = ct_error_set(err, CT_ERROR, "cannot start a thread");
		w[k].started = rc == 0;
	}
	if (rc == 0)
		rc = consume(ev, &p, fn, bad, arg, err);
	pthread_mutex_lock(&p.mu);
	p.stop = true;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (k = 0; k < jobs; k++) {
		if (w[k].started)
			pthread_join(w[k].tid, NULL);
		worker_close(&w[k], ev);
	}
	for (i = 0; i < n; i++)
		shard_clear(&p.shards[i]);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(p.shards);
	free(w);
	return rc;
}

int
ct_evaluator_each_case(ct_evaluator *ev, int jobs, ct_found_fn fn,
    ct_misplaced_fn bad, void *arg, ct_error *err)
{
	struct serial s = { ev, fn, bad, arg };
	char **names = NULL;
	size_t i, n = 0;
	int rc;

	jobs = ct_evaluator_jobs(jobs);
	rc = ct_snapshot_list(ev->snap, "cases", &names, &n, err);
	if (rc == CT_ENOTFOUND) {
		ct_error_clear(err);
		return 0;
	}
	if (rc == 0 && jobs > 1 && *ct_snapshot_id(ev->snap) != '\0')
		rc = run_pool(ev, names, n, jobs, fn, bad, arg, err);
	else
		for (i = 0; rc == 0 && i < n; i++)
			rc = shard_cases(ev, names[i], serial_case, serial_bad,
			    &s, err);
	ct_strv_free(names);
	return rc;
}

static int
cmp_finding(const void *a, const void *b)
{
	const ct_finding *x = a, *y = b;
	int r;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if ((r = strcmp(x->case_id, y->case_id)) != 0)
		return r;
	if (x->rule != y->rule &&
	    (r = strcmp(ct_rule_id(x->rule), ct_rule_id(y->rule))) != 0)
		return r;
	/* a total order: qsort is not stable, and two requests of one
	 * case due on one day must come out the same way every run */
	if (x->anchor != y->anchor)
		return x->anchor < y->anchor ? -1 : 1;
	if ((r = strcmp(x->key != NULL ? x->key : "",
	    y->key != NULL ? y->key : "")) != 0)
		return r;
	return strcmp(x->anchor_what, y->anchor_what);
}

static int
cmp_at(const void *a, const void *b, void *arg)
{
	const ct_finding *v = arg;

	return cmp_finding(&v[*(const size_t *)a], &v[*(const size_t *)b]);
}

/*
 * The findings are sorted by index and then moved into place, one cycle
 * of the permutation at a time: qsort of the findings themselves would
 * take a copy of the whole array (glibc's merge sort), 13 MB at 115,000
 * findings, at the peak of a run's memory.
 */
void
ct_findings_sort(ct_findings *fs)
{
	size_t *order, i, j, k;
	ct_finding held;

	if (fs->n < 2)
		return;
	if ((order = malloc(fs->n * sizeof(*order))) == NULL) {
		qsort(fs->v, fs->n, sizeof(*fs->v), cmp_finding);
		return;
	}
	for (i = 0; i < fs->n; i++)
		order[i] = i;
	qsort_r(order, fs->n, sizeof(*order), cmp_at, fs->v);
	/* position i takes the finding at order[i] */
	for (i = 0; i < fs->n; i++) {
		if (order[i] == i)
			continue;
		held = fs->v[i];
		for (j = i; order[j] != i; j = k) {
			k = order[j];
			fs->v[j] = fs->v[k];
			order[j] = j;
		}
		fs->v[j] = held;
		order[j] = j;
	}
	free(order);
}
