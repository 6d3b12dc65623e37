/* doc.c — the resolved document: building runs, freeing, a plain-text dump. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Runs per block are few; a cap keeps a runaway layout from eating memory. */
#define DOC_RUNS_MAX 100000

static char *doc_strndup(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static bool doc_run_mergeable(const struct doc_run *prev, unsigned style,
			      enum run_link link, const char *uri)
{
	if (prev->style != style || prev->link != link)
		return false;
	if (link == LINK_NONE)
		return true;
	if (link == LINK_URI || link == LINK_ANCHOR)
		return prev->uri && uri && strcmp(prev->uri, uri) == 0;
	return false;
}

enum brief_status doc_runs_add(struct doc_runs *r, const char *text,
			       size_t len, unsigned style, enum run_link link,
			       const char *uri, int bib)
{
	return doc_runs_add_at(r, NULL, text, len, style, link, uri, bib);
}

enum brief_status doc_runs_add_field(struct doc_runs *r,
				     const struct text_origin *at,
				     const char *text, size_t len)
{
	/* A negative column keeps the run apart; the real one is restored
	 * once it is added. */
	struct text_origin apart = *at;
	enum brief_status st;

	apart.col = -1;
	st = doc_runs_add_at(r, &apart, text, len, 0, LINK_NONE, NULL, 0);
	if (st == BRIEF_OK && len)
		r->v[r->n - 1].at = *at;
	return st;
}

enum brief_status doc_runs_add_at(struct doc_runs *r,
				  const struct text_origin *at,
				  const char *text, size_t len, unsigned style,
				  enum run_link link, const char *uri, int bib)
{
	struct doc_run *run, *v;

	if (len == 0 && link != LINK_BIB)
		return BRIEF_OK;
	/* A hard break stays its own run so the typesetter can see it. */
	if (r->n && !(len == 1 && text[0] == '\n') && !(at && at->col < 0) &&
	    strcmp(r->v[r->n - 1].text, "\n") != 0 &&
	    doc_run_mergeable(&r->v[r->n - 1], style, link, uri) &&
	    strcmp(r->v[r->n - 1].lang, r->lang) == 0) {
		size_t old = strlen(r->v[r->n - 1].text);
		char *t = realloc(r->v[r->n - 1].text, old + len + 1);

		if (!t)
			return BRIEF_ENOMEM;
		memcpy(t + old, text, len);
		t[old + len] = '\0';
		r->v[r->n - 1].text = t;
		/* What came first without an origin is brief's own text. */
		if (!r->v[r->n - 1].at.file && at)
			r->v[r->n - 1].at = *at;
		return BRIEF_OK;
	}
	if (r->n >= DOC_RUNS_MAX)
		return BRIEF_ENOMEM;
	v = realloc(r->v, (r->n + 1) * sizeof *v);
	if (!v)
		return BRIEF_ENOMEM;
	r->v = v;
	run = &r->v[r->n];
	memset(run, 0, sizeof *run);
	run->text = doc_strndup(text, len);
	if (!run->text)
		return BRIEF_ENOMEM;
	if ((link == LINK_URI || link == LINK_ANCHOR) && uri) {
		run->uri = doc_strndup(uri, strlen(uri));
		if (!run->uri) {
			free(run->text);
			return BRIEF_ENOMEM;
		}
	}
	run->style = style;
	run->link = link;
	memcpy(run->lang, r->lang, sizeof run->lang);
	run->bib = link == LINK_BIB ? bib : 0;
	if (at)
		run->at = *at;
	r->n++;
	return BRIEF_OK;
}

void doc_runs_free(struct doc_runs *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].uri);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

char *doc_runs_text(const struct doc_runs *r)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < r->n; i++)
		len += strlen(r->v[i].text);
	s = malloc(len + 1);
	if (!s)
		return NULL;
	len = 0;
	for (i = 0; i < r->n; i++) {
		size_t k = strlen(r->v[i].text);

		memcpy(s + len, r->v[i].text, k);
		len += k;
	}
	s[len] = '\0';
	return s;
}

static void doc_table_free(struct doc_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->header && i < t->ncols; i++)
		free(t->header[i]);
	free(t->header);
	free(t->align);
	free(t->cont);
	for (i = 0; t->cells && i < t->ncols * t->nrows; i++)
		doc_runs_free(&t->cells[i]);
	free(t->cells);
	free(t->caption);
	doc_runs_free(&t->note);
	free(t);
}

static void doc_blocks_free(struct doc_block *b, size_t n);

