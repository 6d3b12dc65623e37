/* demo.c — the text engine end to end, without the rest of brief: lines
 * in French, Russian, Ukrainian, Spanish, Arabic (with Latin and digits)
 * and Hebrew, shaped (shape.h), reordered (bidi.h), a justified and
 * hyphenated paragraph per language (hyphenate.h), figures and dates in
 * each language (l10n.h), written to a PDF with positioned glyph runs
 * (pdf_glyphs.h). tests/cli/text.sh checks the PDF with pdftotext,
 * pdffonts, qpdf, mutool and PDFBox.
 *
 * Usage: text_demo OUT.pdf [--pdfa ICC] [--locale DIR]
 *        text_demo --bench [ROUNDS]      (cost of shaping per word)
 *        text_demo --bench-words FILE    (cost of shaping a text's words)
 * Run from the top of the source tree (fonts/, locale/). */
#include <hpdf.h>
#include <hpdf_pdfa.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bidi.h"
#include "fontset.h"
#include "hyphenate.h"
#include "l10n.h"
#include "pdf_fix.h"
#include "pdf_glyphs.h"
#include "shape.h"
#include "text_fonts.h"

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 56.0

struct demo {
	char fonts[64];
	struct fontset *fs;
	struct shaper *sh;
	struct hyphenator *hy;
	HPDF_Doc pdf;
	HPDF_Page page;
	struct pdf_glyphs *pg;
	double y;
	double max_overflow; /* widest line past its box, pt */
	double max_mismatch; /* measured against drawn line width, pt */
	int lines;
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	fprintf(stderr, "text_demo: libharu error 0x%04X (detail %u)\n",
		(unsigned)code, (unsigned)detail);
	longjmp(*(jmp_buf *)user, 1);
}

static int fail(const struct diag *err)
{
	diag_print(stderr, err, DIAG_ERROR);
	return 1;
}

static const struct rgba INK = {0.13, 0.13, 0.13, 1};
static const struct rgba ACCENT = {0.05, 0.35, 0.6, 1};
static const struct rgba MUTED = {0.42, 0.42, 0.42, 1};

/* Colours of span tags: 0 text, 1 accent, 2 muted. */
static struct rgba tag_color(void *ctx, int tag)
{
	(void)ctx;
	return tag == 1 ? ACCENT : tag == 2 ? MUTED : INK;
}

/* Languages of span tags: tag 3 is English inside another language. */
static const char *tag_lang(void *ctx, int tag)
{
	(void)ctx;
	return tag == 3 ? "en" : NULL;
}

static enum bidi_base base_for(const char *lang)
{
	return bidi_language_rtl(lang) ? BIDI_RTL : BIDI_LTR;
}

/* Draw one shaped line aligned in [left, left + width]. */
static int draw(struct demo *d, const struct shape_line *ln, double left,
		double width, double size, double word_space, const char *lang,
		struct diag *err)
{
	struct pdf_glyph_opts o = {.size = size, .color = INK,
				   .word_space = word_space,
				   .lang = lang, .run_color = tag_color,
				   .run_lang = tag_lang};
	double w = pdf_glyphs_line_width(ln, &o);
	double x = ln->rtl ? left + width - w : left;

	if (w - width > d->max_overflow)
		d->max_overflow = w - width;
	d->lines++;
	return pdf_glyphs_line(d->pg, d->page, x, PAGE_H - d->y, &o, ln, err) !=
	       BRIEF_OK;
}

/* A heading or single line: spans given, whole text one line. */
static int line(struct demo *d, const char *lang, const char *s,
		const struct shape_span *sp, size_t nsp, double size,
		struct diag *err)
{
	struct bidi_para bp;
	struct shape_line ln;
	int rc;

	if (bidi_analyse(s, strlen(s), base_for(lang), &bp, err) != BRIEF_OK)
		return 1;
	if (shape_line(d->sh, s, strlen(s), sp, nsp, &bp, 0, strlen(s), false,
		       &ln, err) != BRIEF_OK) {
		bidi_para_free(&bp);
		return 1;
	}
	d->y += size * 1.45;
	rc = draw(d, &ln, MARGIN, PAGE_W - 2 * MARGIN, size, 0, NULL, err);
	shape_line_free(&ln);
	bidi_para_free(&bp);
	return rc;
}

