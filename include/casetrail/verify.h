/*
 * casetrail verify: check the whole history of a store, commit by commit,
 * against the rules the tools follow when they write (store-verify(1)).
 *
 * The walk follows every commit of a tip's history (the main branch, or a
 * given commit for a pre-receive hook), side branches of merges
 * included, oldest first.  The root commit (store-init's) is checked for
 * the path rule only.  A merge is checked for bringing in nothing that
 * none of its parents holds (merge-introduces), for its author and its
 * signature; every other commit is diffed against its parent and reported
 * on, through a callback, one problem per finding, each with a rule name:
 *
 *   merge-introduces     a merge adds, changes or removes a file, against
 *                        its first parent, otherwise than another of its
 *                        parents has it;
 *   bad-path             an added or changed entry breaks the path rule
 *                        (path.h): a name such as "..", ".git" or one with
 *                        control characters, or a symbolic link, gitlink
 *                        or executable;
 *   misplaced-record     an entry with valid names that has no place in
 *                        the store layout (kind.h), a case directory
 *                        outside its own shard, or a case.yaml whose id is
 *                        not its directory's name;
 *   record-invalid       an added or modified record does not load or
 *                        does not validate against its schema;
 *   no-trailers          records changed but the message has no Tool:;
 *   case-mismatch        a case directory changed that the Case: trailer
 *                        does not name, or Case: names a case whose
 *                        directory did not change;
 *   action-mismatch      Action: approve without a grown approvals list;
 *   unregistered-author  the author's email is not an operator in the
 *                        parent's registry/operators.yaml (no check while
 *                        no operator has ever been registered: the
 *                        bootstrap of a store);
 *   inactive-author      the author is an operator deactivated at the
 *                        parent ("active: false");
 *   admin-only, bootstrap, last-admin, approval-role, approval-by,
 *   approval-own, jurisdiction,
 *   approval-stale
 *                        the change policy (policy.h), the one the writer
 *                        also runs: settings, registry, rules and
 *                        calendars changed by an administrator at the
 *                        parent; plans approved by the role the parent's
 *                        settings name, by the commit's author, never by
 *                        the version's own author; a changed plan not
 *                        left 'approved' (approval-stale);
 *   disclosure           a problem ct_disclosure_verify() reports;
 *   unsigned             the parent's casetrail.yaml requires signing
 *                        (signing.format ssh or openpgp) and the commit
 *                        carries no signature;
 *   committer-not-author the committer is not the author (the tools make
 *                        every commit under one identity);
 *   bad-signature        the signature is not a good one by the key the
 *                        parent's registry holds for the author's e-mail
 *                        (registry/allowed_signers for ssh,
 *                        registry/openpgp/<operator>.asc for OpenPGP;
 *                        the commit's own registry while the parent has
 *                        no operator; the commits of a new store before
 *                        its first registration are only checked to be
 *                        signed), or no key is registered.
 *
 * The walk reads only.  It opens its own handle on the store's repository.
 *
 * Incremental: a history once walked clean need not be walked again.  With
 * opts->incremental (and no since or tip), the walk starts from the commit
 * that CT_VERIFIED_REF names when main descends from it, hiding it and
 * everything it reaches: each new commit is still judged by its parent's
 * tree (registry, keys, settings), which the snapshot holds, and whether an
 * operator was ever registered comes from the first-parent history below
 * it (ct_policy_bootstrap_open), as with since.  When main does not descend
 * from it (history rewritten, or store-sync set the local branch aside),
 * it names no commit or can not be read, everything is walked.  A walk that completes
 * with no problem moves the ref to the tip it walked; when the ref can
 * not be written (a read-only store) nothing is recorded and the walk
 * stands.  The ref is local: store-sync neither fetches nor pushes it,
 * and deleting it only makes the next walk a whole one.
 */
#ifndef CASETRAIL_VERIFY_H
#define CASETRAIL_VERIFY_H

#include <stddef.h>
#include <stdio.h>

#include "casetrail/error.h"
#include "casetrail/store.h"

/* One problem; the strings are valid during the callback only. */
typedef struct ct_verify_problem {
	const char *commit;  /* the commit's hex id */
	const char *path;    /* the store path, or NULL for the commit */
	const char *rule;    /* "record-invalid", "no-trailers", ... */
	const char *what;    /* one line: what is wrong */
} ct_verify_problem;

/* Called for every problem; non-zero stops the walk and is returned. */
typedef int (*ct_verify_fn)(const ct_verify_problem *p, void *arg,
    ct_error *err);

/* The ref that names the last commit whose whole history walked clean. */
#define CT_VERIFIED_REF "refs/casetrail/verified"

