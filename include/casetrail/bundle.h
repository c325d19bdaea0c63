/*
 * casetrail bundles: one case's history as a self-contained file that can
 * be checked offline (case-bundle(1), docs/decisions.md "Case bundles").
 *
 * A bundle is a text header followed by raw git objects, each with its
 * type, id and size, so that every id can be recomputed from the file:
 *
 *   casetrail-bundle 1
 *   case VIC-0007
 *   dir cases/3f/VIC-0007
 *   commit <id> <the case directory's tree id in its parent, or ->
 *   ...                                  (the case's commits, oldest first)
 *   checkpoint <tag id> <the newest commit of the bundle it holds>
 *   disclosure <id>                      (the last commit, when it records
 *                                         the register entry of the bundle)
 *   objects <n>
 *   <type> <id> <size>\n<size bytes>\n   (n times: commit, tree, blob, tag)
 *   end
 *
 * The objects are the case's commits, for each the trees on the path from
 * its root tree to the case directory and everything below that
 * directory, casetrail.yaml and the registry's operators and keys (the
 * keys its signature is checked against), and the checkpoint tags.
 * Other cases appear only as names and ids in the shard trees.
 */
#ifndef CASETRAIL_BUNDLE_H
#define CASETRAIL_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/disclosure.h"
#include "casetrail/error.h"
#include "casetrail/store.h"

#define CT_BUNDLE_MAGIC "casetrail-bundle 1"

/* How the reference of a bundle's register entry begins. */
#define CT_BUNDLE_REF_PREFIX "case-bundle: "

/*
 * The reference the register entry of a bundle records: the number of the
 * case's commits in the history of the commit at (hex) and the git blob id
 * of their "commit" header lines, so that the entry's signed commit fixes
 * which commits the bundle holds before it.  *ref is owned by the caller.
 */
int ct_bundle_binding(ct_store *st, const char *case_id, const char *at,
    char **ref, ct_error *err);

/*
 * The transform (ct_store_write) that commits a bundle's register entry:
 * its reference is the binding of the case's commits before it
 * (ct_bundle_binding), then ct_disclosure_add() of req with it.  ref and
 * path (the entry's store path) are those of the last run, owned and
 * freed by ct_bundle_entry_clear().
 */
typedef struct ct_bundle_entry {
	const char *case_id;
	ct_disclosure_req *req;
	char *ref, *path;
} ct_bundle_entry;

int ct_bundle_entry_fn(ct_txn *txn, void *arg, ct_error *err);
void ct_bundle_entry_clear(ct_bundle_entry *e);

/* What a bundle holds. */
typedef struct ct_bundle_stats {
	size_t commits, checkpoints, objects;
} ct_bundle_stats;

/*
 * Write the bundle of case_id as of the commit tip (hex; NULL: main) to
 * out.  disclosure: tip records the bundle's register entry (its
 * reference is ct_bundle_binding() of tip's parent).  Commits of the case
 * that also change the settings or the registry (whose signature could not
 * be checked offline against the keys of its parent) are refused,
 * CT_EINVALID naming the commit; a case without commits is CT_ENOTFOUND.
 */
int ct_bundle_make(ct_store *st, const char *case_id, const char *tip,
    bool disclosure, ct_buf *out, ct_bundle_stats *stats, ct_error *err);

/* A problem found in a bundle: the object or commit (hex) it is about,
 * or NULL; a rule name; one line. */
typedef int (*ct_bundle_problem_fn)(const char *id, const char *rule,
    const char *what, void *arg, ct_error *err);

/* How a bundle is checked. */
typedef struct ct_bundle_opts {
	const char *tmpdir;    /* where each signature check makes its
	                          private directory */
	const char *signers;   /* keys the reader trusts, as
	                          registry/allowed_signers (ssh) or armored
	                          OpenPGP public keys; NULL: the keys the
	                          bundle carries */
	size_t signerslen;
} ct_bundle_opts;

/*
 * Check a bundle with nothing but its bytes: every object's id, that each
 * commit's tree leads down to the case directory and that everything
 * below it is there, that each commit's directory before it is that of an
 * earlier commit of the bundle (none missing) and, for the first, that
 * there was none (the case's creation), each commit's signature against
 * the author's key (as o->signers, else the commit's own tree, registers
 * it), the records against their schemas, the reference of every
 * register entry a bundle recorded (ct_bundle_binding), and each
 * checkpoint's signature and the commit it holds.  The keys a bundle
 * carries are only as good as the bundle: a forger can make a consistent
 * bundle with keys of their own, which is what o->signers is for.  The
 * history, and what was proven, is appended to out as text (fields
 * terminal-safe); problems go to fn and are counted in *problems.
 * CT_EINVALID when data is not a bundle (malformed, truncated).
 */
int ct_bundle_verify(const char *data, size_t len, const ct_bundle_opts *o,
    ct_bundle_problem_fn fn, void *arg, ct_buf *out, size_t *problems,
    ct_error *err);

/*
 * Write the bundle b to fd, a new file at tmp, sync and close it and
 * rename tmp to file, so that a bundle is whole or absent.  Errors name
 * file.
 */
int ct_bundle_write(int fd, const char *tmp, const char *file,
    const ct_buf *b, ct_error *err);

/* A ct_bundle_problem_fn that appends the problem to the ct_buf arg as
 * store-verify prints one: "<id, 12 hex, or -> <rule>: <what>\n", what
 * written terminal-safe. */
int ct_bundle_problem_text(const char *id, const char *rule,
    const char *what, void *arg, ct_error *err);

/*
 * ct_bundle_verify() of the bundle in file (at most 2 GiB), against the
 * keys in the file signers (at most 1 MiB; NULL: the bundle's own), with
 * the history and the problems (ct_bundle_problem_text) in out.  Errors
 * name the file they are about.
 */
int ct_bundle_verify_file(const char *file, const char *signers,
    const char *tmpdir, ct_buf *out, size_t *problems, ct_error *err);

#endif