static int plain(struct demo *d, const char *lang, const char *s, double size,
		 enum font_style style, int tag, struct diag *err)
{
	struct shape_span sp = {0, strlen(s), style, lang, tag};

	return line(d, lang, s, &sp, 1, size, err);
}

/* ---- a small greedy line breaker over shaped widths ------------------ */

/* How brief's line breaker will use the engine: words and spaces
 * measured with shape_text_width (shaped once, then from the cache), and
 * each line shaped with shape_line, which takes the same words from the
 * word cache, so the line drawn is exactly as wide as the line measured. */
struct breaker {
	struct demo *d;
	const char *s, *lang;
	size_t len;
	double size, width;
	struct bidi_para bp;
	struct shape_span sp;
};

static double width_of(struct breaker *b, size_t from, size_t to, bool hyph)
{
	double w = 0;

	for (size_t i = from; i < to;) {
		size_t j = i;

		while (j < to && b->s[j] != ' ')
			j++;
		w += shape_text_width(b->d->sh, b->sp.style, b->lang, b->s + i,
				      j - i, b->size);
		if (j < to)
			w += shape_text_width(b->d->sh, b->sp.style, b->lang, " ",
					      1, b->size);
		i = j + 1;
	}
	if (hyph)
		w += shape_text_width(b->d->sh, b->sp.style, b->lang, "-", 1,
				      b->size);
	return w;
}

/* Where the line starting at `from` ends: after the last word that fits,
 * or at a hyphenation point of the word that does not. */
static size_t line_end(struct breaker *b, size_t from, bool *hyph)
{
	size_t end = from, i = from;

	*hyph = false;
	while (i < b->len) {
		size_t j = i, at[32], n;

		while (j < b->len && b->s[j] != ' ')
			j++;
		if (width_of(b, from, j, false) <= b->width) {
			end = j;
			i = j + 1;
			continue;
		}
		n = hyphen_points(b->d->hy, b->lang, b->s + i, j - i, at, 32);
		while (n-- > 0)
			if (width_of(b, from, i + at[n], true) <= b->width) {
				*hyph = true;
				return i + at[n];
			}
		break;
	}
	if (end == from) /* one word wider than the line */
		for (end = from; end < b->len && b->s[end] != ' '; end++)
			;
	return end;
}

static int paragraph(struct demo *d, const char *lang, const char *s,
		     double left, double width, double size, struct diag *err)
{
	struct breaker b = {.d = d, .s = s, .lang = lang, .len = strlen(s),
			    .size = size, .width = width};
	size_t from = 0;
	int rc = 0;

	b.sp = (struct shape_span){0, b.len, FONT_REGULAR, lang, 0};
	if (bidi_analyse(s, b.len, base_for(lang), &b.bp, err) != BRIEF_OK)
		return 1;
	while (from < b.len && rc == 0) {
		bool hyph, last;
		size_t end = line_end(&b, from, &hyph);
		struct shape_line ln;
		double ws = 0;

		last = end >= b.len;
		if (shape_line(d->sh, s, b.len, &b.sp, 1, &b.bp, from, end, hyph,
			       &ln, err) != BRIEF_OK) {
			rc = 1;
			break;
		}
		/* The measured width is the drawn width. */
		if (fabs(ln.width_em * size - width_of(&b, from, end, hyph)) >
		    d->max_mismatch)
			d->max_mismatch = fabs(ln.width_em * size -
					       width_of(&b, from, end, hyph));
		/* Justified: the shaped line's slack spread over its spaces. */
		if (!last && ln.nspaces > 0)
			ws = (width - ln.width_em * size) / (double)ln.nspaces;
		d->y += size * 1.4;
		rc = draw(d, &ln, left, width, size, ws > 0 ? ws : 0, NULL, err);
		shape_line_free(&ln);
		from = hyph ? end : end + 1;
	}
	bidi_para_free(&b.bp);
	d->y += size * 0.8;
	return rc;
}

/* ---- the page ---------------------------------------------------------- */

#define AR_TEXT                                                             \
	"\xD9\x86\xD8\xB2\xD8\xAD \xD8\xA3\xD9\x83\xD8\xAB\xD8\xB1 "        \
	"\xD9\x85\xD9\x86 100,000 \xD8\xB4\xD8\xAE\xD8\xB5 (UNHCR"          \
	"\xD8\x8C 2023)."
