/*
 * casetrail evaluation cache: the findings of each case, kept between
 * runs so that a run evaluates only the cases that changed since
 * (deadline-check(1) FILES).
 *
 * Derived data, never versioned, safe to delete at any time: one file per
 * shard of the store ("<gitdir>/casetrail/cache/3f" for cases/3f/), each
 * holding entries keyed by a case directory's tree id and a run key
 * (ct_evalcache_key: the object ids of the rules, both calendars and the
 * settings, and the tool version).  Keys are object ids, so an entry can
 * never stand for another content; entries of several run keys live side
 * by side (a run --as-of an older rules file evicts nothing).
 *
 * An entry holds the case's findings as evaluated on some day and the
 * days around it on which their statuses stay the same (ct_span); days
 * (due - today) are computed again when it is read.  Today is not part of
 * the key: a run on the next morning reuses every case none of whose
 * dates it passed.
 *
 * File format (integers little-endian, strings a u32 length and bytes):
 *   "CTEVC003"  magic and format version
 *   u32              the file's generation (evalcache.c: eviction)
 *   u32, strings     the run keys of its entries
 *   u32              the number of case directories listed, or
 *                    0xffffffff for no list; then 40 bytes the shard's
 *                    tree id (hex) and per directory 40 bytes its tree
 *                    id and its name (a string), in tree order
 *   u32              the number of entries
 *   entries          40 bytes tree id (hex), u32 run key index, i32 span
 *                    from, i32 span until, u32 generation, u32 number of
 *                    findings, u32 length of what follows: the case id
 *                    and the findings
 *   u64              a checksum of everything before it
 * A finding: u16 rule index, u8 status, u8 flags (met_known, has key,
 * exception 0/1 defer/2 waive), i32 anchor, due, met_on, exception
 * until, then strings: what it counts from, its explanation, [key],
 * [exception reason and author].
 *
 * A file that is short, of another version, fails its checksum or does
 * not parse is ignored (and replaced when its shard is next written).
 * Files are written whole to a temporary file and renamed into place, so
 * concurrent runs each see a complete file; a directory that can not be
 * written is not written, silently.
 *
 * One ct_evalcache holds one shard's file at a time: a run that walks the
 * store in tree order reads each file once and writes each changed one
 * once.  Not shared between threads: each thread its own, on distinct
 * shards.
 */
#ifndef CASETRAIL_EVALCACHE_H
#define CASETRAIL_EVALCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

typedef struct ct_evalcache ct_evalcache;

/* The cache directory of a git directory: "<gitdir>/casetrail/cache". */
#define CT_EVALCACHE_DIR "casetrail/cache"

/*
 * The run key of snap: the ids of its rules, calendars and settings
 * ("none" for a file it lacks) and the tool version, into *key (owned).
 */
int ct_evalcache_key(ct_snapshot *snap, char **key, ct_error *err);

/* A cache in dir (created when first written) for runs of key (both
 * copied). */
int ct_evalcache_open(const char *dir, const char *key, ct_evalcache **out,
    ct_error *err);

/* Write the shard held, when it changed, then free.  NULL is a no-op. */
void ct_evalcache_free(ct_evalcache *c);

/*
 * Append to out the findings of the case directory dir
 * ("cases/<xx>/<id>") whose tree id is tree, as of today, when an entry
 * holds them for a span that holds today: 0.  CT_ENOTFOUND when there is
 * none (nothing appended); rules resolve the entry's rule indexes.
 */
int ct_evalcache_get(ct_evalcache *c, const char *dir, const char *tree,
    const ct_rules *rules, ct_date today, ct_findings *out, ct_error *err);

/* Record the findings f[0..n) of dir at tree, the same for today in
 * span.  rules gives the findings' rule indexes. */
int ct_evalcache_put(ct_evalcache *c, const char *dir, const char *tree,
    const ct_rules *rules, const ct_finding *f, size_t n, ct_span span,
    ct_error *err);

/* Write the shard held when it changed (ct_evalcache_free does). */
void ct_evalcache_flush(ct_evalcache *c);

/*
 * A filter of findings as they are read: it sees a finding before its
 * strings are copied (its rule, status, dates, days and exception kind
 * set; case_id and the other strings NULL) and returns false for one the
 * caller would drop anyway.  Called from the reading thread.
 */
typedef bool (*ct_finding_keep_fn)(const ct_finding *f, void *arg);

/* ct_evalcache_get, keeping only the findings keep (may be NULL) keeps;
 * the others are passed over without a copy. */
int ct_evalcache_get_kept(ct_evalcache *c, const char *dir,
    const char *tree, const ct_rules *rules, ct_date today,
    ct_finding_keep_fn keep, void *arg, ct_findings *out, ct_error *err);

/*
 * A shard's case directories as a run last walked them, so that the next
 * run whose cases/<shard> tree is the same takes them from the cache
 * without reading the shard's tree: each directory's name and tree id,
 * in tree order.  Listed only when no directory of the shard broke the
 * path rule (store.h ct_misplaced_fn).
 */
typedef struct ct_evalcache_dir {
	char *name;
	char tree[CT_OID_HEXSZ + 1];
} ct_evalcache_dir;

/* The directories of cases/<shard> when the cache lists them for the
 * shard tree id tree: 0 with *dirs and *n, the array and its names one
 * allocation (free(*dirs)); CT_ENOTFOUND when it does not. */
int ct_evalcache_shard(ct_evalcache *c, const char *shard, const char *tree,
    ct_evalcache_dir **dirs, size_t *n, ct_error *err);

/* Record dirs[0..n) as the directories of cases/<shard> at tree. */
int ct_evalcache_put_shard(ct_evalcache *c, const char *shard,
    const char *tree, const ct_evalcache_dir *dirs, size_t n, ct_error *err);

/* Free dirs[0..n) and their names, each its own allocation (a list
 * made to be put). */
void ct_evalcache_dirs_free(ct_evalcache_dir *dirs, size_t n);

#endif
