/* linebreak.c — the one line breaker (see linebreak.h). */
#include "linebreak.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unigbrk.h>
#include <unilbrk.h>
#include <unistr.h>

#include "buf.h"

/* A stretch of one run inside a word. */
struct piece {
	const char *s;
	size_t len;
	size_t off; /* in the paragraph's text */
	const struct doc_run *run;
	enum font_style style;
	const char *lang; /* its run's, else the paragraph's (run_lang) */
	double w;
};

/* A word: pieces[first .. first+n), preceded by a space of space_w (or a
 * hard break). glued: that space is no break opportunity (space_glues). */
struct word {
	size_t first, n;
	double w;
	double space_w;
	double tail; /* the glued words after it, with their spaces */
	bool hard_break;
	bool glued;
};

/* The words, and the paragraph's text and spans being built. */
struct tokens {
	struct piece *pieces;
	size_t npieces, cappieces;
	struct word *words;
	size_t nwords, capwords;
	char *text;
	size_t len, captext;
	struct shape_span *spans;
	size_t nspans, capspans;
};

/* State of the line being filled. */
struct filler {
	const struct fontset *fs;
	const struct lb_opts *o;
	struct lb_para *out;
	const char *text;  /* the paragraph's */
	size_t line_first; /* first fragment of the open line */
	double cur;        /* natural width so far */
	bool open;         /* the line has fragments */
	bool hyphen;       /* the open line ends at a hyphenation point */
};

#define BREAK_EPS 0.001

enum font_style lb_font_style(unsigned run_style, unsigned base)
{
	unsigned s = (run_style | base) & (RUN_BOLD | RUN_ITALIC);

	return (enum font_style)s; /* RUN_BOLD/RUN_ITALIC match FONT_* bits */
}

/* The language a run is shaped and hyphenated in: its own when the
 * layout marks it (<span lang>), else the paragraph's (NULL: none). */
static const char *run_lang(const struct doc_run *r, const char *para)
{
	return r->lang[0] ? r->lang : para;
}

/* The width of s as drawn: shaped in its style and language. */
static double text_width(const struct fontset *fs, enum font_style st,
			 const char *lang, const char *s, size_t len,
			 double size)
{
	return shape_text_width(fontset_shaper(fs), st, lang, s, len, size);
}

static double piece_width(const struct fontset *fs, const struct piece *p,
			  const char *s, size_t len, double size)
{
	return text_width(fs, p->style, p->lang, s, len, size);
}

