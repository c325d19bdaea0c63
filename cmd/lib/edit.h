/*
 * Input for the writers: a record read from a file or standard input, and
 * a record edited in the user's editor the way visudo(8) does it: edit a
 * copy in a private temporary file, check it, re-open it on an error, and
 * keep nothing when the editor fails or the file is left unchanged.
 * Diagnostics go to stderr as "prog: message" (see cli.h).
 */
#ifndef CASETRAIL_EDIT_H
#define CASETRAIL_EDIT_H

#include <stddef.h>

#include "casetrail/error.h"
#include "casetrail/yaml.h"

/*
 * Read the file at path, or standard input for "-", of at most
 * CT_YAML_MAX_SIZE bytes, into a new NUL-terminated buffer (*len its
 * length).  Dies (exit 2) naming what (an option such as "-f") on error.
 */
char *cli_read_input(const char *what, const char *path, size_t *len);

/*
 * Check an edited text: 0 when it is good, else a negative CT_E* code with
 * err set (its message should name name:line:column).  name is the file
 * being edited.
 */
typedef int (*cli_edit_check_fn)(const char *text, size_t len,
    const char *name, void *arg, ct_error *err);

#define CLI_EDIT_ATTEMPTS 10 /* editor runs before giving up */

enum {
	CLI_EDIT_FAILED = -1,    /* the editor failed, or no valid text */
	CLI_EDIT_UNCHANGED = 0,  /* saved as it was: nothing to do */
	CLI_EDIT_CHANGED = 1,    /* *out holds a changed, valid text */
};

/*
 * Edit a copy of text[0..len) in $VISUAL, else $EDITOR, else vi, run
 * through /bin/sh with the file name as its last argument.  The copy is a
 * file of mode 0600 in $TMPDIR (else /tmp) named after the tool, ending in
 * suffix (".yaml").  After each run of the editor:
 *   - the editor exited non-zero or was killed: CLI_EDIT_FAILED;
 *   - the file is as it was before that run: CLI_EDIT_UNCHANGED the
 *     first time, CLI_EDIT_FAILED after an invalid edit (still invalid);
 *   - check() accepts it: CLI_EDIT_CHANGED, the text in *out (owned by
 *     the caller, NUL-terminated, *outlen its length);
 *   - otherwise the error is printed and the editor re-opened (on a
 *     terminal, after asking), at most CLI_EDIT_ATTEMPTS times in all.
 * The copy is removed before returning; the reason for a result other
 * than CLI_EDIT_CHANGED has been printed.  Dies on a system error.
 */
int cli_edit(const char *text, size_t len, const char *suffix,
    cli_edit_check_fn check, void *arg, char **out, size_t *outlen);

/* Flags of cli_edit_flags(). */
enum {
	/*
	 * Also put the errors of an invalid edit at the top of the file the
	 * editor re-opens, as lines beginning "#! " with line numbers of the
	 * re-opened file.  Such leading "#!" lines are removed before each
	 * check and from the result, so check() sees the text without them.
	 */
	CLI_EDIT_ERRORS_IN_FILE = 1 << 0,
};

/* cli_edit() with flags (cli_edit() is flags 0). */
int cli_edit_flags(const char *text, size_t len, const char *suffix,
    unsigned flags, cli_edit_check_fn check, void *arg, char **out,
    size_t *outlen);

/* Parse an edited text (named name) into a new document *doc. */
typedef int (*cli_load_fn)(const char *text, size_t len, const char *name,
    void *arg, ct_node **doc, ct_error *err);

/*
 * cli_edit_flags of a YAML record whose check is load(): the document of
 * the text accepted replaces *doc (the caller's to free, also when the
 * result is not CLI_EDIT_CHANGED).
 */
int cli_edit_doc(const char *text, size_t len, unsigned flags,
    cli_load_fn load, void *arg, ct_node **doc, char **out, size_t *outlen);

/* The text a writer's --edit starts from when no -f file is given. */
typedef int (*cli_template_fn)(void *arg, char **text, ct_error *err);

/*
 * The input document of a writer, as -f file and --edit give it (cli.file,
 * cli.edit): read from the file (its name in messages cli_input_name's),
 * or edited (cli_edit_doc with flags) from the file's text, else from
 * tmpl()'s.  CLI_EDIT_CHANGED with the document in *doc (the caller's),
 * else what the editor gave (its reason printed; *doc may hold a
 * document to free).  Dies on a bad file.
 */
int cli_input_doc(cli_load_fn load, cli_template_fn tmpl, void *arg,
    unsigned flags, ct_node **doc);

#endif
