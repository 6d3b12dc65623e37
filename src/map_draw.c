/* map_draw.c — a map on a canvas: the chart frame (chart_frame.h: title,
 * legend with the map's own keys, footer with sources, boundary source and
 * disclaimer), the projected and simplified boundaries clipped to the plot
 * (a canvas has no clip), layers, places and labels kept apart, and a
 * scale bar. Everything is vector paths and text, so the PDF back end
 * replays it as such. */
#include "map_impl.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_frame.h"
#include "data_view.h"
#include "l10n.h"

#define PI 3.14159265358979323846
#define PLACE_SIZE 7.5
#define AREA_LABEL_SIZE 7.5
#define POINT_LABEL_SIZE 6.5
#define STRIPE 1.8 /* contested stripes, pt */
#define DEFAULT_TOLERANCE 0.4 /* simplification, pt at the printed size */
#define MAX_LEGEND 64
#define MAX_BOXES 512
#define PLOT_GAP 4.0 /* between the legend and the map's frame */

#define RGB(h) { ((h) >> 16 & 255) / 255.0, ((h) >> 8 & 255) / 255.0, \
		 ((h) & 255) / 255.0, 1 }

const struct rgba map_land = RGB(0xE6E3DC), map_focus_land = RGB(0xFBFAF6),
		  map_water = RGB(0xD4E2EB), map_border = RGB(0x8E8E8E),
		  map_nodata = RGB(0xEEEEEE);
static const struct rgba white = RGB(0xFFFFFF), frame_grey = RGB(0xB4B4B4),
			 hatch_grey = RGB(0x6E6E6E);

/* Interpolated in CIELAB through #F8EEDB, #E8894A and #6A1A10. */
static const unsigned ramp[7] = { 0xF8EEDB, 0xF8CCA9, 0xF2AB79, 0xE8894A,
				  0xBD6335, 0x933F22, 0x6A1A10 };

struct rgba map_class_color(size_t i, size_t n)
{
	size_t k = n <= 1 ? 3 : (i * 6 + (n - 1) / 2) / (n - 1);
	struct rgba c = RGB(ramp[k > 6 ? 6 : k]);

	return c;
}

/* A class break as a number, as a percentage when pct and the layer's
 * values are percentages ("12,5 %" in French). */
static char *class_number(const struct layer *l, double v, int dec, bool pct,
			  char *buf, size_t size)
{
	size_t n;

	if (pct && l->percent && l10n_active())
		return l10n_percent(l10n_active(), v, dec, buf, size);
	number_format(v, dec, buf, size);
	n = strlen(buf);
	if (pct && l->percent && n + 1 < size)
		snprintf(buf + n, size - n, "%%");
	return buf;
}

char *map_class_label(const struct layer *l, size_t cls, char *buf,
		      size_t size)
{
	const struct l10n *lc = l10n_active();
	char a[48], b[48];
	int dec = l->integer ? 0 : 2;

	if (l->nbreaks == 0)
		return l10n_say(lc, L10N_MAP_ALL_AREAS, "all areas", buf, size);
	if (cls == 0)
		return l10n_say(lc, L10N_MAP_UNDER, "under {n}", buf, size,
				class_number(l, l->breaks[0], dec, true, a,
					     sizeof a));
	if (cls == l->nbreaks)
		return l10n_say(lc, L10N_MAP_OR_MORE, "{n} or more", buf, size,
				class_number(l, l->breaks[cls - 1], dec, true,
					     a, sizeof a));
	if (l->integer)
		return l10n_say(lc, L10N_MAP_RANGE, "{low}\u2013{high}", buf,
				size,
				class_number(l, l->breaks[cls - 1], 0, false, a,
					     sizeof a),
				class_number(l, l->breaks[cls] - 1, 0, true, b,
					     sizeof b));
	return l10n_say(lc, L10N_MAP_TO_UNDER, "{low} to under {high}", buf,
			size,
			class_number(l, l->breaks[cls - 1], dec, true, a,
				     sizeof a),
			class_number(l, l->breaks[cls], dec, true, b,
				     sizeof b));
}

/* ---- the view ---- */

struct view {
	double x0, y0, x1, y1; /* plot, pt */
	double s;              /* pt per metre */
	double cx, cy;         /* view centre, metres */
};

static struct geo_xy to_pt(const struct view *v, struct geo_xy m)
{
	struct geo_xy p = { (v->x0 + v->x1) / 2 + (m.x - v->cx) * v->s,
			    (v->y0 + v->y1) / 2 - (m.y - v->cy) * v->s };

	return p;
}

static void fit_view(const struct map *m, struct view *v)
{
	double bw = m->bx1 - m->bx0, bh = m->by1 - m->by0;
	double pw = v->x1 - v->x0, ph = v->y1 - v->y0;

	if (bw <= 0)
		bw = 1;
	if (bh <= 0)
		bh = 1;
	/* The whole extent fits; the plot's spare side shows more. */
	v->s = fmin(pw / bw, ph / bh);
	v->cx = (m->bx0 + m->bx1) / 2;
	v->cy = (m->by0 + m->by1) / 2;
}

/* Each arc of a boundary file in pt, simplified once for every ring that
 * uses it, so neighbours keep one border. anti marks points on the
 * antimeridian, where a split polygon has a cut, not a border. */
struct sarcs {
	struct geo_xy **p;
	bool **anti;
	size_t *n;
	size_t narcs;
};

static void sarcs_free(struct sarcs *a)
{
	for (size_t i = 0; i < a->narcs; i++) {
		free(a->p[i]);
		free(a->anti[i]);
	}
	free(a->p);
	free(a->anti);
	free(a->n);
	memset(a, 0, sizeof *a);
}