/* Where an incremental walk began. */
enum ct_verify_from {
	CT_VERIFY_FROM_START,      /* no commit remembered: everything */
	CT_VERIFY_FROM_VERIFIED,   /* only the commits new since it */
	CT_VERIFY_FROM_REWRITTEN,  /* main does not descend from the
	                              remembered commit: everything */
	CT_VERIFY_FROM_UNREADABLE, /* the ref can not be read (a damaged
	                              file, which libgit2 will not replace
	                              either): everything, nothing recorded */
};

/* What an incremental walk did (ct_verify_opts.result). */
typedef struct ct_verify_result {
	enum ct_verify_from from;
	char verified[41];   /* the remembered commit, hex; "" for none */
	size_t commits;      /* the commits walked */
	int recorded;        /* CT_VERIFIED_REF now names the tip */
	int walked;          /* the walk completed (what it found aside) */
} ct_verify_result;

/* Called after every `every` commits walked (when every > 0). */
typedef void (*ct_verify_progress_fn)(size_t commits, void *arg);

typedef struct ct_verify_opts {
	const char *since;   /* walk only since..tip; NULL: everything */
	const char *tip;     /* a revision to walk from; NULL: main */
	const char *const *object_dirs; /* extra object directories to read
	                        (a pre-receive quarantine), NULL-terminated;
	                        may be NULL */
	ct_verify_fn fn;
	ct_verify_fn review; /* when not NULL: each entry dated more than
	                        the store's receipts.backdate_days before
	                        its commit was received (else made), rule
	                        "backdated" (receipt.h); a finding for
	                        review, not counted as a problem */
	void *arg;
	ct_verify_progress_fn progress;
	size_t every;
	int incremental;     /* walk only what is new since CT_VERIFIED_REF
	                        and record a clean walk (see the top); only
	                        when since and tip are NULL */
	ct_verify_result *result; /* filled when not NULL */
} ct_verify_opts;

/*
 * Walk and report (see the top of this file).  *problems (may be NULL)
 * receives the number reported.  Returns 0 when the walk completed,
 * whatever it found; CT_ENOTFOUND for an unknown revision; CT_ERROR on an
 * error reading the repository; or what fn returned.
 */
int ct_verify(ct_store *st, const ct_verify_opts *opts, size_t *problems,
    ct_error *err);

/*
 * store-verify's check of a store: ct_verify() (with o), then every
 * receipt the repository holds (ct_receipt_verify: a bad one is reported
 * through o->fn under its commit, else its tag, and its ref, with the
 * rule receipt-bad, receipt-signer, receipt-signature or
 * receipt-rewritten), then, with CT_VERIFY_CHECKPOINTS, that main holds
 * every checkpoint of this clone (ct_checkpoint_check: the commit, else
 * "-", and the checkpoint's ref).  *problems receives the number of all.
 * Returns as ct_verify(); on an error after the walk, o->result says it
 * walked.
 */
#define CT_VERIFY_CHECKPOINTS 0x1

int ct_verify_store(ct_store *st, const ct_verify_opts *o, unsigned flags,
    size_t *problems, ct_error *err);

/*
 * One "old new ref" line of a pre-receive hook.  Reports, through o->fn:
 *   ref-refused       ref is not refs/heads/main and matches none of the
 *                     fnmatch(3) patterns allow (NULL-terminated; may be
 *                     NULL); other refs are not checked further;
 *   receipt-refused   ref is under refs/receipts/: only the central
 *                     repository writes receipts (receipt.h);
 *   branch-deleted    main would be deleted;
 *   non-fast-forward  main would move to a commit that does not descend
 *                     from its tip (whatever receive.denyNonFastForwards
 *                     says);
 * and otherwise every problem of ct_verify() over old..new (the whole
 * history of new when old is all zeros), with o's object directories.
 * *problems receives the number reported.
 */
int ct_verify_push(ct_store *st, const ct_verify_opts *o, const char *old,
    const char *new, const char *ref, const char *const *allow,
    size_t *problems, ct_error *err);

/* What a pre-receive hook is given. */
typedef struct ct_verify_hook {
	FILE *in;               /* the "old new ref" lines */
	const char *objects;    /* $GIT_OBJECT_DIRECTORY and */
	const char *alternates; /* $GIT_ALTERNATE_OBJECT_DIRECTORIES
	                           (':'-separated): where git keeps the
	                           push's objects while the hook runs (the
	                           quarantine); NULL: none */
	const char *const *allow; /* refs taken unchecked: fnmatch(3)
	                           patterns, NULL-terminated; may be NULL */
} ct_verify_hook;

/*
 * A pre-receive hook (store-verify --pre-receive): ct_verify_push() for
 * every line of h->in, reading the objects of h's directories too
 * (o->object_dirs is not used).  *problems receives the number reported
 * over all lines.  CT_EINVALID for a line that is not "old new ref".
 */
int ct_verify_pre_receive(ct_store *st, const ct_verify_opts *o,
    const ct_verify_hook *h, size_t *problems, ct_error *err);

#endif
