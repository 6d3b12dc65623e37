/* palette.c — one colour (and greyscale pattern) per name and role across
 * all the charts of a document, assigned in order of first use within the
 * role; names the layout gives a colour of their own keep it. */
#include "chart.h"

#include <stdlib.h>
#include <string.h>

#include "brand.h"
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
	int color;         /* the same among the names without a fixed colour */
};

/* Colours closer than this (Delta E) to a fixed one are not handed out. */
#define PALETTE_MIN_DELTA_E 20.0

/* Owns the names, in order of first use, and the fixed colours' names. */
struct palette {
	struct named *v;
	size_t n, cap;
	struct brand_color *fixed; /* names are copies */
	size_t nfixed;
	struct rgba avail[NCOLORS]; /* the default order, less the skipped */
	size_t navail;
	bool failed; /* palette_color ran out of memory */
};

struct palette *palette_new(void)
{
	struct palette *p = calloc(1, sizeof(struct palette));

	if (p) {
		memcpy(p->avail, okabe_ito, sizeof okabe_ito);
		p->navail = NCOLORS;
	}
	return p;
}

static const struct brand_color *fixed_color(const struct palette *p,
					     const char *name)
{
	for (size_t i = 0; i < p->nfixed; i++)
		if (strcmp(p->fixed[i].name, name) == 0)
			return &p->fixed[i];
	return NULL;
}

enum brief_status palette_fix_colors(struct palette *p,
				     const struct doc_brand *b)
{
	size_t k = 0;

	if (!b || !b->ncolors)
		return BRIEF_OK;
	p->fixed = calloc(b->ncolors, sizeof *p->fixed);
	if (!p->fixed)
		return BRIEF_ENOMEM;
	for (; p->nfixed < b->ncolors; p->nfixed++) {
		p->fixed[p->nfixed].color = b->colors[p->nfixed].color;
		p->fixed[p->nfixed].name = strdup(b->colors[p->nfixed].name);
		if (!p->fixed[p->nfixed].name)
			return BRIEF_ENOMEM;
	}
	for (size_t i = 0; i < NCOLORS; i++) {
		bool near = false;

		for (size_t f = 0; f < p->nfixed && !near; f++)
			near = brand_delta_e(okabe_ito[i], p->fixed[f].color) <
			       PALETTE_MIN_DELTA_E;
		if (!near)
			p->avail[k++] = okabe_ito[i];
	}
	/* Fixed colours close to every default: the default order stays. */
	p->navail = k ? k : NCOLORS;
	return BRIEF_OK;
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
	for (size_t i = 0; i < p->nfixed; i++)
		free(p->fixed[i].name);
	free(p->fixed);
	free(p);
}

/* The entry of name within role, added on first use; NULL when out of
 * memory. A document has a handful of names: a linear search is fine. */
static const struct named *palette_index(struct palette *p, const char *role,
					 const char *name)
{
	int in_role = 0, colored = 0;
	struct named *e;

	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].role, role) != 0)
			continue;
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
		in_role++;
		colored += !fixed_color(p, p->v[i].name);
	}
	if (array_reserve(&p->v, &p->cap, p->n + 1, sizeof *p->v, 0))
		return NULL;
	e = &p->v[p->n];
	e->role = strdup(role);
	e->name = strdup(name);
	if (!e->role || !e->name) {
		free(e->role);
		free(e->name);
		return NULL;
	}
	e->index = in_role;
	e->color = colored;
	p->n++;
	return e;
}

bool palette_failed(const struct palette *p)
{
	return p && p->failed;
}

struct rgba palette_color(struct palette *p, const char *role,
			  const char *name, int *pattern)
{
	const struct named *e;
	const struct brand_color *fixed;
	int i;

	if (!p || !name) {
		if (pattern)
			*pattern = 0;
		return okabe_ito[0];
	}
	e = palette_index(p, role ? role : "", name);
	if (!e) {
		/* Out of memory: a colour still, just not remembered; the
		 * drawing fails on palette_failed. */
		p->failed = true;
		if (pattern)
			*pattern = 0;
		return okabe_ito[NCOLORS - 1];
	}
	/* Colour and pattern both step with the index, so no two names of a
	 * role share the pair before NCOLORS x NPATTERNS names, and each
	 * reads apart in greyscale. A fixed colour takes the pattern of its
	 * place; the others take the colours left in turn. */
	i = e->index;
	if (pattern)
		*pattern = (i + i / (int)NCOLORS) % NPATTERNS;
	fixed = fixed_color(p, name);
	if (fixed)
		return fixed->color;
	return p->avail[(size_t)e->color % p->navail];
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
