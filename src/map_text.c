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
#include "l10n.h"

bool map_make_source_line(struct map *m)
{
	struct buf b = BUF_INIT(0);
	char *s;

	chart_source_list(&b, &m->srcs, m->cite, m->sources);
	if (m->srcs.n)
		buf_puts(&b, ". ");
	chart_say(&b, L10N_MAP_BOUNDARIES, "Boundaries: {source}.",
	    m->spec->boundary_source, NULL, NULL);
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
	char v[96], n[32];
	const char *comma = l10n_text_or(l10n_active(), L10N_COMMA, ", ");

	for (size_t i = 0; i < m->nlayers; i++) {
		const struct layer *l = &m->layers[i];
		struct buf areas = BUF_INIT(0);
		size_t shown = 0;
		char *list;

		if (l->spec->kind != MAP_CHOROPLETH || !l->ncontested)
			continue;
		for (size_t k = 0; k < l->keys.n; k++) {
			const struct ckey *ck = &l->ck[k];

			if (!ck->contested)
				continue;
			if (shown == 6) {
				snprintf(n, sizeof n, "%zu",
					 l->ncontested - shown);
				buf_puts(&areas, chart_list_separator());
				chart_say(&areas, L10N_MAP_AND_MORE,
				    "and {count} more", n, NULL, NULL);
				break;
			}
			if (shown)
				buf_puts(&areas, chart_list_separator());
			buf_printf(&areas, "%s (", key_name(m, l, k));
			for (size_t c = 0; c < ck->nclaims; c++) {
				const char *who = l->claims.s[ck->claims[c].claim];

				claim_words(l, &ck->claims[c], v, sizeof v);
				if (c)
					buf_puts(&areas, comma);
				if (*who)
					chart_say(&areas, L10N_MAP_CLAIM_PER,
					    "{figure} per {who}", v, who, NULL);
				else
					buf_puts(&areas, v);
			}
			buf_puts(&areas, ")");
			shown++;
		}
		list = buf_take(&areas);
		if (!list) {
			buf_free(&b);
			return false;
		}
		if (b.n)
			buf_puts(&b, " ");
		chart_say(&b, L10N_MAP_FOOTNOTE,
		    "Figures differ by source for {areas}; hatched on the map.",
		    list, NULL, NULL);
		free(list);
	}
	free(m->footnote);
	m->footnote = buf_take(&b);
	return m->footnote != NULL;
}

static void alt_layer(const struct map *m, const struct layer *l,
		      struct buf *b)
{
	char v[96], d[64], n[32], names[512];
	const struct l10n *lc = l10n_active();

	switch (l->spec->kind) {
	case MAP_CHOROPLETH: {
		size_t shown = 0;

		buf_puts(b, " ");
		chart_say(b, L10N_MAP_ALT_SHADED,
			  "Areas shaded by {what} ({dataset}):",
		    l->spec->title   ? l->spec->title
		    : l->spec->value ? l->spec->value
		    : l10n_text_or(lc, L10N_MAP_ALT_VALUE, "value"),
		    l->dset.name, NULL);
		for (size_t k = 0; k < l->keys.n && shown < 15; k++, shown++) {
			const struct ckey *ck = &l->ck[k];

			buf_puts(b, shown ? chart_list_separator() : " ");
			if (ck->contested) {
				chart_say(b, L10N_MAP_ALT_AREA_DIFFERS,
				    "{area}: figures differ by source",
				    key_name(m, l, k), NULL, NULL);
				continue;
			}
			claim_words(l, &ck->claims[0], v, sizeof v);
			chart_say(b, L10N_MAP_ALT_AREA, "{area}: {figure}",
			    key_name(m, l, k), v, NULL);
		}
		if (l->keys.n > 15) {
			snprintf(n, sizeof n, "%zu", l->keys.n);
			buf_puts(b, chart_list_separator());
			chart_say(b, L10N_MAP_ALT_AREAS, "{count} areas in all", n,
				  NULL,
			    NULL);
		}
		buf_puts(b, ".");
		break;
	}
	case MAP_POINTS: {
		size_t inside = 0;

		for (size_t i = 0; i < l->np; i++)
			inside += l->p[i].inside;
		snprintf(n, sizeof n, "%zu", inside);
		buf_puts(b, " ");
		chart_say(b, L10N_MAP_ALT_POINTS,
		    "{count} {dataset} rows marked at their coordinates.", n,
		    l->dset.name, NULL);
		break;
	}
	case MAP_CONTROL:
		buf_puts(b, " ");
		chart_say(b, L10N_MAP_ALT_CONTROL, "Control as of {date}:",
		    date_format_long(&l->date_shown, d, sizeof d), NULL, NULL);
		for (size_t a = 0, k = 0; a < l->keys.n; a++) {
			const struct carea *ca = &l->ca[a];
			char held[768];

			if (ca->day == LONG_MIN)
				continue;
			buf_puts(b, k++ ? chart_list_separator() : " ");
			map_ctl_names(l, ca, false, names, sizeof names);
			l10n_say(lc, ca->nctl > 1 ? L10N_MAP_ALT_CLAIMED
						  : L10N_MAP_ALT_HELD,
				 ca->nctl > 1 ? "{area} claimed by {names}"
					      : "{area} held by {names}",
				 held, sizeof held, l->keys.s[a], names);
			if (ca->disputed)
				chart_say(b, L10N_MAP_ALT_DISPUTED,
					  "{text} (disputed)",
				    held, NULL, NULL);
			else
				buf_puts(b, held);
		}
		buf_puts(b, ".");
		break;
	}
	(void)m;
}

