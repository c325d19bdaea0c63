/*
 * casetrail index: a git index (versions 2 and 3) read through mmap and
 * rewritten with a few entries spliced in (see include/casetrail/index.h).
 *
 * The on-disk format (git's Documentation/gitformat-index): a 12-byte
 * header ("DIRC", version, entry count), the entries sorted by path then
 * stage, optional extensions, and the SHA-1 of everything before it.  An
 * entry is 40 bytes of stat data, the 20-byte object id, 16 bits of flags
 * (extended, stage, name length), 16 more flag bits when extended
 * (version 3), the path and 1-8 NUL bytes padding the entry to a multiple
 * of 8.  All numbers are big-endian.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "casetrail/index.h"

#define HEADER 12
#define TRAILER 20
#define STAT_AND_ID 60            /* stat data and object id */
#define F_EXTENDED 0x4000
#define F_STAGE 0x3000
#define F_NAMEMASK 0xfff
#define OUTBUF (256 * 1024)

struct ct_index {
	char *path;                /* <gitdir>/index */
	unsigned char *map;
	size_t len;
	uint32_t version, n;
	size_t *off;               /* offset of each entry */
	struct stat st;            /* of the file when it was read */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Entry i: its name and length, flags and size on disk. */
struct entry {
	const unsigned char *p;
	const char *name;
	size_t namelen, size;
	unsigned flags;
};

static void
entry_at(const ct_index *ix, uint32_t i, struct entry *e)
{
	size_t hdr;

	e->p = ix->map + ix->off[i];
	e->flags = be16(e->p + STAT_AND_ID);
	hdr = STAT_AND_ID + 2 + (e->flags & F_EXTENDED ? 2 : 0);
	e->name = (const char *)e->p + hdr;
	e->namelen = e->flags & F_NAMEMASK;
	if (e->namelen == F_NAMEMASK)
		e->namelen = strlen(e->name);  /* checked NUL-terminated */
	e->size = (hdr + e->namelen + 8) & ~(size_t)7;
}

/* Compare path with an entry's name as git orders them (bytes, then
 * length); stage breaks ties. */
static int
cmp_name(const char *path, size_t len, const struct entry *e)
{
	size_t m = len < e->namelen ? len : e->namelen;
	int c = memcmp(path, e->name, m);

	if (c != 0)
		return c;
	return len < e->namelen ? -1 : len > e->namelen ? 1 : 0;
}

static int
damaged(ct_index *ix, ct_error *err, const char *what)
{
	return ct_error_set(err, CT_ERROR, "%s: damaged index (%s)", ix->path,
	    what);
}

static int
sha1(const unsigned char *p, size_t len, unsigned char out[TRAILER])
{
	unsigned int n = 0;

	return EVP_Digest(p, len, out, &n, EVP_sha1(), NULL) == 1 &&
	    n == TRAILER ? 0 : -1;
}

/* Find the entries and check the extensions. */
static int
parse(ct_index *ix, ct_error *err)
{
	unsigned char sum[TRAILER];
	size_t off = HEADER, end, hdr, namelen, size;
	unsigned flags;
	uint32_t i;

	if (ix->len < HEADER + TRAILER || memcmp(ix->map, "DIRC", 4) != 0)
		return damaged(ix, err, "no header");
	if (sha1(ix->map, ix->len - TRAILER, sum) < 0)
		return ct_error_set(err, CT_ERROR, "SHA-1 is not available");
	if (memcmp(sum, ix->map + ix->len - TRAILER, TRAILER) != 0)
		return damaged(ix, err, "checksum mismatch");
	ix->version = be32(ix->map + 4);
	ix->n = be32(ix->map + 8);
	if (ix->version != 2 && ix->version != 3)
		return ct_error_set(err, CT_ENOTSUP, "index version %u",
		    (unsigned)ix->version);
	end = ix->len - TRAILER;
	if (ix->n > (end - HEADER) / (STAT_AND_ID + 2 + 8))
		return damaged(ix, err, "entry count");
	if ((ix->off = malloc((ix->n + 1) * sizeof(*ix->off))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	for (i = 0; i < ix->n; i++) {
		if (off + STAT_AND_ID + 2 > end)
			return damaged(ix, err, "truncated entry");
		flags = be16(ix->map + off + STAT_AND_ID);
		if ((flags & F_EXTENDED) && ix->version < 3)
			return damaged(ix, err, "extended entry in version 2");
		hdr = STAT_AND_ID + 2 + (flags & F_EXTENDED ? 2 : 0);
		if (off + hdr >= end)
			return damaged(ix, err, "truncated entry");
		namelen = flags & F_NAMEMASK;
		if (namelen == F_NAMEMASK) {
			const unsigned char *z = memchr(ix->map + off + hdr,
			    '\0', end - off - hdr);

			if (z == NULL)
				return damaged(ix, err, "unterminated path");
			namelen = (size_t)(z - (ix->map + off + hdr));
		}
		size = (hdr + namelen + 8) & ~(size_t)7;
		if (off + size > end || ix->map[off + hdr + namelen] != '\0')
			return damaged(ix, err, "bad path");
		ix->off[i] = off;
		off += size;
	}
	ix->off[ix->n] = off;
	while (off < end) {
		uint32_t n;

		if (end - off < 8)
			return damaged(ix, err, "truncated extension");
		/* a signature not starting A-Z is an extension a reader must
		 * understand (split or sparse index): leave it to libgit2 */
		if (ix->map[off] < 'A' || ix->map[off] > 'Z')
			return ct_error_set(err, CT_ENOTSUP,
			    "index extension %.4s", (const char *)ix->map + off);
		n = be32(ix->map + off + 4);
		if (n > end - off - 8)
			return damaged(ix, err, "truncated extension");
		off += 8 + (size_t)n;
	}
	return 0;
}

int
ct_index_open(const char *gitdir, ct_index **out, ct_error *err)
{
	ct_index *ix;
	struct stat sb;
	size_t gl = strlen(gitdir);
	int fd, rc;

	*out = NULL;
	if ((ix = calloc(1, sizeof(*ix))) == NULL)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if (asprintf(&ix->path, "%s%sindex", gitdir,
	    gl > 0 && gitdir[gl - 1] == '/' ? "" : "/") < 0) {
		free(ix);
		return ct_error_set(err, CT_ERROR, "out of memory");
	}
	if ((fd = open(ix->path, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = ct_error_set(err, errno == ENOENT ? CT_ENOTFOUND :
		    CT_ERROR, "%s: %s", ix->path, strerror(errno));
		goto fail;
	}
	if (fstat(fd, &sb) < 0 || sb.st_size < HEADER + TRAILER) {
		close(fd);
		rc = damaged(ix, err, "too short");
		goto fail;
	}
	ix->st = sb;
	ix->len = (size_t)sb.st_size;
	ix->map = mmap(NULL, ix->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		rc = ct_error_set(err, CT_ERROR, "%s: %s", ix->path,
		    strerror(errno));
		goto fail;
	}
	if ((rc = parse(ix, err)) < 0)
		goto fail;
	*out = ix;
	return 0;
fail:
	ct_index_free(ix);
	return rc;
}

void
ct_index_free(ct_index *ix)
{
	if (ix == NULL)
		return;
	if (ix->map != NULL)
		munmap(ix->map, ix->len);
	free(ix->off);
	free(ix->path);
	free(ix);
}

/* The first entry not before (path, stage 0). */
static uint32_t
lower_bound(const ct_index *ix, const char *path, size_t len)
{
	uint32_t lo = 0, hi = ix->n, mid;
	struct entry e;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		entry_at(ix, mid, &e);
		if (cmp_name(path, len, &e) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
ct_index_find(const ct_index *ix, const char *path,
    unsigned char id[CT_OID_RAWSZ], bool *conflict)
{
	size_t len = strlen(path);
	uint32_t i = lower_bound(ix, path, len);
	struct entry e;

	*conflict = false;
	if (i >= ix->n)
		return false;
	entry_at(ix, i, &e);
	if (cmp_name(path, len, &e) != 0)
		return false;
	if (e.flags & F_STAGE) {
		*conflict = true;
		return false;
	}
	memcpy(id, e.p + 40, CT_OID_RAWSZ);
	return true;
}

/* Buffered output to the lock file, hashed as it is written. */
struct out {
	int fd;
	EVP_MD_CTX *md;
	unsigned char *buf;
	size_t len;
	bool failed;
};

static void
out_flush(struct out *o)
{
	size_t off = 0;
	ssize_t w;

	if (o->failed || o->len == 0)
		return;
	if (EVP_DigestUpdate(o->md, o->buf, o->len) != 1)
		o->failed = true;
	while (!o->failed && off < o->len) {
		if ((w = write(o->fd, o->buf + off, o->len - off)) < 0) {
			if (errno != EINTR)
				o->failed = true;
			continue;
		}
		off += (size_t)w;
	}
	o->len = 0;
}

static void
out_add(struct out *o, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	while (n > 0 && !o->failed) {
		if (o->len == OUTBUF)
			out_flush(o);
		k = OUTBUF - o->len < n ? OUTBUF - o->len : n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
}

static void
out_entry(struct out *o, const ct_index_update *u)
{
	unsigned char e[STAT_AND_ID + 2], pad[8] = {0};
	size_t len = strlen(u->path), size = (62 + len + 8) & ~(size_t)7;

	put32(e + 0, (uint32_t)u->st.st_ctim.tv_sec);
	put32(e + 4, (uint32_t)u->st.st_ctim.tv_nsec);
	put32(e + 8, (uint32_t)u->st.st_mtim.tv_sec);
	put32(e + 12, (uint32_t)u->st.st_mtim.tv_nsec);
	put32(e + 16, (uint32_t)u->st.st_dev);
	put32(e + 20, (uint32_t)u->st.st_ino);
	put32(e + 24, (u->st.st_mode & 0100) ? 0100755 : 0100644);
	put32(e + 28, (uint32_t)u->st.st_uid);
	put32(e + 32, (uint32_t)u->st.st_gid);
	put32(e + 36, (uint32_t)u->st.st_size);
	memcpy(e + 40, u->id, CT_OID_RAWSZ);
	e[60] = (unsigned char)((len < F_NAMEMASK ? len : F_NAMEMASK) >> 8);
	e[61] = (unsigned char)(len < F_NAMEMASK ? len : F_NAMEMASK);
	out_add(o, e, sizeof(e));
	out_add(o, u->path, len);
	out_add(o, pad, size - 62 - len);
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const ct_index_update *)a)->path,
	    ((const ct_index_update *)b)->path);
}

/* Check every update can be applied here; count the entries after. */
static int
plan(const ct_index *ix, ct_index_update *u, size_t n, uint32_t *count,
    ct_error *err)
{
	uint64_t c = ix->n;
	struct entry e;
	uint32_t i;
	size_t k, len;

	for (k = 0; k < n; k++) {
		len = strlen(u[k].path);
		if (len == 0 || (k > 0 && strcmp(u[k - 1].path,
		    u[k].path) == 0))
			return ct_error_set(err, CT_EINVALID,
			    "index update: bad or repeated path");
		i = lower_bound(ix, u[k].path, len);
		if (i < ix->n) {
			entry_at(ix, i, &e);
			if (cmp_name(u[k].path, len, &e) == 0) {
				if (e.flags & (F_STAGE | F_EXTENDED))
					return ct_error_set(err, CT_ENOTSUP,
					    "%s: a conflicted or flagged index "
					    "entry", u[k].path);
				if (u[k].remove)
					c--;
				continue;
			}
		}
		if (!u[k].remove)
			c++;
	}
	if (c > UINT32_MAX)
		return ct_error_set(err, CT_ERROR, "index too large");
	*count = (uint32_t)c;
	return 0;
}

/* The new index but its trailer, into o: the header, then runs of the
 * untouched entries copied as they are, with the (sorted) updates u
 * spliced in; after the last update, the rest in one run. */
static void
splice_entries(const ct_index *ix, struct out *o, const ct_index_update *u,
    size_t n, uint32_t count)
{
	unsigned char hdr[HEADER];
	struct entry e;
	uint32_t i = 0;
	size_t k = 0, from;

	memcpy(hdr, "DIRC", 4);
	put32(hdr + 4, ix->version);
	put32(hdr + 8, count);
	out_add(o, hdr, sizeof(hdr));
	from = ix->off[0];
	while (k < n) {
		int c = -1;  /* past the last entry: the update comes next */

		if (i < ix->n) {
			entry_at(ix, i, &e);
			c = k < n ? cmp_name(u[k].path, strlen(u[k].path), &e) :
			    1;
		}
		if (c > 0) {
			i++;
			continue;
		}
		out_add(o, ix->map + from, ix->off[i] - from);
		if (!u[k].remove)
			out_entry(o, &u[k]);
		if (c == 0)
			i++;
		from = ix->off[i];
		k++;
	}
	out_add(o, ix->map + from, ix->off[ix->n] - from);
}

int
ct_index_write(ct_index *ix, ct_index_update *u, size_t n, ct_error *err)
{
	struct out o = { .fd = -1 };
	unsigned char sum[EVP_MAX_MD_SIZE];
	char *lock = NULL;
	unsigned int sumlen = 0;
	struct stat now;
	uint32_t count = 0;
	int rc;

	qsort(u, n, sizeof(*u), by_path);
	if ((rc = plan(ix, u, n, &count, err)) < 0)
		return rc;
	if (asprintf(&lock, "%s.lock", ix->path) < 0)
		return ct_error_set(err, CT_ERROR, "out of memory");
	if ((o.fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) < 0) {
		rc = ct_error_set(err, errno == EEXIST ? CT_EEXISTS : CT_ERROR,
		    "%s: %s", lock, strerror(errno));
		free(lock);
		return rc;
	}
	/* under the lock nobody else writes: was it rewritten since read? */
	if (stat(ix->path, &now) < 0 || now.st_ino != ix->st.st_ino ||
	    now.st_size != ix->st.st_size ||
	    now.st_mtim.tv_sec != ix->st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != ix->st.st_mtim.tv_nsec) {
		rc = ct_error_set(err, CT_ECONFLICT, "%s: changed since it "
		    "was read", ix->path);
		goto out;
	}
	if ((o.md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(o.md, EVP_sha1(), NULL) != 1 ||
	    (o.buf = malloc(OUTBUF)) == NULL) {
		rc = ct_error_set(err, CT_ERROR, "out of memory");
		goto out;
	}
	splice_entries(ix, &o, u, n, count);
	out_flush(&o);
	if (o.failed || EVP_DigestFinal_ex(o.md, sum, &sumlen) != 1 ||
	    sumlen != TRAILER) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", lock,
		    errno ? strerror(errno) : "write failed");
		goto out;
	}
	/* not fsync'd: the index is a cache of the committed tree, which
	 * is fsync'd; git leaves the index out by default too
	 * (core.fsync=committed) */
	if (write(o.fd, sum, TRAILER) != TRAILER) {
		rc = ct_error_set(err, CT_ERROR, "%s: %s", lock,
		    strerror(errno));
		goto out;
	}
	if (close(o.fd) < 0 || rename(lock, ix->path) < 0) {
		o.fd = -1;
		rc = ct_error_set(err, CT_ERROR, "%s: %s", ix->path,
		    strerror(errno));
		goto out;
	}
	o.fd = -1;
out:
	if (o.fd >= 0)
		close(o.fd);
	if (rc < 0)
		unlink(lock);
	EVP_MD_CTX_free(o.md);
	free(o.buf);
	free(lock);
	return rc;
}