/* نزح أكثر من 100,000 شخص (UNHCR، 2023). */
#define AR_HEAD                                                             \
	"\xD9\x85\xD8\xAD\xD8\xB1\xD9\x91\xD9\x83 \xD8\xA7\xD9\x84\xD9\x86"  \
	"\xD8\xB5\xD9\x88\xD8\xB5 \xD9\x81\xD9\x8A brief"
/* محرّك النصوص في brief */
#define AR_LA                                                               \
	"\xD9\x84\xD8\xA7 \xD8\xA8\xD9\x8E\xD9\x8A\xD9\x92\xD8\xAA\xD9\x8C " \
	"(\xD9\xA1\xD9\xA2\xD9\xAB\xD9\xA5\xD9\xAA)"
/* لا بَيْتٌ (١٢٫٥٪) */
#define HE_TEXT                                                             \
	"\xD7\x9C\xD7\xA4\xD7\x99 UNHCR, 2023: \xD7\x99\xD7\x95\xD7\xAA"    \
	"\xD7\xA8 \xD7\x9E\xD6\xBE" "100,000 \xD7\xA2\xD7\xA7\xD7\x95\xD7\xA8" \
	"\xD7\x99\xD7\x9D."
/* לפי UNHCR, 2023: יותר מ־100,000 עקורים. */

static const char fr_para[] =
	"Le d\xC3\xA9placement de la population a commenc\xC3\xA9 le "
	"19 septembre 2023\xE2\x80\xAF; en une semaine, plus de 100\xE2\x80\xAF"
	"000 personnes ont quitt\xC3\xA9 la r\xC3\xA9gion. Les organisations "
	"humanitaires estiment que l\xE2\x80\x99" "efficacit\xC3\xA9 de "
	"l\xE2\x80\x99" "assistance d\xC3\xA9pendait de la coordination "
	"internationale et de l\xE2\x80\x99" "acc\xC3\xA8s aux r\xC3\xA9"
	"fugi\xC3\xA9s.";
static const char ru_para[] =
	"\xD0\x9D\xD0\xB0\xD1\x81\xD0\xB5\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB8"
	"\xD0\xB5 \xD1\x80\xD0\xB5\xD0\xB3\xD0\xB8\xD0\xBE\xD0\xBD\xD0\xB0 "
	"\xD0\xBF\xD0\xBE\xD0\xBA\xD0\xB8\xD0\xBD\xD1\x83\xD0\xBB\xD0\xBE "
	"\xD1\x81\xD0\xB2\xD0\xBE\xD0\xB8 \xD0\xB4\xD0\xBE\xD0\xBC\xD0\xB0 "
	"\xD0\xB2 \xD1\x82\xD0\xB5\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5 "
	"\xD0\xBD\xD0\xB5\xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB8; "
	"\xD0\xB3\xD1\x83\xD0\xBC\xD0\xB0\xD0\xBD\xD0\xB8\xD1\x82\xD0\xB0"
	"\xD1\x80\xD0\xBD\xD1\x8B\xD0\xB5 \xD0\xBE\xD1\x80\xD0\xB3\xD0\xB0"
	"\xD0\xBD\xD0\xB8\xD0\xB7\xD0\xB0\xD1\x86\xD0\xB8\xD0\xB8 "
	"\xD0\xBA\xD0\xBE\xD0\xBE\xD1\x80\xD0\xB4\xD0\xB8\xD0\xBD\xD0\xB8"
	"\xD1\x80\xD0\xBE\xD0\xB2\xD0\xB0\xD0\xBB\xD0\xB8 "
	"\xD0\xBF\xD0\xBE\xD0\xBC\xD0\xBE\xD1\x89\xD1\x8C "
	"\xD0\xB1\xD0\xB5\xD0\xB6\xD0\xB5\xD0\xBD\xD1\x86\xD0\xB0\xD0\xBC "
	"\xD0\xB8 \xD0\xB2\xD1\x8B\xD0\xBD\xD1\x83\xD0\xB6\xD0\xB4\xD0\xB5"
	"\xD0\xBD\xD0\xBD\xD1\x8B\xD0\xBC "
	"\xD0\xBF\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD0\xB5\xD0\xBB\xD0\xB5"
	"\xD0\xBD\xD1\x86\xD0\xB0\xD0\xBC.";
/* Население региона покинуло свои дома в течение недели; гуманитарные
 * организации координировали помощь беженцам и вынужденным переселенцам. */
