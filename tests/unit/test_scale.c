/* test_scale.c — nice ticks, number labels, date ticks, calendar maths and
 * label spreading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "data.h"
#include "scale.h"

static void test_nice_ticks(void **state)
{
	struct ticks t;

	(void)state;
	scale_nice_ticks(0, 138, 6, &t);
	assert_true(t.n <= 6);
	assert_true(t.v[0] == 0);
	assert_true(t.v[t.n - 1] >= 138);
	assert_true(t.step == 50 || t.step == 25);
	for (size_t i = 1; i < t.n; i++)
		assert_true(fabs(t.v[i] - t.v[i - 1] - t.step) < 1e-9);

	scale_nice_ticks(0, 1000000, 5, &t);
	assert_true(t.step == 250000);
	assert_int_equal(t.n, 5);
	assert_true(t.v[4] == 1000000);

	/* A flat range still gives an axis. */
	scale_nice_ticks(7, 7, 5, &t);
	assert_true(t.n >= 2);
	assert_true(t.v[0] <= 7 && t.v[t.n - 1] >= 7);
}

static void test_format_number(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(scale_format_number(1234567, 1, buf, sizeof buf),
			    "1,234,567");
	assert_string_equal(scale_format_number(250000, 250000, buf, sizeof buf),
			    "250,000");
	assert_string_equal(scale_format_number(999, 1, buf, sizeof buf), "999");
	assert_string_equal(scale_format_number(0.25, 0.25, buf, sizeof buf),
			    "0.25");
	assert_string_equal(scale_format_number(2.5, 2.5, buf, sizeof buf),
			    "2.5");
	assert_string_equal(scale_format_number(-1500, 500, buf, sizeof buf),
			    "-1,500");
	assert_string_equal(scale_format_number(0, 1, buf, sizeof buf), "0");
	/* A tick that rounds to zero is "0", never "-0" or "-0.0". */
	assert_string_equal(scale_format_number(-1e-12, 0.5, buf, sizeof buf),
			    "0.0");
	assert_string_equal(scale_format_number(-0.5, 1, buf, sizeof buf), "0");
	/* Cut to the buffer, still terminated. */
	assert_string_equal(scale_format_number(1234567, 1, buf, 6), "1,234");
}

static void test_civil(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(days_from_ymd(1970, 1, 1), 0);
	assert_int_equal(days_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(days_from_ymd(1918, 5, 28), -18846);
	for (long day = -40000; day < 40000; day += 37) {
		ymd_from_days(day, &y, &m, &d);
		assert_int_equal(days_from_ymd(y, m, d), day);
	}
	ymd_from_days(days_from_ymd(2020, 2, 29), &y, &m, &d);
	assert_int_equal(y, 2020);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void test_date_ticks_century(void **state)
{
	struct date_ticks t;

	(void)state;
	scale_date_ticks(days_from_ymd(1918, 5, 1),
			 days_from_ymd(2023, 9, 21), 8, &t);
	assert_int_equal(t.unit, DATE_UNIT_YEAR);
	assert_true(t.n <= 8 && t.n >= 3);
	assert_int_equal(t.step, 20);
	assert_string_equal(t.v[0].label, "1920");
	assert_string_equal(t.v[1].label, "1940");
}

static void test_date_ticks_months(void **state)
{
	struct date_ticks t;

	(void)state;
	/* The 44-day war plus a year: months, the year on the first tick
	 * and on January. */
	scale_date_ticks(days_from_ymd(2020, 9, 27),
			 days_from_ymd(2021, 10, 31), 8, &t);
	assert_int_equal(t.unit, DATE_UNIT_MONTH);
	assert_int_equal(t.step, 2);
	/* Steps align to January, so every year boundary gets a tick. */
	assert_string_equal(t.v[0].label, "Nov 2020");
	assert_string_equal(t.v[1].label, "Jan 2021");
	assert_string_equal(t.v[2].label, "Mar");
	assert_true(t.n <= 8);
}

static void test_date_ticks_days(void **state)
{
	struct date_ticks t;

	(void)state;
	/* 19-21 September 2023: individual days. */
	scale_date_ticks(days_from_ymd(2023, 9, 17),
			 days_from_ymd(2023, 9, 21), 8, &t);
	assert_int_equal(t.unit, DATE_UNIT_DAY);
	assert_int_equal(t.step, 1);
	assert_int_equal(t.n, 5);
	assert_string_equal(t.v[0].label, "17 Sep 2023");
	assert_string_equal(t.v[4].label, "21 Sep");

	/* Two months of days: weekly steps. */
	scale_date_ticks(days_from_ymd(2020, 9, 27),
			 days_from_ymd(2020, 11, 9), 8, &t);
	assert_true(t.n <= 8);
	assert_true(t.unit == DATE_UNIT_DAY || t.unit == DATE_UNIT_MONTH);
}

static void test_spread_no_overlap(void **state)
{
	/* Clusters like the 1918-2023 timeline: 1991 and 2023 crowded. */
	double want[12] = { 0, 100, 101, 102, 103, 104, 300, 398, 399,
			    399.5, 400, 400 };
	double size[12], out[12];

	(void)state;
	for (int i = 0; i < 12; i++)
		size[i] = 10;
	assert_true(scale_spread_labels(want, size, 12, 0, 410, 2, out));
	for (int i = 1; i < 12; i++)
		assert_true(out[i] >= out[i - 1] + size[i - 1] + 2 - 1e-9);
	for (int i = 0; i < 12; i++) {
		assert_true(out[i] >= 0);
		assert_true(out[i] + size[i] <= 410 + 1e-9);
	}
	/* A lone label keeps its place; a crowd centres on its dates. */
	assert_true(fabs(out[0] - 0) < 1e-9);
	assert_true(fabs(out[6] - 300) < 1e-9);
	{
		double mid = (out[1] + out[5] + size[5]) / 2;

		assert_true(fabs(mid - (102 + 5)) < 1.0);
	}
	/* The last crowd is pushed up from the bottom edge. */
	assert_true(fabs(out[11] + size[11] - 410) < 1e-9);
}

static void test_spread_too_many(void **state)
{
	double want[5] = { 0, 1, 2, 3, 4 }, size[5] = { 10, 10, 10, 10, 10 };
	double out[5];

	(void)state;
	assert_false(scale_spread_labels(want, size, 5, 0, 30, 0, out));
	for (int i = 1; i < 5; i++)
		assert_true(out[i] >= out[i - 1] + 10 - 1e-9);
	assert_true(scale_spread_labels(want, size, 0, 0, 30, 0, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_ticks),
		cmocka_unit_test(test_format_number),
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_date_ticks_century),
		cmocka_unit_test(test_date_ticks_months),
		cmocka_unit_test(test_date_ticks_days),
		cmocka_unit_test(test_spread_no_overlap),
		cmocka_unit_test(test_spread_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
