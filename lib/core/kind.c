/*
 * The table of record kinds and the store layout (kind.h).
 *
 * A path is split at its slashes into at most MAX_PARTS components and
 * matched against the layout top-down.  The case id's shard is the first
 * byte of the git blob id of the id, computed here with git_odb_hash.
 */
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "casetrail/kind.h"
#include "casetrail/role.h"
#include "casetrail/util.h"
#include "casetrail/yaml.h"

static const ct_approval cmp_approvals[] = {
	{ "custodial.yaml", "custodial", CT_ROLE_CMU_TEAM_LEADER,
	  "ACT-CMP-CUSTODIAL" },
	{ "community.yaml", "community", CT_ROLE_COMMUNITY_TEAM_LEADER,
	  "ACT-CMP-COMMUNITY" },
	{ NULL, NULL, NULL, NULL },
};

/* The writers of the case records whose tools check a role (cmp-new,
 * cmp-review, cmp-copy; csp-new, csp-update, csp-endorse; authority-notice;
 * contact-add; sab-report). */
static const char *const cmp_writers[] = { CT_ROLE_CASE_MANAGER, NULL };
static const char *const csp_writers[] = {
	CT_ROLE_SOCT_OFFICER, CT_ROLE_MAP_MEMBER, NULL,
};
static const char *const notice_writers[] = { CT_ROLE_SOCT_OFFICER, NULL };
static const char *const contact_writers[] = {
	CT_ROLE_CASE_MANAGER, CT_ROLE_COMMUNITY_CORRECTIONS_OFFICER, NULL,
};
static const char *const sab_writers[] = {
	CT_ROLE_CASE_MANAGER, CT_ROLE_COMMUNITY_CORRECTIONS_OFFICER,
	CT_ROLE_COMMUNITY_TEAM_LEADER, NULL,
};

#define ADMIN CT_ROLE_ADMINISTRATOR

/* id, name, pattern, schema, in_case, change_role, writers, append_only,
 * approvals, rules */
const ct_kind ct_kinds[CT_KIND_COUNT] = {
	{ CT_KIND_SETTINGS, "settings", "casetrail.yaml", "settings", false,
	  ADMIN, NULL, false, NULL, "" },
	{ CT_KIND_AGENCIES, "agencies", "registry/agencies.yaml", "agencies",
	  false, ADMIN, NULL, false, NULL, "" },
	{ CT_KIND_OPERATORS, "operators", "registry/operators.yaml",
	  "operators", false, ADMIN, NULL, false, NULL, "" },
	{ CT_KIND_ALLOWED_SIGNERS, "allowed-signers",
	  "registry/allowed_signers", NULL, false, ADMIN, NULL, false, NULL,
	  "" },
	{ CT_KIND_OPENPGP_KEY, "openpgp-key", "registry/openpgp/<operator>.asc",
	  NULL, false, ADMIN, NULL, false, NULL, "" },
	{ CT_KIND_RULES, "rules", "rules/deadlines.yaml", "rules", false,
	  ADMIN, NULL, false, NULL, "*" },
	{ CT_KIND_LSIR_BANDS, "lsi-r-bands", "rules/lsi-r-bands.yaml",
	  "lsi-r-bands", false, ADMIN, NULL, false, NULL, "ACT-LSIR-CURRENT" },
	{ CT_KIND_CALENDAR, "calendar", "calendars/<ACT|VIC>.yaml", "calendar",
	  false, ADMIN, NULL, false, NULL, "*" },
	{ CT_KIND_CASE, "case", "cases/<xx>/<id>/case.yaml", "case", true,
	  NULL, NULL, false, NULL, "*" },
	{ CT_KIND_CSP, "csp", "cases/<xx>/<id>/csp.yaml", "csp", true, NULL,
	  csp_writers, false, NULL, "VIC-CSP-REQUIRED VIC-CSP-REVIEW VIC-SDU" },
	{ CT_KIND_AUTHORITY_NOTICES, "authority-notices",
	  "cases/<xx>/<id>/authority-notices.yaml", "authority-notices", true,
	  NULL, notice_writers, false, NULL, "VIC-AUTHORITY-NOTICE" },
	{ CT_KIND_CONTACTS, "contacts", "cases/<xx>/<id>/contacts.yaml",
	  "contacts", true, NULL, contact_writers, false, NULL, "ACT-CONTACT" },
	{ CT_KIND_SAB_REPORTS, "sab-reports",
	  "cases/<xx>/<id>/sab-reports.yaml", "sab-reports", true, NULL,
	  sab_writers, false, NULL, "ACT-SAB-REPORT" },
	{ CT_KIND_CMP, "cmp",
	  "cases/<xx>/<id>/cmp/<custodial|remand|community>.yaml", "cmp",
	  true, NULL, cmp_writers, false, cmp_approvals,
	  "ACT-REMAND-CMP ACT-CMP-CUSTODIAL ACT-CMP-COMMUNITY "
	  "ACT-EVENT-REVIEW ACT-CMP-CUSTODIAL-APPROVAL "
	  "ACT-CMP-COMMUNITY-APPROVAL ACT-REMAND-CMP-COPY" },
	{ CT_KIND_LSIR, "lsi-r",
	  "cases/<xx>/<id>/assessments/<YYYY-MM-DD>-lsi-r.yaml", "lsi-r",
	  true, NULL, NULL, false, NULL, "ACT-LSIR-CURRENT" },
	{ CT_KIND_DISCLOSURE, "disclosure",
	  "cases/<xx>/<id>/disclosures/<YYYYMMDDTHHMMSSZ>-<n>.yaml",
	  "disclosure", true, NULL, NULL, true, NULL, "" },
	{ CT_KIND_CMP_CLOSED, "closed-cmp",
	  "cases/<xx>/<id>/cmp/closed/<YYYY-MM-DD>-<custodial|remand|community>"
	  ".yaml", "cmp", true, NULL, NULL, true, NULL, "" },
	{ CT_KIND_EXCEPTIONS, "exceptions", "cases/<xx>/<id>/exceptions.yaml",
	  "exceptions", true, NULL, NULL, false, NULL, "" },
};