static const char ar_para[] =
	"\xD9\x82\xD8\xAF\xD9\x91\xD8\xB1\xD8\xAA \xD8\xA7\xD9\x84\xD9\x85"
	"\xD9\x86\xD8\xB8\xD9\x85\xD8\xA7\xD8\xAA \xD8\xA7\xD9\x84\xD8\xA5"
	"\xD9\x86\xD8\xB3\xD8\xA7\xD9\x86\xD9\x8A\xD8\xA9 \xD8\xA3\xD9\x86 "
	"\xD8\xA3\xD9\x83\xD8\xAB\xD8\xB1 \xD9\x85\xD9\x86 100,000 "
	"\xD8\xB4\xD8\xAE\xD8\xB5 \xD8\xBA\xD8\xA7\xD8\xAF\xD8\xB1\xD9\x88"
	"\xD8\xA7 \xD8\xA7\xD9\x84\xD9\x85\xD9\x86\xD8\xB7\xD9\x82\xD8\xA9 "
	"\xD8\xAE\xD9\x84\xD8\xA7\xD9\x84 \xD8\xA3\xD8\xB3\xD8\xA8\xD9\x88"
	"\xD8\xB9 \xD9\x88\xD8\xA7\xD8\xAD\xD8\xAF\xD8\x8C \xD9\x88\xD9\x81"
	"\xD9\x82 \xD8\xAA\xD9\x82\xD8\xB1\xD9\x8A\xD8\xB1 UNHCR "
	"\xD8\xA7\xD9\x84\xD8\xB5\xD8\xA7\xD8\xAF\xD8\xB1 \xD9\x81\xD9\x8A "
	"\xD8\xA3\xD9\x83\xD8\xAA\xD9\x88\xD8\xA8\xD8\xB1 2023.";
/* قدّرت المنظمات الإنسانية أن أكثر من 100,000 شخص غادروا المنطقة خلال
 * أسبوع واحد، وفق تقرير UNHCR الصادر في أكتوبر 2023. */

/* Figures and dates worded by each catalogue: the left-to-right ones,
 * or Arabic with Latin and with Arabic-Indic digits. */
static int l10n_lines(struct demo *d, const char *locale, bool rtl,
		      struct diag *err)
{
	static const char *const ltr[] = {"en", "fr", "es", "ru", "uk"};
	const struct date day = {2023, 9, 19};
	size_t n = rtl ? 2 : sizeof ltr / sizeof *ltr;

	for (size_t i = 0; i < n; i++) {
		const char *lang = rtl ? "ar" : ltr[i];
		struct l10n *l;
		char buf[512], date[96], fig[96], pct[64], page[96], one[16],
			four[16];

		if (l10n_open(locale, lang, NULL, &l, err) != BRIEF_OK)
			return 1;
		if (rtl && i == 1)
			l10n_set_digits(l, L10N_DIGITS_NATIVE);
		l10n_date_long(l, &day, date, sizeof date);
		l10n_figure(l, 12000, false, 0, QUAL_AT_LEAST, "people", fig,
			    sizeof fig);
		l10n_percent(l, 12.5, 1, pct, sizeof pct);
		l10n_format(l, L10N_PAGE_OF, page, sizeof page,
			    l10n_number(l, 1, 0, one, sizeof one),
			    l10n_number(l, 4, 0, four, sizeof four));
		snprintf(buf, sizeof buf, "%s \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 %s "
			 "\xC2\xB7 %s", l10n_text(l, L10N_SOURCES), date, fig,
			 pct, page);
		if (plain(d, lang, buf, 10, FONT_REGULAR, 0, err)) {
			l10n_free(l);
			return 1;
		}
		l10n_free(l);
	}
	return 0;
}

