/*
 * The main of obligation-defer and obligation-waive: one option table,
 * one write (exception.h).
 */
#ifndef CASETRAIL_CLI_OBLIGATION_H
#define CASETRAIL_CLI_OBLIGATION_H

#include "casetrail/exception.h"

/* synopsis and about: the tool's own parts of its --help (cli_cmd); the
 * options and exit status are those of both. */
int obligation_main(int argc, char **argv, ct_exception_action action,
    const char *synopsis, const char *about);

#endif