#define MAX_PARTS 6

struct parts {
	const char *s[MAX_PARTS];
	size_t len[MAX_PARTS];
	size_t n;
};

/* Split path at '/'; false when it has more than MAX_PARTS components. */
static bool
split(const char *path, struct parts *p)
{
	const char *s = path, *slash;

	p->n = 0;
	if (*path == '\0')
		return true;
	for (;;) {
		if (p->n == MAX_PARTS)
			return false;
		slash = strchr(s, '/');
		p->s[p->n] = s;
		p->len[p->n] = slash != NULL ? (size_t)(slash - s) : strlen(s);
		p->n++;
		if (slash == NULL)
			return true;
		s = slash + 1;
	}
}

static bool
is(const struct parts *p, size_t i, const char *lit)
{
	return p->len[i] == strlen(lit) && memcmp(p->s[i], lit, p->len[i]) == 0;
}

/* "<stem><suffix>" with stem of stemlen characters: the stem. */
static bool
suffixed(const struct parts *p, size_t i, size_t stemlen, const char *suffix)
{
	size_t n = strlen(suffix);

	return p->len[i] == stemlen + n &&
	    memcmp(p->s[i] + stemlen, suffix, n) == 0;
}

/* An operator id as the operators schema has it: [a-z0-9][a-z0-9._-]*. */
static bool
operator_key(const struct parts *p, size_t i)
{
	size_t n, k;
	const char *s = p->s[i];

	if (p->len[i] <= 4 || p->len[i] > 40 + 4 ||
	    !suffixed(p, i, p->len[i] - 4, ".asc"))
		return false;
	n = p->len[i] - 4;
	for (k = 0; k < n; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' &&
		    s[k] <= '9') || (k > 0 && strchr("._-", s[k]) != NULL)))
			return false;
	return true;
}

/* s starts with the shape of a day, YYYY-MM-DD (at least 10 bytes). */
static bool
day_shaped(const char *s)
{
	return ct_digits(s, 4) >= 0 && s[4] == '-' &&
	    ct_digits(s + 5, 2) >= 0 && s[7] == '-' && ct_digits(s + 8, 2) >= 0;
}

/* YYYY-MM-DD-lsi-r.yaml */
static bool
lsir_name(const struct parts *p, size_t i)
{
	return suffixed(p, i, 10, "-lsi-r.yaml") && day_shaped(p->s[i]);
}

