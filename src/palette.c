/* palette.c — one colour (and greyscale pattern) per name and role across
 * all the charts of a document, assigned in order of first use within the
 * role. */
#include "chart.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Okabe–Ito, reordered so the first colours are the most distinct (also
 * in greyscale) and yellow, weak for thin lines and text on white, comes
 * late. */
static const struct rgba okabe_ito[] = {
	{ 0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0, 1 }, /* blue */
	{ 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0, 1 }, /* orange */
	{ 0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0, 1 }, /* bluish green */
	{ 0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0, 1 }, /* vermillion */
	{ 0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0, 1 }, /* reddish purple */
	{ 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0, 1 }, /* sky blue */
	{ 0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0, 1 }, /* yellow */
	{ 0x00 / 255.0, 0x00 / 255.0, 0x00 / 255.0, 1 }, /* black */
};
#define NCOLORS (sizeof okabe_ito / sizeof *okabe_ito)
#define NPATTERNS 8 /* solid and seven hatch angles (chart_hatch_rect) */

/* A name in a role. */
struct named {
	char *role, *name; /* owned */
	int index;         /* order of first use within the role */
};

/* Owns the names, in order of first use. */
struct palette {
	struct named *v;
	size_t n, cap;
};

struct palette *palette_new(void)
{
	return calloc(1, sizeof(struct palette));
}

void palette_free(struct palette *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].role);
		free(p->v[i].name);
	}
	free(p->v);
	free(p);
}

/* The index of name within role, added on first use; -1 when out of
 * memory. A document has a handful of names: a linear search is fine. */
static int palette_index(struct palette *p, const char *role, const char *name)
{
	int in_role = 0;
	struct named *e;

	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].role, role) != 0)
			continue;
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].index;
		in_role++;
	}
	if (array_reserve(&p->v, &p->cap, p->n + 1, sizeof *p->v, 0))
		return -1;
	e = &p->v[p->n];
	e->role = strdup(role);
	e->name = strdup(name);
	if (!e->role || !e->name) {
		free(e->role);
		free(e->name);
		return -1;
	}
	e->index = in_role;
	p->n++;
	return in_role;
}

struct rgba palette_color(struct palette *p, const char *role,
			  const char *name, int *pattern)
{
	int i;

	if (!p || !name) {
		if (pattern)
			*pattern = 0;
		return okabe_ito[0];
	}
	i = palette_index(p, role ? role : "", name);
	if (i < 0) {
		/* Out of memory: a colour still, just not remembered. */
		if (pattern)
			*pattern = 0;
		return okabe_ito[NCOLORS - 1];
	}
	/* Colour and pattern both step with the index, so no two names of a
	 * role share the pair before NCOLORS x NPATTERNS names, and each
	 * reads apart in greyscale. */
	if (pattern)
		*pattern = (i + i / (int)NCOLORS) % NPATTERNS;
	return okabe_ito[i % NCOLORS];
}

struct rgba palette_line_color(struct rgba c)
{
	double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;

	/* Yellow (and anything as light) is darkened towards gold: a thin
	 * line or a label of it must read on white. */
	if (lum > 0.6) {
		c.r *= 0.62;
		c.g *= 0.62;
		c.b *= 0.62;
	}
	return c;
}
