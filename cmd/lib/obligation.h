/*
 * The main of obligation-defer and obligation-waive: one option table,
 * one write (exception.h).
 */
#ifndef CASETRAIL_CLI_OBLIGATION_H
#define CASETRAIL_CLI_OBLIGATION_H

#include "casetrail/exception.h"

int obligation_main(int argc, char **argv, ct_exception_action action,
    const char *usage);

#endif