/* YYYY-MM-DD-<custodial|remand|community>.yaml */
static bool
closed_cmp_name(const struct parts *p, size_t i)
{
	const char *s = p->s[i];

	return p->len[i] > 11 && day_shaped(s) && s[10] == '-' &&
	    (suffixed(p, i, 11, "custodial.yaml") ||
	    suffixed(p, i, 11, "remand.yaml") ||
	    suffixed(p, i, 11, "community.yaml"));
}

/* YYYYMMDDTHHMMSSZ-<n>.yaml, n from 1 without leading zeros, <= 9 digits */
static bool
disclosure_name(const struct parts *p, size_t i)
{
	const char *s = p->s[i];
	size_t n;

	if (p->len[i] < 16 + 2 + 5 || ct_digits(s, 8) < 0 || s[8] != 'T' ||
	    ct_digits(s + 9, 6) < 0 || s[15] != 'Z' || s[16] != '-')
		return false;
	n = p->len[i] - 17 - 5;
	return n >= 1 && n <= 9 && s[17] != '0' &&
	    ct_digits(s + 17, (int)n) >= 0 && suffixed(p, i, 17 + n, ".yaml");
}

static bool
shard_name(const struct parts *p, size_t i)
{
	const char *s = p->s[i];
	size_t k;

	if (p->len[i] != 2)
		return false;
	for (k = 0; k < 2; k++)
		if (!((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' &&
		    s[k] <= 'f')))
			return false;
	return true;
}

/* The case id p->s[2] is valid and p->s[1] is its shard. */
static ct_place
case_place(const struct parts *p)
{
	char id[CT_CASE_ID_MAX + 1], hex[GIT_OID_HEXSZ + 1];
	git_oid oid;
	size_t k;

	if (!shard_name(p, 1) || p->len[2] == 0 ||
	    p->len[2] > CT_CASE_ID_MAX)
		return CT_PLACE_NONE;
	for (k = 0; k < p->len[2]; k++) {
		char c = p->s[2][k];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || (k > 0 && strchr("._-", c) != NULL)))
			return CT_PLACE_NONE;
	}
	memcpy(id, p->s[2], p->len[2]);
	id[p->len[2]] = '\0';
	if (git_odb_hash(&oid, id, p->len[2], GIT_OBJECT_BLOB) < 0)
		return CT_PLACE_NONE;
	git_oid_tostr(hex, sizeof(hex), &oid);
	return memcmp(hex, p->s[1], 2) == 0 ? CT_PLACE_DIR : CT_PLACE_SHARD;
}

static ct_place
file(const ct_kind **kind, ct_kind_id id)
{
	if (kind != NULL)
		*kind = &ct_kinds[id];
	return CT_PLACE_FILE;
}

/* The part of a case directory: p->n >= 4, the case directory is valid. */
static ct_place
in_case(const struct parts *p, const ct_kind **kind)
{
	if (p->n == 4) {
		if (is(p, 3, "case.yaml"))
			return file(kind, CT_KIND_CASE);
		if (is(p, 3, "csp.yaml"))
			return file(kind, CT_KIND_CSP);
		if (is(p, 3, "authority-notices.yaml"))
			return file(kind, CT_KIND_AUTHORITY_NOTICES);
		if (is(p, 3, "contacts.yaml"))
			return file(kind, CT_KIND_CONTACTS);
		if (is(p, 3, "sab-reports.yaml"))
			return file(kind, CT_KIND_SAB_REPORTS);
		if (is(p, 3, "exceptions.yaml"))
			return file(kind, CT_KIND_EXCEPTIONS);
		if (is(p, 3, "cmp") || is(p, 3, "assessments") ||
		    is(p, 3, "disclosures"))
			return CT_PLACE_DIR;
		return CT_PLACE_NONE;
	}
	if (p->n == 6)
		return is(p, 3, "cmp") && is(p, 4, "closed") &&
		    closed_cmp_name(p, 5) ? file(kind, CT_KIND_CMP_CLOSED) :
		    CT_PLACE_NONE;
	if (p->n != 5)
		return CT_PLACE_NONE;
	if (is(p, 3, "cmp") && is(p, 4, "closed"))
		return CT_PLACE_DIR;
	if (is(p, 3, "cmp") && (is(p, 4, "custodial.yaml") ||
	    is(p, 4, "remand.yaml") || is(p, 4, "community.yaml")))
		return file(kind, CT_KIND_CMP);
	if (is(p, 3, "assessments") && lsir_name(p, 4))
		return file(kind, CT_KIND_LSIR);
	if (is(p, 3, "disclosures") && disclosure_name(p, 4))
		return file(kind, CT_KIND_DISCLOSURE);
	return CT_PLACE_NONE;
}

