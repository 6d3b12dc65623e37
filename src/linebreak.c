/* linebreak.c — the one line breaker (see linebreak.h). */
#include "linebreak.h"

#include <stdlib.h>
#include <string.h>

/* A stretch of one run inside a word. */
struct piece {
	const char *s;
	size_t len;
	const struct doc_run *run;
	enum font_style style;
	double w;
};

/* A word: pieces[first .. first+n), preceded by a space of space_w (or a
 * hard break). */
struct word {
	size_t first, n;
	double w;
	double space_w;
	bool hard_break;
};

struct tokens {
	struct piece *pieces;
	size_t npieces, cappieces;
	struct word *words;
	size_t nwords, capwords;
};

/* State of the line being filled. */
struct filler {
	const struct lb_opts *o;
	struct lb_para *out;
	size_t line_first; /* first fragment of the open line */
	double cur;        /* natural width so far */
	bool open;         /* the line has fragments */
};

#define BREAK_EPS 0.001

enum font_style lb_font_style(unsigned run_style, unsigned base)
{
	unsigned s = (run_style | base) & (RUN_BOLD | RUN_ITALIC);

	return (enum font_style)s; /* RUN_BOLD/RUN_ITALIC match FONT_* bits */
}

/* Grow *v (of *cap elements of size sz) to hold n+1. */
static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	nv = realloc(*v, ncap * sz);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

static void tokens_free(struct tokens *t)
{
	free(t->pieces);
	free(t->words);
	memset(t, 0, sizeof *t);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split runs into words of pieces and measure them. */
static int tokenize(const struct fontset *fs, const struct doc_run *runs,
		    size_t nruns, double size, unsigned base, struct tokens *t)
{
	bool in_word = false, pending_break = false;
	double pending_space = 0;

	for (size_t r = 0; r < nruns; r++) {
		const struct doc_run *run = &runs[r];
		const char *s = run->text ? run->text : "";
		enum font_style st = lb_font_style(run->style, base);
		bool piece_open = false;

		for (size_t i = 0; s[i]; i++) {
			char c = s[i];

			if (is_space(c) || c == '\n') {
				in_word = false;
				piece_open = false;
				if (c == '\n')
					pending_break = true;
				else
					pending_space = fontset_text_width(
						fs, st, " ", 1, size);
				continue;
			}
			if (!in_word) {
				struct word *w;

				if (grow((void **)&t->words, &t->capwords,
					 t->nwords, sizeof *t->words))
					return -1;
				w = &t->words[t->nwords++];
				w->first = t->npieces;
				w->n = 0;
				w->w = 0;
				w->space_w = pending_space;
				w->hard_break = pending_break;
				pending_break = false;
				in_word = true;
				piece_open = false;
			}
			if (!piece_open) {
				struct piece *p;

				if (grow((void **)&t->pieces, &t->cappieces,
					 t->npieces, sizeof *t->pieces))
					return -1;
				p = &t->pieces[t->npieces++];
				p->s = s + i;
				p->len = 0;
				p->run = run;
				p->style = st;
				p->w = 0;
				t->words[t->nwords - 1].n++;
				piece_open = true;
			}
			t->pieces[t->npieces - 1].len++;
		}
	}
	for (size_t i = 0; i < t->nwords; i++) {
		struct word *w = &t->words[i];

		for (size_t k = w->first; k < w->first + w->n; k++) {
			struct piece *p = &t->pieces[k];

			p->w = fontset_text_width(fs, p->style, p->s, p->len,
						  size);
			w->w += p->w;
		}
	}
	return 0;
}

static int add_frag(struct filler *f, const struct piece *p, const char *s,
		    size_t len, double w, bool word_start)
{
	struct lb_para *out = f->out;
	struct lb_frag *fr;

	if (grow((void **)&out->frags, &out->capfrags, out->nfrags,
		 sizeof *out->frags))
		return -1;
	fr = &out->frags[out->nfrags++];
	fr->s = s;
	fr->len = len;
	fr->run = p->run;
	fr->style = p->style;
	fr->x = f->cur;
	fr->w = w;
	fr->word_start = word_start;
	f->cur += w;
	f->open = true;
	return 0;
}

/* Close the open line, aligning it; stretch only when `stretch`. */
static int finish_line(struct filler *f, bool stretch)
{
	struct lb_para *out = f->out;
	const struct lb_opts *o = f->o;
	struct lb_line *ln;
	double extra = o->width - f->cur, shift = 0;
	size_t n = out->nfrags - f->line_first;

	if (!f->open)
		return 0;
	if (grow((void **)&out->lines, &out->caplines, out->nlines,
		 sizeof *out->lines))
		return -1;
	ln = &out->lines[out->nlines++];
	ln->first = f->line_first;
	ln->n = n;
	ln->width = f->cur;
	if (extra > 0 && o->align == LB_JUSTIFY && stretch) {
		size_t gaps = 0;
		double step, at = 0;

		for (size_t i = 1; i < n; i++)
			gaps += out->frags[ln->first + i].word_start;
		/* A line with very few words is left ragged rather than
		 * stretched into rivers. */
		step = gaps ? extra / (double)gaps : 0;
		if (gaps && step <= o->size * 2.5) {
			for (size_t i = 1; i < n; i++) {
				struct lb_frag *fr = &out->frags[ln->first + i];

				if (fr->word_start)
					at += step;
				fr->x += at;
			}
		}
	} else if (extra > 0 && o->align == LB_RIGHT) {
		shift = extra;
	} else if (extra > 0 && o->align == LB_CENTER) {
		shift = extra / 2;
	}
	for (size_t i = 0; shift > 0 && i < n; i++)
		out->frags[ln->first + i].x += shift;
	f->line_first = out->nfrags;
	f->cur = 0;
	f->open = false;
	return 0;
}

/* One character of an over-long word. */
struct wchar {
	size_t piece;  /* index into tokens.pieces */
	size_t off;    /* byte offset in the piece */
	size_t len;    /* bytes */
	double w;
};

static size_t utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1; /* stray continuation byte: step over it alone */
}