static bool simplify_arcs(const struct mgeo *g, const struct view *v,
			  double tol, struct sarcs *out)
{
	const struct geo *geo = g->g;
	struct geo_xy *tmp = NULL;
	bool *keep = NULL;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	out->p = calloc(geo->narcs + 1, sizeof *out->p);
	out->anti = calloc(geo->narcs + 1, sizeof *out->anti);
	out->n = calloc(geo->narcs + 1, sizeof *out->n);
	if (!out->p || !out->anti || !out->n)
		goto fail;
	out->narcs = geo->narcs;
	for (size_t a = 0; a < geo->narcs; a++) {
		const struct geo_arc *arc = &geo->arcs[a];
		size_t k = 0;

		if (arc->n > cap) {
			struct geo_xy *t2 = realloc(tmp, arc->n * sizeof *t2);
			bool *k2;

			if (!t2)
				goto fail;
			tmp = t2;
			k2 = realloc(keep, arc->n * sizeof *k2);
			if (!k2)
				goto fail;
			keep = k2;
			cap = arc->n;
		}
		for (size_t j = 0; j < arc->n; j++)
			tmp[j] = to_pt(v, g->m[arc->first + j]);
		geo_simplify(tmp, arc->n, tol * tol, keep);
		out->p[a] = malloc(arc->n * sizeof **out->p);
		out->anti[a] = malloc(arc->n * sizeof **out->anti);
		if (!out->p[a] || !out->anti[a])
			goto fail;
		for (size_t j = 0; j < arc->n; j++)
			if (keep[j]) {
				out->p[a][k] = tmp[j];
				out->anti[a][k++] =
					fabs(geo->pts[arc->first + j].x) >=
					180 - 1e-9;
			}
		out->n[a] = k;
	}
	free(tmp);
	free(keep);
	return true;
fail:
	free(tmp);
	free(keep);
	sarcs_free(out);
	return false;
}

/* A feature's rings in pt, clipped to the plot (the cut edges lie under
 * the frame). */
struct shape {
	struct geo_xy *p;
	size_t n, cap;
	size_t *end; /* one past each ring's last point */
	size_t nring, ringcap;
};

/* Buffers shape_build reuses from one feature to the next. */
struct scratch {
	struct geo_xy *ring, *clip;
	size_t ringn, clipn;
};

static void shape_free(struct shape *s)
{
	free(s->p);
	free(s->end);
	memset(s, 0, sizeof *s);
}

static bool shape_build(struct shape *s, struct scratch *w,
			const struct geo *g, const struct sarcs *sa,
			const struct geo_feature *f, const struct view *v)
{
	s->n = s->nring = 0;
	for (size_t r = f->first_ring; r < f->first_ring + f->nrings; r++) {
		size_t n = geo_ring_points(g, &g->rings[r], NULL, sa->p, sa->n,
					   &w->ring, &w->ringn);
		size_t c;

		if (n < 4)
			continue;
		c = geo_clip_ring(w->ring, n, v->x0, v->y0, v->x1, v->y1,
				  &w->clip, &w->clipn);
		/* Specks below a tenth of a square point are not printed. */
		if (c < 4 || fabs(geo_ring_area2(w->clip, c)) < 0.2)
			continue;
		if (array_reserve(&s->p, &s->cap, s->n + c, sizeof *s->p, 0) ||
		    array_reserve(&s->end, &s->ringcap, s->nring + 1,
				  sizeof *s->end, 0))
			return false;
		memcpy(s->p + s->n, w->clip, c * sizeof *w->clip);
		s->n += c;
		s->end[s->nring++] = s->n;
	}
	return true;
}

/* Every boundary feature's shape, built once for its fill and its label;
 * NULL when out of memory. */
static struct shape *build_shapes(const struct map *m, const struct sarcs *sa,
				  const struct view *v)
{
	const struct geo *g = m->base.g;
	struct shape *sh = calloc(g->nfeatures + 1, sizeof *sh);
	struct scratch w = { 0 };
	bool ok = sh != NULL;

	for (size_t f = 0; ok && f < g->nfeatures; f++)
		ok = shape_build(&sh[f], &w, g, sa, &g->features[f], v);
	free(w.ring);
	free(w.clip);
	if (!ok && sh) {
		for (size_t f = 0; f < g->nfeatures; f++)
			shape_free(&sh[f]);
		free(sh);
		sh = NULL;
	}
	return sh;
}

static void shapes_free(struct shape *sh, size_t n)
{
	for (size_t i = 0; sh && i < n; i++)
		shape_free(&sh[i]);
	free(sh);
}

static void shape_fill(struct canvas *cv, const struct shape *s,
		       struct rgba c)
{
	size_t start = 0;

	if (!s->nring)
		return;
	for (size_t r = 0; r < s->nring; r++) {
		cairo_move_to(cv->cr, s->p[start].x, s->p[start].y);
		for (size_t i = start + 1; i < s->end[r]; i++)
			cairo_line_to(cv->cr, s->p[i].x, s->p[i].y);
		cairo_close_path(cv->cr);
		start = s->end[r];
	}
	cairo_set_fill_rule(cv->cr, CAIRO_FILL_RULE_EVEN_ODD);
	canvas_fill(cv, c);
	cairo_set_fill_rule(cv->cr, CAIRO_FILL_RULE_WINDING);
}

/* Parallel lines at angle (degrees) every `spacing` pt, starting `offset`
 * in, cut to the shape by the even-odd rule, stroked `width` wide. */
