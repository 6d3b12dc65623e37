/* test_hyphen.c — hyphenation points per language from Debian's
 * dictionaries (UTF-8 and KOI8-R ones), words in running text, soft
 * hyphens, and languages without a dictionary. */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyphenate.h"

static int setup(void **state)
{
	struct hyphenator *h;
	struct diag err;

	if (hyphen_new(NULL, &h, &err) != BRIEF_OK)
		return -1;
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	hyphen_free(*state);
	return 0;
}

/* The word with '-' at each point, e.g. "dé-ve-lop-pe-ment". */
static const char *split(struct hyphenator *h, const char *lang,
			 const char *w)
{
	static char out[256];
	size_t at[32], n = hyphen_points(h, lang, w, strlen(w), at, 32);
	size_t o = 0, prev = 0;

	for (size_t i = 0; i < n; i++) {
		assert_true(at[i] > prev && at[i] < strlen(w));
		o += (size_t)snprintf(out + o, sizeof out - o, "%.*s-",
				      (int)(at[i] - prev), w + prev);
		prev = at[i];
	}
	snprintf(out + o, sizeof out - o, "%s", w + prev);
	return out;
}

static void test_dictionaries_found(void **state)
{
	struct hyphenator *h = *state;
	const char *langs[] = {"en", "en-US", "fr", "fr-CA", "es", "ru", "uk",
			       "ru_RU"};

	for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
		const char *p = hyphen_dictionary(h, langs[i]);

		if (!p)
			fail_msg("no dictionary for %s in %s (install the "
				 "hyphen-* packages)", langs[i],
				 HYPHEN_DIR_DEFAULT);
	}
	assert_non_null(strstr(hyphen_dictionary(h, "es"), "hyph_es_"));
	assert_non_null(strstr(hyphen_dictionary(h, "ru"), "hyph_ru_RU.dic"));
	assert_null(hyphen_dictionary(h, "ar"));
	assert_null(hyphen_dictionary(h, "x"));
	assert_null(hyphen_dictionary(h, "../etc"));
	assert_null(hyphen_dictionary(h, ""));
	assert_null(hyphen_dictionary(h, NULL));
}

static void test_languages(void **state)
{
	struct hyphenator *h = *state;

	assert_string_equal(split(h, "en", "hyphenation"), "hy-phen-ation");
	assert_string_equal(split(h, "fr", "d\xC3\xA9veloppement"),
			    "d\xC3\xA9-ve-lop-pe-ment");
	assert_string_equal(split(h, "es", "desplazamiento"),
			    "des-pla-za-mien-to");
	/* The Russian dictionary is KOI8-R: converted, mapped back. */
	assert_string_equal(split(h, "ru", "\xD0\xBD\xD0\xB0\xD1\x81\xD0\xB5"
					   "\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB8"
					   "\xD0\xB5"),
			    "\xD0\xBD\xD0\xB0-\xD1\x81\xD0\xB5-\xD0\xBB\xD0\xB5"
			    "-\xD0\xBD\xD0\xB8\xD0\xB5"); /* на-се-ле-ние */
}

/* Ukrainian: whatever the dictionary gives, never fewer than two letters
 * on a side (the Debian file sets no minimum). */
static void test_ukrainian_minimum(void **state)
{
	struct hyphenator *h = *state;
	/* переміщення */
	const char *w = "\xD0\xBF\xD0\xB5\xD1\x80\xD0\xB5\xD0\xBC\xD1\x96"
			"\xD1\x89\xD0\xB5\xD0\xBD\xD0\xBD\xD1\x8F";
	size_t at[16], n = hyphen_points(h, "uk", w, strlen(w), at, 16);

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		assert_true(at[i] >= 4);                /* 2 letters */
		assert_true(at[i] <= strlen(w) - 4);
		assert_true(((unsigned char)w[at[i]] & 0xC0) != 0x80);
	}
}

/* Words as they stand in text: case, punctuation around them. */
static void test_words_in_text(void **state)
{
	struct hyphenator *h = *state;

	assert_string_equal(split(h, "fr", "D\xC3\xA9veloppement"),
			    "D\xC3\xA9-ve-lop-pe-ment");
	assert_string_equal(split(h, "fr", "(d\xC3\xA9veloppement),"),
			    "(d\xC3\xA9-ve-lop-pe-ment),");
	assert_string_equal(split(h, "en", "\xE2\x80\x9Chyphenation\xE2\x80\x9D"),
			    "\xE2\x80\x9Chy-phen-ation\xE2\x80\x9D");
	/* Each part of a compound on its own. */
	assert_string_equal(split(h, "en", "hyphenation-hyphenation"),
			    "hy-phen-ation-hy-phen-ation");
	/* Left alone: short words, acronyms, numbers, addresses. */
	assert_string_equal(split(h, "en", "word"), "word");
	assert_string_equal(split(h, "en", "UNHCR"), "UNHCR");
	assert_string_equal(split(h, "en", "HYPHENATION"), "HYPHENATION");
	assert_string_equal(split(h, "en", "hyphenation2023"), "hyphenation2023");
	assert_string_equal(split(h, "en", "https://hyphenation.org"),
			    "https://hyphenation.org");
	assert_string_equal(split(h, "en", "reliefweb.int/hyphenation"),
			    "reliefweb.int/hyphenation");
}

static void test_soft_hyphens(void **state)
{
	struct hyphenator *h = *state;

	/* Berg<SHY>karabach: the author's point only, in any language. */
	assert_string_equal(split(h, "en", "Berg\xC2\xAD" "karabach"),
			    "Berg\xC2\xAD-karabach");
	assert_string_equal(split(h, "xx", "a\xC2\xAD" "b\xC2\xAD" "c"),
			    "a\xC2\xAD-b\xC2\xAD-c");
	/* A soft hyphen at the end is no point. */
	assert_string_equal(split(h, "en", "abc\xC2\xAD"), "abc\xC2\xAD");
}

