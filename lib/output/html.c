/*
 * The pieces of the printable HTML documents (see html.h): one style
 * sheet, the escaper, the page tables with their running heads, cells.
 */
#include <stdbool.h>
#include <string.h>

#include "casetrail/html.h"

static const char style[] =
"body{font:11pt/1.35 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,"
"Arial,sans-serif;color:#111;margin:2em auto;max-width:62em;padding:0 1em}\n"
"h1{font-size:1.5em;margin:0 0 .2em}\n"
"h2{font-size:1.2em;border-bottom:2px solid #333;padding-bottom:.1em;"
"margin-top:1.6em}\n"
"h3{font-size:1em;margin:1.1em 0 .3em}\n"
"table{border-collapse:collapse;width:100%;margin:.3em 0 .8em;"
"font-size:.95em}\n"
"th,td{border:1px solid #999;padding:.2em .4em;text-align:left;"
"vertical-align:top}\n"
"th{background:#eee}\n"
"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
".meta,.note{color:#444;margin:.2em 0}\n"
".overdue{color:#a00;font-weight:bold}\n"
".met-late{color:#a60}\n"
".due{color:#8a5a00;font-weight:bold}\n"
".text{white-space:pre-wrap}\n"
".none{color:#555;font-style:italic}\n"
"dl.facts{display:grid;grid-template-columns:max-content auto;"
"gap:.1em 1em;margin:.3em 0}\n"
"dl.facts dt{font-weight:bold}\n"
"dl.facts dd{margin:0}\n"
"ol.timeline{list-style:none;padding:0;margin:.3em 0}\n"
"ol.timeline li{padding:.1em 0}\n"
"ol.timeline .date{display:inline-block;min-width:6.5em;"
"font-variant-numeric:tabular-nums}\n"
"ol.timeline li.ahead{color:#555}\n"
".v,td.v,td.n{white-space:nowrap}\n"
".ag{color:#333}\n"
"td ul{margin:0;padding-left:1.1em}\n"
"td.todo{width:34%}\n"
"table.sign td{width:35%;height:2.4em}\n"
"table.page{border:0;margin:0;font-size:inherit}\n"
"table.page>thead>tr>td,table.page>tbody>tr>td{border:0;padding:0}\n"
"table.page>thead.run>tr>td{font-size:.8em;color:#555;"
"border-bottom:1px solid #999;padding-bottom:.2em}\n"
"svg.clock{display:block;width:100%;max-width:42em;height:auto;"
"margin:.3em 0 .6em}\n"
"@page{size:A4;margin:15mm 15mm 17mm;"
"@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);"
"font:8pt system-ui,sans-serif;color:#555}}\n"
"@media screen{thead.run{display:none}}\n"
"@media print{\n"
"body{margin:0;max-width:none;font-size:9.5pt}\n"
"section.case{break-before:page}\n"
"a{color:inherit;text-decoration:none}\n"
"th{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"tr,li,dl,svg{break-inside:avoid}\n"
"table.page>tbody>tr{break-inside:auto}\n"
"h2,h3{break-after:avoid}\n"
"}\n";

static void
html_mem(ct_buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (s[i]) {
		case '&': ct_buf_puts(b, "&amp;"); break;
		case '<': ct_buf_puts(b, "&lt;"); break;
		case '>': ct_buf_puts(b, "&gt;"); break;
		case '"': ct_buf_puts(b, "&quot;"); break;
		case '\'': ct_buf_puts(b, "&#39;"); break;
		default: ct_buf_putc(b, s[i]);
		}
}

void
ct_html_text(ct_buf *b, const char *s)
{
	if (s != NULL)
		html_mem(b, s, strlen(s));
}

/* open, s escaped, close */
static void
wrapped(ct_buf *b, const char *open, const char *s, const char *close)
{
	ct_buf_puts(b, open);
	ct_html_text(b, s);
	ct_buf_puts(b, close);
}

void
ct_html_value(ct_buf *b, const char *s)
{
	wrapped(b, "<span class=\"v\">", s, "</span>");
}

void
ct_html_words(ct_buf *b, const char *s)
{
	size_t n;
	bool keep;

	while (s != NULL && *s != '\0') {
		n = strcspn(s, " ");
		keep = memchr(s, '-', n) != NULL;
		ct_buf_puts(b, keep ? "<span class=\"v\">" : "");
		html_mem(b, s, n);
		ct_buf_puts(b, keep ? "</span>" : "");
		for (s += n; *s == ' '; s++)
			ct_buf_putc(b, ' ');
	}
}

void
ct_html_begin(ct_buf *b, const char *title)
{
	ct_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	ct_html_text(b, title);
	ct_buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    style);
}

void
ct_html_end(ct_buf *b)
{
	ct_buf_puts(b, "</body>\n</html>\n");
}

void
ct_html_part(ct_buf *b, const char *cls, const char *id, const char *head)
{
	ct_buf_puts(b, "<section class=\"");
	ct_html_text(b, cls);
	if (id != NULL) {
		ct_buf_puts(b, "\" id=\"");
		ct_html_text(b, id);
	}
	ct_buf_puts(b, "\">\n<table class=\"page\"><thead class=\"run\"><tr>"
	    "<td>");
	ct_html_words(b, head);
	ct_buf_puts(b, "</td></tr></thead>\n<tbody><tr><td>\n");
}

void
ct_html_part_end(ct_buf *b)
{
	ct_buf_puts(b, "</td></tr></tbody></table>\n</section>\n");
}

void
ct_html_cell(ct_buf *b, const char *s)
{
	wrapped(b, "<td>", s, "</td>");
}

void
ct_html_cell_value(ct_buf *b, const char *s)
{
	wrapped(b, "<td class=\"v\">", s, "</td>");
}

void
ct_html_cell_num(ct_buf *b, long long v)
{
	ct_buf_printf(b, "<td class=\"n\">%lld</td>", v);
}

void
ct_html_cell_status(ct_buf *b, const char *status)
{
	ct_buf_puts(b, "<td class=\"v ");
	ct_html_text(b, status);
	ct_buf_puts(b, "\">");
	ct_html_text(b, status);
	ct_buf_puts(b, "</td>");
}

void
ct_html_table(ct_buf *b, const char *const *cols, size_t n)
{
	size_t i;

	ct_buf_puts(b, "<table><thead><tr>");
	for (i = 0; i < n; i++) {
		ct_buf_puts(b, "<th>");
		ct_html_text(b, cols[i]);
		ct_buf_puts(b, "</th>");
	}
	ct_buf_puts(b, "</tr></thead><tbody>\n");
}

void
ct_html_none(ct_buf *b, const char *what)
{
	ct_buf_puts(b, "<p class=\"none\">");
	ct_html_text(b, what);
	ct_buf_puts(b, "</p>\n");
}