/* A good place to break a long word or URL: after one of these. */
static bool break_after(const char *s, size_t len)
{
	if (len == 1)
		return strchr("/-._?&=,;:#", s[0]) != NULL;
	/* en dash and em dash */
	return len == 3 && (unsigned char)s[0] == 0xE2 &&
	       (unsigned char)s[1] == 0x80 &&
	       ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94);
}

/* Emit chars [a, b) of a long word on the open line. */
static int emit_chars(struct filler *f, const struct tokens *t,
		      const struct wchar *ch, size_t a, size_t b,
		      bool word_start)
{
	size_t i = a;

	while (i < b) {
		size_t k = i;
		double w = 0;
		const struct piece *p = &t->pieces[ch[i].piece];

		while (k < b && ch[k].piece == ch[i].piece)
			w += ch[k++].w;
		if (add_frag(f, p, p->s + ch[i].off,
			     ch[k - 1].off + ch[k - 1].len - ch[i].off, w,
			     word_start && i == a))
			return -1;
		i = k;
	}
	return 0;
}

/* Place a word wider than the line, in chunks, starting on the open line
 * when it has room. The last chunk stays open for following words. */
static int place_long_word(struct filler *f, const struct fontset *fs,
			   const struct tokens *t, const struct word *w)
{
	const struct lb_opts *o = f->o;
	struct wchar *ch = NULL;
	size_t nch = 0, capch = 0, start = 0;
	int rc = -1;

	for (size_t k = w->first; k < w->first + w->n; k++) {
		const struct piece *p = &t->pieces[k];

		for (size_t off = 0; off < p->len;) {
			size_t l = utf8_len((unsigned char)p->s[off]);

			if (off + l > p->len)
				l = p->len - off;
			if (grow((void **)&ch, &capch, nch, sizeof *ch))
				goto out;
			ch[nch].piece = k;
			ch[nch].off = off;
			ch[nch].len = l;
			ch[nch].w = fontset_text_width(fs, p->style, p->s + off,
						       l, o->size);
			nch++;
			off += l;
		}
	}
	while (start < nch) {
		double space = f->open ? w->space_w : 0;
		double avail = o->width - f->cur - space, sum = 0;
		size_t k = start, cut;

		while (k < nch && sum + ch[k].w <= avail + BREAK_EPS)
			sum += ch[k++].w;
		if (k == nch) {
			cut = nch;
		} else if (k == start) {
			if (f->open) {
				if (finish_line(f, true))
					goto out;
				continue;
			}
			cut = start + 1; /* one glyph wider than the line */
		} else {
			cut = k;
			for (size_t j = k; j > start + (k - start) / 2; j--) {
				const struct piece *p = &t->pieces[ch[j - 1].piece];

				if (break_after(p->s + ch[j - 1].off,
						ch[j - 1].len)) {
					cut = j;
					break;
				}
			}
		}
		if (f->open)
			f->cur += space;
		if (emit_chars(f, t, ch, start, cut, start == 0 && space > 0))
			goto out;
		start = cut;
		if (start < nch && finish_line(f, true))
			goto out;
	}
	rc = 0;
out:
	free(ch);
	return rc;
}