static void shape_hatch(struct canvas *cv, const struct shape *s,
			double angle, double spacing, double offset,
			double width, struct rgba c)
{
	double a = angle * PI / 180, x0 = 1e300, y0 = 1e300, x1 = -1e300,
	       y1 = -1e300, reach, *t = NULL;
	struct geo_xy d = { cos(a), -sin(a) }, nrm = { sin(a), cos(a) };
	size_t cap = 0;
	bool any = false;

	for (size_t i = 0; i < s->n; i++) {
		x0 = fmin(x0, s->p[i].x);
		y0 = fmin(y0, s->p[i].y);
		x1 = fmax(x1, s->p[i].x);
		y1 = fmax(y1, s->p[i].y);
	}
	if (!s->n)
		return;
	reach = hypot(x1 - x0, y1 - y0) / 2 + spacing;
	for (double off = -reach + fmod(offset, spacing); off <= reach;
	     off += spacing) {
		struct geo_xy o = { (x0 + x1) / 2 + nrm.x * off,
				    (y0 + y1) / 2 + nrm.y * off };
		size_t nt = 0, start = 0;

		for (size_t r = 0; r < s->nring; r++) {
			if (!geo_line_crossings(s->p + start, s->end[r] - start,
						o, d, &t, &nt, &cap))
				nt = 0;
			start = s->end[r];
		}
		geo_sort(t, nt);
		for (size_t k = 0; k + 1 < nt; k += 2) {
			if (t[k + 1] - t[k] < 0.2)
				continue;
			cairo_move_to(cv->cr, o.x + d.x * t[k], o.y + d.y * t[k]);
			cairo_line_to(cv->cr, o.x + d.x * t[k + 1],
				      o.y + d.y * t[k + 1]);
			any = true;
		}
	}
	free(t);
	if (any)
		canvas_stroke(cv, c, width, NULL, 0);
}

/* The borders: every arc used by a drawn feature, once, clipped. */
static void stroke_arcs(struct canvas *cv, const struct sarcs *sa,
			const bool *used, const struct view *v,
			struct rgba c, double width)
{
	bool any = false;

	for (size_t a = 0; a < sa->narcs; a++) {
		bool down = false;

		if (!used[a])
			continue;
		for (size_t j = 0; j + 1 < sa->n[a]; j++) {
			struct geo_xy p = sa->p[a][j], q = sa->p[a][j + 1];
			bool cut = sa->anti[a][j] && sa->anti[a][j + 1];

			if (cut ||
			    !geo_clip_segment(&p, &q, v->x0, v->y0, v->x1, v->y1)) {
				down = false;
				continue;
			}
			if (!down || p.x != sa->p[a][j].x ||
			    p.y != sa->p[a][j].y)
				cairo_move_to(cv->cr, p.x, p.y);
			cairo_line_to(cv->cr, q.x, q.y);
			down = q.x == sa->p[a][j + 1].x &&
			       q.y == sa->p[a][j + 1].y;
			any = true;
		}
	}
	if (any)
		canvas_stroke(cv, c, width, NULL, 0);
}

static void mark_arcs(const struct geo *g, const struct geo_feature *f,
		      bool *used)
{
	for (size_t r = f->first_ring; r < f->first_ring + f->nrings; r++)
		for (size_t k = 0; k < g->rings[r].n; k++) {
			long ref = g->refs[g->rings[r].first + k];

			used[ref >= 0 ? ref : ~ref] = true;
		}
}

/* ---- legend ---- */

enum item_kind { IT_HEADING, IT_SWATCH, IT_POINT, IT_TOWN, IT_CAPITAL };

struct item {
	enum item_kind kind;
	char text[200];
	struct rgba fill;
	struct rgba stripe[3];
	int nstripe;
	bool hatch; /* thin grey hatching: disputed, or claims differ */
	double r;
};

/* The map's legend items and the frame's view of them (li[i] draws v[i]
 * with legend_key). */
struct legend {
	struct item v[MAX_LEGEND];
	struct legend_item li[MAX_LEGEND];
	size_t n;
};

