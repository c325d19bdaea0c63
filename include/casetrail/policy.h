/*
 * casetrail policy: the one check of a change to a store, shared by the
 * writer (ct_store_write, before it commits) and the verifier
 * (store-verify, for every commit), so that nothing the tools refuse can
 * enter by plain git, a push or a fetch (DESIGN.md §2).
 *
 * A change is judged against its parent: the registry, settings and roles
 * as they were before it, never as the change itself makes them.  Which
 * files a clause covers is the record-kind table's (kind.h: change_role,
 * writers, append_only, approvals).  The clauses, each reported under its rule
 * name:
 *
 *   admin-only     a kind with a change_role (settings, registry:
 *                  agencies, operators, keys; rules and calendars) is
 *                  changed only by an operator who holds that role, the
 *                  administrator, at the parent; the one exception
 *                  is the bootstrap of a new store, while no operator has
 *                  ever been registered in its history;
 *   bootstrap      the change that registers the first operators registers
 *                  its own author among them, as an administrator;
 *   last-admin     a change of the operators leaves some active
 *                  administrator, or nobody could change the registry
 *                  again;
 *   writer-role    a case record whose kind names writers (kind.h: the
 *                  plans, the CSP, the Authority notices, contacts, SAB
 *                  reports) is created, changed or removed only by an
 *                  author who holds one of their roles at the parent; an
 *                  approval of a plan is the approving role's instead;
 *   append-only    a file of an append-only kind (a disclosure entry) is
 *                  never changed or removed once committed;
 *   approval-role  a plan's approvals (the table's approvals:
 *                  cmp/custodial.yaml, cmp/community.yaml) grow only by
 *                  an author who holds, at the parent, the approving role
 *                  the parent's settings name (ct_kind_approval_role);
 *   approval-by    each new approval entry, and the Approved-by trailer,
 *                  name the commit's author;
 *   approval-own   nobody approves a version they wrote (the plan's
 *                  changed_by);
 *   approval-stale a plan that needs approval changed in any other way
 *                  goes back to pending-approval: it is not 'approved'
 *                  after a change that did not approve it;
 *   plan-close     a closed plan (cmp/closed/) is made only by moving the
 *                  plan in force, unchanged but for its closed entry, in
 *                  the change of the case record that ends its episode
 *                  as the entry says, and goes back only in the change
 *                  that reopens the episode; such a move is the event's,
 *                  so it takes none of the plan's writer or approval
 *                  clauses, and a closed plan is otherwise append-only;
 *   exception      a case's exceptions (exceptions.yaml) only grow, and
 *                  each new entry is its author's, who holds at the
 *                  parent a role the parent's settings allow on the case's
 *                  jurisdiction, within the deferral caps
 *                  (ct_exception_check_entry);
 *   jurisdiction   the settings (casetrail.yaml) keep the jurisdiction
 *                  the store was made with: its cases, rules and
 *                  calendars are that jurisdiction's;
 *   policy-file    a policy file (policyfile.h: the rules, the LSI-R
 *                  bands, the calendars, the settings) that its schema
 *                  accepts passes its reader's own checks too: rules that
 *                  compile, a calendar that applies, a time zone the
 *                  system knows (ct_policyfile_check_doc).
 */
#ifndef CASETRAIL_POLICY_H
#define CASETRAIL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/yaml.h"

struct git_repository;
struct git_oid;

/* Load the YAML at path as one side of the change sees it: 0 with *doc,
 * or with *doc NULL when there is no such file or it is not YAML. */
typedef int (*ct_policy_load_fn)(void *arg, const char *path,
    ct_node **doc, ct_error *err);

typedef struct ct_policy_side {
	ct_policy_load_fn load;
	void *arg;
} ct_policy_side;

typedef struct ct_policy_input {
	ct_policy_side parent, child;
	const char *const *paths;  /* the files the change adds, changes or
	                              removes */
	size_t npaths;
	const char *email;         /* the author's e-mail */
	const char *approved_by;   /* the Approved-by trailer, or NULL */
	bool bootstrap;            /* no operator registered in any commit
	                              up to the parent
	                              (ct_policy_bootstrap_open) */
} ct_policy_input;

/* One violation; the strings are valid during the call only.  Non-zero
 * stops the check and is returned. */
typedef int (*ct_policy_fn)(const char *path, const char *rule,
    const char *what, void *arg, ct_error *err);

/* Check the change; 0 when the check completed, whatever it found. */
int ct_policy_check(const ct_policy_input *in, ct_policy_fn fn, void *arg,
    ct_error *err);

/*
 * *open is true when no commit of the first-parent history of commit
 * (commit included; NULL: an unborn branch) registers an operator in
 * registry/operators.yaml.
 */
int ct_policy_bootstrap_open(struct git_repository *repo,
    const struct git_oid *commit, bool *open, ct_error *err);

#endif