/* Frees the members of n blocks (not the array). */
static void doc_blocks_clear(struct doc_block *b, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		doc_runs_free(&b[i].runs);
		doc_blocks_free(b[i].children, b[i].nchildren);
		/* The chart points into its spec: chart first. */
		chart_free(b[i].chart);
		if (b[i].spec) {
			chart_spec_free(b[i].spec);
			free(b[i].spec);
		}
		for (k = 0; k < b[i].nfigs; k++) {
			free(b[i].figs[k].number);
			free(b[i].figs[k].label);
			doc_runs_free(&b[i].figs[k].cite);
		}
		free(b[i].figs);
		doc_table_free(b[i].table);
		free(b[i].anchor);
		memset(&b[i], 0, sizeof b[i]);
	}
}

static void doc_blocks_free(struct doc_block *b, size_t n)
{
	doc_blocks_clear(b, n);
	free(b);
}

void doc_block_clear(struct doc_block *b)
{
	if (b)
		doc_blocks_clear(b, 1);
}

void doc_free(struct doc *d)
{
	size_t i;

	if (!d)
		return;
	if (d->l10n && l10n_active() == d->l10n)
		l10n_use(NULL);
	l10n_free(d->l10n);
	/* Charts keep pointers to the sources and palette: blocks first. */
	doc_blocks_free(d->blocks, d->nblocks);
	free(d->meta.title);
	free(d->meta.subtitle);
	free(d->meta.organisation);
	free(d->meta.author);
	free(d->meta.paper);
	free(d->meta.digits);
	free(d->meta.data_dir);
	free(d->meta.as_of);
	free(d->meta.disclaimer);
	free(d->meta.language);
	free(d->meta.keywords);
	free(d->bib);
	sources_free(&d->sources);
	palette_free(d->palette);
	brand_free(d->brand);
	free(d->layout_path);
	free(d->layout_name);
	free(d->layout_src);
	free(d->layout_lines);
	for (i = 0; i < DATASETS_MAX; i++)
		free(d->dataset_path[i]);
	free(d);
}

