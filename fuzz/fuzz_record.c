/*
 * Fuzz the record loader: YAML text -> ct_yaml_load -> schema validation
 * of one record kind (chosen by the first byte) -> for a valid record,
 * the canonical emitter, which must give text that loads back to an equal
 * tree and emits byte-identically (DESIGN.md §3).  JSON output too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/schema.h"
#include "casetrail/yaml.h"

static const char *const kinds[] = {
	"case", "cmp", "csp", "disclosure", "lsi-r", "operators",
	"agencies", "settings", "calendar", "rules", "lsi-r-bands",
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static ct_schema *schemas[NKINDS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ct_error err = { 0 };
	ct_node *doc = NULL, *again = NULL;
	char *out = NULL, *out2 = NULL, *json = NULL;
	size_t k, len, len2, jlen;

	if (size < 1)
		return 0;
	k = data[0] % NKINDS;
	if (schemas[k] == NULL && ct_schema_load(kinds[k], &schemas[k],
	    &err) < 0)
		abort();
	if (ct_yaml_load((const char *)data + 1, size - 1, "fuzz.yaml", &doc,
	    &err) < 0) {
		if (err.msg == NULL || err.code >= 0)
			abort(); /* a failure always says why */
		goto out;
	}
	if (ct_json_emit(doc, true, &json, &jlen, &err) < 0)
		ct_error_clear(&err);
	if (ct_schema_validate(schemas[k], doc, "fuzz.yaml", &err) < 0)
		goto out;
	ct_schema_order(schemas[k], doc);
	if (ct_yaml_emit(doc, &out, &len, &err) < 0)
		goto out;
	if (ct_yaml_load(out, len, "emitted", &again, &err) < 0)
		abort(); /* the emitter wrote what the loader refuses */
	if (!ct_node_equal(doc, again))
		abort(); /* emit -> load changed the record */
	if (ct_yaml_emit(again, &out2, &len2, &err) < 0 || len2 != len ||
	    memcmp(out, out2, len) != 0)
		abort(); /* canonical text is not a fixed point */
out:
	ct_error_clear(&err);
	ct_node_free(doc);
	ct_node_free(again);
	free(out);
	free(out2);
	free(json);
	return 0;
}
