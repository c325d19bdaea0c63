/*
 * Fuzz the date and time parsers: ct_date_parse ("YYYY-MM-DD") and
 * ct_timestamp_parse (a day or an RFC 3339 date-time).  What parses must
 * format back to the same day, and month arithmetic on it must stay a
 * valid day.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "casetrail/date.h"
#include "casetrail/disclosure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ct_error err = { 0 };
	char buf[CT_DATE_BUFSZ], tbuf[CT_TIMESTAMP_BUFSZ], *s;
	ct_date d, back;
	long long t;
	bool day_only;
	int y, m, dd;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ct_date_parse(s, &d, &err) == 0) {
		if (!ct_date_valid(s) || strlen(s) != 10)
			abort();
		ct_date_format(d, buf);
		if (strcmp(buf, s) != 0 || ct_date_parse(buf, &back, &err) < 0 ||
		    back != d)
			abort(); /* parse -> format is not the identity */
		ct_date_to_ymd(ct_date_add_months(d, (int)(size % 25) - 12),
		    &y, &m, &dd);
		if (m < 1 || m > 12 || dd < 1 || dd > ct_days_in_month(y, m))
			abort();
	} else if (err.msg == NULL || ct_date_valid(s)) {
		abort();
	}
	ct_error_clear(&err);
	if (ct_timestamp_parse(s, &t, &day_only, &err) == 0)
		ct_timestamp_format(t, tbuf);
	else if (err.msg == NULL)
		abort();
	ct_error_clear(&err);
	free(s);
	return 0;
}
