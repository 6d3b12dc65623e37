/* test_data_hint.c — the hints added to data errors for values and files in
 * the forms spreadsheets write (data_hint.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "data_hint.h"

static const char *num(const char *v)
{
	static char buf[256];

	return data_hint_number(v, buf, sizeof buf);
}

static const char *date(const char *v)
{
	static char buf[256];

	return data_hint_date(v, buf, sizeof buf);
}

static const char *whole(const char *v)
{
	static char buf[256];

	return data_hint_whole(v, buf, sizeof buf);
}

static void test_numbers(void **state)
{
	(void)state;
	assert_string_equal(num("1,200"),
			    "; write 1200 without thousands separators, or 1.2 "
			    "if the comma is a decimal comma");
	assert_string_equal(num("120,000"),
			    "; write 120000 without thousands separators, or "
			    "120 if the comma is a decimal comma");
	assert_string_equal(num("1,250"),
			    "; write 1250 without thousands separators, or "
			    "1.25 if the comma is a decimal comma");
	assert_string_equal(num("1,200,000"), "; write 1200000: no thousands separators");
	assert_string_equal(num("1.200.000"), "; write 1200000: no thousands separators");
	assert_string_equal(num("1 200"), "; write 1200: no thousands separators");
	assert_string_equal(num("1\xC2\xA0" "200"), "; write 1200: no thousands separators");
	assert_string_equal(num("12'500"), "; write 12500: no thousands separators");
	assert_string_equal(num("1,200.5"), "; write 1200.5: no thousands separators");
	assert_string_equal(num("1.200,5"),
			    "; write 1200.5: a decimal point, no thousands separators");
	assert_string_equal(num("12,5"),
			    "; write 12.5: a decimal point, no thousands separators");
	assert_true(strstr(num("~500"), "qualifier column") != NULL);
	assert_true(strstr(num("500+"), "qualifier column") != NULL);
	assert_true(strstr(num("c. 500"), "qualifier column") != NULL);
	/* Nothing to say: not a separated number. */
	assert_string_equal(num("abc"), "");
	assert_string_equal(num("12,34,5"), "");
	assert_string_equal(num("1234,567,890"), "");
	assert_string_equal(num("1,200,"), "");
	assert_string_equal(num(""), "");
	assert_string_equal(num("-5"), "");
}

static void test_whole(void **state)
{
	(void)state;
	assert_string_equal(whole("1.200"),
			    "; if it means 1200, write it without thousands "
			    "separators");
	assert_string_equal(whole("12.500.000"),
			    "; if it means 12500000, write it without "
			    "thousands separators");
	assert_string_equal(whole("1.5"), "");
	assert_string_equal(whole("1234.567"), "");
	assert_string_equal(whole("1.2345"), "");
}

static void test_dates(void **state)
{
	(void)state;
	assert_string_equal(date("13/03/2025"),
			    "; write ISO dates, year first: 2025-03-13");
	assert_string_equal(date("03/13/2025"),
			    "; write ISO dates, year first: 2025-03-13");
	assert_string_equal(date("10/03/2025"),
			    "; write ISO dates, year first: 2025-03-10 if this "
			    "is 10 March, 2025-10-03 if it is 3 October");
	assert_string_equal(date("10.03.2025"),
			    "; write ISO dates, year first: 2025-03-10 if this "
			    "is 10 March, 2025-10-03 if it is 3 October");
	assert_string_equal(date("2025/03/10"), "; write it with '-': 2025-03-DD");
	assert_string_equal(date("2025/03"), "; write it with '-': 2025-03");
	assert_true(strstr(date("10/03/25"), "year in full") != NULL);
	/* 45726 days after 1899-12-30 */
	assert_string_equal(date("45726"),
			    "; 45726 looks like a spreadsheet's date number "
			    "(2025-03-10): format the column as dates in "
			    "YYYY-MM-DD form before saving");
	assert_string_equal(date("10 March 2025"),
			    "; write ISO dates, year first: 2025-03-10");
	assert_string_equal(date("March 1, 2021"),
			    "; write ISO dates, year first: 2021-03-01");
	assert_string_equal(date("Sept. 2023"), "; write dates as numbers, "
			    "year first: YYYY-MM-DD, YYYY-MM or YYYY");
	assert_string_equal(date("Sep. 2023"),
			    "; write ISO dates, year first: 2023-09");
	assert_string_equal(date("mid-March 2021"), "; write dates as "
			    "numbers, year first: YYYY-MM-DD, YYYY-MM or YYYY");
	assert_string_equal(date("2023-02-30"), "");
	assert_string_equal(date("32/13/2025"), "");
	assert_string_equal(date("12345"), "");
	assert_string_equal(date("2025-13"), "");
	assert_string_equal(date(""), "");
}

static void test_delimiter(void **state)
{
	struct csv_field f[2] = {
		{"id;event;date_from;value", 24, 1, 1},
		{"x", 1, 1, 26},
	};
	struct csv_record r = {f, 1, 1, "", 0, 0};

	(void)state;
	assert_true(strstr(data_hint_delimiter(&r), "';'-separated") != NULL);
	f[0].text = "id\tevent\tdate_from";
	assert_true(strstr(data_hint_delimiter(&r), "tab-separated") != NULL);
	f[0].text = "id";
	f[1].text = "event;note";
	r.nfields = 2;
	assert_string_equal(data_hint_delimiter(&r), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_delimiter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
