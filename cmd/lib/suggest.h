/*
 * "Did you mean": the names nearest a word the user mistyped (a tool, a
 * command, a long option, a case id), by edit distance.
 *
 * The distance counts insertions, deletions, substitutions and swaps of
 * two neighbouring characters (optimal string alignment), ignoring letter
 * case.  A name the word begins (an abbreviation) counts as distance 1.
 * A name is near when its distance is at most max: by default 1 for a word
 * of up to three characters and 2 for a longer one.  Only the nearest
 * names are kept, at most CLI_NEAR_MAX of them, in the order offered.
 */
#ifndef CASETRAIL_SUGGEST_H
#define CASETRAIL_SUGGEST_H

#include <stddef.h>

#define CLI_NEAR_MAX 3

typedef struct cli_near {
	const char *word;
	size_t max;                  /* the farthest a near name may be */
	size_t best;                 /* distance of the names kept */
	char *names[CLI_NEAR_MAX];   /* owned copies */
	size_t n;
	char *text;                  /* the last cli_near_text, owned */
} cli_near;

/* The distance between a and b; SIZE_MAX when either is longer than 64. */
size_t cli_edit_distance(const char *a, const char *b);

void cli_near_init(cli_near *s, const char *word);
/* Offer a candidate name (copied when kept); dies when out of memory. */
void cli_near_add(cli_near *s, const char *name);
/* Offer a name at distance d, whatever its spelling (SIZE_MAX: not near). */
void cli_near_put(cli_near *s, const char *name, size_t d);
/* Offer every name of a NULL-terminated list. */
void cli_near_addv(cli_near *s, const char *const *names);
/* "; did you mean 'a'?", "; did you mean 'a' or 'b'?" (each name after
 * prefix, e.g. "--"), or "" when no name is near; s keeps it (freed by
 * cli_near_free), so that it stays reachable while a message of cli_die,
 * which writes it terminal-safe, ends the program.  Dies when out of
 * memory. */
const char *cli_near_text(cli_near *s, const char *prefix);
void cli_near_free(cli_near *s);

#endif