static struct item *legend_add(struct legend *lg, enum item_kind kind,
			       const char *text)
{
	struct item *it;

	if (lg->n == MAX_LEGEND)
		return NULL;
	it = &lg->v[lg->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	snprintf(it->text, sizeof it->text, "%s", text);
	return it;
}

/* The catalogue's text of m, or english without one. */
static const char *word(enum l10n_msg m, const char *english)
{
	return l10n_text_or(l10n_active(), m, english);
}

static const char *layer_heading(const struct layer *l)
{
	if (l->spec->title)
		return l->spec->title;
	switch (l->spec->kind) {
	case MAP_CHOROPLETH:
		if (l->ds == DS_DISPLACEMENT)
			return word(L10N_Y_PEOPLE_DISPLACED,
				    "People displaced");
		if (l->ds == DS_CASUALTIES)
			return word(L10N_Y_PEOPLE, "People");
		if (l->percent)
			return word(L10N_MAP_PERCENT, "Percent");
		return l->spec->value ? l->spec->value
				      : word(L10N_Y_VALUE, "Value");
	case MAP_POINTS:
		return NULL;
	case MAP_CONTROL:
	default:
		return word(L10N_MAP_HELD_BY, "Held by");
	}
}

static struct rgba group_color(const struct map *m, const struct layer *l,
			       int g)
{
	if (g < 0 || (size_t)g >= l->groups.n)
		return palette_color(NULL, NULL, NULL, NULL);
	/* The role is the column, named as charts resolve it, so a
	 * controller (or party) has one colour in every chart and map of
	 * the briefing. Areas carry no pattern: stripes and hatching mean
	 * claims and disputes here. */
	return palette_color(m->palette,
			     data_column_resolve(l->ds, l->spec->group
							       ? l->spec->group
							       : "controller"),
			     l->groups.s[g], NULL);
}

/* An area fill: the name's colour lightened, so borders, labels and
 * symbols on it stay readable. */
static struct rgba area_color(const struct map *m, const struct layer *l,
			      int g)
{
	struct rgba c = group_color(m, l, g);

	c.r = 0.3 + 0.7 * c.r;
	c.g = 0.3 + 0.7 * c.g;
	c.b = 0.3 + 0.7 * c.b;
	return c;
}

static bool dark(struct rgba c)
{
	return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b < 0.5;
}

/* "Claimed by A and B" for a control area's controllers. */
static void claimed_by(const struct layer *l, const struct carea *ca,
		       char *buf, size_t size)
{
	char names[512];

	map_ctl_names(l, ca, true, names, sizeof names);
	l10n_say(l10n_active(), L10N_MAP_CLAIMED_BY, "Claimed by {names}", buf,
		 size, names);
}

static void legend_control(const struct map *m, const struct layer *l,
			   struct legend *lg)
{
	struct item *it;
	char text[200], d[64];

	l10n_say(l10n_active(), L10N_MAP_HELD_ON, "Held by, {date}:", text,
		 sizeof text, date_format_long(&l->date_shown, d, sizeof d));
	if ((it = legend_add(lg, IT_HEADING, l->spec->title ? l->spec->title
							    : text)))
		(void)it;
	for (size_t g = 0; g < l->groups.n; g++) {
		bool sole = false;

		for (size_t a = 0; a < l->keys.n && !sole; a++)
			sole = l->ca[a].nctl == 1 && l->ca[a].ctl[0] == (int)g &&
			       l->ca[a].feature >= 0;
		if (sole && (it = legend_add(lg, IT_SWATCH, l->groups.s[g])))
			it->fill = area_color(m, l, (int)g);
	}
	/* Each distinct set of claimants gets its own attributed item. */
	for (size_t a = 0; a < l->keys.n; a++) {
		const struct carea *ca = &l->ca[a];
		bool seen = false;

		if (ca->feature < 0 || ca->nctl < 2)
			continue;
		claimed_by(l, ca, text, sizeof text);
		for (size_t i = 0; i < lg->n && !seen; i++)
			seen = strcmp(lg->v[i].text, text) == 0;
		if (seen || !(it = legend_add(lg, IT_SWATCH, text)))
			continue;
		it->fill = area_color(m, l, ca->ctl[0]);
		for (int j = 1; j < ca->nctl && j < 4; j++)
			it->stripe[it->nstripe++] = area_color(m, l, ca->ctl[j]);
	}
	for (size_t a = 0; a < l->keys.n; a++) {
		const struct carea *ca = &l->ca[a];

		if (ca->feature < 0 || !ca->disputed || ca->nctl != 1)
			continue;
		l10n_say(l10n_active(), L10N_MAP_DISPUTED_HELD_BY,
			 "Disputed, held by {name}", text, sizeof text,
			 map_ctl_name(l, ca->ctl[0]));
		bool seen = false;

		for (size_t i = 0; i < lg->n && !seen; i++)
			seen = strcmp(lg->v[i].text, text) == 0;
		if (!seen && (it = legend_add(lg, IT_SWATCH, text))) {
			it->fill = area_color(m, l, ca->ctl[0]);
			it->hatch = true;
		}
	}
}

static void legend_build(const struct map *m, struct legend *lg)
{
	struct item *it;
	char text[200];

	lg->n = 0;
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct layer *l = &m->layers[i];
		const char *h = layer_heading(l);

		switch (l->spec->kind) {
		case MAP_CHOROPLETH: {
			bool nodata = false;

			legend_add(lg, IT_HEADING, h);
			for (size_t c = 0; c <= l->nbreaks; c++)
				if ((it = legend_add(lg, IT_SWATCH,
						     map_class_label(l, c, text,
								     sizeof text))))
					it->fill = map_class_color(c, l->nbreaks + 1);
			if (l->ncontested &&
			    (it = legend_add(
				     lg, IT_SWATCH,
				     word(L10N_MAP_DIFFER,
					  "Figures differ by source")))) {
				it->fill = map_nodata;
				it->hatch = true;
			}
			for (size_t f = 0; f < m->base.g->nfeatures; f++)
				nodata = nodata || l->fkey[f] < 0;
			if (nodata &&
			    (it = legend_add(lg, IT_SWATCH,
					     word(L10N_MAP_NO_DATA,
						  "No data"))))
				it->fill = map_nodata;
			break;
		}
		case MAP_POINTS:
			if (l->groups.n) {
				for (size_t g = 0; g < l->groups.n; g++)
					if ((it = legend_add(lg, IT_POINT,
							     l->groups.s[g]))) {
						it->fill = group_color(m, l, (int)g);
						it->r = 2.6;
					}
			} else if ((it = legend_add(lg, IT_POINT,
						    l->spec->title
							    ? l->spec->title
							    : l->dset.name))) {
				it->fill = palette_color(NULL, NULL, NULL, NULL);
				it->r = 2.6;
			}
			break;
		case MAP_CONTROL:
			legend_control(m, l, lg);
			break;
		}
	}
	for (size_t i = 0; i < m->spec->nplaces; i++) {
		enum map_place_kind k = m->spec->places[i].kind;

		if (k == PLACE_REGION)
			continue;
		for (size_t j = 0; j < lg->n; j++)
			if (lg->v[j].kind == (k == PLACE_CAPITAL ? IT_CAPITAL
								 : IT_TOWN))
				goto next;
		legend_add(lg, k == PLACE_CAPITAL ? IT_CAPITAL : IT_TOWN,
			   k == PLACE_CAPITAL
				   ? word(L10N_MAP_CAPITAL, "Capital")
				   : word(L10N_MAP_TOWN, "Town"));
next:;
	}
}

static void town_marker(struct canvas *cv, double x, double y, bool capital)
{
	cairo_new_sub_path(cv->cr);
	cairo_arc(cv->cr, x, y, capital ? 3.0 : 1.8, 0, 2 * PI);
	cairo_close_path(cv->cr);
	canvas_fill(cv, capital ? chart_ink : white);
	cairo_new_sub_path(cv->cr);
	cairo_arc(cv->cr, x, y, capital ? 1.3 : 1.8, 0, 2 * PI);
	cairo_close_path(cv->cr);
	if (capital)
		canvas_fill(cv, white);
	else
		canvas_stroke(cv, chart_ink, 0.9, NULL, 0);
}

