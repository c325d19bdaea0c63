/*
 * casetrail kinds: the table of what a store may hold (DESIGN.md §2).
 *
 * Every file of a store is one kind at one place of the layout:
 *
 *   casetrail.yaml                                settings
 *   registry/agencies.yaml                        agencies
 *   registry/operators.yaml                       operators
 *   registry/allowed_signers                      allowed-signers (ssh)
 *   registry/openpgp/<operator>.asc               openpgp-key
 *   rules/deadlines.yaml                          rules
 *   rules/lsi-r-bands.yaml                        lsi-r-bands
 *   calendars/<ACT|VIC>.yaml                      calendar
 *   cases/<xx>/<id>/case.yaml                     case
 *   cases/<xx>/<id>/csp.yaml                      csp
 *   cases/<xx>/<id>/authority-notices.yaml        authority-notices
 *   cases/<xx>/<id>/contacts.yaml                 contacts
 *   cases/<xx>/<id>/sab-reports.yaml              sab-reports
 *   cases/<xx>/<id>/exceptions.yaml               exceptions
 *   cases/<xx>/<id>/cmp/<custodial|remand|community>.yaml   cmp
 *   cases/<xx>/<id>/assessments/<YYYY-MM-DD>-lsi-r.yaml     lsi-r
 *   cases/<xx>/<id>/disclosures/<YYYYMMDDTHHMMSSZ>-<n>.yaml disclosure
 *   cases/<xx>/<id>/cmp/closed/<YYYY-MM-DD>-<kind>.yaml     closed-cmp
 *
 * A closed plan is the plan of an episode that has ended (cmp.h:
 * ct_cmp_close_ended), moved there by the tool that recorded the end and
 * named by the day the episode began.
 *
 * <xx> is the shard of the case id (ct_case_dir); <id> a valid case id
 * (ct_case_id_check).  Nothing else is a store file: the path rule
 * (path.h) refuses the rest.
 */
#ifndef CASETRAIL_KIND_H
#define CASETRAIL_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/role.h"

struct ct_node;

/* The longest case id, a directory name of the layout (case.h checks
 * the id itself). */
#define CT_CASE_ID_MAX 40

typedef enum ct_kind_id {
	CT_KIND_SETTINGS,
	CT_KIND_AGENCIES,
	CT_KIND_OPERATORS,
	CT_KIND_ALLOWED_SIGNERS,
	CT_KIND_OPENPGP_KEY,
	CT_KIND_RULES,
	CT_KIND_LSIR_BANDS,
	CT_KIND_CALENDAR,
	CT_KIND_CASE,
	CT_KIND_CSP,
	CT_KIND_AUTHORITY_NOTICES,
	CT_KIND_CONTACTS,
	CT_KIND_SAB_REPORTS,
	CT_KIND_CMP,
	CT_KIND_LSIR,
	CT_KIND_DISCLOSURE,
	CT_KIND_CMP_CLOSED,
	CT_KIND_EXCEPTIONS,
	CT_KIND_COUNT
} ct_kind_id;

/*
 * A file that needs approval before it is in force: a plan whose
 * approvals list grows only by the approving role, never by the
 * version's author (the change policy, policy.h).
 */
typedef struct ct_approval {
	const char *file;      /* the file's name: "custodial.yaml" */
	const char *setting;   /* its key under approval_roles in
	                          casetrail.yaml: "custodial" */
	const char *role;      /* the approving role when the settings name
	                          none */
	const char *rule;      /* the rule that asks for the approval
	                          (DESIGN.md §4) */
} ct_approval;

typedef struct ct_kind {
	ct_kind_id id;
	const char *name;      /* "cmp" */
	const char *pattern;   /* "cases/<xx>/<id>/cmp/<kind>.yaml" */
	const char *schema;    /* schemas/<schema>.schema.json; NULL: the
	                          file is not a YAML record */
	bool in_case;          /* under cases/<xx>/<id>/ */
	const char *change_role; /* the role that alone creates, changes
	                          and removes it at the parent commit;
	                          NULL: any registered operator */
	const char *const *writers; /* in a case: the roles of which the
	                          author holds one to create, change or
	                          remove it (an approval is the approving
	                          role's, below); NULL: any registered
	                          operator */
	bool append_only;      /* once committed, never changed or removed */
	const ct_approval *approvals; /* the files of the kind that need
	                          approval, ended by a NULL file; NULL:
	                          none */
	const char *rules;     /* the ids of the shipped rules that read it,
	                          space-separated; "*" every rule (events
	                          and cohort) */
} ct_kind;

/* The table, indexed by ct_kind_id. */
extern const ct_kind ct_kinds[CT_KIND_COUNT];

/*
 * Where path sits in the layout.  Paths are store paths ("cases/3f/A-1/
 * case.yaml": no leading or trailing slash).
 */
typedef enum ct_place {
	CT_PLACE_FILE,      /* a file of *kind */
	CT_PLACE_DIR,       /* a directory of the layout ("" is the root) */
	CT_PLACE_SHARD,     /* cases/<xx>/<id>... with <xx> not the id's
	                       shard */
	CT_PLACE_NONE,      /* no place of the layout */
} ct_place;

/*
 * Classify path.  *kind (may be NULL) is set for CT_PLACE_FILE.  For a
 * path under cases/<xx>/<id>, *case_id and *idlen (may be NULL) point at
 * the id inside path, else *case_id is NULL.  Only the form of the names
 * is looked at here; path.h checks the names themselves.
 */
ct_place ct_kind_place(const char *path, const ct_kind **kind,
    const char **case_id, size_t *idlen);

/* The kind of a file path, or NULL when the layout has no file there. */
const ct_kind *ct_kind_of(const char *path);

/* ct_kind_writer (registry.h): may an operator write a file of a kind. */

/* The writers of k as "a, b or c" into buf. */
const char *ct_kind_writers_text(const ct_kind *k, char *buf, size_t size);

/* The approval the file at path needs, or NULL when it needs none. */
const ct_approval *ct_kind_approval_of(const char *path);

/* The approval of the kind's file named file ("community.yaml"), or
 * NULL. */
const ct_approval *ct_kind_approval_find(const ct_kind *k, const char *file);

/* The role that approves: the settings' approval_roles.<setting>
 * (settings may be NULL), else the table's. */
const char *ct_kind_approval_role(const ct_approval *a,
    const struct ct_node *settings);

#endif
