/* canvas.c — the drawing calls charts make, dispatched to a back end. */
#include "canvas.h"

#include <string.h>

void canvas_fill(struct canvas *cv, struct rgba c)
{
	cv->ops->fill(cv->impl, cv->cr, c);
}

void canvas_stroke(struct canvas *cv, struct rgba c, double width,
		   const double *dash, int ndash)
{
	cv->ops->stroke(cv->impl, cv->cr, c, width, dash, ndash);
}

void canvas_text(struct canvas *cv, double x, double y, double angle,
		 enum text_anchor anchor, const char *s, enum font_style style,
		 double size, struct rgba c)
{
	if (!s || !*s)
		return;
	cv->ops->text(cv->impl, x, y, angle, anchor, s, strlen(s), style, size,
		      c);
}

double canvas_text_width(const struct canvas *cv, const char *s,
			 enum font_style style, double size)
{
	if (!s)
		return 0;
	return fontset_text_width(cv->fonts, style, s, strlen(s), size);
}
