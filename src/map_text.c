/* map_text.c — what a map says in words: the source line with the
 * boundary source, claims that differ, alt text, citations and every
 * printed name with its origin. */
#include "map_impl.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chart_frame.h"

bool map_make_source_line(struct map *m)
{
	struct buf b = BUF_INIT(0);
	char *s;

	chart_source_list(&b, &m->srcs, m->cite, m->sources);
	if (m->srcs.n)
		buf_puts(&b, ". ");
	buf_printf(&b, "Boundaries: %s.", m->spec->boundary_source);
	s = buf_take(&b);
	if (!s)
		return false;
	free(m->source_line);
	m->source_line = s;
	return true;
}

static void claim_words(const struct layer *l, const struct claim *c,
			char *buf, size_t size)
{
	const char *unit = l->percent ? "percent" : NULL;

	if (c->n == 1)
		figure_format(c->value, c->has_high, c->high, c->qual, unit,
			      buf, size);
	else
		figure_format(c->value, false, c->value, QUAL_EXACT, unit, buf,
			      size);
}

/* The printed name of a choropleth key: the boundary's name when the
 * join was on a code. */
static const char *key_name(const struct map *m, const struct layer *l,
			    size_t k)
{
	const char *prop = m->spec->name ? m->spec->name : "name";

	for (size_t f = 0; f < m->base.g->nfeatures; f++)
		if (l->fkey[f] == (int)k) {
			const char *n = geo_prop(&m->base.g->features[f], prop);

			return n ? n : l->keys.s[k];
		}
	return l->keys.s[k];
}

/* Where claimants disagree on an area, each claim in the footer. */
static bool make_footnote(struct map *m)
{
	struct buf b = BUF_INIT(0);
	char v[96];

	for (size_t i = 0; i < m->nlayers; i++) {
		const struct layer *l = &m->layers[i];
		size_t shown = 0;

		if (l->spec->kind != MAP_CHOROPLETH || !l->ncontested)
			continue;
		buf_printf(&b, "%sFigures differ by source for ", b.n ? " " : "");
		for (size_t k = 0; k < l->keys.n; k++) {
			const struct ckey *ck = &l->ck[k];

			if (!ck->contested)
				continue;
			if (shown == 6) {
				buf_printf(&b, "; and %zu more",
				       l->ncontested - shown);
				break;
			}
			buf_printf(&b, "%s%s (", shown ? "; " : "", key_name(m, l, k));
			for (size_t c = 0; c < ck->nclaims; c++) {
				const char *who = l->claims.s[ck->claims[c].claim];

				claim_words(l, &ck->claims[c], v, sizeof v);
				buf_printf(&b, "%s%s%s%s", c ? ", " : "", v,
				       *who ? " per " : "", who);
			}
			buf_puts(&b, ")");
			shown++;
		}
		buf_puts(&b, "; hatched on the map.");
	}
	free(m->footnote);
	m->footnote = buf_take(&b);
	return m->footnote != NULL;
}

static void alt_layer(const struct map *m, const struct layer *l,
		      struct buf *b)
{
	char v[96], d[64];

	switch (l->spec->kind) {
	case MAP_CHOROPLETH: {
		size_t shown = 0;

		buf_printf(b, " Areas shaded by %s (%s):",
		       l->spec->title ? l->spec->title
				      : l->spec->value ? l->spec->value
						       : "value",
		       dataset_name(l->ds));
		for (size_t k = 0; k < l->keys.n && shown < 15; k++, shown++) {
			const struct ckey *ck = &l->ck[k];

			if (ck->contested) {
				buf_printf(b, "%s %s: figures differ by source",
				       shown ? ";" : "", key_name(m, l, k));
				continue;
			}
			claim_words(l, &ck->claims[0], v, sizeof v);
			buf_printf(b, "%s %s: %s", shown ? ";" : "",
			       key_name(m, l, k), v);
		}
		if (l->keys.n > 15)
			buf_printf(b, "; %zu areas in all", l->keys.n);
		buf_puts(b, ".");
		break;
	}
	case MAP_POINTS: {
		size_t inside = 0;

		for (size_t i = 0; i < l->np; i++)
			inside += l->p[i].inside;
		buf_printf(b, " %zu %s rows marked at their coordinates.", inside,
		       dataset_name(l->ds));
		break;
	}
	case MAP_CONTROL:
		buf_printf(b, " Control as of %s:",
		       date_format_long(&l->date_shown, d, sizeof d));
		for (size_t a = 0, n = 0; a < l->keys.n; a++) {
			const struct carea *ca = &l->ca[a];

			if (ca->day == LONG_MIN)
				continue;
			buf_printf(b, "%s %s %s ", n++ ? ";" : "", l->keys.s[a],
			       ca->nctl > 1 ? "claimed by" : "held by");
			for (int j = 0; j < ca->nctl && j < 4; j++)
				buf_printf(b, "%s%s",
				       j == 0		     ? ""
				       : j + 1 == ca->nctl ? " and "
							     : ", ",
				       l->groups.s[ca->ctl[j]]);
			if (ca->disputed)
				buf_puts(b, " (disputed)");
		}
		buf_puts(b, ".");
		break;
	}
	(void)m;
}

