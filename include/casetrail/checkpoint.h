/*
 * casetrail checkpoints: "main was at commit C at time T", said and signed
 * by the operator who makes it (store-checkpoint(1)).
 *
 * A checkpoint is a git tag object whose target is C, whose tagger is the
 * operator (their registered e-mail) and whose message names the store's
 * main and C; in a store that signs commits it is signed the same way
 * (the signature appended to the message, as git signs tags, so git
 * verify-tag checks it too).  Its ref is
 *
 *   refs/checkpoints/<operator>/<YYYYMMDDTHHMMSSZ>
 *
 * in the clone that made it, and in the central repository once pushed
 * (store-sync); fetched ones are kept under
 * refs/remotes/<remote>/checkpoints/.  A checkpoint is never moved or
 * removed.  A history that no longer contains C was rewritten after the
 * checkpoint: store-verify --since-checkpoint reports it and store-sync
 * refuses such a remote.
 */
#ifndef CASETRAIL_CHECKPOINT_H
#define CASETRAIL_CHECKPOINT_H

#include <stdbool.h>

#include "casetrail/error.h"
#include "casetrail/store.h"

#define CT_CHECKPOINT_REFS "refs/checkpoints/"

typedef struct ct_checkpoint {
	const char *ref;       /* its ref name */
	char commit[41];       /* C, hex */
	const char *by;        /* the tagger's e-mail */
	long long when;        /* T, seconds since the epoch */
	bool is_signed;
} ct_checkpoint;

/*
 * Make a checkpoint of main's tip now, by the writer (git config
 * user.email, a registered operator), with an optional one-line note.
 * *ref (owned by the caller) is its ref name; commit gets C.
 */
int ct_checkpoint_create(ct_store *st, const char *note, char **ref,
    char commit[41], ct_error *err);

/* Each checkpoint whose ref begins with prefix (CT_CHECKPOINT_REFS, or
 * "refs/remotes/<remote>/checkpoints/"), oldest first.  A ref there that
 * is not a checkpoint tag is given with commit "" (fn says so). */
typedef int (*ct_checkpoint_fn)(const ct_checkpoint *cp, void *arg,
    ct_error *err);
int ct_checkpoint_each(ct_store *st, const char *prefix, ct_checkpoint_fn fn,
    void *arg, ct_error *err);

/* Does the commit tip (hex) hold checkpoint cp: is cp's commit tip or one
 * of its ancestors? */
int ct_checkpoint_held(ct_store *st, const char *tip, const ct_checkpoint *cp,
    bool *held, ct_error *err);

/*
 * The signature of cp's tag by its tagger's key as the registry at HEAD
 * has it: 0 when good (or the store does not sign and the tag is not
 * signed), CT_EINVALID with the reason.
 */
int ct_checkpoint_verify_sig(ct_store *st, const ct_checkpoint *cp,
    ct_error *err);

/*
 * The same check of any signed tag object of the store (a checkpoint, a
 * receipt: receipt.h), by its hex id and its tagger's e-mail by; what
 * names it in messages ("receipt").
 */
int ct_tag_verify_sig(ct_store *st, const char *tag, const char *by,
    bool is_signed, const char *what, ct_error *err);

/*
 * The pre-receive check of a push creating ref at newhex (objects read
 * from repo, which sees the push's quarantine): a tag of a commit main
 * holds, by the active operator the ref names, signed as the store
 * requires.  0 when so, CT_EINVALID with the reason.
 */
struct git_repository;
int ct_checkpoint_check_new(ct_store *st, struct git_repository *repo,
    const char *ref, const char *newhex, ct_error *err);

/*
 * Check the commit tip (hex) against every checkpoint this clone holds
 * (its own and those fetched from its remotes): each must be held by tip
 * (rule checkpoint-rewritten) and signed as the store requires
 * (checkpoint-signature); a ref there that is no checkpoint is
 * checkpoint-bad.  fn is told of each; *problems counts them.
 */
typedef int (*ct_checkpoint_problem_fn)(const ct_checkpoint *cp,
    const char *rule, const char *what, void *arg, ct_error *err);
int ct_checkpoint_check(ct_store *st, const char *tip,
    ct_checkpoint_problem_fn fn, void *arg, size_t *problems,
    ct_error *err);

#endif
