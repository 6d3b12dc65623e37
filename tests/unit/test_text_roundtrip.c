/* test_text_roundtrip.c — a property test of the whole text path: layouts
 * generated from fixed seeds, their words drawn from every character the
 * shipped fonts map (Noto Sans and Noto Sans Armenian: Latin, Greek,
 * Cyrillic, Armenian, combining marks, punctuation, currency, symbols),
 * in headings, paragraphs, bold and italic, lists, quotes, key figure
 * labels and the title. Some documents also get characters the fonts
 * cannot draw (no glyph, right-to-left, past U+FFFF). Each document either
 * builds and every word comes back from pdftotext as written, or (exactly
 * when it has such characters) is refused with one error at the line and
 * column of each of them. Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hb.h>
#include <unictype.h>
#include <unistr.h>

#include "layout.h"
#include "typeset.h"

#define DOCS_PER_SEED 6
#define MAX_WORDS 400
#define MAX_BAD 32

static struct fontset *fs;
static hb_codepoint_t *good;  /* every code point the fonts map, usable in words */
static size_t ngood;
static hb_codepoint_t *marks; /* combining marks among them (after a base) */
static size_t nmarks;
static hb_set_t *mapped;

static uint64_t rng;

static unsigned next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* What a word may hold: letters, digits, marks, symbols and punctuation
 * outside ASCII (ASCII punctuation is Markdown's and YAML's syntax), no
 * U+FFFD,
 * spaces or format characters (they are not parts of words), nothing
 * right-to-left. */
static bool word_char(hb_codepoint_t c)
{
	int bidi = uc_bidi_category(c);

	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		       (c >= '0' && c <= '9');
	/* Hebrew and Arabic (their marks too) are right-to-left text, not
	 * parts of Latin words. U+FFFD would pass for a character lost on
	 * the way. */
	if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
	    (c >= 0xFE70 && c <= 0xFEFF))
		return false;
	return c != 0xFFFD && !uc_is_general_category(c, UC_CATEGORY_Z) &&
	       !uc_is_general_category(c, UC_CATEGORY_C) &&
	       bidi != UC_BIDI_R && bidi != UC_BIDI_AL;
}

static int setup(void **state)
{
	static const char *const files[] = {
		"fonts/NotoSans-Regular.ttf", "fonts/NotoSans-Bold.ttf",
		"fonts/NotoSans-Italic.ttf", "fonts/NotoSans-BoldItalic.ttf",
		"fonts/NotoSansArmenian-Regular.ttf",
		"fonts/NotoSansArmenian-Bold.ttf",
		"fonts/NotoSansArabic-Regular.ttf",
		"fonts/NotoSansArabic-Bold.ttf",
		"fonts/NotoSansHebrew-Regular.ttf",
		"fonts/NotoSansHebrew-Bold.ttf"};
	struct diag err = {0};

	(void)state;
	mapped = hb_set_create();
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		hb_blob_t *b = hb_blob_create_from_file(files[i]);
		hb_face_t *f = hb_face_create(b, 0);

		hb_face_collect_unicodes(f, mapped);
		hb_face_destroy(f);
		hb_blob_destroy(b);
	}
	good = calloc(hb_set_get_population(mapped), sizeof *good);
	marks = calloc(hb_set_get_population(mapped), sizeof *marks);
	if (!good || !marks)
		return -1;
	for (hb_codepoint_t c = HB_SET_VALUE_INVALID; hb_set_next(mapped, &c);) {
		if (!word_char(c))
			continue;
		if (uc_is_general_category(c, UC_CATEGORY_M))
			marks[nmarks++] = c;
		else
			good[ngood++] = c;
	}
	/* Latin, Greek, Cyrillic and Armenian at the least */
	if (ngood < 2000 || nmarks < 50)
		return -1;
	return fontset_open("fonts", &fs, &err) == BRIEF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fontset_free(fs);
	hb_set_destroy(mapped);
	free(good);
	free(marks);
	return 0;
}

/* A character the fonts cannot draw: none has it, or it is past U+FFFF
 * (Hebrew and Arabic have fonts now). */
static hb_codepoint_t bad_char(void)
{
	static const hb_codepoint_t range[][2] = {
		{0x05D0, 0x05EA},   /* Hebrew */
		{0x0627, 0x064A},   /* Arabic */
		{0x0905, 0x0939},   /* Devanagari */
		{0x0E01, 0x0E2E},   /* Thai */
		{0x4E00, 0x9FA5},   /* CJK */
		{0xAC00, 0xD7A3},   /* Hangul */
		{0x1F600, 0x1F64F}, /* emoji */
		{0x0378, 0x0379},   /* unassigned */
	};

	for (;;) {
		unsigned r = next(sizeof range / sizeof *range);
		hb_codepoint_t c = range[r][0] +
				   next(range[r][1] - range[r][0] + 1);
		if (!hb_set_has(mapped, c) || c > 0xFFFF)
			return c;
	}
}

