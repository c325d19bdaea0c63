/*
 * The casetrail tools and their one-line descriptions: the table is made
 * at build time from the NAME line of each tool's man page
 * (cmake/tools.cmake), and ends with { NULL, NULL }.
 */
#ifndef CASETRAIL_TOOLS_H
#define CASETRAIL_TOOLS_H

struct cli_tool {
	const char *name;
	const char *desc;
};

extern const struct cli_tool cli_tools[];

#endif