static bool make_alt_text(struct map *m)
{
	struct buf b = BUF_INIT(0);
	char d[64];

	if (m->cs->description) {
		free(m->alt);
		m->alt = strdup(m->cs->description);
		return m->alt != NULL;
	}
	buf_puts(&b, "Map");
	if (m->cs->title)
		buf_printf(&b, ": %s", m->cs->title);
	buf_printf(&b, ". Boundaries from %s.", m->spec->boundary_source);
	for (size_t i = 0; i < m->spec->nplaces; i++)
		buf_printf(&b, "%s%s", i ? ", " : " Places marked: ",
		       m->spec->places[i].name);
	if (m->spec->nplaces)
		buf_puts(&b, ".");
	for (size_t i = 0; i < m->nlayers; i++)
		alt_layer(m, &m->layers[i], &b);
	if (m->as_of.year)
		buf_printf(&b, " Data as of %s.",
		       date_format_long(&m->as_of, d, sizeof d));
	free(m->alt);
	m->alt = buf_take(&b);
	return m->alt != NULL;
}


bool map_make_text(struct map *m)
{
	return map_make_source_line(m) && make_footnote(m) && make_alt_text(m);
}

bool map_cite(struct map *m, chart_cite_fn cite, void *ctx)
{
	if (!m || !cite)
		return true;
	free(m->cite);
	m->cite = chart_cite_numbers(&m->srcs, cite, ctx);
	return m->cite && map_make_source_line(m);
}

const char *map_source_line(const struct map *m)
{
	return m && m->source_line ? m->source_line : "";
}

const char *map_alt_text(const struct map *m)
{
	return m && m->alt ? m->alt : "";
}

struct date map_as_of(const struct map *m)
{
	return m->as_of;
}

const char *map_ctl_name(const struct layer *l, int i)
{
	return i >= 0 && (size_t)i < l->groups.n ? l->groups.s[i] : "";
}

enum brief_status map_each_text(const struct map *m, chart_text_fn fn,
				void *ctx, struct diag *err)
{
	const struct chart_spec *cs = m->cs;
	const struct map_spec *s = m->spec;
	const char *spec_text[] = { cs->title, cs->subtitle, cs->note,
				    s->boundary_source, s->disclaimer };
	struct text_origin at = { cs->file, cs->at.line, cs->at.col };
	enum brief_status st;

	for (size_t i = 0; i < sizeof spec_text / sizeof *spec_text; i++)
		if (spec_text[i] && (st = fn(ctx, spec_text[i], &at, err)))
			return st;
	for (size_t i = 0; i < s->nplaces; i++) {
		struct text_origin p = { cs->file, s->places[i].at.line,
					 s->places[i].at.col };

		if ((st = fn(ctx, s->places[i].name, &p, err)))
			return st;
	}
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct layer *l = &m->layers[i];
		struct text_origin lt = { cs->file, l->spec->at.line,
					  l->spec->at.col };

		if (l->spec->title && (st = fn(ctx, l->spec->title, &lt, err)))
			return st;
		/* Area keys print in the footnote and alt text; groups and
		 * controllers in the legend; labels beside points;
		 * claimants in the footnote. */
		if ((st = strtab_each(&l->keys, l->data_file, fn, ctx, err)) ||
		    (st = strtab_each(&l->groups, l->data_file, fn, ctx, err)) ||
		    (st = strtab_each(&l->labels, l->data_file, fn, ctx, err)) ||
		    (st = strtab_each(&l->claims, l->data_file, fn, ctx, err)))
			return st;
	}
	if (s->labels && m->base.g) {
		const char *name = s->name ? s->name : "name";
		struct text_origin gf = { m->base.path, 0, 0 };

		for (size_t f = 0; f < m->base.g->nfeatures; f++) {
			const char *n = geo_prop(&m->base.g->features[f], name);

			if (n && (st = fn(ctx, n, &gf, err)))
				return st;
		}
	}
	return BRIEF_OK;
}
