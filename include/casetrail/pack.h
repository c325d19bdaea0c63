/*
 * casetrail MAP meeting packs (Serious Offenders Act 2018, Vic): one
 * printable HTML document for a meeting of the Multi-Agency Panel with,
 * for each case on the agenda, what SOCT brings to it (DFFH factsheet,
 * "Who coordinates the service delivery responses for the CSPs"): the
 * current Coordinated Services Plan, each agency's latest service-delivery
 * update, the outstanding requests, the Authority's open notices, the
 * deadlines of the rules engine, and a short timeline.
 *
 * The document is self-contained: one inline style sheet with a print
 * style, no scripts, no images, no external resources (a
 * Content-Security-Policy says so to the browser), and every string that
 * comes from a record is HTML-escaped.  The data are read from one
 * snapshot; deadlines are evaluated as deadline-check(1) evaluates them
 * (ct_evaluator), as of today.
 */
#ifndef CASETRAIL_PACK_H
#define CASETRAIL_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "casetrail/buf.h"
#include "casetrail/date.h"
#include "casetrail/error.h"
#include "casetrail/html.h"
#include "casetrail/rules.h"
#include "casetrail/store.h"

typedef struct ct_pack_opts {
	const char *meeting;     /* the meeting's reference (one line) */
	ct_date date;            /* the meeting's day */
	ct_date today;           /* the day deadlines are evaluated on */
	bool no_cache;           /* evaluate every case, without the
	                            evaluation cache (evalcache.h) */
} ct_pack_opts;

/*
 * Check that every case of ids[0..n) exists in snap and is a VIC case:
 * CT_ENOTFOUND / CT_EINVALID naming the first that is not.
 */
int ct_pack_check_cases(ct_snapshot *snap, char *const *ids, size_t n,
    ct_error *err);

/*
 * Append the pack of the cases ids[0..n) (in that order; an id given
 * twice is shown once) to out.  rules are the store's deadline rules.
 * Errors: a case missing or not VIC, a record that can not be read, an
 * invalid calendar.
 */
int ct_pack_html(ct_snapshot *snap, const ct_rules *rules,
    const ct_pack_opts *o, char *const *ids, size_t n, ct_buf *out,
    ct_error *err);

/*
 * Check that path can take the pack: its directory's real path lies
 * outside the store's work tree and git directory, and path is absent or
 * a regular file (lstat: a symbolic link, a directory, a FIFO, a socket
 * or a device is refused).  CT_EINVALID naming the path, or CT_ERROR (the
 * directory does not exist, cannot be read).  Writes nothing.
 */
int ct_pack_out_check(const ct_store *st, const char *path, ct_error *err);

/*
 * Write buf[0..len) to path, checked as ct_pack_out_check() checks it:
 * into a new file of the same directory with an unpredictable name
 * (created with O_CREAT | O_EXCL | O_NOFOLLOW, mode 0666 less the umask),
 * flushed to the disk, then renamed over path.  On an error path is as it
 * was and no temporary file is left.
 */
int ct_pack_write(const ct_store *st, const char *path, const char *buf,
    size_t len, ct_error *err);

#endif