/* Page 1: left-to-right languages, with Arabic and Hebrew inside. */
static int page_ltr(struct demo *d, const char *locale, struct diag *err)
{
	const char *head = "brief text engine: shaping, bidi, hyphenation";
	const char *fr = "Fran\xC3\xA7" "ais\xE2\x80\xAF: l\xE2\x80\x99"
			 "efficacit\xC3\xA9 des r\xC3\xA9" "fugi\xC3\xA9s, "
			 "AVATAR, Tourn\xC3\xA9" "e, \xC2\xAB au moins 40 \xC2\xBB";
	const char *ru = "\xD0\xA0\xD1\x83\xD1\x81\xD1\x81\xD0\xBA\xD0\xB8"
			 "\xD0\xB9: \xD0\x9D\xD0\xB0\xD0\xB3\xD0\xBE\xD1\x80"
			 "\xD0\xBD\xD1\x8B\xD0\xB9 \xD0\x9A\xD0\xB0\xD1\x80"
			 "\xD0\xB0\xD0\xB1\xD0\xB0\xD1\x85, \xD0\xBE\xD0\xBA"
			 "\xD0\xBE\xD0\xBB\xD0\xBE 120\xC2\xA0" "000 "
			 "\xD1\x87\xD0\xB5\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xB5"
			 "\xD0\xBA";
	/* Русский: Нагорный Карабах, около 120 000 человек */
	const char *pre = "English inside Fran\xC3\xA7" "ais: the word ";
	const char *mixed = "English inside Fran\xC3\xA7" "ais: the word "
			    "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 in Arabic";
	struct shape_span mixed_sp[3] = {
		{0, 7, FONT_BOLD, "en", 3},
		{7, strlen(pre) - 7, FONT_REGULAR, "fr", 0},
		{strlen(pre), strlen(mixed) - strlen(pre), FONT_ITALIC, "fr", 1}};
	double col = (PAGE_W - 2 * MARGIN - 24) / 2;
	double top;

	d->y = MARGIN;
	if (plain(d, "en", head, 16, FONT_BOLD, 1, err) ||
	    plain(d, "fr", fr, 12, FONT_REGULAR, 0, err) ||
	    plain(d, "ru", ru, 12, FONT_REGULAR, 0, err) ||
	    line(d, "fr", mixed, mixed_sp, 3, 11, err))
		return 1;
	d->y += 8;
	if (plain(d, "en", "Figures and dates from the catalogues (locale/)",
		  11, FONT_BOLD, 1, err) ||
	    l10n_lines(d, locale, false, err))
		return 1;
	d->y += 8;
	if (plain(d, "en", "Justified and hyphenated: French, Russian", 11,
		  FONT_BOLD, 1, err))
		return 1;
	top = d->y;
	if (paragraph(d, "fr", fr_para, MARGIN, col, 10, err))
		return 1;
	d->y = top;
	return paragraph(d, "ru", ru_para, MARGIN + col + 24, col, 10, err);
}

/* Page 2: right to left (an Arabic page, as an Arabic briefing is). */
static int page_rtl(struct demo *d, const char *locale, struct diag *err)
{
	d->y = MARGIN;
	if (plain(d, "ar", AR_HEAD, 16, FONT_BOLD, 1, err) ||
	    plain(d, "ar", AR_TEXT, 13, FONT_REGULAR, 0, err) ||
	    plain(d, "ar", AR_LA, 13, FONT_BOLD, 0, err) ||
	    plain(d, "he", HE_TEXT, 13, FONT_REGULAR, 0, err))
		return 1;
	d->y += 8;
	if (l10n_lines(d, locale, true, err))
		return 1;
	d->y += 8;
	return paragraph(d, "ar", ar_para, MARGIN, PAGE_W - 2 * MARGIN, 12,
			 err);
}

static HPDF_Page new_page(HPDF_Doc pdf)
{
	HPDF_Page p = HPDF_AddPage(pdf);

	HPDF_Page_SetWidth(p, (HPDF_REAL)PAGE_W);
	HPDF_Page_SetHeight(p, (HPDF_REAL)PAGE_H);
	return p;
}