static void point_marker(struct canvas *cv, double x, double y, double r,
			 struct rgba c)
{
	cairo_new_sub_path(cv->cr);
	cairo_arc(cv->cr, x, y, r, 0, 2 * PI);
	cairo_close_path(cv->cr);
	canvas_fill(cv, c);
	cairo_new_sub_path(cv->cr);
	cairo_arc(cv->cr, x, y, r, 0, 2 * PI);
	cairo_close_path(cv->cr);
	canvas_stroke(cv, white, 0.5, NULL, 0);
}

/* A rectangular shape for legend swatches and hatching in them. */
static void rect_shape(struct shape *s, double x0, double y0, double x1,
		       double y1, struct geo_xy buf[5], size_t end[1])
{
	buf[0].x = x0, buf[0].y = y0;
	buf[1].x = x1, buf[1].y = y0;
	buf[2].x = x1, buf[2].y = y1;
	buf[3].x = x0, buf[3].y = y1;
	buf[4] = buf[0];
	memset(s, 0, sizeof *s);
	s->p = buf;
	s->n = 5;
	end[0] = 5;
	s->end = end;
	s->nring = 1;
}

static void fill_striped(struct canvas *cv, const struct shape *s,
			 struct rgba fill, const struct rgba *stripe,
			 int nstripe, bool hatch)
{
	shape_fill(cv, s, fill);
	for (int j = 0; j < nstripe; j++)
		shape_hatch(cv, s, 45, STRIPE * (nstripe + 1),
			    STRIPE * (j + 1), STRIPE, stripe[j]);
	if (hatch)
		shape_hatch(cv, s, -45, 3.2, 0, 0.5, hatch_grey);
}

/* A legend item's key in the frame's key square at (x, y). */
static void legend_key(struct canvas *cv, const struct legend_item *li,
		       double x, double y)
{
	const struct item *it = li->data;
	const double k = LEGEND_KEY;

	switch (it->kind) {
	case IT_SWATCH: {
		struct geo_xy buf[5];
		size_t end[1];
		struct shape s;

		rect_shape(&s, x, y, x + k, y + k, buf, end);
		fill_striped(cv, &s, it->fill, it->stripe, it->nstripe,
			     it->hatch);
		cairo_rectangle(cv->cr, x, y, k, k);
		canvas_stroke(cv, map_border, 0.4, NULL, 0);
		break;
	}
	case IT_POINT:
		point_marker(cv, x + k / 2, y + k / 2, it->r, it->fill);
		break;
	case IT_TOWN:
	case IT_CAPITAL:
		town_marker(cv, x + k / 2, y + k / 2, it->kind == IT_CAPITAL);
		break;
	case IT_HEADING:
		break;
	}
}

/* The frame's items for the legend built. */
static void legend_items(struct legend *lg)
{
	for (size_t i = 0; i < lg->n; i++) {
		struct legend_item *li = &lg->li[i];

		memset(li, 0, sizeof *li);
		li->name = lg->v[i].text;
		li->kind = lg->v[i].kind == IT_HEADING ? LEGEND_HEADING
						       : LEGEND_SWATCH;
		li->key = lg->v[i].kind == IT_HEADING ? NULL : legend_key;
		li->data = &lg->v[i];
	}
}

/* ---- labels ---- */

struct boxes {
	struct map_label_box v[MAX_BOXES];
	size_t n;
};

static bool box_free(const struct boxes *b, const struct view *v,
		     struct map_label_box r)
{
	if (r.x0 < v->x0 + 1 || r.x1 > v->x1 - 1 || r.y0 < v->y0 + 1 ||
	    r.y1 > v->y1 - 1)
		return false;
	for (size_t i = 0; i < b->n; i++)
		if (r.x0 < b->v[i].x1 && r.x1 > b->v[i].x0 &&
		    r.y0 < b->v[i].y1 && r.y1 > b->v[i].y0)
			return false;
	return true;
}

static void box_take(struct boxes *b, struct map_label_box r)
{
	if (b->n < MAX_BOXES)
		b->v[b->n++] = r;
}

/* A label beside (x, y), r off the point, on the first free side from the
 * anchor; false (nothing drawn) when no side is free and !force. */
static bool place_label(struct canvas *cv, struct boxes *b,
			const struct view *v, const char *text, double x,
			double y, double r, enum map_anchor anchor,
			enum font_style style, double size, struct rgba c,
			bool force)
{
	static const enum map_anchor order[] = { LABEL_RIGHT, LABEL_LEFT,
						 LABEL_ABOVE, LABEL_BELOW };
	double w = canvas_text_width(cv, text, style, size);
	double asc = fontset_ascent(cv->fonts, style, size);
	double desc = fontset_descent(cv->fonts, style, size);
	struct map_label_box first = { 0, 0, 0, 0 };
	double fx = 0, fy = 0;

	for (int k = -1; k < 4; k++) {
		enum map_anchor a = k < 0 ? anchor : order[k];
		double tx, ty;
		struct map_label_box bx;

		if (a == LABEL_AUTO)
			continue;
		switch (a) {
		case LABEL_LEFT:
			tx = x - r - 2 - w;
			ty = y + asc / 2 - 0.5;
			break;
		case LABEL_ABOVE:
			tx = x - w / 2;
			ty = y - r - 2 - desc;
			break;
		case LABEL_BELOW:
			tx = x - w / 2;
			ty = y + r + 2 + asc;
			break;
		default:
			tx = x + r + 2;
			ty = y + asc / 2 - 0.5;
			break;
		}
		bx.x0 = tx - 1;
		bx.x1 = tx + w + 1;
		bx.y0 = ty - asc - 0.5;
		bx.y1 = ty + desc + 0.5;
		if (first.x1 == 0) {
			first = bx;
			fx = tx;
			fy = ty;
		}
		if (box_free(b, v, bx)) {
			canvas_text(cv, tx, ty, 0, ANCHOR_START, text, style,
				    size, c);
			box_take(b, bx);
			return true;
		}
	}
	if (!force)
		return false;
	canvas_text(cv, fx, fy, 0, ANCHOR_START, text, style, size, c);
	box_take(b, first);
	return true;
}