struct gen {
	char *s;
	size_t n, cap;
	long line, col; /* where the next byte goes */
	char *words[MAX_WORDS];
	size_t nwords;
	long bad_line[MAX_BAD], bad_col[MAX_BAD];
	size_t nbad;
	bool with_bad;
};

static void put(struct gen *g, const char *s, size_t n)
{
	if (g->n + n + 1 > g->cap) {
		g->cap = (g->n + n + 1) * 2;
		g->s = realloc(g->s, g->cap);
		assert_non_null(g->s);
	}
	memcpy(g->s + g->n, s, n);
	g->n += n;
	g->s[g->n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			g->line++;
			g->col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			g->col++;
		}
	}
}

static void puts_(struct gen *g, const char *s)
{
	put(g, s, strlen(s));
}

static void put_cp(struct gen *g, hb_codepoint_t c, char *w, size_t *wn)
{
	uint8_t b[4];
	int k = u8_uctomb(b, c, 4);

	put(g, (const char *)b, (size_t)k);
	memcpy(w + *wn, b, (size_t)k);
	*wn += (size_t)k;
}

/* A word of 1..8 characters, a mark now and then after a base; in a
 * document with_bad, sometimes one undrawable character between good
 * ones (so that it is an error of its own, at its own column). */
static void word(struct gen *g)
{
	char w[64];
	size_t wn = 0, len = 1 + next(8);

	if (g->with_bad && g->nbad < MAX_BAD && next(12) == 0) {
		put_cp(g, good[next((unsigned)ngood)], w, &wn);
		g->bad_line[g->nbad] = g->line;
		g->bad_col[g->nbad++] = g->col;
		put_cp(g, bad_char(), w, &wn);
	}
	for (size_t i = 0; i < len; i++) {
		put_cp(g, good[next((unsigned)ngood)], w, &wn);
		if (next(6) == 0)
			put_cp(g, marks[next((unsigned)nmarks)], w, &wn);
	}
	w[wn] = '\0';
	if (g->nwords < MAX_WORDS) {
		g->words[g->nwords] = strdup(w);
		assert_non_null(g->words[g->nwords]);
		g->nwords++;
	}
}

static void words(struct gen *g, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			puts_(g, sep);
		word(g);
	}
}

/* A paragraph: words, some in bold or italic. */
static void paragraph(struct gen *g)
{
	size_t n = 3 + next(25);

	for (size_t i = 0; i < n; i++) {
		unsigned k = next(10);

		if (i)
			puts_(g, i % 9 == 8 ? "\n" : " ");
		puts_(g, k == 0 ? "**" : k == 1 ? "*" : "");
		word(g);
		puts_(g, k == 0 ? "**" : k == 1 ? "*" : "");
	}
	puts_(g, "\n\n");
}

static void generate(struct gen *g, const char *data)
{
	unsigned blocks = 3 + next(8);

	memset(g, 0, sizeof *g);
	g->line = 1;
	g->col = 1;
	g->with_bad = next(3) == 0;
	puts_(g, "---\ntitle: \"");
	words(g, 1 + next(3), " ");
	puts_(g, "\"\ndata: ");
	puts_(g, data);
	puts_(g, "\n---\n\n");
	for (unsigned b = 0; b < blocks; b++) {
		switch (next(6)) {
		case 0:
			puts_(g, next(2) ? "# " : "## ");
			words(g, 1 + next(5), " ");
			puts_(g, "\n\n");
			break;
		case 1:
			for (unsigned i = 0, n = 1 + next(4); i < n; i++) {
				puts_(g, "- ");
				words(g, 1 + next(6), " ");
				puts_(g, "\n");
			}
			puts_(g, "\n");
			break;
		case 2:
			puts_(g, "> ");
			words(g, 2 + next(8), " ");
			puts_(g, "\n\n");
			break;
		case 3:
			puts_(g, "```keyfigures\n- ref: figures:fig-pop-2023\n"
				 "  label: \"");
			words(g, 1 + next(4), " ");
			puts_(g, "\"\n```\n\n");
			break;
		default:
			paragraph(g);
			break;
		}
	}
}

static void gen_free(struct gen *g)
{
	for (size_t i = 0; i < g->nwords; i++)
		free(g->words[i]);
	free(g->s);
}

/* s without spaces and combining marks (malloc'd). A mark that GPOS
 * moves sideways off the pen (Noto places many so) is where poppler goes
 * wrong: it sees a gap after the mark and puts a space in the word, or
 * drops the mark (docs/text-pipeline.md, known limits). The rest of the
 * word must still come back, in order. */