static int write_pdf(const char *out, const char *icc, const char *locale)
{
	struct demo d = {0};
	struct diag err;
	jmp_buf jb;
	volatile int rc = 1;

	if (text_fonts_make(d.fonts) != 0)
		return 1;
	if (fontset_open(d.fonts, &d.fs, &err) != BRIEF_OK ||
	    shaper_new(d.fs, &d.sh, &err) != BRIEF_OK ||
	    hyphen_new(NULL, &d.hy, &err) != BRIEF_OK) {
		fail(&err);
		goto out;
	}
	d.pdf = HPDF_New(on_error, &jb);
	if (!d.pdf)
		goto out;
	if (setjmp(jb))
		goto out;
	HPDF_SetCompressionMode(d.pdf, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_TITLE, "brief text engine demo");
	HPDF_SetInfoAttr(d.pdf, HPDF_INFO_PRODUCER, "brief text_demo");
	if (icc)
		HPDF_PDFA_SetPDFAConformance(d.pdf, HPDF_PDFA_1B);
	if (pdf_glyphs_new(d.pdf, d.sh, &d.pg, &err) != BRIEF_OK ||
	    pdf_glyphs_doc_lang(d.pdf, "en", &err) != BRIEF_OK) {
		fail(&err);
		goto out;
	}
	d.page = new_page(d.pdf);
	if (page_ltr(&d, locale, &err)) {
		fail(&err);
		goto out;
	}
	d.page = new_page(d.pdf);
	if (page_rtl(&d, locale, &err) ||
	    pdf_glyphs_finish(d.pg, &err) != BRIEF_OK) {
		fail(&err);
		goto out;
	}
	if (icc && pdf_fix_pdfa(d.pdf, icc) != HPDF_OK)
		goto out;
	if (HPDF_SaveToFile(d.pdf, out) != HPDF_OK)
		goto out;
	for (int i = 0;; i++) {
		struct pdf_glyphs_face_info fi;

		if (!pdf_glyphs_info(d.pg, i, &fi))
			break;
		printf("# font %s: %u glyphs, %u mapped, %zu bytes\n", fi.name,
		       fi.glyphs, fi.mapped, fi.font_bytes);
	}
	printf("# %d lines, widest overflow %.3f pt, measured and drawn widths "
	       "differ by at most %.6f pt\n", d.lines, d.max_overflow,
	       d.max_mismatch);
	rc = 0;
out:
	pdf_glyphs_free(d.pg);
	if (d.pdf)
		HPDF_Free(d.pdf);
	hyphen_free(d.hy);
	shaper_free(d.sh);
	fontset_free(d.fs);
	text_fonts_remove(d.fonts);
	return rc;
}

/* ---- measurements ---------------------------------------------------- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The words of the demo's paragraphs, as the line breaker sees them. */
static size_t words(const char **w, size_t *wl, size_t max)
{
	const char *paras[] = {fr_para, ru_para, ar_para};
	size_t n = 0;

	for (size_t p = 0; p < 3; p++)
		for (const char *s = paras[p]; *s && n < max;) {
			const char *e = strchr(s, ' ');

			if (!e)
				e = s + strlen(s);
			w[n] = s;
			wl[n++] = (size_t)(e - s);
			s = *e ? e + 1 : e;
		}
	return n;
}

/* Mean time per word of fn over the words, rounds times. */
static double per_word(struct shaper *sh, struct fontset *fs, bool shaped,
		       const char **w, const size_t *wl, size_t n, int rounds,
		       double *sink)
{
	double t0 = now();

	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			*sink += shaped ? shape_text_width(sh, FONT_REGULAR, NULL,
							   w[i], wl[i], 10)
					: fontset_advance_width(fs, FONT_REGULAR,
							     w[i], wl[i], 10);
	return (now() - t0) / (double)(n * (size_t)rounds) * 1e9;
}

static int bench(int rounds)
{
	char dir[64];
	struct fontset *fs = NULL;
	struct shaper *sh = NULL;
	struct diag err;
	const char *w[256];
	size_t wl[256], n = words(w, wl, 256);
	double sink = 0, t0, first, uncached, cached, plain;
	struct shape_stats st;

	if (text_fonts_make(dir) != 0 || fontset_open(dir, &fs, &err) != BRIEF_OK ||
	    shaper_new(fs, &sh, &err) != BRIEF_OK)
		return 1;
	t0 = now();
	per_word(sh, fs, true, w, wl, n, 1, &sink); /* loads the fonts' tables */
	first = now() - t0;
	shaper_set_cache(sh, false);
	uncached = per_word(sh, fs, true, w, wl, n, rounds, &sink);
	shaper_set_cache(sh, true);
	per_word(sh, fs, true, w, wl, n, 1, &sink);
	cached = per_word(sh, fs, true, w, wl, n, rounds, &sink);
	plain = per_word(sh, fs, false, w, wl, n, rounds, &sink);
	shape_stats(sh, &st);
	printf("words: %zu (French, Russian, Arabic), %d rounds (sum %.0f)\n",
	       n, rounds, sink);
	printf("first pass, fonts' tables loading: %.2f ms\n", first * 1e3);
	printf("shape_text_width, shaping (no cache): %6.0f ns/word\n",
	       uncached);
	printf("shape_text_width, cached:             %6.0f ns/word\n", cached);
	printf("fontset_advance_width (unshaped):        %6.0f ns/word\n", plain);
	printf("cache: %lu lookups, %lu hits, %lu flushes\n", st.lookups,
	       st.hits, st.flushes);
	shaper_free(sh);
	fontset_free(fs);
	text_fonts_remove(dir);
	return 0;
}