/* The centroid of a shape's largest ring. */
static bool shape_centroid(const struct shape *s, double *cx, double *cy)
{
	size_t best = SIZE_MAX, start = 0, bs = 0;
	double barea = 0, a2 = 0, x = 0, y = 0;

	for (size_t r = 0; r < s->nring; r++) {
		double a = fabs(geo_ring_area2(s->p + start, s->end[r] - start));

		if (a > barea) {
			barea = a;
			best = r;
			bs = start;
		}
		start = s->end[r];
	}
	if (best == SIZE_MAX)
		return false;
	for (size_t i = bs; i + 1 < s->end[best]; i++) {
		double c = s->p[i].x * s->p[i + 1].y - s->p[i + 1].x * s->p[i].y;

		a2 += c;
		x += (s->p[i].x + s->p[i + 1].x) * c;
		y += (s->p[i].y + s->p[i + 1].y) * c;
	}
	if (fabs(a2) < 1e-9)
		return false;
	*cx = x / (3 * a2);
	*cy = y / (3 * a2);
	return true;
}

/* The inside stretch of the horizontal line at y nearest to x: its
 * middle (or x, when x is inside it) and width; false when none. */
static bool label_stretch(const struct shape *s, double y, double x,
			  double *at, double *room)
{
	struct geo_xy o = { 0, y }, d = { 1, 0 };
	double *t = NULL, best = 1e300;
	size_t nt = 0, cap = 0, start = 0;

	for (size_t r = 0; r < s->nring; r++) {
		if (!geo_line_crossings(s->p + start, s->end[r] - start, o, d,
					&t, &nt, &cap))
			nt = 0;
		start = s->end[r];
	}
	geo_sort(t, nt);
	*room = 0;
	for (size_t k = 0; k + 1 < nt; k += 2) {
		double mid = (t[k] + t[k + 1]) / 2;
		double dist = x >= t[k] && x <= t[k + 1] ? 0 : fabs(mid - x);

		if (dist < best || (dist == best && t[k + 1] - t[k] > *room)) {
			best = dist;
			*room = t[k + 1] - t[k];
			*at = dist == 0 ? x : mid;
		}
	}
	free(t);
	return *room > 0;
}

static void area_labels(struct canvas *cv, const struct map *m,
			const struct view *v, const struct shape *shapes,
			const struct rgba *fills, struct boxes *b)
{
	static const double tries[] = { 0, -1, 1, -2, 2, -3, 3, -4.5, 4.5 };
	const struct geo *g = m->base.g;
	const char *prop = m->spec->name ? m->spec->name : "name";
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, AREA_LABEL_SIZE);

	for (size_t f = 0; f < g->nfeatures; f++) {
		const char *name = geo_prop(&g->features[f], prop);
		const struct shape *sh = &shapes[f];
		double cx, cy, w;

		if (!name || !*name || !shape_centroid(sh, &cx, &cy))
			continue;
		w = canvas_text_width(cv, name, FONT_REGULAR, AREA_LABEL_SIZE);
		/* Near the centroid first, then up and down from it. */
		for (size_t k = 0; k < sizeof tries / sizeof *tries; k++) {
			double y = cy + tries[k] * asc * 1.4, x = cx, room;
			struct map_label_box bx;

			if (!label_stretch(sh, y, cx, &x, &room) || w > room - 4)
				continue;
			x = fmax(x, v->x0 + 3 + w / 2);
			x = fmin(x, v->x1 - 3 - w / 2);
			bx.x0 = x - w / 2 - 1;
			bx.x1 = x + w / 2 + 1;
			bx.y0 = y - asc / 2 - 1;
			bx.y1 = y + asc / 2 + 1;
			if (!box_free(b, v, bx))
				continue;
			canvas_text(cv, x, y + asc / 2 - 0.5, 0, ANCHOR_MIDDLE,
				    name, FONT_REGULAR, AREA_LABEL_SIZE,
				    dark(fills[f]) ? white : chart_grey);
			box_take(b, bx);
			break;
		}
	}
}

/* ---- the scale bar ---- */

static double nice_length(double max_m)
{
	double p = pow(10, floor(log10(max_m)));

	if (5 * p <= max_m)
		return 5 * p;
	if (2 * p <= max_m)
		return 2 * p;
	return p;
}

static void scale_bar(struct canvas *cv, const struct view *v)
{
	double len_m = nice_length(0.22 * (v->x1 - v->x0) / v->s);
	double len = len_m * v->s, x = v->x0 + 8, y = v->y1 - 9;
	char a[32], z[48];
	double wz;

	if (len_m >= 1000) {
		number_format(len_m / 2000, len_m < 2000 ? 1 : 0, a, sizeof a);
		number_format(len_m / 1000, 0, z, sizeof z);
		strcat(z, " km");
	} else {
		number_format(len_m / 2, 0, a, sizeof a);
		number_format(len_m, 0, z, sizeof z);
		strcat(z, " m");
	}
	wz = canvas_text_width(cv, z, FONT_REGULAR, 6.5);
	cairo_rectangle(cv->cr, x - 4, y - 12, len + wz / 2 + 10, 16);
	canvas_fill(cv, white);
	cairo_rectangle(cv->cr, x, y - 2.5, len / 2, 2.5);
	canvas_fill(cv, chart_ink);
	cairo_rectangle(cv->cr, x, y - 2.5, len, 2.5);
	canvas_stroke(cv, chart_ink, 0.5, NULL, 0);
	canvas_text(cv, x, y - 4.5, 0, ANCHOR_MIDDLE, "0", FONT_REGULAR, 6.5,
		    chart_ink);
	canvas_text(cv, x + len / 2, y - 4.5, 0, ANCHOR_MIDDLE, a,
		    FONT_REGULAR, 6.5, chart_ink);
	canvas_text(cv, x + len, y - 4.5, 0, ANCHOR_MIDDLE, z, FONT_REGULAR,
		    6.5, chart_ink);
}

