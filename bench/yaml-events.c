/*
 * yaml-events: the floor under any libyaml-based reader.  Walks a
 * directory and runs libyaml's event parser over every *.yaml file,
 * building nothing; prints the number of files.  bench/run times it next
 * to deadline-check and the PyYAML scan (whose CSafeLoader is libyaml
 * too), to show how much of either is the parser itself.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

static long files, events;

static int
one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	yaml_parser_t p;
	yaml_event_t e;
	size_t n = strlen(path);
	FILE *f;
	int done = 0;

	(void)sb;
	(void)ftw;
	if (flag != FTW_F || n < 5 || strcmp(path + n - 5, ".yaml") != 0)
		return 0;
	if ((f = fopen(path, "rb")) == NULL || !yaml_parser_initialize(&p)) {
		perror(path);
		return 1;
	}
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &e)) {
			fprintf(stderr, "%s: parse error\n", path);
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT;
		events++;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	fclose(f);
	files++;
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: yaml-events dir\n");
		return 2;
	}
	if (nftw(argv[1], one, 32, FTW_PHYS) != 0)
		return 1;
	printf("%ld files, %ld events\n", files, events);
	return 0;
}
