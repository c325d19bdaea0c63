/*
 * The main of obligation-defer and obligation-waive: one option table,
 * one write (exception.h).
 */
#ifndef CASETRAIL_CLI_OBLIGATION_H
#define CASETRAIL_CLI_OBLIGATION_H

#include "casetrail/exception.h"

/* head: the tool's synopsis and description, ending in a blank line; the
 * options and exit status follow. */
int obligation_main(int argc, char **argv, ct_exception_action action,
    const char *head);

#endif