static bool make_alt_text(struct map *m)
{
	struct buf b = BUF_INIT(0);
	const char *type;
	char d[64];

	if (m->cs->description) {
		free(m->alt);
		m->alt = strdup(m->cs->description);
		return m->alt != NULL;
	}
	type = l10n_active() ? l10n_word(l10n_active(), "chart.type", "map")
			     : "Map";
	if (m->cs->title)
		chart_say(&b, L10N_ALT_TITLE, "{type}: {title}.", type,
			  m->cs->title,
		    NULL);
	else
		buf_printf(&b, "%s.", type);
	buf_puts(&b, " ");
	chart_say(&b, L10N_MAP_ALT_BOUNDARIES, "Boundaries from {source}.",
	    m->spec->boundary_source, NULL, NULL);
	if (m->spec->nplaces) {
		struct buf places = BUF_INIT(0);
		char *list;

		for (size_t i = 0; i < m->spec->nplaces; i++) {
			if (i)
				buf_puts(&places, l10n_text_or(l10n_active(),
							       L10N_COMMA, ", "));
			buf_puts(&places, m->spec->places[i].name);
		}
		list = buf_take(&places);
		if (!list) {
			buf_free(&b);
			return false;
		}
		buf_puts(&b, " ");
		chart_say(&b, L10N_MAP_ALT_PLACES, "Places marked: {places}.",
			  list,
		    NULL, NULL);
		free(list);
	}
	for (size_t i = 0; i < m->nlayers; i++)
		alt_layer(m, &m->layers[i], &b);
	if (m->as_of.year) {
		buf_puts(&b, " ");
		chart_say(&b, L10N_CHART_DATA_AS_OF, "Data as of {date}.",
		    date_format_long(&m->as_of, d, sizeof d), NULL, NULL);
	}
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

char *map_ctl_names(const struct layer *l, const struct carea *ca,
		    bool others, char *buf, size_t size)
{
	const struct l10n *lc = l10n_active();
	const char *comma = l10n_text_or(lc, L10N_COMMA, ", ");
	const char *and = l10n_text_or(lc, L10N_AND, " and ");
	size_t n = 0;

	buf[0] = '\0';
	for (int j = 0; j < ca->nctl && j < 4 && n < size; j++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				      j == 0		  ? ""
				      : j + 1 == ca->nctl ? and
							  : comma,
				      map_ctl_name(l, ca->ctl[j]));
	if (others && ca->nctl > 4) {
		char names[512];

		snprintf(names, sizeof names, "%s", buf);
		l10n_say(lc, L10N_MAP_AND_OTHERS, "{names} and others", buf,
			 size, names);
	}
	return buf;
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
