/*
 * The evaluation cache (evalcache.h): one file per shard, read whole,
 * looked up by binary search over its entries' tree ids, written whole to
 * a temporary file and renamed into place when the run added entries.
 *
 * Eviction: every entry carries the generation of the file that last
 * wrote or used it; a write keeps what the run wrote or used and what was
 * used by one of the last KEEP_GENERATIONS writes of the shard, so the
 * entries of trees a case no longer has (its older versions) fall out,
 * while a run over a few cases (--case, csp-pack) evicts nothing recent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casetrail/buf.h"
#include "casetrail/evalcache.h"

#define MAGIC "CTEVC003"   /* 002: findings carry manager and agency;
                              003: the shard's list of case directories */
#define MAGICSZ 8
#define TREESZ CT_OID_HEXSZ
/* an entry's head: tree id, then u32 fields at these offsets */
#define OFF_KEY (TREESZ)          /* index into the file's run keys */
#define OFF_FROM (TREESZ + 4)
#define OFF_UNTIL (TREESZ + 8)
#define OFF_GEN (TREESZ + 12)
#define OFF_N (TREESZ + 16)       /* number of findings */
#define OFF_LEN (TREESZ + 20)     /* bytes after the head */
#define ENTRY_HEAD (TREESZ + 24)
#define KEYS_MAX 64
#define SHARD_MAX 16
#define KEEP_GENERATIONS 8
#define NO_LIST UINT32_MAX        /* the file holds no list of cases */

struct entry {
	const unsigned char *p;   /* its bytes in the file read */
	size_t len;
	uint32_t key;             /* its run key's index */
	bool used;                /* read by this run */
	bool dropped;             /* superseded or damaged */
};

struct key {
	const unsigned char *s;   /* in the file read */
	uint32_t n;
};

struct ct_evalcache {
	char *dir, *key;
	char shard[SHARD_MAX + 1];  /* the shard held; "" for none */
	unsigned char *file;        /* its file as read, or NULL */
	uint32_t gen;               /* its generation */
	struct key keys[KEYS_MAX];  /* its run keys */
	size_t nkeys;
	long ours;                  /* the index of key among them, or -1 */
	struct entry *old;          /* the file's entries, by tree id, key */
	size_t nold;
	const unsigned char *list;  /* its list of cases: shard tree id,
	                               then the case directories; NULL:
	                               none */
	size_t listlen;
	uint32_t nlist;
	ct_buf newlist;             /* a list put by this run */
	bool listed;                /* newlist replaces list */
	ct_buf fresh;               /* entries added by this run */
	size_t nfresh;
	bool readonly;              /* a write failed: write no more */
};

/*
 * Bytes in and out.
 */
static void
put_u32(ct_buf *b, uint32_t v)
{
	char c[4] = { (char)(v & 0xff), (char)(v >> 8 & 0xff),
	    (char)(v >> 16 & 0xff), (char)(v >> 24 & 0xff) };

	ct_buf_add(b, c, 4);
}

static void
put_u16(ct_buf *b, uint16_t v)
{
	char c[2] = { (char)(v & 0xff), (char)(v >> 8 & 0xff) };

	ct_buf_add(b, c, 2);
}

static void
put_str(ct_buf *b, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	put_u32(b, (uint32_t)n);
	ct_buf_add(b, s != NULL ? s : "", n);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
set_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
	p[2] = v >> 16 & 0xff;
	p[3] = v >> 24 & 0xff;
}

/* A reader of a bounded byte range: bad once it would overrun. */
struct rd {
	const unsigned char *p, *end;
	bool bad;
};

/* An unsigned integer of size bytes (2 or 4). */
static uint32_t
get_le(struct rd *r, size_t size)
{
	uint32_t v = 0;
	size_t i;

	if (r->bad || (size_t)(r->end - r->p) < size) {
		r->bad = true;
		return 0;
	}
	for (i = size; i > 0; i--)
		v = v << 8 | r->p[i - 1];
	r->p += size;
	return v;
}

static uint32_t
get_u32(struct rd *r)
{
	return get_le(r, 4);
}

/* A string of the entry, copied; NULL when bad (or out of memory). */
static char *
get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	if ((s = malloc((size_t)n + 1)) == NULL) {
		r->bad = true;
		return NULL;
	}
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->p += n;
	return s;
}