static ct_place
outside_cases(const struct parts *p, const ct_kind **kind)
{
	if (p->n == 0)
		return CT_PLACE_DIR;
	if (p->n == 1) {
		if (is(p, 0, "casetrail.yaml"))
			return file(kind, CT_KIND_SETTINGS);
		return is(p, 0, "registry") || is(p, 0, "rules") ||
		    is(p, 0, "calendars") ? CT_PLACE_DIR : CT_PLACE_NONE;
	}
	if (is(p, 0, "registry")) {
		if (p->n == 2 && is(p, 1, "agencies.yaml"))
			return file(kind, CT_KIND_AGENCIES);
		if (p->n == 2 && is(p, 1, "operators.yaml"))
			return file(kind, CT_KIND_OPERATORS);
		if (p->n == 2 && is(p, 1, "allowed_signers"))
			return file(kind, CT_KIND_ALLOWED_SIGNERS);
		if (p->n == 2 && is(p, 1, "openpgp"))
			return CT_PLACE_DIR;
		if (p->n == 3 && is(p, 1, "openpgp") && operator_key(p, 2))
			return file(kind, CT_KIND_OPENPGP_KEY);
	}
	if (p->n == 2 && is(p, 0, "rules")) {
		if (is(p, 1, "deadlines.yaml"))
			return file(kind, CT_KIND_RULES);
		if (is(p, 1, "lsi-r-bands.yaml"))
			return file(kind, CT_KIND_LSIR_BANDS);
	}
	if (p->n == 2 && is(p, 0, "calendars") &&
	    (is(p, 1, "ACT.yaml") || is(p, 1, "VIC.yaml")))
		return file(kind, CT_KIND_CALENDAR);
	return CT_PLACE_NONE;
}

ct_place
ct_kind_place(const char *path, const ct_kind **kind, const char **case_id,
    size_t *idlen)
{
	struct parts p;
	ct_place place;

	if (kind != NULL)
		*kind = NULL;
	if (case_id != NULL)
		*case_id = NULL;
	if (idlen != NULL)
		*idlen = 0;
	if (!split(path, &p))
		return CT_PLACE_NONE;
	if (p.n == 0 || !is(&p, 0, "cases"))
		return outside_cases(&p, kind);
	if (p.n == 1)
		return CT_PLACE_DIR;
	if (p.n == 2)
		return shard_name(&p, 1) ? CT_PLACE_DIR : CT_PLACE_NONE;
	if ((place = case_place(&p)) != CT_PLACE_DIR)
		return place;
	if (case_id != NULL)
		*case_id = p.s[2];
	if (idlen != NULL)
		*idlen = p.len[2];
	return p.n == 3 ? CT_PLACE_DIR : in_case(&p, kind);
}

const ct_kind *
ct_kind_of(const char *path)
{
	const ct_kind *k;

	return ct_kind_place(path, &k, NULL, NULL) == CT_PLACE_FILE ? k : NULL;
}

const ct_approval *
ct_kind_approval_find(const ct_kind *k, const char *file)
{
	const ct_approval *a;

	for (a = k != NULL ? k->approvals : NULL; a != NULL && a->file != NULL;
	    a++)
		if (strcmp(a->file, file) == 0)
			return a;
	return NULL;
}

const ct_approval *
ct_kind_approval_of(const char *path)
{
	const ct_kind *k = ct_kind_of(path);
	const char *base = strrchr(path, '/');

	return base != NULL ? ct_kind_approval_find(k, base + 1) : NULL;
}

const char *
ct_kind_approval_role(const ct_approval *a, const ct_node *settings)
{
	const char *r = ct_map_str(ct_map_get(settings, "approval_roles"),
	    a->setting);

	return r != NULL ? r : a->role;
}

const char *
ct_kind_writers_text(const ct_kind *k, char *buf, size_t size)
{
	size_t i, n = 0, len = 0;

	buf[0] = '\0';
	while (k->writers != NULL && k->writers[n] != NULL)
		n++;
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", k->writers[i]);
	return buf;
}
