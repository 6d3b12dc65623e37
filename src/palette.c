/* palette.c — one colour (and greyscale pattern) per name across all the
 * charts of a document, assigned in order of first use. */
#include "chart.h"

#include <stdlib.h>
#include <string.h>

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

/* Owns the names, in order of first use. */
struct palette {
	char **names;
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
	for (size_t i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	free(p);
}

struct rgba palette_color(struct palette *p, const char *name, int *pattern)
{
	size_t i;

	if (!p || !name) {
		if (pattern)
			*pattern = 0;
		return okabe_ito[0];
	}
	/* A document has a handful of names: a linear search is fine. */
	for (i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			break;
	if (i == p->n) {
		char *copy = strdup(name);

		if (copy && p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			char **v = realloc(p->names, cap * sizeof *v);

			if (v) {
				p->names = v;
				p->cap = cap;
			}
		}
		if (!copy || p->n == p->cap) {
			/* Out of memory: a colour still, just not remembered. */
			free(copy);
			if (pattern)
				*pattern = 0;
			return okabe_ito[NCOLORS - 1];
		}
		p->names[p->n++] = copy;
	}
	/* Past the eighth name the colours repeat; the pattern tells them
	 * apart (and tells all of them apart in greyscale). */
	if (pattern)
		*pattern = (int)i;
	return okabe_ito[i % NCOLORS];
}