static char *squeeze(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1), *p = o;
	const uint8_t *u = (const uint8_t *)s;

	assert_non_null(o);
	for (size_t i = 0; i < n;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, u + i, n - i);

		if (c != ' ' && !uc_is_general_category(c, UC_CATEGORY_M)) {
			memcpy(p, s + i, (size_t)k);
			p += k;
		}
		i += (size_t)k;
	}
	*p = '\0';
	return o;
}

static char *run_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	int c;

	assert_non_null(p);
	assert_non_null(m);
	while ((c = fgetc(p)) != EOF)
		fputc(c == '\n' || c == '\f' ? ' ' : c, m);
	assert_int_equal(pclose(p), 0);
	fclose(m);
	return out;
}

/* Does the diagnostics text have an error at line:col of path? */
static bool has_error_at(const char *out, const char *path, long line,
			 long col)
{
	char want[512];

	snprintf(want, sizeof want, "%s:%ld:%ld: error: ", path, line, col);
	return strstr(out, want) != NULL;
}

static size_t count(const char *s, const char *sub)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, sub)); p++)
		n++;
	return n;
}

static void one_document(unsigned seed, unsigned k, const char *dir,
			 const char *data, int *built, int *refused)
{
	char path[300], pdf[300], cmd[700];
	struct gen g;
	struct layout_opts lo = {.data_dir = NULL};
	struct typeset_opts to = {false, NULL, -1, "brief test", NULL};
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct diag err = {0};
	struct doc *d = NULL;
	unsigned char *buf = NULL;
	size_t len = 0, olen = 0;
	char *out = NULL, *flat;
	enum brief_status st;
	FILE *f;

	snprintf(path, sizeof path, "%s/doc-%u-%u.md", dir, seed, k);
	snprintf(pdf, sizeof pdf, "%s/doc-%u-%u.pdf", dir, seed, k);
	generate(&g, data);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(g.s, 1, g.n, f), g.n);
	assert_int_equal(fclose(f), 0);
	sink.out = open_memstream(&out, &olen);
	assert_non_null(sink.out);
	to.sink = &sink;
	st = layout_load(path, &lo, &d, &sink, &err);
	if (st == BRIEF_OK)
		st = typeset_pdf(d, fs, &to, &buf, &len, &err);
	fclose(sink.out);
	if (g.nbad == 0) {
		if (st != BRIEF_OK)
			fail_msg("seed %u doc %u: refused without a reason:\n%s\n"
				 "%s\n--- layout:\n%s",
				 seed, k, out, err.msg, g.s);
		f = fopen(pdf, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(buf, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s - 2>&1", pdf);
		free(out);
		out = run_cmd(cmd);
		flat = squeeze(out);
		for (size_t i = 0; i < g.nwords; i++) {
			char *w = squeeze(g.words[i]);
			bool found = strstr(out, g.words[i]) || strstr(flat, w);

			free(w);
			if (!found)
				fail_msg("seed %u doc %u: '%s' did not come back "
					 "from the PDF\n--- layout:\n%s\n--- "
					 "pdftotext:\n%s",
					 seed, k, g.words[i], g.s, out);
		}
		assert_null(strstr(out, "\xEF\xBF\xBD"));
		free(flat);
		(*built)++;
		unlink(pdf);
	} else {
		assert_int_equal(st, BRIEF_EDATA);
		assert_null(buf);
		for (size_t i = 0; i < g.nbad; i++)
			if (!has_error_at(out, path, g.bad_line[i],
					  g.bad_col[i]))
				fail_msg("seed %u doc %u: no error at %ld:%ld\n"
					 "%s\n--- layout:\n%s",
					 seed, k, g.bad_line[i], g.bad_col[i],
					 out, g.s);
		/* one per character (the title's once, though drawn twice) */
		if (count(out, ": error: ") != g.nbad)
			fail_msg("seed %u doc %u: %zu errors for %zu "
				 "characters\n%s\n--- layout:\n%s",
				 seed, k, count(out, ": error: "), g.nbad, out,
				 g.s);
		(*refused)++;
	}
	free(buf);
	free(out);
	doc_free(d);
	gen_free(&g);
	unlink(path);
}

static void test_generated_documents(void **state)
{
	static const unsigned seeds[] = {1, 7, 42, 1988, 2023, 31337, 65521,
					 424242};
	char dir[] = "/tmp/brief-test-roundtrip-XXXXXX", data[300], cwd[256];
	int built = 0, refused = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(data, sizeof data, "%s/tests/layouts/data", cwd);
	for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
		rng = 0x9E3779B97F4A7C15ull ^ seeds[s];
		for (unsigned k = 0; k < DOCS_PER_SEED; k++)
			one_document(seeds[s], k, dir, data, &built,
				     &refused);
	}
	rmdir(dir);
	/* both outcomes are exercised */
	assert_true(built >= 20);
	assert_true(refused >= 5);
	printf("# %d documents built and read back, %d refused\n", built,
	       refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_documents),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
