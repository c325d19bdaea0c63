/*
 * casetrail index: read a git index file and rewrite it with a few entries
 * changed, without building libgit2's in-memory index.
 *
 * A store of 100,000 cases has a 10 MB index of 200,000 entries; a write
 * touches one or two of them.  libgit2 parses every entry into its own
 * structures and writes them all back, which costs more than the rest of
 * the write together.  This module maps the file, finds the entries by
 * binary search over their offsets, and writes the new file as a copy of
 * the old bytes with the changed entries spliced in, hashed as it goes.
 *
 * It handles index versions 2 and 3 whose touched entries carry no
 * extended flags, and drops the optional extensions (the cache tree and
 * its kind, which git rebuilds when it needs them).  Anything else --
 * version 4, a split or sparse index (required extensions), a conflict on
 * a touched path -- is CT_ENOTSUP, and the caller uses libgit2 instead.
 * The new file is written to index.lock with O_EXCL (the lock git and
 * libgit2 take) and renamed over index; it is not fsync'd, as git does
 * not by default (core.fsync=committed): the index is a cache of the
 * committed tree, and the commit and branch are fsync'd.
 */
#ifndef CASETRAIL_INDEX_H
#define CASETRAIL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "casetrail/error.h"

#define CT_OID_RAWSZ 20

typedef struct ct_index ct_index;

/* One change: remove path, or set it to the blob id with the stat data of
 * the work-tree file. */
typedef struct ct_index_update {
	const char *path;
	bool remove;
	unsigned char id[CT_OID_RAWSZ];
	struct stat st;
} ct_index_update;

/*
 * Map <gitdir>/index.  CT_ENOTFOUND when there is none (a new clone may
 * have none yet); CT_ENOTSUP for a format this module leaves to libgit2;
 * CT_ERROR for an unreadable or damaged file.
 */
int ct_index_open(const char *gitdir, ct_index **out, ct_error *err);

/*
 * The blob id of path's stage-0 entry.  false when path has no entry;
 * *conflict is set when it has entries of stages 1-3 instead.
 */
bool ct_index_find(const ct_index *ix, const char *path,
    unsigned char id[CT_OID_RAWSZ], bool *conflict);

/*
 * Write the index with the updates applied (each path at most once, in
 * any order).  CT_ENOTSUP when an update touches an entry this module
 * does not rewrite (nothing is written then); CT_EEXISTS when index.lock
 * exists (another git command is writing); CT_ECONFLICT when the file
 * was replaced since ct_index_open() (open it again); CT_ERROR
 * otherwise.
 */
int ct_index_write(ct_index *ix, ct_index_update *u, size_t n,
    ct_error *err);

void ct_index_free(ct_index *ix);

#endif