/* ---- layers ---- */

static const struct layer *first_choropleth(const struct map *m)
{
	for (size_t i = 0; i < m->nlayers; i++)
		if (m->layers[i].spec->kind == MAP_CHOROPLETH)
			return &m->layers[i];
	return NULL;
}

static bool draw_base(struct canvas *cv, const struct map *m,
		      const struct view *v, const struct sarcs *sa,
		      const struct shape *shapes, struct rgba *fills)
{
	const struct geo *g = m->base.g;
	const struct layer *ch = first_choropleth(m);
	bool *used = calloc(g->narcs + 1, sizeof *used);

	if (!used)
		return false;
	for (size_t f = 0; f < g->nfeatures; f++) {
		struct rgba fill = m->spec->nfocus && !m->focus[f]
					   ? map_land
					   : map_focus_land;
		const struct shape *sh = &shapes[f];
		bool hatch = false;

		if (!sh->nring)
			continue;
		if (ch) {
			int k = ch->fkey[f];

			fill = map_nodata;
			if (k >= 0 && ch->ck[k].contested)
				hatch = true;
			else if (k >= 0 && ch->ck[k].cls >= 0)
				fill = map_class_color((size_t)ch->ck[k].cls,
						       ch->nbreaks + 1);
		}
		fill_striped(cv, sh, fill, NULL, 0, hatch);
		fills[f] = fill;
		mark_arcs(g, &g->features[f], used);
	}
	stroke_arcs(cv, sa, used, v, map_border, 0.45);
	free(used);
	return true;
}

static bool draw_control(struct canvas *cv, const struct map *m,
			 const struct layer *l, const struct view *v,
			 double tol)
{
	struct shape sh = { 0 };
	struct scratch w = { 0 };
	const struct geo *g = l->areas.g;
	struct sarcs sa;
	bool *used = calloc(g->narcs + 1, sizeof *used), ok = true;

	if (!used || !simplify_arcs(&l->areas, v, tol, &sa)) {
		free(used);
		return false;
	}
	for (size_t a = 0; a < l->keys.n && ok; a++) {
		const struct carea *ca = &l->ca[a];
		struct rgba stripes[3];
		int ns = 0;

		if (ca->feature < 0 || ca->day == LONG_MIN)
			continue;
		ok = shape_build(&sh, &w, g, &sa, &g->features[ca->feature],
				 v);
		for (int j = 1; j < ca->nctl && j < 4; j++)
			stripes[ns++] = area_color(m, l, ca->ctl[j]);
		fill_striped(cv, &sh, area_color(m, l, ca->ctl[0]), stripes,
			     ns, ca->disputed && ca->nctl == 1);
		mark_arcs(g, &g->features[ca->feature], used);
	}
	stroke_arcs(cv, &sa, used, v, chart_ink, 0.6);
	sarcs_free(&sa);
	shape_free(&sh);
	free(w.ring);
	free(w.clip);
	free(used);
	return ok;
}

static void draw_points(struct canvas *cv, const struct map *m,
			const struct layer *l, const struct view *v,
			struct boxes *b)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->np; i++) {
			const struct prow *p = &l->p[i];
			struct geo_xy ll = { p->lon, p->lat };
			struct geo_xy q = to_pt(v, geo_project(&m->proj, ll));
			double r = 2.6;

			if (!p->inside)
				continue;
			if (l->col_size >= 0 && l->size_max > 0)
				r = fmax(1.2, 9 * sqrt(p->size / l->size_max));
			if (pass == 0)
				point_marker(cv, q.x, q.y, r,
					     group_color(m, l, p->group));
			else if (p->label >= 0)
				place_label(cv, b, v, l->labels.s[p->label], q.x,
					    q.y, r, LABEL_RIGHT, FONT_REGULAR,
					    POINT_LABEL_SIZE, chart_ink, false);
		}
}

static void draw_places(struct canvas *cv, const struct map *m,
			const struct view *v, struct boxes *b)
{
	const struct map_spec *s = m->spec;

	/* Markers first, so no label covers another place's dot. */
	for (size_t i = 0; i < s->nplaces; i++) {
		const struct map_place *p = &s->places[i];
		struct geo_xy ll = { p->lon, p->lat };
		struct geo_xy q = to_pt(v, geo_project(&m->proj, ll));
		struct map_label_box bx = { q.x - 3, q.y - 3, q.x + 3, q.y + 3 };

		if (p->kind == PLACE_REGION)
			continue;
		town_marker(cv, q.x, q.y, p->kind == PLACE_CAPITAL);
		box_take(b, bx);
	}
	for (size_t i = 0; i < s->nplaces; i++) {
		const struct map_place *p = &s->places[i];
		struct geo_xy ll = { p->lon, p->lat };
		struct geo_xy q = to_pt(v, geo_project(&m->proj, ll));

		if (p->kind == PLACE_REGION) {
			double w = canvas_text_width(cv, p->name, FONT_ITALIC,
						     PLACE_SIZE + 0.5);

			canvas_text(cv, q.x - w / 2, q.y, 0, ANCHOR_START,
				    p->name, FONT_ITALIC, PLACE_SIZE + 0.5,
				    chart_grey);
			{
				struct map_label_box bx = { q.x - w / 2 - 1,
							    q.y - 7, q.x + w / 2 + 1,
							    q.y + 2 };

				box_take(b, bx);
			}
			continue;
		}
		place_label(cv, b, v, p->name, q.x, q.y, 3,
			    p->anchor == LABEL_AUTO ? LABEL_RIGHT : p->anchor,
			    p->kind == PLACE_CAPITAL ? FONT_BOLD : FONT_REGULAR,
			    PLACE_SIZE, chart_ink, true);
	}
}