static void test_no_dictionary(void **state)
{
	struct hyphenator *h = *state, *none;
	struct diag err;
	size_t at[4];

	assert_string_equal(split(h, "ar", "\xD8\xA7\xD9\x84\xD9\x86\xD8\xB2"
					   "\xD9\x88\xD8\xAD"), "\xD8\xA7\xD9"
			    "\x84\xD9\x86\xD8\xB2\xD9\x88\xD8\xAD");
	assert_string_equal(split(h, "", "hyphenation"), "hyphenation");
	assert_string_equal(split(h, NULL, "hyphenation"), "hyphenation");
	assert_int_equal(hyphen_new("/nonexistent/hyphen", &none, &err),
			 BRIEF_OK);
	assert_int_equal(hyphen_points(none, "en", "hyphenation", 11, at, 4), 0);
	assert_null(hyphen_dictionary(none, "en"));
	hyphen_free(none);
	hyphen_free(NULL);
	/* Room for fewer points than the word has. */
	assert_int_equal(hyphen_points(h, "fr", "d\xC3\xA9veloppement", 14, at,
				       2), 2);
	assert_int_equal(at[1], 5);
}

/* Invalid UTF-8 and odd bytes do not upset it. */
static void test_bad_bytes(void **state)
{
	struct hyphenator *h = *state;
	const char w[] = "hyph\xFF\xFEnation\xC3";
	size_t at[8];

	assert_true(hyphen_points(h, "en", w, sizeof w - 1, at, 8) <= 8);
}

/* Pattern letters of a dictionary file (its cores: the keys without
 * digits, boundary dots and replacements), in UTF-8, for made-up words. */
static size_t pattern_letters(const char *path, char (*out)[64], size_t max)
{
	FILE *f = fopen(path, "rb");
	char line[256], cset[32] = "";
	iconv_t cd = (iconv_t)-1;
	size_t n = 0;

	assert_non_null(f);
	if (fgets(cset, sizeof cset, f))
		cset[strcspn(cset, "\r\n")] = '\0';
	if (strcmp(cset, "UTF-8") != 0)
		assert_true((cd = iconv_open("UTF-8", cset)) != (iconv_t)-1);
	while (n < max && fgets(line, sizeof line, f)) {
		char key[64], *in = key, *o = out[n];
		size_t k = 0, inl, outl = sizeof out[n] - 1;

		for (char *p = line; (unsigned char)*p > ' ' && *p != '/' && k < 40;
		     p++)
			if ((*p < '0' || *p > '9') && *p != '.' && *p != '%')
				key[k++] = *p;
		if (k == 0 || (line[0] >= 'A' && line[0] <= 'Z'))
			continue;
		inl = k;
		if (cd == (iconv_t)-1) {
			memcpy(o, key, k);
			o += k;
		} else if (iconv(cd, &in, &inl, &o, &outl) == (size_t)-1) {
			continue;
		}
		*o = '\0';
		n++;
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	fclose(f);
	return n;
}

/* A word is hyphenated from the patterns that can match in it exactly as
 * by the whole dictionary: made-up words of two to four pattern cores
 * each (so that many patterns meet in them), in every language, against
 * a hyphenator that loads its dictionaries whole. A fresh subset
 * hyphenator every HYPHEN_SUBSET_WORDS words keeps it on subsets. */
static void test_subsets_match_whole(void **state)
{
	static char cores[20000][64];
	const char *langs[] = {"en", "fr", "es", "ru", "uk"};
	struct hyphenator *whole, *sub = NULL;
	struct diag err;
	unsigned seed = 12345, compared = 0, points = 0;

	(void)state;
	assert_int_equal(hyphen_new(NULL, &whole, &err), BRIEF_OK);
	hyphen_set_whole(whole, true);
	for (size_t li = 0; li < sizeof langs / sizeof *langs; li++) {
		const char *path = hyphen_dictionary(whole, langs[li]);
		size_t nc = pattern_letters(path, cores, 20000);

		if (nc < 300)
			fail_msg("%s: %zu cores in %s", langs[li], nc, path);
		for (int wi = 0; wi < 400; wi++) {
			char w[260] = "";
			size_t at1[32], at2[32], n1, n2;
			int parts = 2 + wi % 3;

			for (int p = 0; p < parts; p++) {
				seed = seed * 1103515245u + 12345u;
				strcat(w, cores[(seed >> 8) % nc]);
			}
			if (wi % HYPHEN_SUBSET_WORDS == 0) {
				hyphen_free(sub);
				assert_int_equal(hyphen_new(NULL, &sub, &err),
						 BRIEF_OK);
			}
			n1 = hyphen_points(whole, langs[li], w, strlen(w), at1,
					   32);
			n2 = hyphen_points(sub, langs[li], w, strlen(w), at2, 32);
			if (n1 != n2 || memcmp(at1, at2, n1 * sizeof *at1) != 0)
				fail_msg("%s \"%s\": %zu points whole, %zu from "
					 "a subset", langs[li], w, n1, n2);
			compared++;
			points += (unsigned)n1;
		}
	}
	assert_true(points > compared); /* the words were hyphenated */
	hyphen_free(sub);
	hyphen_free(whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dictionaries_found),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_ukrainian_minimum),
		cmocka_unit_test(test_words_in_text),
		cmocka_unit_test(test_soft_hyphens),
		cmocka_unit_test(test_no_dictionary),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_subsets_match_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
