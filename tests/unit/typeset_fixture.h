/* typeset_fixture.h — struct doc values built by hand for the typesetting
 * tests (no layout file, no datasets): blocks, runs, tables, sources. */
#ifndef BRIEF_TYPESET_FIXTURE_H
#define BRIEF_TYPESET_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

static inline char *fx_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (!p)
		abort();
	memcpy(p, s, n);
	return p;
}

static inline struct doc *fx_doc(const char *title)
{
	struct doc *d = calloc(1, sizeof *d);

	if (!d)
		abort();
	d->meta.title = fx_strdup(title);
	d->meta.subtitle = fx_strdup("Situation overview");
	d->meta.organisation = fx_strdup("Test Analysis Unit");
	d->meta.author = fx_strdup("A. Analyst");
	d->meta.as_of = fx_strdup("2023-10-01");
	d->meta.as_of_date = (struct date){2023, 10, 1};
	for (int i = 0; i < 32; i++)
		d->input_hash[i] = (uint8_t)(i * 7 + 1);
	return d;
}

static inline struct doc_block *fx_push(struct doc_block **v, size_t *n,
				 enum block_kind kind)
{
	struct doc_block *nv = realloc(*v, (*n + 1) * sizeof *nv);

	if (!nv)
		abort();
	*v = nv;
	memset(&nv[*n], 0, sizeof nv[*n]);
	nv[*n].kind = kind;
	return &nv[(*n)++];
}

static inline struct doc_block *fx_block(struct doc *d, enum block_kind kind)
{
	return fx_push(&d->blocks, &d->nblocks, kind);
}

static inline void fx_text(struct doc_runs *r, const char *text, unsigned style)
{
	if (doc_runs_add(r, text, strlen(text), style, LINK_NONE, NULL, 0))
		abort();
}

static inline void fx_cite(struct doc_runs *r, int n)
{
	char buf[16];

	snprintf(buf, sizeof buf, "[%d]", n);
	if (doc_runs_add(r, buf, strlen(buf), 0, LINK_BIB, NULL, n))
		abort();
}

static inline void fx_link(struct doc_runs *r, const char *text, const char *uri)
{
	if (doc_runs_add(r, text, strlen(text), 0, LINK_URI, uri, 0))
		abort();
}

static inline struct doc_block *fx_heading(struct doc *d, int level, const char *t)
{
	struct doc_block *b = fx_block(d, BLK_HEADING);

	b->level = level;
	fx_text(&b->runs, t, 0);
	return b;
}

static inline struct doc_block *fx_para(struct doc *d, const char *t)
{
	struct doc_block *b = fx_block(d, BLK_PARAGRAPH);

	fx_text(&b->runs, t, 0);
	return b;
}

/* A paragraph of n words drawn from a fixed vocabulary (deterministic). */
static inline struct doc_block *fx_words(struct doc *d, int n, unsigned seed)
{
	static const char *const w[] = {
		"displacement", "ceasefire", "the", "of", "reported",
		"Stepanakert", "humanitarian", "corridor", "and", "casualties",
		"according", "to", "sources", "in", "region", "population"};
	struct doc_block *b = fx_block(d, BLK_PARAGRAPH);
	size_t cap = (size_t)n * 16 + 1, len = 0;
	char *s = malloc(cap);

	if (!s)
		abort();
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		len += (size_t)snprintf(s + len, cap - len, "%s%s",
					i ? " " : "", w[(seed >> 16) % 16]);
	}
	fx_text(&b->runs, s, 0);
	free(s);
	return b;
}

static inline void fx_source(struct doc *d, const char *id, const char *title,
		      const char *publisher, const char *url)
{
	struct sources *s = &d->sources;
	struct source *nv = realloc(s->v, (s->n + 1) * sizeof *nv);
	struct source *x;
	struct doc_bib *nb;

	if (!nv)
		abort();
	s->v = nv;
	x = &s->v[s->n++];
	x->id = fx_strdup(id);
	x->title = fx_strdup(title);
	x->publisher = fx_strdup(publisher);
	x->author = fx_strdup("");
	x->published = fx_strdup("2023-09-19");
	x->url = fx_strdup(url);
	x->accessed = fx_strdup("2023-10-02");
	x->kind = fx_strdup("report");
	x->language = fx_strdup("en");
	x->archive = fx_strdup("");
	x->note = fx_strdup("");
	x->line = (long)s->n + 1;
	/* sources may move on realloc: rebuild the bibliography pointers */
	nb = realloc(d->bib, s->n * sizeof *nb);
	if (!nb)
		abort();
	d->bib = nb;
	d->nbib = s->n;
	for (size_t i = 0; i < s->n; i++) {
		d->bib[i].number = (int)i + 1;
		d->bib[i].src = &s->v[i];
	}
}

/* A table of nrows x 3: place, people (right-aligned), source. */
static inline struct doc_block *fx_table(struct doc *d, size_t nrows)
{
	struct doc_block *b = fx_block(d, BLK_TABLE);
	struct doc_table *t = calloc(1, sizeof *t);
	static const char *const head[] = {"Place", "People displaced", "Note"};

	if (!t)
		abort();
	b->table = t;
	t->ncols = 3;
	t->nrows = nrows;
	t->header = calloc(3, sizeof *t->header);
	t->align = fx_strdup("lrl");
	t->cells = calloc(nrows * 3, sizeof *t->cells);
	if (!t->header || !t->cells)
		abort();
	for (int c = 0; c < 3; c++)
		t->header[c] = fx_strdup(head[c]);
	for (size_t r = 0; r < nrows; r++) {
		char buf[64];

		snprintf(buf, sizeof buf, "Row %zu place", r + 1);
		fx_text(&t->cells[r * 3], buf, 0);
		snprintf(buf, sizeof buf, "%zu,%03zu", r + 1, (r * 37) % 1000);
		fx_text(&t->cells[r * 3 + 1], buf, 0);
		fx_text(&t->cells[r * 3 + 2],
			r % 5 ? "reported" : "reported by two sides, contested",
			0);
	}
	t->caption = fx_strdup("Table 1. Displacement by place");
	fx_text(&t->note, "Source: ", 0);
	fx_cite(&t->note, 1);
	return b;
}

#endif
