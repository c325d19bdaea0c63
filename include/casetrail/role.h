/*
 * casetrail roles: the names an operator's roles take in
 * registry/operators.yaml (casetrail-records(5)), each spelt once here.
 * ct_roles (registry.h) lists them all; the record-kind table (kind.h)
 * says which of them write and approve each kind.
 */
#ifndef CASETRAIL_ROLE_H
#define CASETRAIL_ROLE_H

/* ACT: the case manager of a case, and the two team leaders who approve
 * custodial and community plans and record exceptions. */
#define CT_ROLE_CASE_MANAGER "case-manager"
#define CT_ROLE_CMU_TEAM_LEADER "cmu-team-leader"
#define CT_ROLE_COMMUNITY_TEAM_LEADER "community-team-leader"
/* ACT: who asks for pre-release (SAB) reports and records contacts. */
#define CT_ROLE_COMMUNITY_CORRECTIONS_OFFICER "community-corrections-officer"
/* VIC: the Serious Offenders Coordination Team and the MAP's members. */
#define CT_ROLE_SOCT_OFFICER "soct-officer"
#define CT_ROLE_MAP_MEMBER "map-member"
/* Both: read-only review, and the store's administrator. */
#define CT_ROLE_AUDITOR "auditor"
#define CT_ROLE_ADMINISTRATOR "administrator"

#endif
