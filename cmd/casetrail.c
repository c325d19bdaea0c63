/*
 * casetrail: the front door to the tools, as git is to its commands.
 * "casetrail TOOL ARGS..." runs the tool with the arguments: the one
 * beside this program first, else the one found in PATH.  "casetrail help
 * [TOOL]" shows a tool's manual page, or lists the tools; "casetrail tools"
 * lists them, one a line with what each does.  The list is made from the
 * tools' man pages (tools.h).  Each tool stays a program of its own,
 * callable by its own name; casetrail runs no program that is not one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "suggest.h"
#include "tools.h"

static const struct cli_opt opts[] = {
	CLI_SHORT('C', NULL, "dir", "run the tool with -C dir (the store)"),
	CLI_OPT_END,
};

static const struct cli_cmd cmd = {
	.synopsis =
"usage: casetrail [-C dir] tool [arg ...]\n"
"       casetrail help [tool]\n"
"       casetrail tools\n",
	.about =
"Run a casetrail tool: 'casetrail case-show ACT-0042' runs\n"
"'case-show ACT-0042', the case-show beside casetrail, else the one in\n"
"PATH.  help shows a tool's manual page (its --help when man is not\n"
"installed), or lists the tools; tools lists them, one a line with what\n"
"each does.\n",
	.opts = opts,
	.status = "Exit status: the tool's; 2 error (usage, an unknown tool).\n",
	.width = 17,
	.stop_at_operand = true,
};

/* The tool called name, or die naming the nearest ones. */
static const struct cli_tool *
find_tool(const char *name)
{
	const struct cli_tool *t;
	cli_near near;

	for (t = cli_tools; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	cli_near_init(&near, name);
	for (t = cli_tools; t->name != NULL; t++)
		cli_near_add(&near, t->name);
	cli_near_add(&near, "help");
	cli_near_add(&near, "tools");
	cli_die("'%s' is not a casetrail tool%s%s", name,
	    cli_near_text(&near, ""), near.n == 0 ?
	    "; see 'casetrail tools'" : "");
}

static void
list_tools(void)
{
	const struct cli_tool *t;
	int width = 0;

	for (t = cli_tools; t->name != NULL; t++)
		if ((int)strlen(t->name) > width)
			width = (int)strlen(t->name);
	for (t = cli_tools; t->name != NULL; t++)
		printf("%-*s  %s\n", width, t->name, t->desc);
}

/* The directory of this program, or NULL when it can not be told. */
static char *
self_dir(const char *argv0)
{
	char *path, *slash;

	if ((path = realpath("/proc/self/exe", NULL)) == NULL &&
	    (strchr(argv0, '/') == NULL ||
	    (path = realpath(argv0, NULL)) == NULL))
		return NULL;
	if ((slash = strrchr(path, '/')) != NULL)
		*slash = '\0';
	return path;
}

/* Run tool with -C dir (when dir) and args[0..n); never returns. */
static void __attribute__((noreturn))
run_tool(const char *argv0, const char *tool, const char *dir, char **args,
    int n)
{
	char **av, *here, *path = NULL;
	int i, ac = 0;

	if ((av = calloc((size_t)n + 4, sizeof(*av))) == NULL)
		cli_die("out of memory");
	av[ac++] = (char *)tool;
	if (dir != NULL) {
		av[ac++] = "-C";
		av[ac++] = (char *)dir;
	}
	for (i = 0; i < n; i++)
		av[ac++] = args[i];
	if ((here = self_dir(argv0)) != NULL &&
	    asprintf(&path, "%s/%s", here, tool) < 0)
		cli_die("out of memory");
	free(here);
	if (path != NULL && access(path, X_OK) == 0)
		execv(path, av);
	else
		execvp(tool, av);
	cli_die("%s: can not run it: %s", tool, strerror(errno));
}

/* help [tool]: the list, or the tool's page (its --help without man). */
static int
help(const char *argv0, const char *name)
{
	char *av[] = { "man", NULL, NULL };

	if (name == NULL) {
		printf("usage: casetrail [-C dir] tool [arg ...]\n\n"
		    "The tools:\n\n");
		list_tools();
		printf("\nSee 'casetrail help tool' for a tool's manual, "
		    "man casetrail for the whole.\n");
		return 0;
	}
	if (strcmp(name, "casetrail") != 0)
		name = find_tool(name)->name;
	av[1] = (char *)name;
	execvp("man", av);
	if (errno != ENOENT)
		cli_die("man: %s", strerror(errno));
	if (strcmp(name, "casetrail") == 0) {
		fputs(cli_help(), stdout);
		return 0;
	}
	run_tool(argv0, name, NULL, (char *[]){ "--help" }, 1);
}

int
main(int argc, char **argv)
{
	const char *dir, *verb;

	if (cli_next(&cmd, argc, argv) != -1)
		cli_usage();
	dir = cli.dir;
	if (optind == argc)
		cli_usage();
	verb = argv[optind++];
	if (strcmp(verb, "help") == 0 || strcmp(verb, "tools") == 0) {
		if (dir != NULL)
			cli_die("-C goes with a tool, not with %s", verb);
		if (argc - optind > (verb[0] == 'h' ? 1 : 0))
			cli_usage();
		if (verb[0] == 't') {
			list_tools();
			return 0;
		}
		return help(argv[0], optind < argc ? argv[optind] : NULL);
	}
	run_tool(argv[0], find_tool(verb)->name, dir, argv + optind,
	    argc - optind);
}