/* Every word of a text file measured as a line breaker would, once with
 * the shaper (a fresh cache, so each new word is shaped) and once
 * unshaped: what shaping would cost a document with that text. */
static int bench_file(const char *path)
{
	char dir[64], *buf = NULL;
	struct fontset *fs = NULL;
	struct shaper *sh = NULL;
	struct diag err;
	FILE *f = fopen(path, "rb");
	size_t n = 0, nw = 0;
	double sink = 0, t0, shaped = 0, plain = 0, para;
	struct shape_stats st;
	int rc = 1;

	if (!f)
		return 1;
	buf = malloc(1 << 22);
	if (buf)
		n = fread(buf, 1, (1 << 22) - 1, f);
	fclose(f);
	if (!buf || text_fonts_make(dir) != 0)
		goto out;
	if (fontset_open(dir, &fs, &err) != BRIEF_OK ||
	    shaper_new(fs, &sh, &err) != BRIEF_OK)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		t0 = now();
		for (size_t i = 0; i < n;) {
			size_t j = i;

			while (j < n && buf[j] != ' ' && buf[j] != '\n')
				j++;
			if (j > i) {
				sink += pass ? fontset_advance_width(fs, FONT_REGULAR,
								  buf + i, j - i, 10)
					     : shape_text_width(sh, FONT_REGULAR,
								"en", buf + i,
								j - i, 10);
				nw += pass == 0;
			}
			i = j + 1;
		}
		if (pass)
			plain = now() - t0;
		else
			shaped = now() - t0;
	}
	/* Then each paragraph (blank-line separated) shaped as one line, as
	 * drawing it would: its words come from the cache. */
	t0 = now();
	for (size_t i = 0; i < n;) {
		size_t j = i;
		struct shape_line ln;
		struct shape_span sp;

		while (j < n && !(buf[j] == '\n' && j + 1 < n && buf[j + 1] == '\n'))
			j++;
		for (size_t k = i; k < j; k++)
			if (buf[k] == '\n')
				buf[k] = ' ';
		sp = (struct shape_span){0, j - i, FONT_REGULAR, "en", 0};
		if (j > i && shape_line(sh, buf + i, j - i, &sp, 1, NULL, 0, j - i,
					false, &ln, &err) == BRIEF_OK) {
			sink += ln.width_em;
			shape_line_free(&ln);
		}
		i = j + 2;
	}
	para = now() - t0;
	shape_stats(sh, &st);
	printf("%zu words, %lu distinct; word cache: %lu lookups, %lu hits "
	       "(sum %.0f)\n", nw, st.lookups - st.hits, st.word_lookups,
	       st.word_hits, sink);
	printf("measuring word by word: %.2f ms shaped and cached, %.2f ms "
	       "unshaped; drawing the text as lines: %.2f ms\n",
	       shaped * 1e3, plain * 1e3, para * 1e3);
	rc = 0;
out:
	shaper_free(sh);
	fontset_free(fs);
	if (dir[0] == '/')
		text_fonts_remove(dir);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *icc = NULL, *locale = "locale";

	if (argc >= 2 && strcmp(argv[1], "--bench") == 0)
		return bench(argc >= 3 ? atoi(argv[2]) : 200);
	if (argc == 3 && strcmp(argv[1], "--bench-words") == 0)
		return bench_file(argv[2]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pdfa") == 0 && i + 1 < argc)
			icc = argv[++i];
		else if (strcmp(argv[i], "--locale") == 0 && i + 1 < argc)
			locale = argv[++i];
		else if (!out && argv[i][0] != '-')
			out = argv[i];
		else
			out = NULL, i = argc;
	}
	if (!out) {
		fprintf(stderr, "usage: text_demo OUT.pdf [--pdfa ICC] "
				"[--locale DIR] | --bench [ROUNDS] | "
				"--bench-words FILE\n");
		return 2;
	}
	return write_pdf(out, icc, locale);
}
