/*
 * YAML text of a unit test parsed into a tree, the test failed with the
 * parser's message when it is not YAML.  Include after <cmocka.h> and
 * "casetrail/yaml.h".
 */
#ifndef CT_TEST_YAMLFX_H
#define CT_TEST_YAMLFX_H

#include <string.h>

/* text parsed, name the file its messages name; owned by the caller. */
__attribute__((unused)) static ct_node *
yaml_doc(const char *text, const char *name)
{
	ct_error err = { 0 };
	ct_node *doc = NULL;

	if (ct_yaml_load(text, strlen(text), name, &doc, &err) != 0)
		fail_msg("%s", ct_error_msg(&err));
	return doc;
}

#endif
