/*
 * Running the git CLI for a tool (store-sync's git fetch and git push)
 * with a fixed environment, so that neither the store's configuration nor
 * the environment the tool was started in can make git run a program of
 * its choosing (store-sync(1), SECURITY):
 *
 *   - the environment: GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, the object
 *     directories, GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT, GIT_EXEC_PATH
 *     and the like are removed; GIT_CONFIG_NOSYSTEM=1 (no /etc/gitconfig),
 *     GIT_TERMINAL_PROMPT=0 (no prompt: standard input is /dev/null),
 *     GIT_ALLOW_PROTOCOL=file:ssh:https (which git obeys over any
 *     protocol.*.allow setting: no ext::, no remote helper, no git://, no
 *     plain http) and GIT_PROTOCOL_FROM_USER=0;
 *   - the configuration: settings that name a program are given a fixed
 *     value with -c, which outranks every configuration file: no hooks
 *     (core.hooksPath=/dev/null), no fsmonitor, no alternateRefsCommand,
 *     no push signing, ssh as the ssh command, no askpass program and no
 *     credential helper, except that the user's own configuration
 *     (git config --global) may still name the ssh command, the askpass
 *     program and credential helpers.  GIT_SSH_COMMAND, GIT_SSH and
 *     GIT_ASKPASS in the environment are the user's choice and are kept.
 *     And fetch.fsckObjects=true: git checks every object a fetch
 *     receives and refuses the pack when one is malformed or has a tree
 *     entry such as ".." or ".git".
 *
 * The caller adds what belongs to one command (git fetch --upload-pack=,
 * git push --receive-pack=, --no-recurse-submodules).
 */
#ifndef CASETRAIL_RUNGIT_H
#define CASETRAIL_RUNGIT_H

/*
 * Run "git -C dir <fixed settings> args..." (args NULL-terminated) and
 * collect what it writes on stdout and stderr, interleaved, in *output
 * (owned by the caller, never NULL).  Returns git's exit status, -1 when
 * a signal ended it.  Dies (exit 2) when git cannot be started.
 */
int cli_git(const char *dir, const char *const *args, char **output);

/* Print git's output on stderr, each line indented by two spaces. */
void cli_git_show(const char *output);

#endif
