/*
 * "Did you mean": edit distance and the nearest names (suggest.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "suggest.h"
#include "casetrail/buf.h"

#define NEAR_LEN 64

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t
cli_edit_distance(const char *a, const char *b)
{
	size_t row[3][NEAR_LEN + 1], la = strlen(a), lb = strlen(b), i, j;
	size_t *prev2, *prev, *cur, cost;

	if (la > NEAR_LEN || lb > NEAR_LEN)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[0][j] = j;
	for (i = 1; i <= la; i++) {
		cur = row[i % 3];
		prev = row[(i + 2) % 3];
		prev2 = row[(i + 1) % 3];
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
			    prev[j - 1] + cost);
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) &&
			    prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
	}
	return row[la % 3][lb];
}

void
cli_near_init(cli_near *s, const char *word)
{
	memset(s, 0, sizeof(*s));
	s->word = word;
	s->max = strlen(word) <= 3 ? 1 : 2;
	s->best = SIZE_MAX;
}

static size_t
nearness(const cli_near *s, const char *name)
{
	size_t len = strlen(s->word), d;

	if (len >= 2 && strncasecmp(name, s->word, len) == 0 &&
	    name[len] != '\0')
		return 1;
	d = cli_edit_distance(s->word, name);
	return d <= s->max ? d : SIZE_MAX;
}

void
cli_near_add(cli_near *s, const char *name)
{
	cli_near_put(s, name, nearness(s, name));
}

void
cli_near_put(cli_near *s, const char *name, size_t d)
{
	if (d == SIZE_MAX || d > s->best || strcmp(s->word, name) == 0)
		return;
	if (d < s->best) {
		cli_near_free(s);
		s->best = d;
	}
	if (s->n == CLI_NEAR_MAX)
		return;
	if ((s->names[s->n++] = strdup(name)) == NULL)
		cli_die("out of memory");
}

void
cli_near_addv(cli_near *s, const char *const *names)
{
	for (; *names != NULL; names++)
		cli_near_add(s, *names);
}

const char *
cli_near_text(cli_near *s, const char *prefix)
{
	ct_buf b = { 0 };
	size_t i;

	ct_buf_puts(&b, "");
	for (i = 0; i < s->n; i++) {
		ct_buf_puts(&b, i == 0 ? "; did you mean '" :
		    i + 1 == s->n ? " or '" : ", '");
		ct_buf_puts(&b, prefix);
		ct_buf_puts(&b, s->names[i]);
		ct_buf_putc(&b, '\'');
	}
	if (s->n > 0)
		ct_buf_putc(&b, '?');
	if (b.failed)
		cli_die("out of memory");
	free(s->text);
	s->text = b.s;
	return s->text;
}

void
cli_near_free(cli_near *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	s->n = 0;
	free(s->text);
	s->text = NULL;
}