static int place_word(struct filler *f, const struct fontset *fs,
		      const struct tokens *t, const struct word *w)
{
	const struct lb_opts *o = f->o;

	if (w->hard_break && f->open && finish_line(f, false))
		return -1;
	if (f->open && f->cur + w->space_w + w->w > o->width + BREAK_EPS) {
		/* Fill the rest of a line with the start of a long word
		 * only when a good part of it is free. */
		bool long_word = w->w > o->width + BREAK_EPS;

		if (!(long_word &&
		      o->width - f->cur - w->space_w >= 0.25 * o->width) &&
		    finish_line(f, true))
			return -1;
	}
	if (w->w > o->width + BREAK_EPS || (f->open &&
	    f->cur + w->space_w + w->w > o->width + BREAK_EPS))
		return place_long_word(f, fs, t, w);
	bool spaced = f->open;

	if (spaced)
		f->cur += w->space_w;
	for (size_t k = w->first; k < w->first + w->n; k++) {
		const struct piece *p = &t->pieces[k];

		if (add_frag(f, p, p->s, p->len, p->w,
			     k == w->first && spaced))
			return -1;
	}
	return 0;
}

enum brief_status linebreak(const struct fontset *fs,
			    const struct doc_run *runs, size_t nruns,
			    const struct lb_opts *o, struct lb_para *out,
			    struct diag *err)
{
	struct tokens t = {0};
	struct filler f = {0};
	enum brief_status st = BRIEF_ENOMEM;

	memset(out, 0, sizeof *out);
	f.o = o;
	f.out = out;
	if (tokenize(fs, runs, nruns, o->size, o->style, &t))
		goto out;
	for (size_t i = 0; i < t.nwords; i++)
		if (place_word(&f, fs, &t, &t.words[i]))
			goto out;
	if (finish_line(&f, false))
		goto out;
	st = BRIEF_OK;
out:
	tokens_free(&t);
	if (st != BRIEF_OK) {
		lb_para_free(out);
		diag_set(err, st, NULL, 0, 0, "out of memory breaking lines");
	}
	return st;
}

void lb_para_free(struct lb_para *p)
{
	if (!p)
		return;
	free(p->frags);
	free(p->lines);
	memset(p, 0, sizeof *p);
}

enum brief_status lb_measure(const struct fontset *fs,
			     const struct doc_run *runs, size_t nruns,
			     double size, unsigned style, double *min,
			     double *max)
{
	struct tokens t = {0};
	double line = 0;
	enum brief_status st = BRIEF_ENOMEM;

	*min = 0;
	*max = 0;
	if (tokenize(fs, runs, nruns, size, style, &t) == 0) {
		st = BRIEF_OK;
		for (size_t i = 0; i < t.nwords; i++) {
			const struct word *w = &t.words[i];

			if (w->hard_break || i == 0)
				line = w->w;
			else
				line += w->space_w + w->w;
			if (w->w > *min)
				*min = w->w;
			if (line > *max)
				*max = line;
		}
	}
	tokens_free(&t);
	return st;
}