static void tokens_free(struct tokens *t)
{
	free(t->pieces);
	free(t->words);
	free(t->text);
	free(t->spans);
	memset(t, 0, sizeof *t);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Append byte c of run r (in style st and language lang) to the
 * paragraph's text. */
static int put_text(struct tokens *t, char c, size_t r, enum font_style st,
		    const char *lang)
{
	struct shape_span *sp;

	if (array_reserve(&t->text, &t->captext, t->len + 2,
			  1, 0))
		return -1;
	if (!t->nspans || t->spans[t->nspans - 1].tag != (int)r) {
		if (array_reserve(&t->spans, &t->capspans, t->nspans + 1,
			  sizeof *t->spans, 0))
			return -1;
		sp = &t->spans[t->nspans++];
		*sp = (struct shape_span){t->len, 0, st, lang, (int)r};
	}
	t->spans[t->nspans - 1].len++;
	t->text[t->len++] = c;
	t->text[t->len] = '\0';
	return 0;
}

/* A word of several pieces (a style change inside it, a citation's
 * brackets) measured as it is drawn: shaped as one line, each piece in
 * its face with its neighbours as context (Arabic letters join across a
 * change to bold), each piece's width the advance of its runs. -1 when
 * shaping failed (then each piece is measured alone). */
static int measure_pieces(const struct fontset *fs, const struct doc_run *runs,
			  struct tokens *t, struct word *w, double size)
{
	const struct piece *a = &t->pieces[w->first];
	const struct piece *e = &t->pieces[w->first + w->n - 1];
	struct shape_line sl;

	if (shape_line(fontset_shaper(fs), t->text, t->len, t->spans, t->nspans,
		       NULL, a->off, e->off + e->len, false, &sl,
		       NULL) != BRIEF_OK)
		return -1;
	w->w = 0;
	for (size_t k = w->first; k < w->first + w->n; k++) {
		struct piece *p = &t->pieces[k];
		int tag = (int)(p->run - runs);

		p->w = 0;
		for (size_t r = 0; r < sl.nruns; r++)
			if (sl.runs[r].tag == tag &&
			    sl.runs[r].start + sl.para_start >= p->off &&
			    sl.runs[r].start + sl.para_start < p->off + p->len)
				p->w += sl.runs[r].advance_em * size;
		w->w += p->w;
	}
	shape_line_free(&sl);
	return 0;
}

static bool french(const char *lang)
{
	/* "fr", "fr-CA", "fr_FR", any case, as bidi and l10n match tags. */
	return lang && strncasecmp(lang, "fr", 2) == 0 &&
	       (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

/* Whether the space between words a and b is no break opportunity:
 * closing punctuation stays on the line of the word before it even across
 * a space (UAX #14's LB13: no break before '!', '?', ':', ';', ',', '.',
 * '/', ')', ']', '}'), and French guillemets keep the spaces inside them
 * (« mot », where UAX #14 would break). A no-break space is no space to
 * the tokenizer: "mot !" typed with U+00A0 is one word. */
static bool space_glues(const struct tokens *t, const struct word *a,
			const struct word *b)
{
	const struct piece *pa = &t->pieces[a->first + a->n - 1];
	const struct piece *pb = &t->pieces[b->first];

	if (b->hard_break)
		return false;
	switch (pb->s[0]) {
	case '!': case '?': case ':': case ';': case ',': case '.': case '/':
	case ')': case ']': case '}':
		return true;
	default:
		break;
	}
	/* » opening b, « closing a */
	return (pb->len >= 2 && memcmp(pb->s, "\xC2\xBB", 2) == 0 &&
		french(pb->lang)) ||
	       (pa->len >= 2 &&
		memcmp(pa->s + pa->len - 2, "\xC2\xAB", 2) == 0 &&
		french(pa->lang));
}

/* Split runs into words of pieces and measure them, each run in its
 * language (run_lang over the paragraph's lang); the paragraph's text is
 * the words with the space (or '\n') before each, in the run it was in. */
static int tokenize(const struct fontset *fs, const struct doc_run *runs,
		    size_t nruns, double size, unsigned base, const char *lang,
		    struct tokens *t)
{
	bool in_word = false, pending_break = false;
	double pending_space = 0;
	size_t sep_run = 0;
	enum font_style sep_style = FONT_REGULAR;
	const char *sep_lang = lang;

	for (size_t r = 0; r < nruns; r++) {
		const struct doc_run *run = &runs[r];
		const char *s = run->text ? run->text : "";
		enum font_style st = lb_font_style(run->style, base);
		const char *rl = run_lang(run, lang);
		bool piece_open = false;

		for (size_t i = 0; s[i]; i++) {
			char c = s[i];

			if (is_space(c) || c == '\n') {
				if (in_word || c == '\n') {
					sep_run = r;
					sep_style = st;
					sep_lang = rl;
				}
				in_word = false;
				piece_open = false;
				if (c == '\n')
					pending_break = true;
				else
					pending_space = text_width(
						fs, st, rl, " ", 1, size);
				continue;
			}
			if (!in_word) {
				struct word *w;

				if (t->nwords &&
				    put_text(t, pending_break ? '\n' : ' ',
					     sep_run, sep_style, sep_lang))
					return -1;
				if (array_reserve(&t->words, &t->capwords, t->nwords + 1,
			  sizeof *t->words, 0))
					return -1;
				w = &t->words[t->nwords++];
				w->first = t->npieces;
				w->n = 0;
				w->w = 0;
				w->space_w = pending_space;
				w->hard_break = pending_break;
				w->glued = false;
				pending_break = false;
				in_word = true;
				piece_open = false;
			}
			if (!piece_open) {
				struct piece *p;

				if (array_reserve(&t->pieces, &t->cappieces, t->npieces + 1,
			  sizeof *t->pieces, 0))
					return -1;
				p = &t->pieces[t->npieces++];
				p->s = s + i;
				p->len = 0;
				p->off = t->len;
				p->run = run;
				p->style = st;
				p->lang = rl;
				p->w = 0;
				t->words[t->nwords - 1].n++;
				piece_open = true;
			}
			if (put_text(t, c, r, st, rl))
				return -1;
			t->pieces[t->npieces - 1].len++;
		}
	}
	for (size_t i = 0; i < t->nwords; i++) {
		struct word *w = &t->words[i];

		if (i > 0)
			w->glued = space_glues(t, &t->words[i - 1], w);
		if (w->n > 1 && measure_pieces(fs, runs, t, w, size) == 0)
			continue;
		for (size_t k = w->first; k < w->first + w->n; k++) {
			struct piece *p = &t->pieces[k];

			p->w = piece_width(fs, p, p->s, p->len, size);
			w->w += p->w;
		}
	}
	return 0;
}

static int add_frag(struct filler *f, const struct piece *p, const char *s,
		    size_t len, double w, bool word_start)
{
	size_t off = p->off + (size_t)(s - p->s);
	struct lb_para *out = f->out;
	struct lb_frag *fr;

	if (array_reserve(&out->frags, &out->capfrags, out->nfrags + 1,
			  sizeof *out->frags, 0))
		return -1;
	fr = &out->frags[out->nfrags++];
	fr->s = s;
	fr->len = len;
	fr->off = off;
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
	if (array_reserve(&out->lines, &out->caplines, out->nlines + 1,
			  sizeof *out->lines, 0))
		return -1;
	ln = &out->lines[out->nlines++];
	ln->first = f->line_first;
	ln->n = n;
	ln->width = f->cur;
	ln->start = out->frags[ln->first].off;
	ln->end = out->frags[ln->first + n - 1].off +
		  out->frags[ln->first + n - 1].len;
	ln->hyphen = f->hyphen;
	ln->shift = 0;
	ln->word_space = 0;
	if (extra > 0 && o->align == LB_JUSTIFY && stretch) {
		size_t gaps = 0;
		double step, at = 0;

		for (size_t i = 1; i < n; i++)
			gaps += out->frags[ln->first + i].word_start;
		/* A line with very few words is left ragged rather than
		 * stretched into rivers. */
		step = gaps ? extra / (double)gaps : 0;
		if (gaps && step <= o->size * 2.5) {
			ln->word_space = step;
			for (size_t i = 1; i < n; i++) {
				struct lb_frag *fr = &out->frags[ln->first + i];

				if (fr->word_start)
					at += step;
				fr->x += at;
			}
		} else if (o->rtl) {
			shift = extra; /* left ragged: at the right edge */
		}
	} else if (extra > 0 && o->align == (o->rtl ? LB_LEFT : LB_RIGHT)) {
		shift = extra;
	} else if (extra > 0 && o->align == LB_CENTER) {
		shift = extra / 2;
	} else if (extra > 0 && o->rtl && o->align == LB_JUSTIFY) {
		shift = extra; /* the last line of a right-to-left paragraph */
	}
	ln->shift = shift > 0 ? shift : 0;
	for (size_t i = 0; shift > 0 && i < n; i++)
		out->frags[ln->first + i].x += shift;
	f->line_first = out->nfrags;
	f->cur = 0;
	f->open = false;
	f->hyphen = false;
	return 0;
}

static bool ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* Thai, Lao, Myanmar and Khmer, written without spaces between words:
 * UAX #14 leaves their breaks to a dictionary (class SA), which
 * libunistring has not, so it finds none. */
static bool unspaced_script(ucs4_t c)
{
	return (c >= 0x0E00 && c <= 0x0EFF) || (c >= 0x1000 && c <= 0x109F) ||
	       (c >= 0x1780 && c <= 0x17FF);
}

bool lb_breaks(const char *s, size_t n, char *at)
{
	const uint8_t *u = (const uint8_t *)s;
	ucs4_t prev = 0;
	/* Cluster boundaries with their context (UAX #29: a flag's two
	 * regional indicators, emoji joined by ZWJ), not pair by pair. */
	char small[256], *gb = n <= sizeof small ? small : malloc(n);

	if (!gb)
		return false;
	if (n == 0)
		goto out;
	u8_grapheme_breaks(u, n, gb);
	u8_possible_linebreaks(u, n, "UTF-8", at);
	for (size_t i = 0; i < n;) {
		ucs4_t c;
		int l = u8_mbtouc(&c, u + i, n - i);
		bool cluster = i > 0 && gb[i];
		bool uax14 = at[i] == UC_BREAK_POSSIBLE ||
			     at[i] == UC_BREAK_HYPHENATION ||
			     at[i] == UC_BREAK_MANDATORY;
		enum lb_break b = cluster ? LB_CLUSTER_BREAK : LB_NO_BREAK;

		/* libunistring breaks after '.' ',' ':' ';' before a letter
		 * ("e.|g."); UAX #14 does not (LB29), nor does brief. Nor
		 * inside a range of numbers ("1991–1994"), as UAX #14 keeps
		 * a hyphen before a digit ("bilan-1"). */
		if (i > 0 && uax14 && s[i - 1] && strchr(".,:;", s[i - 1]) &&
		    ascii_alnum(u[i]))
			uax14 = false;
		if (i >= 3 && uax14 && u[i] >= '0' && u[i] <= '9' &&
		    memcmp(s + i - 3, "\xE2\x80\x93", 3) == 0)
			uax14 = false;
		if (i > 0 && (uax14 || (cluster && unspaced_script(prev) &&
					unspaced_script(c))))
			b = LB_BREAK;
		at[i] = (char)b;
		for (int k = 1; k < l; k++)
			at[i + (size_t)k] = LB_NO_BREAK;
		prev = c;
		i += (size_t)l;
	}
out:
	if (gb != small)
		free(gb);
	return true;
}

static void breaks_free(char *at, const char *buf)
{
	if (at != buf)
		free(at);
}

/* The break opportunities of a word's text (lb_breaks) in a buffer that
 * is buf when n bytes fit in it, else allocated (NULL: out of memory).
 * Free with breaks_free. */
static char *breaks_of(const char *s, size_t n, char *buf, size_t cap)
{
	char *at = n <= cap ? buf : malloc(n);

	if (at && !lb_breaks(s, n, at)) {
		breaks_free(at, buf);
		at = NULL;
	}
	return at;
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

		size_t len;

		while (k < b && ch[k].piece == ch[i].piece)
			k++;
		/* Measured whole, as it is shaped (a cut Arabic word takes
		 * other forms than its letters alone). */
		len = ch[k - 1].off + ch[k - 1].len - ch[i].off;
		w = piece_width(f->fs, p, p->s + ch[i].off, len, f->o->size);
		if (add_frag(f, p, p->s + ch[i].off, len, w,
			     word_start && i == a))
			return -1;
		i = k;
	}
	return 0;
}

/* Where to cut a long word whose chars [start, k) fit the line and ch[k]
 * does not (start < k < nch), at[] its break opportunities by byte
 * (wstart: where the word starts in the paragraph's text). The last
 * opportunity in the fitting chars' second half (so that a line is not
 * left nearly empty), else the last URL-like break character there
 * (break_after), else the last opportunity, else the last grapheme
 * cluster boundary. */
static size_t long_word_cut(const struct tokens *t, const struct wchar *ch,
			    const char *at, size_t wstart, size_t start,
			    size_t k)
{
	size_t half = start + (k - start) / 2;

#define CH_BREAK(j) at[t->pieces[ch[j].piece].off + ch[j].off - wstart]
	for (size_t j = k; j > half; j--)
		if (CH_BREAK(j) == LB_BREAK)
			return j;
	for (size_t j = k; j > half; j--) {
		const struct piece *p = &t->pieces[ch[j - 1].piece];

		if (break_after(p->s + ch[j - 1].off, ch[j - 1].len))
			return j;
	}
	for (size_t j = half; j > start; j--)
		if (CH_BREAK(j) == LB_BREAK)
			return j;
	for (size_t j = k; j > start; j--)
		if (CH_BREAK(j) != LB_NO_BREAK)
			return j;
	return k;
}

/* The end of the grapheme cluster that starts at char start. */
static size_t cluster_end(const struct tokens *t, const struct wchar *ch,
			  const char *at, size_t wstart, size_t start,
			  size_t nch)
{
	size_t j = start + 1;

	while (j < nch && CH_BREAK(j) == LB_NO_BREAK)
		j++;
	return j;
#undef CH_BREAK
}

/* Place a word wider than the line, in chunks, starting on the open line
 * when it has room. The last chunk stays open for following words. */
static int place_long_word(struct filler *f, const struct fontset *fs,
			   const struct tokens *t, const struct word *w)
{
	const struct lb_opts *o = f->o;
	const struct piece *p0 = &t->pieces[w->first];
	const struct piece *pl = &t->pieces[w->first + w->n - 1];
	size_t wstart = p0->off, wlen = pl->off + pl->len - wstart;
	struct wchar *ch = NULL;
	size_t nch = 0, capch = 0, start = 0;
	char buf[256], *at = breaks_of(f->text + wstart, wlen, buf, sizeof buf);
	int rc = -1;

	if (!at)
		return -1;
	for (size_t k = w->first; k < w->first + w->n; k++) {
		const struct piece *p = &t->pieces[k];

		for (size_t off = 0; off < p->len;) {
			size_t l = utf8_len((unsigned char)p->s[off]);

			if (off + l > p->len)
				l = p->len - off;
			if (array_reserve(&ch, &capch, nch + 1,
			  sizeof *ch, 0))
				goto out;
			ch[nch].piece = k;
			ch[nch].off = off;
			ch[nch].len = l;
			ch[nch].w = piece_width(fs, p, p->s + off, l, o->size);
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
			/* A cluster wider than the line. */
			cut = cluster_end(t, ch, at, wstart, start, nch);
		} else {
			cut = long_word_cut(t, ch, at, wstart, start, k);
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
	breaks_free(at, buf);
	free(ch);
	return rc;
}

/* The width of w's text before byte cut of the paragraph's text (inside
 * the word): *k is the piece the cut falls in, *part its bytes before the
 * cut and *pw their width. */
static double prefix_width(const struct filler *f, const struct tokens *t,
			   const struct word *w, size_t cut, size_t *k,
			   size_t *part, double *pw)
{
	double before = 0;
	size_t j = w->first;
	const struct piece *p;

	while (cut > t->pieces[j].off + t->pieces[j].len)
		before += t->pieces[j++].w;
	p = &t->pieces[j];
	*k = j;
	*part = cut - p->off;
	*pw = piece_width(f->fs, p, p->s, *part, f->o->size);
	return before + *pw;
}

/* End the open line with w up to `part` bytes of its piece k (of width
 * pw), then a hyphen (of width hw) when `hyphen`; w becomes the rest of
 * the word, which starts the next line. */
static int split_word(struct filler *f, struct tokens *t, struct word *w,
		      size_t k, size_t part, double pw, bool hyphen, double hw)
{
	struct piece *p = &t->pieces[k];

	f->cur += w->space_w;
	for (size_t j = w->first; j < k; j++)
		if (add_frag(f, &t->pieces[j], t->pieces[j].s,
			     t->pieces[j].len, t->pieces[j].w, j == w->first))
			return -1;
	if (add_frag(f, p, p->s, part, pw, k == w->first))
		return -1;
	if (hyphen) {
		f->cur += hw;
		f->hyphen = true;
	}
	if (finish_line(f, true))
		return -1;
	if (part == p->len) {
		k++;
	} else {
		p->s += part;
		p->off += part;
		p->len -= part;
		p->w = piece_width(f->fs, p, p->s, p->len, f->o->size);
	}
	w->n -= k - w->first;
	w->first = k;
	w->w = 0;
	for (size_t j = k; j < k + w->n; j++)
		w->w += t->pieces[j].w;
	w->space_w = 0;
	return 0;
}

/* Whether UAX #14 (as lb_breaks tailors it) can break anywhere inside s:
 * not between ASCII letters, digits and . , : ; ' ", which most words of
 * a Latin-script briefing are made of, so those cost no analysis. */
static bool may_break_inside(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!ascii_alnum(c) && (!c || !strchr(".,:;'\"", c)))
			return true;
	}
	return false;
}

/* Whether w is a URL (a link's text, or text with "://"): one that fits
 * a line of its own goes there whole rather than leave its start
 * ("https://") at the end of a line. */
static bool is_url(const struct tokens *t, const struct word *w,
		   const char *s, size_t n)
{
	for (size_t k = w->first; k < w->first + w->n; k++)
		if (t->pieces[k].run->link == LINK_URI)
			return true;
	for (size_t i = 0; i + 3 <= n; i++)
		if (memcmp(s + i, "://", 3) == 0)
			return true;
	return false;
}

/* Whether the bytes of s before byte i end with a soft hyphen. */
static bool after_soft_hyphen(const char *s, size_t i)
{
	return i >= 2 && (unsigned char)s[i - 2] == 0xC2 &&
	       (unsigned char)s[i - 1] == 0xAD;
}

/* Break w at its last break opportunity (lb_breaks: after a hyphen or a
 * dash, between CJK characters, ...) that leaves its start on the open
 * line (not a URL: place_long_word breaks those wider than a line); after
 * a soft hyphen a hyphen is drawn. *done: it did, as
 * try_hyphen. The opportunities are searched by bisection (a word's
 * starts are wider the longer they are), so a long CJK run costs a few
 * measurements. Returns -1 when out of memory. */
static int try_break_inside(struct filler *f, struct tokens *t,
			    struct word *w, bool *done)
{
	const struct piece *p0 = &t->pieces[w->first];
	const struct piece *pl = &t->pieces[w->first + w->n - 1];
	size_t wstart = p0->off, wlen = pl->off + pl->len - wstart;
	const char *s = f->text + wstart;
	double room = f->o->width - f->cur - w->space_w, pw = 0;
	char buf[128], *at;
	size_t lo = 0, hi = wlen, k = 0, part = 0, fit = 0;

	*done = false;
	if (!f->open || room <= 0 || !may_break_inside(s, wlen) ||
	    is_url(t, w, s, wlen))
		return 0;
	at = breaks_of(s, wlen, buf, sizeof buf);
	if (!at)
		return -1;
	/* Opportunities up to lo fit (fit is the last found) and none from
	 * hi does; each probe is snapped back to an opportunity. */
	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2, cut = mid, kk, pp;
		double ppw, need;

		while (cut > lo && at[cut] != LB_BREAK)
			cut--;
		if (cut == lo) { /* none in (lo, mid] */
			lo = mid;
			continue;
		}
		need = prefix_width(f, t, w, wstart + cut, &kk, &pp, &ppw);
		if (after_soft_hyphen(s, cut))
			need += piece_width(f->fs, &t->pieces[kk], "-", 1,
					    f->o->size);
		if (need <= room + BREAK_EPS) {
			fit = cut;
			k = kk;
			part = pp;
			pw = ppw;
			lo = mid;
		} else {
			hi = cut;
		}
	}
	breaks_free(at, buf);
	if (!fit)
		return 0;
	*done = true;
	return split_word(f, t, w, k, part, pw, after_soft_hyphen(s, fit),
			  piece_width(f->fs, &t->pieces[k], "-", 1,
				      f->o->size));
}

/* Break w at the last hyphenation point that leaves its start and a
 * hyphen on the open line. *done: it did, the line is finished and w is
 * now the rest of the word. Only justified text of a language with a
 * dictionary is hyphenated (ragged text has no gaps to even out), in the
 * language of the word's run. */
static int try_hyphen(struct filler *f, struct tokens *t, struct word *w,
		      bool *done)
{
	const struct lb_opts *o = f->o;
	const struct piece *p0 = &t->pieces[w->first];
	const struct piece *pl = &t->pieces[w->first + w->n - 1];
	size_t at[32], n, wstart = p0->off, wlen = pl->off + pl->len - wstart;
	double room = o->width - f->cur - w->space_w;
	size_t gaps = 0;

	*done = false;
	if (!o->hy || !p0->lang || !f->open || w->hard_break ||
	    o->align != LB_JUSTIFY || room < 1.5 * o->size)
		return 0;
	/* A line whose spaces would grow by less than a space each is
	 * justified well enough as it is: no dictionary looked at. */
	for (size_t i = f->line_first; i < f->out->nfrags; i++)
		gaps += f->out->frags[i].word_start;
	if (gaps && o->width - f->cur <= (double)gaps * w->space_w)
		return 0;
	n = hyphen_points(o->hy, p0->lang, f->text + wstart, wlen, at,
			  sizeof at / sizeof at[0]);
	while (n-- > 0) {
		size_t k, part;
		double pw, hw, need;

		need = prefix_width(f, t, w, wstart + at[n], &k, &part, &pw);
		hw = piece_width(f->fs, &t->pieces[k], "-", 1, o->size);
		if (need + hw > room + BREAK_EPS)
			continue;
		*done = true;
		return split_word(f, t, w, k, part, pw, true, hw);
	}
	return 0;
}

/* Put all of w on the open line (after its space when the line has
 * words). */
static int put_word(struct filler *f, const struct tokens *t,
		    const struct word *w)
{
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

/* Place w; tail: the width of the glued words after it (with their
 * spaces), which must end its line with it. */
static int place_word(struct filler *f, const struct fontset *fs,
		      struct tokens *t, struct word *w, double tail)
{
	const struct lb_opts *o = f->o;

	if (w->hard_break && f->open && finish_line(f, false))
		return -1;
	/* A glued word stays on the line before it when it fits there. */
	if (w->glued && f->open &&
	    f->cur + w->space_w + w->w <= o->width + BREAK_EPS)
		return put_word(f, t, w);
	/* A chain wider than any line breaks where it must. */
	if (w->w + tail > o->width + BREAK_EPS)
		tail = 0;
	while (f->open &&
	       f->cur + w->space_w + w->w + tail > o->width + BREAK_EPS &&
	       w->w <= o->width + BREAK_EPS) {
		bool done;

		if (try_break_inside(f, t, w, &done))
			return -1;
		if (!done && try_hyphen(f, t, w, &done))
			return -1;
		if (!done)
			break;
	}
	if (f->open &&
	    f->cur + w->space_w + w->w + tail > o->width + BREAK_EPS) {
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
	return put_word(f, t, w);
}

/* Whether byte i of s (n bytes) belongs to the word around it for an
 * isolate: letters, digits, any non-ASCII byte, and the joiners of a URL
 * or a name ("bilan-1", "a.b/c") when a letter or digit follows them. */
static bool word_byte(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i], d;

	if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	if (!strchr("-/_:%?=&#@+~.", c) || c == '\0' || i + 1 >= n)
		return false;
	d = (unsigned char)s[i + 1];
	return d >= 0x80 || (d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') ||
	       (d >= 'A' && d <= 'Z');
}

/* The paragraph's bidi analysis, each run in the other direction than
 * the paragraph's (a dataset field in Arabic in a French line, a Latin
 * name in an Arabic one) isolated, so the numbers and punctuation after
 * it keep the paragraph's direction. */
static enum brief_status analyse(struct lb_para *p, bool rtl, struct diag *err)
{
	size_t *iso = NULL, n = 0;
	enum brief_status st;
	const char *text = p->text ? p->text : "";

	if (rtl || bidi_has_rtl(text, p->len)) {
		iso = malloc((2 * p->nspans + 1) * sizeof *iso);
		if (!iso)
			return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
					"out of memory breaking lines");
		/* From the word of its first letter of the other direction to
		 * the word of its last ("…/bilan-1" whole): brackets and
		 * spaces merged into the run around them stay outside. */
		for (size_t i = 0; p->nspans > 1 && i < p->nspans; i++) {
			const struct shape_span *sp = &p->spans[i];
			const char *s = text + sp->start;
			size_t a, e;

			if (rtl && bidi_has_rtl(s, sp->len))
				continue;
			if (bidi_strong_extent(s, sp->len, !rtl, &a, &e)) {
				while (a > 0 && word_byte(s, sp->len, a - 1))
					a--;
				while (e < sp->len && word_byte(s, sp->len, e))
					e++;
				iso[2 * n] = sp->start + a;
				iso[2 * n + 1] = sp->start + e;
				n++;
			}
		}
	}
	st = bidi_analyse_isolated(text, p->len, rtl ? BIDI_RTL : BIDI_LTR,
				   iso, n, &p->bidi, err);
	free(iso);
	return st;
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
	out->runs = runs;
	out->nruns = nruns;
	f.fs = fs;
	f.o = o;
	f.out = out;
	if (tokenize(fs, runs, nruns, o->size, o->style, o->lang, &t))
		goto out;
	f.text = t.text;
	/* Each word's tail (the glued words after it), from the end: one
	 * pass, however long a glued chain. */
	for (size_t i = t.nwords; i-- > 0;) {
		const struct word *next = i + 1 < t.nwords ? &t.words[i + 1]
							   : NULL;

		t.words[i].tail = next && next->glued
					  ? next->space_w + next->w + next->tail
					  : 0;
	}
	for (size_t i = 0; i < t.nwords; i++)
		if (place_word(&f, fs, &t, &t.words[i], t.words[i].tail))
			goto out;
	if (finish_line(&f, false))
		goto out;
	/* The text and spans pass to the paragraph. */
	out->text = t.text;
	out->len = t.len;
	out->captext = t.captext;
	out->spans = t.spans;
	out->nspans = t.nspans;
	out->capspans = t.capspans;
	t.text = NULL;
	t.spans = NULL;
	st = analyse(out, o->rtl, err);
	if (st != BRIEF_OK)
		goto failed;
out:
	if (st == BRIEF_ENOMEM)
		diag_set(err, st, NULL, 0, 0, "out of memory breaking lines");
failed:
	tokens_free(&t);
	if (st != BRIEF_OK)
		lb_para_free(out);
	return st;
}

void lb_para_free(struct lb_para *p)
{
	if (!p)
		return;
	free(p->frags);
	free(p->lines);
	free(p->text);
	free(p->spans);
	bidi_para_free(&p->bidi);
	memset(p, 0, sizeof *p);
}

enum brief_status lb_shape_line(const struct fontset *fs,
				const struct lb_para *p, size_t li,
				struct shape_line *out, struct diag *err)
{
	const struct lb_line *ln = &p->lines[li];

	return shape_line(fontset_shaper(fs), p->text, p->len, p->spans,
			  p->nspans, &p->bidi, ln->start, ln->end, ln->hyphen,
			  out, err);
}

enum brief_status lb_measure(const struct fontset *fs,
			     const struct doc_run *runs, size_t nruns,
			     double size, unsigned style, const char *lang,
			     double *min, double *max)
{
	struct tokens t = {0};
	double line = 0, chain = 0;
	enum brief_status st = BRIEF_ENOMEM;

	*min = 0;
	*max = 0;
	if (tokenize(fs, runs, nruns, size, style, lang, &t) == 0) {
		st = BRIEF_OK;
		for (size_t i = 0; i < t.nwords; i++) {
			const struct word *w = &t.words[i];

			if (w->hard_break || i == 0)
				line = w->w;
			else
				line += w->space_w + w->w;
			chain = w->glued ? chain + w->space_w + w->w : w->w;
			if (chain > *min)
				*min = chain;
			if (line > *max)
				*max = line;
		}
	}
	tokens_free(&t);
	return st;
}