bool doc_uri_allowed(const char *uri)
{
	static const char *const schemes[] = {"http:", "https:", "mailto:"};

	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		if (strncasecmp(uri, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}

/* How far a character is looked for after its text's origin: a run never
 * comes from further away than its paragraph. */
#define LOCATE_WINDOW 65536

struct text_origin doc_locate(const struct doc *d,
			      const struct text_origin *at, unsigned long cp,
			      size_t k)
{
	struct text_origin out = *at;
	char enc[4];
	size_t n, off, end, p;
	long col;

	if (!d->layout_src || !at->file || at->file != d->layout_path ||
	    at->line < 1 || at->line > d->nlayout_lines)
		return out;
	n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	enc[0] = (char)(n == 1   ? cp
			: n == 2 ? 0xC0 | (cp >> 6)
			: n == 3 ? 0xE0 | (cp >> 12)
				 : 0xF0 | (cp >> 18));
	for (size_t i = 1; i < n; i++)
		enc[i] = (char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
	/* The origin's byte offset: its column counts code points. */
	off = d->layout_lines[at->line - 1];
	for (col = 1; off < d->layout_len && col < at->col; col++)
		do
			off++;
		while (off < d->layout_len &&
		       ((unsigned char)d->layout_src[off] & 0xC0) == 0x80);
	end = d->layout_len - off > LOCATE_WINDOW ? off + LOCATE_WINDOW
						  : d->layout_len;
	for (p = off; p + n <= end; p++) {
		if (memcmp(d->layout_src + p, enc, n) != 0)
			continue;
		if (k-- > 0)
			continue;
		out.line = at->line;
		while (out.line < d->nlayout_lines &&
		       d->layout_lines[out.line] <= p)
			out.line++;
		out.col = 1;
		for (size_t q = d->layout_lines[out.line - 1]; q < p; q++)
			if (((unsigned char)d->layout_src[q] & 0xC0) != 0x80)
				out.col++;
		return out;
	}
	return out;
}

const char *doc_layout_line(const struct doc *d, long line, size_t *len)
{
	const char *s, *e;

	if (!d->layout_src || line < 1 || line > d->nlayout_lines)
		return NULL;
	s = d->layout_src + d->layout_lines[line - 1];
	e = s;
	while (e < d->layout_src + d->layout_len && *e != '\n' && *e != '\r')
		e++;
	*len = (size_t)(e - s);
	return s;
}

/* Runs in a readable plain form: *italic*, **bold**, `code`, [text](uri);
 * citation numbers print as themselves. */
static void doc_dump_runs(const struct doc_runs *r, FILE *out)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct doc_run *run = &r->v[i];
		const char *mark = run->style & RUN_CODE ? "`" :
				   run->style & RUN_BOLD ? "**" :
				   run->style & RUN_ITALIC ? "*" : "";

		if (strcmp(run->text, "\n") == 0) {
			fputs("\\n", out);
			continue;
		}
		if (run->link == LINK_URI || run->link == LINK_ANCHOR)
			fputc('[', out);
		fprintf(out, "%s%s%s", mark, run->text, mark);
		if (run->link == LINK_URI)
			fprintf(out, "](%s)", run->uri ? run->uri : "");
		else if (run->link == LINK_ANCHOR)
			fprintf(out, "](#%s)", run->uri ? run->uri : "");
	}
}

static void doc_dump_blocks(const struct doc_block *b, size_t n, int depth,
			    FILE *out)
{
	size_t i, r, c;

	for (i = 0; i < n; i++) {
		fprintf(out, "%*s", 2 * depth, "");
		switch (b[i].kind) {
		case BLK_HEADING:
			fprintf(out, "h%d: ", b[i].level);
			doc_dump_runs(&b[i].runs, out);
			fputc('\n', out);
			break;
		case BLK_PARAGRAPH:
			fputs("p: ", out);
			doc_dump_runs(&b[i].runs, out);
			fputc('\n', out);
			break;
		case BLK_LIST:
			if (b[i].ordered)
				fprintf(out, "list: ordered from %d\n",
					b[i].start);
			else
				fputs("list: bullets\n", out);
			doc_dump_blocks(b[i].children, b[i].nchildren,
					depth + 1, out);
			break;
		case BLK_ITEM:
			fputs("item:\n", out);
			doc_dump_blocks(b[i].children, b[i].nchildren,
					depth + 1, out);
			break;
		case BLK_QUOTE:
			fputs("quote:\n", out);
			doc_dump_blocks(b[i].children, b[i].nchildren,
					depth + 1, out);
			break;
		case BLK_CHART:
			fprintf(out, "chart: %s | %s\n",
				b[i].chart ? chart_id(b[i].chart) : "?",
				b[i].chart ? chart_source_line(b[i].chart) : "");
			break;
		case BLK_KEYFIGURES:
			fputs("keyfigures:\n", out);
			for (r = 0; r < b[i].nfigs; r++) {
				fprintf(out, "%*s%s | %s | ", 2 * depth + 2, "",
					b[i].figs[r].number, b[i].figs[r].label);
				doc_dump_runs(&b[i].figs[r].cite, out);
				fputc('\n', out);
			}
			break;
		case BLK_TABLE: {
			const struct doc_table *t = b[i].table;

			fprintf(out, "table: %s\n",
				t && t->caption ? t->caption : "");
			if (!t)
				break;
			fprintf(out, "%*s", 2 * depth + 2, "");
			for (c = 0; c < t->ncols; c++)
				fprintf(out, "%s%s(%c)", c ? " | " : "",
					t->header[c], t->align[c]);
			fputc('\n', out);
			for (r = 0; r < t->nrows; r++) {
				fprintf(out, "%*s", 2 * depth + 2, "");
				for (c = 0; c < t->ncols; c++) {
					if (c)
						fputs(" | ", out);
					doc_dump_runs(&t->cells[r * t->ncols + c],
						      out);
				}
				fputc('\n', out);
			}
			fprintf(out, "%*snote: ", 2 * depth + 2, "");
			doc_dump_runs(&t->note, out);
			fputc('\n', out);
			break;
		}
		case BLK_PAGEBREAK:
			fputs("pagebreak\n", out);
			break;
		}
	}
}

static const char *doc_or_empty(const char *s)
{
	return s ? s : "";
}

void doc_dump(const struct doc *d, FILE *out)
{
	char date[64];
	size_t i;

	fprintf(out, "title: %s\n", doc_or_empty(d->meta.title));
	fprintf(out, "subtitle: %s\n", doc_or_empty(d->meta.subtitle));
	fprintf(out, "organisation: %s\n", doc_or_empty(d->meta.organisation));
	fprintf(out, "author: %s\n", doc_or_empty(d->meta.author));
	fprintf(out, "paper: %s\n", doc_or_empty(d->meta.paper));
	fprintf(out, "language: %s\n", doc_or_empty(d->meta.language));
	fprintf(out, "keywords: %s\n", doc_or_empty(d->meta.keywords));
	fprintf(out, "disclaimer: %s\n", doc_or_empty(d->meta.disclaimer));
	fprintf(out, "as_of: %s\n",
		d->meta.as_of_date.year ?
			date_format_long(&d->meta.as_of_date, date, sizeof date) :
			"");
	doc_dump_blocks(d->blocks, d->nblocks, 0, out);
	fputs("bibliography:\n", out);
	for (i = 0; i < d->nbib; i++)
		fprintf(out, "  [%d] %s: %s\n", d->bib[i].number,
			d->bib[i].src->id, d->bib[i].src->title);
}