/* Not a cryptographic hash: it tells a damaged file from a good one. */
static uint64_t
checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0x6a09e667f3bcc909ULL ^ (uint64_t)n, w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		w = (uint64_t)le32(p + i) | (uint64_t)le32(p + i + 4) << 32;
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
	}
	for (; i < n; i++) {
		h = (h ^ p[i]) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

/*
 * The run key.
 */
int
ct_evalcache_key(ct_snapshot *snap, char **key, ct_error *err)
{
	static const char *const paths[] = { CT_RULES_PATH,
	    "calendars/ACT.yaml", "calendars/VIC.yaml", CT_SETTINGS_PATH };
	char id[4][CT_OID_HEXSZ + 1];
	ct_error e = { 0 };
	size_t i;

	for (i = 0; i < 4; i++)
		if (ct_snapshot_entry_id(snap, paths[i], id[i], &e) < 0) {
			ct_error_clear(&e);
			strcpy(id[i], "none");
		}
	if (asprintf(key, "rules %s calendar-act %s calendar-vic %s "
	    "settings %s version %s", id[0], id[1], id[2], id[3],
	    CT_VERSION) < 0) {
		*key = NULL;
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	return 0;
}

int
ct_evalcache_open(const char *dir, const char *key, ct_evalcache **out,
    ct_error *err)
{
	ct_evalcache *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->dir = strdup(dir)) == NULL || (c->key = strdup(key)) == NULL) {
		if (c != NULL)
			free(c->dir);
		free(c);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	c->ours = -1;
	*out = c;
	return 0;
}

/*
 * Reading a shard's file.
 */
static void
drop_shard(ct_evalcache *c)
{
	free(c->file);
	free(c->old);
	ct_buf_free(&c->fresh);
	ct_buf_free(&c->newlist);
	c->listed = false;
	c->list = NULL;
	c->listlen = 0;
	c->nlist = 0;
	c->file = NULL;
	c->old = NULL;
	c->nold = c->nfresh = c->nkeys = 0;
	c->gen = 0;
	c->ours = -1;
	c->shard[0] = '\0';
}

/* "cases/3f/ACT-0042" -> "3f" into c->shard; false when it is no shard
 * name a file may have. */
static bool
shard_of(const char *dir, char shard[SHARD_MAX + 1])
{
	const char *p = strchr(dir, '/'), *q;
	size_t i, n;

	if (p == NULL || (q = strchr(p + 1, '/')) == NULL)
		return false;
	n = (size_t)(q - p - 1);
	if (n == 0 || n > SHARD_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = p[1 + i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_'))
			return false;
	}
	memcpy(shard, p + 1, n);
	shard[n] = '\0';
	return true;
}

/* The whole of file path, or NULL. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	struct stat sb;
	size_t got = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
	    (uint64_t)sb.st_size < SIZE_MAX / 2 &&
	    (buf = malloc((size_t)sb.st_size)) != NULL)
		while (got < (size_t)sb.st_size && (r = read(fd, buf + got,
		    (size_t)sb.st_size - got)) > 0)
			got += (size_t)r;
	close(fd);
	if (buf != NULL && got != (size_t)sb.st_size) {
		free(buf);
		buf = NULL;
	}
	*len = got;
	return buf;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = memcmp(x->p, y->p, TREESZ);

	if (r != 0)
		return r;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The run keys of a file's body r; false when they do not parse. */
static bool
read_keys(ct_evalcache *c, struct rd *r)
{
	uint32_t n = get_u32(r), i;
	size_t klen = strlen(c->key);

	if (r->bad || n > KEYS_MAX)
		return false;
	for (i = 0; i < n; i++) {
		c->keys[i].n = get_u32(r);
		c->keys[i].s = r->p;
		if (r->bad || (size_t)(r->end - r->p) < c->keys[i].n)
			return false;
		r->p += c->keys[i].n;
		if (c->keys[i].n == klen && memcmp(c->keys[i].s, c->key,
		    klen) == 0)
			c->ours = (long)i;
	}
	c->nkeys = n;
	return true;
}

/* The list of cases of a file's body r (after its keys): u32 count (or
 * NO_LIST), the shard's tree id, then per case its tree id and name;
 * false when it does not parse. */
static bool
read_list(ct_evalcache *c, struct rd *r)
{
	const unsigned char *at;
	uint32_t n = get_u32(r), i, len;

	if (r->bad)
		return false;
	if (n == NO_LIST)
		return true;
	at = r->p;
	if ((size_t)(r->end - r->p) < TREESZ)
		return false;
	r->p += TREESZ;
	for (i = 0; i < n; i++) {
		if ((size_t)(r->end - r->p) < TREESZ + 4)
			return false;
		r->p += TREESZ;
		len = get_u32(r);
		if (r->bad || len == 0 || (size_t)(r->end - r->p) < len)
			return false;
		r->p += len;
	}
	c->list = at;
	c->listlen = (size_t)(r->p - at);
	c->nlist = n;
	return true;
}

/* The entries of a file's body r (after its keys); false when they do
 * not parse. */
static bool
index_entries(ct_evalcache *c, struct rd *r)
{
	uint32_t n = get_u32(r), i, len;

	if (r->bad || n > (size_t)(r->end - r->p) / ENTRY_HEAD)
		return false;
	if (n > 0 && (c->old = calloc(n, sizeof(*c->old))) == NULL)
		return false;
	for (i = 0; i < n; i++) {
		if ((size_t)(r->end - r->p) < ENTRY_HEAD)
			return false;
		len = le32(r->p + OFF_LEN);
		c->old[i].key = le32(r->p + OFF_KEY);
		if ((size_t)(r->end - r->p) - ENTRY_HEAD < len ||
		    c->old[i].key >= c->nkeys)
			return false;
		c->old[i].p = r->p;
		c->old[i].len = ENTRY_HEAD + (size_t)len;
		r->p += c->old[i].len;
	}
	c->nold = n;
	/* written sorted; sorted again only when it is not */
	for (i = 1; i < n && cmp_entry(&c->old[i - 1], &c->old[i]) <= 0; i++)
		;
	if (i < n)
		qsort(c->old, n, sizeof(*c->old), cmp_entry);
	return r->p == r->end;
}

/* Hold the file of shard: its entries when it is whole, else none. */
static void
load_shard(ct_evalcache *c, const char *shard)
{
	struct rd r;
	char *path = NULL;
	size_t len = 0;

	snprintf(c->shard, sizeof(c->shard), "%s", shard);
	c->ours = -1;
	if (asprintf(&path, "%s/%s", c->dir, shard) < 0)
		return;
	c->file = slurp(path, &len);
	free(path);
	if (c->file == NULL)
		return;
	if (len < MAGICSZ + 4 + 4 + 4 + 8)
		goto bad;
	r.p = c->file + MAGICSZ;
	r.end = c->file + len - 8;
	r.bad = false;
	if (memcmp(c->file, MAGIC, MAGICSZ) != 0 ||
	    checksum(c->file, len - 8) != ((uint64_t)le32(r.end) |
	    (uint64_t)le32(r.end + 4) << 32))
		goto bad;
	c->gen = get_u32(&r);
	if (read_keys(c, &r) && read_list(c, &r) && index_entries(c, &r))
		return;
bad:
	free(c->old);
	free(c->file);
	c->old = NULL;
	c->file = NULL;
	c->list = NULL;
	c->listlen = 0;
	c->nlist = 0;
	c->nold = c->nkeys = 0;
	c->gen = 0;
	c->ours = -1;
}

/* Hold shard (writing the one held before). */
static void
hold_shard(ct_evalcache *c, const char *shard)
{
	if (strcmp(shard, c->shard) != 0) {
		ct_evalcache_flush(c);
		drop_shard(c);
		load_shard(c, shard);
	}
}

/* Hold the shard of dir (writing the one held before); false when dir
 * has no shard the cache can keep. */
static bool
hold(ct_evalcache *c, const char *dir)
{
	char shard[SHARD_MAX + 1];

	if (!shard_of(dir, shard))
		return false;
	if (strcmp(shard, c->shard) != 0) {
		ct_evalcache_flush(c);
		drop_shard(c);
		load_shard(c, shard);
	}
	return true;
}

static struct entry *
find(ct_evalcache *c, const char *tree)
{
	struct entry key = { .p = (const unsigned char *)tree,
	    .key = (uint32_t)c->ours };

	if (strlen(tree) != TREESZ || c->nold == 0 || c->ours < 0)
		return NULL;
	return bsearch(&key, c->old, c->nold, sizeof(*c->old), cmp_entry);
}

/* Pass over a string of the entry; false when bad. */
static bool
skip_str(struct rd *r)
{
	uint32_t n = get_u32(r);

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	r->p += n;
	return true;
}

/*
 * The strings of a finding, all in one allocation that begins with its
 * case id (ct_finding.packed): a warm run reads a hundred thousand
 * findings, and four allocations of each were a quarter of its time.
 */
static bool
get_strings(struct rd *r, const char *case_id, uint32_t flags, uint32_t nstr,
    ct_finding *f)
{
	const unsigned char *at = r->p;
	char **to[7], *p;
	size_t idlen = strlen(case_id), total = idlen + 1;
	uint32_t i, k = 0, len;

	for (i = 0; i < nstr; i++) {
		len = get_u32(r);
		if (r->bad || (size_t)(r->end - r->p) < len) {
			r->bad = true;
			return false;
		}
		r->p += len;
		total += (size_t)len + 1;
	}
	to[k++] = &f->anchor_what;
	to[k++] = &f->explain;
	if (flags & 0x200)
		to[k++] = &f->key;
	if (flags & 0x400)
		to[k++] = &f->manager;
	if (flags & 0x800)
		to[k++] = &f->agency;
	if (flags >> 12) {
		to[k++] = &f->exception_reason;
		to[k++] = &f->exception_by;
	}
	if ((p = malloc(total)) == NULL)
		return false;
	memcpy(p, case_id, idlen + 1);
	f->case_id = p;
	f->packed = true;
	p += idlen + 1;
	r->p = at;
	for (i = 0; i < k; i++) {
		len = get_u32(r);
		memcpy(p, r->p, len);
		p[len] = '\0';
		*to[i] = p;
		p += (size_t)len + 1;
		r->p += len;
	}
	return true;
}

/*
 * One finding of an entry.  keep (when not NULL) sees it before any of
 * its strings is copied: *kept false and its strings passed over when it
 * says no.
 */
static bool
get_finding(struct rd *r, const ct_rules *rules, const char *case_id,
    ct_date today, ct_finding_keep_fn keep, void *arg, ct_finding *f,
    bool *kept)
{
	uint32_t rule = get_le(r, 2), flags = get_le(r, 2), i, nstr;

	memset(f, 0, sizeof(*f));
	f->anchor = (ct_date)get_u32(r);
	f->due = (ct_date)get_u32(r);
	f->met_on = (ct_date)get_u32(r);
	f->exception_until = (ct_date)get_u32(r);
	if (r->bad || rule >= ct_rules_count(rules) ||
	    (flags & 0xff) >= CT_STATUS_COUNT || (flags >> 12) > 2)
		return false;
	f->rule = ct_rules_get(rules, rule);
	f->status = (ct_status)(flags & 0xff);
	f->met_known = (flags & 0x100) != 0;
	f->days = (int)(f->due - today);
	if (flags >> 12)
		f->exception = (flags >> 12) == 1 ? "defer" : "waive";
	*kept = keep == NULL || keep(f, arg);
	nstr = 2 + ((flags & 0x200) != 0) + ((flags & 0x400) != 0) +
	    ((flags & 0x800) != 0) + ((flags >> 12) ? 2 : 0);
	if (!*kept) {
		for (i = 0; i < nstr; i++)
			if (!skip_str(r))
				return false;
		f->exception = NULL;
		return true;
	}
	return get_strings(r, case_id, flags, nstr, f);
}

static void
put_finding(ct_buf *b, const ct_rules *rules, const ct_finding *f)
{
	uint32_t flags = (uint32_t)f->status;

	flags |= f->met_known ? 0x100 : 0;
	flags |= f->key != NULL ? 0x200 : 0;
	flags |= f->manager != NULL ? 0x400 : 0;
	flags |= f->agency != NULL ? 0x800 : 0;
	if (f->exception != NULL)
		flags |= (strcmp(f->exception, "defer") == 0 ? 1u : 2u) << 12;
	put_u16(b, (uint16_t)ct_rule_index(rules, f->rule));
	put_u16(b, (uint16_t)flags);
	put_u32(b, (uint32_t)f->anchor);
	put_u32(b, (uint32_t)f->due);
	put_u32(b, (uint32_t)f->met_on);
	put_u32(b, (uint32_t)f->exception_until);
	put_str(b, f->anchor_what);
	put_str(b, f->explain);
	if (f->key != NULL)
		put_str(b, f->key);
	if (f->manager != NULL)
		put_str(b, f->manager);
	if (f->agency != NULL)
		put_str(b, f->agency);
	if (f->exception != NULL) {
		put_str(b, f->exception_reason);
		put_str(b, f->exception_by);
	}
}

int
ct_evalcache_get(ct_evalcache *c, const char *dir, const char *tree,
    const ct_rules *rules, ct_date today, ct_findings *out, ct_error *err)
{
	return ct_evalcache_get_kept(c, dir, tree, rules, today, NULL, NULL,
	    out, err);
}

int
ct_evalcache_get_kept(ct_evalcache *c, const char *dir, const char *tree,
    const ct_rules *rules, ct_date today, ct_finding_keep_fn keep, void *arg,
    ct_findings *out, ct_error *err)
{
	struct entry *e;
	struct rd r;
	char *id;
	uint32_t i, n;
	size_t first = out->n;
	bool kept;

	if (!hold(c, dir) || (e = find(c, tree)) == NULL || e->dropped ||
	    today < (ct_date)le32(e->p + OFF_FROM) ||
	    today >= (ct_date)le32(e->p + OFF_UNTIL))
		return ct_error_set(err, CT_ENOTFOUND, "%s: not cached", dir);
	n = le32(e->p + OFF_N);
	r = (struct rd){ e->p + ENTRY_HEAD, e->p + e->len, false };
	if ((id = get_str(&r)) == NULL || n > e->len || ct_findings_reserve(out, n) < 0) {
		free(id);
		return ct_error_set(err, CT_ENOTFOUND, "%s: not cached", dir);
	}
	for (i = 0; i < n; i++) {
		if (!get_finding(&r, rules, id, today, keep, arg,
		    &out->v[out->n], &kept)) {
			ct_finding_clear(&out->v[out->n]);
			break;
		}
		if (kept)
			out->n++;
	}
	free(id);
	if (i < n || r.p != r.end) {
		while (out->n > first)
			ct_finding_clear(&out->v[--out->n]);
		e->dropped = true;     /* damaged: never trusted again */
		return ct_error_set(err, CT_ENOTFOUND, "%s: not cached", dir);
	}
	e->used = true;
	return 0;
}

int
ct_evalcache_put(ct_evalcache *c, const char *dir, const char *tree,
    const ct_rules *rules, const ct_finding *f, size_t n, ct_span span,
    ct_error *err)
{
	const char *id = strrchr(dir, '/');
	struct entry *e;
	size_t at, i;

	if (!hold(c, dir) || strlen(tree) != TREESZ || n > UINT32_MAX)
		return 0;
	if ((e = find(c, tree)) != NULL)
		e->dropped = true;
	at = c->fresh.len;
	ct_buf_add(&c->fresh, tree, TREESZ);
	put_u32(&c->fresh, 0);                  /* key: set when written */
	put_u32(&c->fresh, (uint32_t)span.from);
	put_u32(&c->fresh, (uint32_t)span.until);
	put_u32(&c->fresh, 0);                  /* gen: set when written */
	put_u32(&c->fresh, (uint32_t)n);
	put_u32(&c->fresh, 0);                  /* length: below */
	put_str(&c->fresh, id != NULL ? id + 1 : dir);
	for (i = 0; i < n; i++)
		put_finding(&c->fresh, rules, &f[i]);
	if (c->fresh.failed)
		return ct_error_set(err, CT_ERROR, "out of memory");
	set_le32((unsigned char *)c->fresh.s + at + OFF_LEN,
	    (uint32_t)(c->fresh.len - at - ENTRY_HEAD));
	c->nfresh++;
	return 0;
}

/*
 * The list of a shard's case directories.
 */
static bool
shard_name_ok(const char *shard)
{
	char dir[SHARD_MAX + 16], got[SHARD_MAX + 1];

	if (strlen(shard) > SHARD_MAX)
		return false;
	snprintf(dir, sizeof(dir), "cases/%s/", shard);
	return shard_of(dir, got) && strcmp(got, shard) == 0;
}

void
ct_evalcache_dirs_free(ct_evalcache_dir *dirs, size_t n)
{
	size_t i;

	for (i = 0; dirs != NULL && i < n; i++)
		free(dirs[i].name);
	free(dirs);
}

int
ct_evalcache_shard(ct_evalcache *c, const char *shard, const char *tree,
    ct_evalcache_dir **dirs, size_t *n, ct_error *err)
{
	ct_evalcache_dir *v = NULL;
	struct rd r;
	char *names;
	uint32_t i, len;

	*dirs = NULL;
	*n = 0;
	if (!shard_name_ok(shard) || strlen(tree) != TREESZ)
		return ct_error_set(err, CT_ENOTFOUND, "%s: not listed", shard);
	hold_shard(c, shard);
	if (c->list == NULL || c->listed ||
	    memcmp(c->list, tree, TREESZ) != 0)
		return ct_error_set(err, CT_ENOTFOUND, "%s: not listed", shard);
	/* the array, then the names: one allocation */
	if ((v = malloc(c->nlist * sizeof(*v) + c->listlen + 1)) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	names = (char *)(v + c->nlist);
	r = (struct rd){ c->list + TREESZ, c->list + c->listlen, false };
	for (i = 0; i < c->nlist; i++) {
		memcpy(v[i].tree, r.p, TREESZ);
		v[i].tree[TREESZ] = '\0';
		r.p += TREESZ;
		len = get_u32(&r);   /* bounds checked when read */
		memcpy(names, r.p, len);
		names[len] = '\0';
		v[i].name = names;
		names += (size_t)len + 1;
		r.p += len;
		if (strlen(v[i].name) != len) {
			free(v);
			return ct_error_set(err, CT_ENOTFOUND, "%s: not listed",
			    shard);
		}
	}
	*dirs = v;
	*n = c->nlist;
	return 0;
}

int
ct_evalcache_put_shard(ct_evalcache *c, const char *shard, const char *tree,
    const ct_evalcache_dir *dirs, size_t n, ct_error *err)
{
	size_t i;

	if (!shard_name_ok(shard) || strlen(tree) != TREESZ || n >= NO_LIST)
		return 0;
	hold_shard(c, shard);
	if (c->list != NULL && !c->listed &&
	    memcmp(c->list, tree, TREESZ) == 0)
		return 0;  /* the same tree: the same list */
	if (c->list == (const unsigned char *)c->newlist.s)
		c->list = NULL;
	ct_buf_free(&c->newlist);
	ct_buf_add(&c->newlist, tree, TREESZ);
	for (i = 0; i < n; i++) {
		if (strlen(dirs[i].tree) != TREESZ || *dirs[i].name == '\0')
			break;
		ct_buf_add(&c->newlist, dirs[i].tree, TREESZ);
		put_str(&c->newlist, dirs[i].name);
	}
	if (c->newlist.failed || i < n) {
		ct_buf_free(&c->newlist);
		return c->newlist.failed ?
		    ct_error_set(err, CT_ERROR, "out of memory") : 0;
	}
	c->nlist = (uint32_t)n;
	c->listed = true;
	return 0;
}

/*
 * Writing a shard's file.
 */
static void
make_dirs(const char *dir)
{
	char *p, *s = strdup(dir);

	if (s == NULL)
		return;
	for (p = strchr(s + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		(void)mkdir(s, 0777);
		*p = '/';
	}
	(void)mkdir(s, 0777);
	free(s);
}

/* Write b as the shard's file: a temporary file renamed into place. */
static void
write_file(ct_evalcache *c, const ct_buf *b)
{
	static unsigned seq;
	char *tmp = NULL, *path = NULL;
	size_t done = 0;
	ssize_t w;
	int fd;

	make_dirs(c->dir);
	if (asprintf(&path, "%s/%s", c->dir, c->shard) < 0 ||
	    asprintf(&tmp, "%s/.%s.%ld.%u.tmp", c->dir, c->shard,
	    (long)getpid(), __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED)) < 0)
		goto out;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) < 0) {
		c->readonly = true;
		goto out;
	}
	while (done < b->len && (w = write(fd, b->s + done,
	    b->len - done)) > 0)
		done += (size_t)w;
	if (close(fd) < 0 || done != b->len || rename(tmp, path) < 0) {
		(void)unlink(tmp);
		c->readonly = true;
	}
out:
	free(tmp);
	free(path);
}

/* Append the entry at p (len bytes) with run key key and generation
 * gen. */
static void
copy_entry(ct_buf *b, const unsigned char *p, size_t len, uint32_t key,
    uint32_t gen)
{
	size_t at = b->len;

	ct_buf_add(b, (const char *)p, len);
	if (!b->failed) {
		set_le32((unsigned char *)b->s + at + OFF_KEY, key);
		set_le32((unsigned char *)b->s + at + OFF_GEN, gen);
	}
}

/* Does the write of generation gen keep the old entry e? */
static bool
keeps(const struct entry *e, uint32_t gen)
{
	return !e->dropped && (e->used ||
	    gen - le32(e->p + OFF_GEN) <= KEEP_GENERATIONS);
}

/* The run keys the write keeps, numbered afresh into map (UINT32_MAX:
 * not kept), ours among them, into b. */
static void
put_keys(ct_evalcache *c, ct_buf *b, uint32_t gen, uint32_t *map,
    uint32_t *ours)
{
	size_t i, at = b->len;
	uint32_t n = 0;

	put_u32(b, 0);
	for (i = 0; i < c->nkeys; i++)
		map[i] = UINT32_MAX;
	for (i = 0; i < c->nold; i++)
		if (keeps(&c->old[i], gen))
			map[c->old[i].key] = 0;
	if (c->ours >= 0)
		map[c->ours] = 0;
	for (i = 0; i < c->nkeys; i++)
		if (map[i] == 0) {
			map[i] = n++;
			put_u32(b, c->keys[i].n);
			ct_buf_add(b, (const char *)c->keys[i].s,
			    c->keys[i].n);
		}
	*ours = c->ours >= 0 ? map[c->ours] : n;
	if (c->ours < 0) {
		put_str(b, c->key);
		n++;
	}
	if (!b->failed)
		set_le32((unsigned char *)b->s + at, n);
}

/* The entries the write of generation gen keeps, fresh and old, with
 * their new key indexes, sorted as a reader looks them up; NULL when out
 * of memory. */
static struct entry *
kept_entries(ct_evalcache *c, uint32_t gen, const uint32_t *map,
    uint32_t ours, size_t *n)
{
	const unsigned char *p = (const unsigned char *)c->fresh.s;
	struct entry *v;
	size_t i, len;

	*n = 0;
	if ((v = calloc(c->nfresh + c->nold, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < c->fresh.len && *n < c->nfresh; i += len) {
		len = ENTRY_HEAD + le32(p + i + OFF_LEN);
		v[(*n)++] = (struct entry){ p + i, len, ours, true, false };
	}
	for (i = 0; i < c->nold; i++)
		if (keeps(&c->old[i], gen)) {
			v[*n] = c->old[i];
			v[(*n)++].key = map[c->old[i].key];
		}
	qsort(v, *n, sizeof(*v), cmp_entry);
	return v;
}

void
ct_evalcache_flush(ct_evalcache *c)
{
	uint32_t map[KEYS_MAX], gen, ours;
	struct entry *v = NULL;
	ct_buf b = { 0 };
	uint64_t sum;
	size_t i, n = 0;

	if (c == NULL || c->readonly || (c->nfresh == 0 && !c->listed) ||
	    c->shard[0] == '\0')
		return;
	gen = c->gen + 1;
	if (c->ours < 0 && c->nkeys == KEYS_MAX)
		for (i = 0; i < c->nold; i++)
			c->old[i].dropped = true;   /* a new file */
	ct_buf_add(&b, MAGIC, MAGICSZ);
	put_u32(&b, gen);
	put_keys(c, &b, gen, map, &ours);
	if (c->listed || c->list != NULL) {
		put_u32(&b, c->nlist);
		if (c->listed)
			ct_buf_add(&b, c->newlist.s, c->newlist.len);
		else
			ct_buf_add(&b, (const char *)c->list, c->listlen);
	} else
		put_u32(&b, NO_LIST);
	if ((v = kept_entries(c, gen, map, ours, &n)) == NULL)
		b.failed = true;
	put_u32(&b, (uint32_t)n);
	for (i = 0; i < n; i++)
		copy_entry(&b, v[i].p, v[i].len, v[i].key, v[i].used ? gen :
		    le32(v[i].p + OFF_GEN));
	sum = b.failed ? 0 : checksum((const unsigned char *)b.s, b.len);
	put_u32(&b, (uint32_t)sum);
	put_u32(&b, (uint32_t)(sum >> 32));
	if (!b.failed)
		write_file(c, &b);
	ct_buf_free(&b);
	free(v);
	c->nfresh = 0;
	ct_buf_free(&c->fresh);
	if (c->listed) {   /* the list written is the one held now */
		c->list = (const unsigned char *)c->newlist.s;
		c->listlen = c->newlist.len;
		c->listed = false;
	}
}

void
ct_evalcache_free(ct_evalcache *c)
{
	if (c == NULL)
		return;
	ct_evalcache_flush(c);
	drop_shard(c);
	free(c->dir);
	free(c->key);
	free(c);
}