/* ---- the whole ---- */

/* The map's frame: the chart frame with the map's legend, its footnote of
 * differing claims and the boundary disclaimer. lg must outlive f. */
static void map_frame(const struct map *m, struct legend *lg,
		      struct frame *f)
{
	legend_build(m, lg);
	legend_items(lg);
	memset(f, 0, sizeof *f);
	f->title = m->cs->title;
	f->subtitle = m->cs->subtitle;
	f->items = lg->li;
	f->nitems = lg->n;
	f->source_line = map_source_line(m);
	f->footnote = m->footnote;
	f->note = m->cs->note;
	f->as_of = m->as_of;
	f->disclaimer = m->spec->disclaimer
				? m->spec->disclaimer
				: word(L10N_MAP_DISCLAIMER,
				       map_default_disclaimer);
}

/* Without fonts, a close estimate of the frame from its text lengths. */
static double frame_estimate(const struct map *m, double width)
{
	const struct chart_spec *s = m->cs;
	double frame = 0, chars = 0;

	if (s->title)
		frame += 16 * ceil((double)strlen(s->title) * 5.8 / width);
	if (s->subtitle)
		frame += 12 * ceil((double)strlen(s->subtitle) * 4.6 / width);
	frame += 10;
	for (size_t i = 0; i < m->nlayers; i++)
		chars += 60 + 14.0 * (double)(m->layers[i].nbreaks + 2) +
			 12.0 * (double)m->layers[i].groups.n;
	frame += 13 * ceil((chars * 4.0 + 1) / width);
	chars = (double)(strlen(map_source_line(m)) +
			 (m->footnote ? strlen(m->footnote) : 0) +
			 (s->note ? strlen(s->note) : 0) +
			 strlen(m->spec->disclaimer
					? m->spec->disclaimer
					: word(L10N_MAP_DISCLAIMER,
					       map_default_disclaimer)) +
			 30);
	return frame + 9.1 * ceil(chars * 3.5 / width) + 8;
}

double map_height_for(struct map *m, const struct fontset *fs,
		      double width)
{
	const struct chart_spec *s = m->cs;
	double aspect, frame;

	if (s->height > 0 && s->width > 0)
		return s->height * width / s->width;
	if (s->height > 0)
		return s->height;
	aspect = (m->by1 - m->by0) / fmax(m->bx1 - m->bx0, 1);
	aspect = fmin(fmax(aspect, 0.45), 1.25);
	if (fs) {
		struct legend *lg = malloc(sizeof *lg);
		struct frame f;

		if (!lg) {
			m->oom = true;
			return ceil((width * aspect + 90) * 2) / 2;
		}
		map_frame(m, lg, &f);
		frame = frame_height(&f, fs, width, &m->oom) + PLOT_GAP;
		free(lg);
	} else {
		frame = frame_estimate(m, width);
	}
	return ceil((width * aspect + frame) * 2) / 2;
}

enum brief_status map_draw(struct map *m, struct canvas *cv,
			   struct diag *err)
{
	struct legend *lg = malloc(sizeof *lg);
	struct boxes *b = calloc(1, sizeof *b);
	struct shape *shapes = NULL;
	struct sarcs sa = { 0 };
	struct rgba *fills = calloc(m->base.g->nfeatures + 1, sizeof *fills);
	struct view v;
	struct frame f;
	struct plot pl;
	double w = cv->width;
	double tol = m->spec->simplify > 0 ? m->spec->simplify
					   : DEFAULT_TOLERANCE;
	bool ok = lg && b && fills && !m->oom;

	if (ok) {
		map_frame(m, lg, &f);
		frame_draw(cv, &f, &pl);
		v.x0 = 0.5;
		v.x1 = w - 0.5;
		v.y0 = pl.y0 + PLOT_GAP;
		v.y1 = pl.y1;
		if (v.y1 - v.y0 < 40)
			v.y1 = v.y0 + 40;
		fit_view(m, &v);
		if (m->spec->water) {
			cairo_rectangle(cv->cr, v.x0, v.y0, v.x1 - v.x0,
					v.y1 - v.y0);
			canvas_fill(cv, map_water);
		}
		ok = simplify_arcs(&m->base, &v, tol, &sa) &&
		     (shapes = build_shapes(m, &sa, &v)) &&
		     draw_base(cv, m, &v, &sa, shapes, fills);
	}
	for (size_t i = 0; ok && i < m->nlayers; i++)
		if (m->layers[i].spec->kind == MAP_CONTROL)
			ok = draw_control(cv, m, &m->layers[i], &v, tol);
	if (ok) {
		draw_places(cv, m, &v, b);
		for (size_t i = 0; i < m->nlayers; i++)
			if (m->layers[i].spec->kind == MAP_POINTS)
				draw_points(cv, m, &m->layers[i], &v, b);
		if (m->spec->labels)
			area_labels(cv, m, &v, shapes, fills, b);
		scale_bar(cv, &v);
		cairo_rectangle(cv->cr, v.x0, v.y0, v.x1 - v.x0, v.y1 - v.y0);
		canvas_stroke(cv, frame_grey, 0.6, NULL, 0);
	}
	sarcs_free(&sa);
	shapes_free(shapes, m->base.g->nfeatures);
	free(fills);
	free(lg);
	free(b);
	if (!ok)
		return diag_set(err, BRIEF_ENOMEM, m->cs->file, m->cs->at.line,
				m->cs->at.col, "map '%s': out of memory",
				m->cs->id);
	return BRIEF_OK;
}
