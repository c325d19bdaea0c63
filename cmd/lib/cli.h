/*
 * Shared command-line plumbing of the casetrail tools: diagnostics in the
 * err(3) style ("prog: message"), the store location (-C, $CASETRAIL_STORE,
 * the current directory), "today" (--today, $CASETRAIL_TODAY, the store's
 * time zone), case ids from arguments or stdin ("-"), and reporting the
 * result of a write.  Exit status: 0 ok, 1 problems found, 2 error.
 */
#ifndef CASETRAIL_CLI_H
#define CASETRAIL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "casetrail/buf.h"
#include "casetrail/date.h"
#include "casetrail/disclosure.h"
#include "casetrail/error.h"
#include "casetrail/store.h"
#include "casetrail/verify.h"
#include "opt.h"

#define EXIT_PROBLEMS 1
#define EXIT_ERROR 2

extern const char *cli_prog;

/* Set cli_prog from argv[0]; handle --help / --version before getopt. */
void cli_init(int argc, char **argv, const char *usage);

/*
 * Diagnostics are written terminal-safe (ct_text_safe_lines): a control
 * or bidi character of data quoted in a message shows as an escape.
 */

/* Print "prog: message" and exit 2. */
void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));
/* Print "prog: <err message>" and exit 2 (clears err first). */
void cli_die_err(ct_error *err) __attribute__((noreturn));
/* Print "prog: message" (a warning). */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A ct_verify_fn: one line "<commit 12> <path or -> <rule>: <what>" on
 * stdout, data escaped for the terminal (store-verify, store-sync). */
int cli_print_problem(const ct_verify_problem *p, void *arg, ct_error *err);

/* A ct_audit_fn: one line "<commit> <path>: <what>" on stdout for each
 * problem found (an item that is not CT_AUDIT_ADDED), data escaped for the
 * terminal (disclose-log verify). */
int cli_print_audit(const ct_audit_item *it, void *arg, ct_error *err);

/* A ct_misplaced_fn for listing tools: warn "prog: <dir>: misplaced-record:
 * <why>; skipped" and go on. */
int cli_misplaced(ct_snapshot *snap, const char *dir, const char *why,
    void *arg, ct_error *err);
/* Print the usage line to stderr and exit 2. */
void cli_usage(void) __attribute__((noreturn));

/*
 * getopt_long without getopt's own messages: an unknown option, an
 * ambiguous abbreviation, a missing or an unwanted argument is named
 * ("unknown option '--dat'; did you mean '--date'?"), then the usage is
 * printed and the tool exits 2.  Never returns '?'.
 */
int cli_getopt(int argc, char *const argv[], const char *optstring,
    const struct option *longopts);

/* The index of cmd in names (NULL-terminated); when it is none of them,
 * die "unknown command 'lst'; did you mean 'list'?" (or naming them). */
size_t cli_command(const char *cmd, const char *const *names);

/* Die "case <id> does not exist", suggesting the snapshot's case ids
 * nearest id, or case-new when none is near. */
void cli_no_case(ct_snapshot *snap, const char *id) __attribute__((noreturn));

/* The store directory: -C DIR, else $CASETRAIL_STORE, else ".". */
const char *cli_store_dir(const char *opt);
/* Open the store or die: -C DIR or $CASETRAIL_STORE exactly, else the
 * store whose work tree holds the current directory (ct_store_discover). */
ct_store *cli_open_store(const char *opt);

/* Today: --today, else $CASETRAIL_TODAY, else today in the store's zone. */
ct_date cli_today(const char *opt, const ct_store *st);
/* Parse a whole number from lo to hi of an option or die "opt: expected
 * what, not 's'". */
int cli_number(const char *opt, const char *s, long lo, long hi,
    const char *what);
/* The directory of case id in snap, or die when it has none (cli_no_case);
 * the caller frees it. */
char *cli_case_dir(ct_snapshot *snap, const char *id);
/* Parse a date option or die naming the option and the form expected
 * ("--date: invalid date '1/2/2026': expected YYYY-MM-DD"). */
ct_date cli_date(const char *opt_name, const char *value);

/*
 * Case ids: the arguments argv[0..argc), where "-" reads one id per line
 * from stdin (blank lines skipped).  Dies on an invalid id (before any
 * write) and returns a NULL-terminated array, *n (when n is not NULL)
 * its length.
 */
char **cli_case_ids(int argc, char **argv, size_t *n);

/* Run one write (one commit at most) and report it: the diff of a dry run
 * on stdout, "nothing changed" or the new commit on stderr, and any
 * warning.  Dies (exit 2) when the write fails; nothing was changed then. */
void cli_write(ct_store *st, const ct_commit_spec *spec, ct_txn_fn fn,
    void *arg);

/* Print text that has lines (a diff, a record file) on stdout, each line
 * terminal-safe (ct_text_safe_lines); dies when out of memory. */
void cli_print_lines(const char *text);

/* Parse a comma-separated list into a NULL-terminated array. */
char **cli_split(const char *s);
/* Append the comma-separated items of s to the NULL-terminated *v of *n
 * items (a repeatable --agency a,b). */
void cli_strv_append(char ***v, size_t *n, const char *s);
/* Append s itself (borrowed) to the *n items of *v (a repeatable
 * option); not NULL-terminated. */
void cli_strv_push(char ***v, size_t *n, char *s);

/*
 * The per-id write loop: for each id, subject() points the tool's op at
 * it and returns the commit subject (malloc'd; NULL: out of memory), one
 * write runs apply(arg) (cli_write), then done() (when not NULL) clears
 * what the write left in the op.  Dies on the first failing write; the
 * cases before it are committed, it and those after it unchanged.
 */
struct cli_each {
	char *(*subject)(const char *id, void *arg);
	ct_txn_fn apply;
	void (*done)(const char *id, void *arg);
	void *arg;
};
void cli_each_case(ct_store *st, ct_commit_spec *spec, char *const *ids,
    const struct cli_each *e);

/*
 * The list helper of "list" commands: load the record rel (a path in a
 * case directory) of every case at HEAD, or of the ids given (dying on one
 * that does not exist), and hand each to fn; a case without it is passed
 * over, one that cannot be read is warned about.  Returns how many could
 * not be read (after warning "N cases could not be read").
 */
typedef int (*cli_rows_fn)(const ct_node *doc, void *arg, ct_error *err);
int cli_list_cases(ct_store *st, char *const *ids, const char *rel,
    cli_rows_fn fn, void *arg);

/* Print b on stdout and free it; dies when out of memory or when stdout
 * cannot be written. */
void cli_put(ct_buf *b);

/* A ct_buf_sink that writes to stdout, for a report streamed as it is
 * made (ct_buf_flush); cli_put_stream writes the rest and frees the
 * buffer, and dies when out of memory or when stdout cannot be written. */
int cli_stdout(const char *s, size_t n, void *arg);
void cli_put_stream(ct_buf *b);

/* --color[=when]: always, never, or auto: only when stdout is a
 * terminal, and not when NO_COLOR is set and not empty (no-color.org) or
 * TERM is dumb. */
bool cli_use_color(const char *when);

#endif
