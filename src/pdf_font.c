/* pdf_font.c — libharu helpers of the PDF back end (see pdf_font.h). */
#include "pdf_font.h"

#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum brief_status pdf_status(struct diag *err, HPDF_STATUS code,
			     HPDF_STATUS detail, const char *what)
{
	if (code == HPDF_FAILD_TO_ALLOC_MEM)
		return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				"out of memory in the PDF writer while %s",
				what);
	if (!code)
		return diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
				"internal error in the PDF writer while %s",
				what);
	return diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
			"internal error in the PDF writer: libharu error "
			"0x%04X (detail %u) while %s",
			(unsigned)code, (unsigned)detail, what);
}

struct rgba pdf_flatten(struct rgba c)
{
	struct rgba o = c;
	double a = c.a < 0 ? 0 : c.a > 1 ? 1 : c.a;

	o.r = c.r * a + (1 - a);
	o.g = c.g * a + (1 - a);
	o.b = c.b * a + (1 - a);
	o.a = 1;
	return o;
}

static HPDF_Stream page_stream(HPDF_Page page)
{
	return page && page->attr ? ((HPDF_PageAttr)page->attr)->stream
				  : NULL;
}

void pdf_ops_begin(struct pdf_ops *o, HPDF_Page page)
{
	o->page = page;
	o->sink = NULL;
	o->sink_ctx = NULL;
	o->len = 0;
	o->failed = 0;
}

void pdf_ops_begin_sink(struct pdf_ops *o,
			int (*sink)(void *ctx, const char *p, size_t n),
			void *ctx)
{
	pdf_ops_begin(o, NULL);
	o->sink = sink;
	o->sink_ctx = ctx;
}

int pdf_page_write(HPDF_Page page, const char *p, size_t n)
{
	HPDF_Stream st = page_stream(page);

	if (n == 0)
		return 0;
	if (!st || n > 0x7FFFFFFF)
		return -1;
	return HPDF_Stream_Write(st, (const HPDF_BYTE *)p, (HPDF_UINT)n) ==
			       HPDF_OK
		       ? 0
		       : -1;
}

static void ops_flush(struct pdf_ops *o)
{
	if (o->len == 0)
		return;
	if (o->sink ? o->sink(o->sink_ctx, o->buf, o->len)
		    : pdf_page_write(o->page, o->buf, o->len))
		o->failed = 1;
	o->len = 0;
}

/* Room for one more item (a number is at most about 20 characters). */
static void ops_room(struct pdf_ops *o, size_t n)
{
	if (o->len + n + 1 > sizeof o->buf)
		ops_flush(o);
}

void pdf_ops_num(struct pdf_ops *o, HPDF_REAL v)
{
	char *p, *end = o->buf + sizeof o->buf - 1;

	ops_room(o, 32);
	p = HPDF_FToA(o->buf + o->len, v, end);
	*p++ = ' ';
	o->len = (size_t)(p - o->buf);
}

void pdf_ops_op(struct pdf_ops *o, const char *op)
{
	size_t n = strlen(op);

	if (n + 2 > sizeof o->buf) {
		o->failed = 1;
		return;
	}
	ops_room(o, n + 1);
	memcpy(o->buf + o->len, op, n);
	o->len += n;
	o->buf[o->len++] = '\012';
}

int pdf_ops_end(struct pdf_ops *o)
{
	ops_flush(o);
	return o->failed ? -1 : 0;
}
