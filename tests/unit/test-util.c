/*
 * base/util: number and duration parsing, error strings, warnings and the
 * allocation wrappers' exit on out of memory.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

#ifdef __SANITIZE_ADDRESS__
// Let malloc return NULL for an impossible size, as it does without ASan.
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

Test(util, parse_size_takes_plain_decimal_digits)
{
	size_t v = 7;
	cr_assert(parse_size("0", &v));
	cr_assert_eq(v, 0);
	cr_assert(parse_size("9", &v));
	cr_assert_eq(v, 9);
	cr_assert(parse_size("18446744073709551615", &v));
	cr_assert_eq(v, SIZE_MAX);
	v = 7;
	const char *bad[] = {"", "-1", " 5", "+5", "5x", "0x10", "/", ":", "18446744073709551616"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(parse_size(bad[i], &v), "\"%s\"", bad[i]);
	cr_assert_eq(v, 7);
}

Test(util, parse_double_refuses_what_is_not_one_finite_number)
{
	double v = 0;
	cr_assert(parse_double("1.5e3", &v));
	cr_assert_eq(v, 1500.0);
	cr_assert(parse_double("-0.25", &v));
	cr_assert_eq(v, -0.25);
	const char *bad[] = {"", "x", "1x", "1e309", "inf", "nan"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(parse_double(bad[i], &v), "\"%s\"", bad[i]);
	cr_assert_eq(v, -0.25);
}

// Seconds by default; ms, s, m, h, d; positive and below 9.2e18 ns.
Test(util, parse_duration_units_and_bounds)
{
	long long ns = 0;
	cr_assert(parse_duration("2", &ns));
	cr_assert_eq(ns, 2000000000LL);
	cr_assert(parse_duration("1ms", &ns));
	cr_assert_eq(ns, 1000000LL);
	cr_assert(parse_duration("1.5h", &ns));
	cr_assert_eq(ns, 5400000000000LL);
	cr_assert(parse_duration("2m", &ns));
	cr_assert_eq(ns, 120000000000LL);
	cr_assert(parse_duration("1d", &ns));
	cr_assert_eq(ns, 86400000000000LL);
	cr_assert(parse_duration("3s", &ns));
	cr_assert_eq(ns, 3000000000LL);
	// 106751 days is 9.22336e18 ns, past the bound; 106000 days is not.
	cr_assert(parse_duration("106000d", &ns));
	cr_assert_eq(ns, 106000LL * 86400000000000LL);
	const char *bad[] = {"", "0", "-1s", "1y", "1 s", "106751d", "1e-10", "nan", "1e400"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(parse_duration(bad[i], &ns), "\"%s\"", bad[i]);
}

static char warned[BOPT_ERR_MAX];

static void keep(const char *msg)
{
	snprintf(warned, sizeof(warned), "%s", msg);
}

Test(util, warnings_go_to_the_routine_and_errors_to_the_buffer)
{
	char err[BOPT_ERR_MAX];
	cr_assert_not(bopt_errf(err, "%s:%d: %s", "f", 3, "bad"));
	cr_assert_str_eq(err, "f:3: bad");
	bopt_set_warn_routine(keep);
	bopt_warn("%d lines skipped", 2);
	cr_assert_str_eq(warned, "2 lines skipped");
	bopt_set_warn_routine(NULL);
	bopt_warn("unseen");
	cr_assert_str_eq(warned, "2 lines skipped");
	char *p = xmalloc(0), *q = xcalloc(0, 0), *s = xstrdup("abc");
	cr_assert(p != NULL && q != NULL);
	cr_assert_str_eq(s, "abc");
	p = xrealloc(p, 0);
	cr_assert(p != NULL);
	free(p);
	free(q);
	free(s);
}

// Out of memory: the warning "out of memory", then exit status 1. The
// routine exits with 3 itself, so that the test sees the warning was made.
static void oom_routine(const char *msg)
{
	_exit(strcmp(msg, "out of memory") == 0 ? 3 : 4);
}

Test(util, out_of_memory_warns, .exit_code = 3)
{
	bopt_set_warn_routine(oom_routine);
	void *volatile p = xmalloc((size_t)1 << 62); // not "negative": valgrind takes it too
	free(p);
}

static void oom_exit_routine(const char *msg)
{
	(void)msg;
}

Test(util, out_of_memory_exits_1, .exit_code = 1)
{
	bopt_set_warn_routine(oom_exit_routine);
	// 2^64 bytes, through a volatile so that the compiler does not see it.
	volatile size_t n = (size_t)1 << 61;
	void *volatile p = xcalloc(n, 8);
	free(p);
}
