/* test_fieldnum.c — column text numbers (fieldnum.h): equal texts get
 * equal numbers in order of first sight, whatever their length (every
 * byte counts, none past the end is read), and a table past its cap, or
 * given a text too long, numbers nothing new while keeping the numbers
 * it gave. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldnum.h"

/* Texts of every length up to the longest, each differing from the one
 * before it in a single byte at every position: all distinct numbers,
 * and the same again on a second pass. The texts sit at the end of an
 * exactly sized heap block, so a read past one would show under ASan. */
static void test_every_length_every_byte(void **state)
{
	struct fieldnum t = {0};
	uint32_t next = 0;

	(void)state;
	t.max = 4000;
	for (int pass = 0; pass < 2; pass++) {
		next = 0;
		for (size_t len = 0; len <= FIELDNUM_MAX_LEN; len++) {
			for (size_t at = 0; at <= len; at++) {
				char *s = malloc(len ? len : 1);
				uint32_t n;

				assert_non_null(s);
				memset(s, 'a', len);
				if (at < len)
					s[at] = 'b'; /* at == len: all 'a' */
				n = fieldnum_get(&t, s, len);
				free(s);
				assert_int_equal(n, next);
				next++;
			}
		}
		assert_int_equal(t.n, next);
	}
	fieldnum_free(&t);
	assert_int_equal(t.max, 4000);
	assert_int_equal(t.n, 0);
}

/* Only s[0, len) counts: a text is one with its prefix elsewhere. */
static void test_length_not_nul(void **state)
{
	struct fieldnum t = {0};
	uint32_t a, b, c;

	(void)state;
	t.max = 10;
	a = fieldnum_get(&t, "killed,wounded", 6);
	b = fieldnum_get(&t, "wounded", 7);
	c = fieldnum_get(&t, "killed", 6);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 0);
	/* The previous row's text again, and an alternation. */
	assert_int_equal(fieldnum_get(&t, "killed", 6), 0);
	assert_int_equal(fieldnum_get(&t, "wounded", 7), 1);
	assert_int_equal(fieldnum_get(&t, "", 0), 2);
	assert_int_equal(fieldnum_get(&t, "killed", 6), 0);
	assert_int_equal(fieldnum_get(&t, "", 0), 2);
	fieldnum_free(&t);
}

/* Past max: known texts keep their numbers, new ones get none; a text
 * over FIELDNUM_MAX_LEN bytes never has one; max 0 numbers nothing. */
static void test_caps(void **state)
{
	struct fieldnum t = {0}, none = {0};
	char buf[32], longer[FIELDNUM_MAX_LEN + 2];

	(void)state;
	t.max = 100;
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "party %d", i);
		assert_int_equal(fieldnum_get(&t, buf, strlen(buf)),
				 (uint32_t)i);
	}
	assert_int_equal(fieldnum_get(&t, "party 100", 9), FIELDNUM_NONE);
	assert_int_equal(fieldnum_get(&t, "party 7", 7), 7);
	assert_int_equal(fieldnum_get(&t, "party 99", 8), 99);
	assert_int_equal(fieldnum_get(&t, "party 101", 9), FIELDNUM_NONE);
	fieldnum_free(&t);

	t.max = 5;
	memset(longer, 'x', sizeof longer);
	assert_int_equal(fieldnum_get(&t, longer, FIELDNUM_MAX_LEN), 0);
	assert_int_equal(fieldnum_get(&t, longer, FIELDNUM_MAX_LEN + 1),
			 FIELDNUM_NONE);
	assert_int_equal(fieldnum_get(&t, longer, FIELDNUM_MAX_LEN), 0);
	fieldnum_free(&t);

	assert_int_equal(fieldnum_get(&none, "a", 1), FIELDNUM_NONE);
	fieldnum_free(&none);
}

/* Many texts sharing long prefixes and suffixes (collisions in the index
 * are resolved by text): each keeps its own number. */
static void test_many(void **state)
{
	struct fieldnum t = {0};
	char buf[64];

	(void)state;
	t.max = 1024;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 1024; i++) {
			int n = snprintf(buf, sizeof buf,
					 "Monitoring mission %04d report", i);

			assert_int_equal(fieldnum_get(&t, buf, (size_t)n),
					 (uint32_t)i);
		}
	fieldnum_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_length_every_byte),
		cmocka_unit_test(test_length_not_nul),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
