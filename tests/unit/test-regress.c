#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>

#include "datagen.h"
#include "decide/regress.h"

#define EPS 1e-9

// One feature x = 1..5, y = 1, 3, 2, 5, 4: least squares gives slope
// sum((x-3)(y-3)) / sum((x-3)^2) = 8/10 and intercept 3 - 0.8 * 3 = 0.6.
static const double small_x[] = {1, 2, 3, 4, 5};
static const double small_y[] = {1, 3, 2, 5, 4};

Test(regress, ordinary_least_squares_by_hand)
{
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(small_x, small_y, 5, 1, 0, &f, err));
	cr_assert(f.used[0]);
	cr_assert_float_eq(f.coef[0], 0.8, EPS);
	cr_assert_float_eq(f.intercept, 0.6, EPS);
	cr_assert_float_eq(regress_predict(&f, (double[]){10}), 8.6, EPS);
}

// With the penalty lambda on the standardised coefficient, the minimiser of
// (1/n) sum (yc - b z)^2 + lambda b^2 is b_ols / (1 + lambda): lambda = 1
// halves the slope to 0.4, and the intercept becomes 3 - 0.4 * 3 = 1.8.
Test(regress, ridge_shrinks_the_standardised_coefficient)
{
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(small_x, small_y, 5, 1, 1.0, &f, err));
	cr_assert_float_eq(f.coef[0], 0.4, EPS);
	cr_assert_float_eq(f.intercept, 1.8, EPS);
}

// Leave-one-out (k = n = 5), each fold fitted by hand on the other four:
// predictions 2, 13/7, 13/4, 23/7, 11/2, so SSE = 1 + 64/49 + 25/16 +
// 144/49 + 9/4 = 9.057397959..., SST = 10, R2 = 1 - SSE/10, RMSE = sqrt(SSE/5).
Test(regress, cross_validation_by_hand)
{
	struct regress_cv cv;
	char err[512];
	double sse = 1 + 64.0 / 49 + 25.0 / 16 + 144.0 / 49 + 9.0 / 4;
	cr_assert(regress_cross_validate(small_x, small_y, 5, 1, 0, 5, &cv, err));
	cr_assert_eq(cv.k, 5);
	cr_assert_float_eq(cv.r2, 1 - sse / 10, EPS);
	cr_assert_float_eq(cv.rmse, sqrt(sse / 5), EPS);
}

Test(regress, constant_features_are_dropped_and_constant_targets_fit_exactly)
{
	// Column 0 constant, column 1 = 2 * row; y constant 7.
	double x[] = {3, 0, 3, 2, 3, 4, 3, 6, 3, 8, 3, 10};
	double y[] = {7, 7, 7, 7, 7, 7};
	struct regress_fit f;
	struct regress_cv cv;
	char err[512];
	cr_assert(regress_fit(x, y, 6, 2, 1e-8, &f, err));
	cr_assert_not(f.used[0]);
	cr_assert(f.used[1]);
	cr_assert_eq(f.coef[0], 0.0);
	cr_assert_eq(f.coef[1], 0.0);
	cr_assert_eq(f.intercept, 7.0);
	cr_assert(regress_cross_validate(x, y, 6, 2, 1e-8, 5, &cv, err));
	cr_assert_eq(cv.r2, 0.0); // nothing to explain
	cr_assert_eq(cv.rmse, 0.0);
}

Test(regress, a_single_row_gives_its_value)
{
	double x[] = {1, 2, 3};
	double y[] = {42};
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(x, y, 1, 3, 1e-8, &f, err));
	cr_assert_eq(f.intercept, 42.0);
	cr_assert_float_eq(regress_predict(&f, (double[]){9, 9, 9}), 42.0, EPS);
}

// Exactly collinear columns (the second is 2 + the first, as consistency
// follows ordering): the penalty makes them share the weight equally in
// standardised units; both have the same spread, so equal raw coefficients,
// each half of the true combined effect 3.
Test(regress, collinear_columns_share_the_weight)
{
	double x[16], y[8];
	for (int i = 0; i < 8; i++) {
		x[2 * i] = i % 2;
		x[2 * i + 1] = 2 + i % 2;
		y[i] = 1 + 3 * (i % 2);
	}
	for (int r = 0; r < 2; r++) {
		double ridge = r ? 1e-8 : 0;
		struct regress_fit f;
		char err[512];
		cr_assert(regress_fit(x, y, 8, 2, ridge, &f, err));
		cr_assert_float_eq(f.coef[0], 1.5, 1e-6, "ridge %g", ridge);
		cr_assert_float_eq(f.coef[1], 1.5, 1e-6, "ridge %g", ridge);
		cr_assert_float_eq(regress_predict(&f, (double[]){1, 3}), 4.0, 1e-6);
		cr_assert_float_eq(regress_predict(&f, (double[]){0, 2}), 1.0, 1e-6);
	}
}

// x_i = i * 1e-200, y_i = 10 + i: squared deviations underflow to 0 in a
// plain sum, yet the fit is exact: slope 1e200 per unit, intercept 10.
Test(regress, a_spread_of_1e_200_still_standardises)
{
	double x[12], y[12];
	for (int i = 0; i < 12; i++) {
		x[i] = i * 1e-200;
		y[i] = 10 + i;
	}
	struct regress_fit f;
	struct regress_cv cv;
	char err[512];
	cr_assert(regress_fit(x, y, 12, 1, 0, &f, err), "%s", err);
	cr_assert(f.used[0]);
	cr_assert_float_eq(f.coef[0] * 1e-200, 1.0, 1e-9);
	cr_assert_float_eq(f.intercept, 10.0, 1e-9);
	cr_assert(regress_cross_validate(x, y, 12, 1, 1e-12, 5, &cv, err), "%s", err);
	cr_assert_float_eq(cv.r2, 1.0, 1e-9);
}

// A spread below DBL_MIN (subnormal: 1e-310 and 0) cannot be standardised:
// the feature is treated as constant and y is fitted by its mean.
Test(regress, a_subnormal_spread_counts_as_constant)
{
	double x[10], y[10];
	for (int i = 0; i < 10; i++) {
		x[i] = i % 2 ? 1e-310 : 0;
		y[i] = 10 + i;
	}
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(x, y, 10, 1, 1e-12, &f, err), "%s", err);
	cr_assert_not(f.used[0]);
	cr_assert_eq(f.coef[0], 0.0);
	cr_assert_float_eq(f.intercept, 14.5, 1e-12);
}

// Any finite ridge solves: the standardised slope is b_ols / (1 + L), so
// the raw slope is 0.8 / (1 + L) and the intercept 3 - slope * 3 (the
// small_x/small_y fit above).
Test(regress, ridge_up_to_the_largest_double)
{
	const double ridges[] = {0.5, 1, 1e6, 1e154, 1e307, 1.7e308};
	for (size_t i = 0; i < sizeof(ridges) / sizeof(ridges[0]); i++) {
		struct regress_fit f;
		char err[512];
		cr_assert(regress_fit(small_x, small_y, 5, 1, ridges[i], &f, err), "%g: %s",
			ridges[i], err);
		double slope = 0.8 / (1 + ridges[i]);
		cr_assert_float_eq(f.coef[0], slope, fabs(slope) * 1e-9 + 1e-320, "%g", ridges[i]);
		cr_assert_float_eq(f.intercept, 3 - slope * 3, EPS, "%g", ridges[i]);
	}
	struct regress_fit f;
	char err[512];
	cr_assert_not(regress_fit(small_x, small_y, 5, 1, INFINITY, &f, err));
	cr_assert_not(regress_fit(small_x, small_y, 5, 1, NAN, &f, err));
}

// Features too large for finite deviations are refused, not sent to LAPACK.
Test(regress, overflowing_deviations_are_refused)
{
	double x[] = {-1.7e308, 1.7e308, 1.7e308, 1.7e308};
	double y[] = {1, 2, 3, 4};
	struct regress_fit f;
	char err[512];
	cr_assert_not(regress_fit(x, y, 4, 1, 1e-12, &f, err));
	cr_assert_str_eq(err, "values too large for a least-squares fit");
}

// LAPACK's bad-argument report (xerbla) no longer prints on its own: bopt's
// replacement keeps it for the error message.
Test(regress, lapack_argument_errors_print_nothing, .init = cr_redirect_stdout)
{
	double a[4] = {1, 2, 3, 4}, b[2] = {1, 2}, s[2];
	lapack_int rank;
	lapack_int info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, -1, 2, 1, a, 2, b, 1, s, 1e-10, &rank);
	cr_assert_lt(info, 0);
	// Column-major: LAPACKE passes the bad M to dgelsd itself (xerbla_).
	lapack_int iwork[100];
	double work[100];
	info = LAPACKE_dgelsd_work(LAPACK_COL_MAJOR, -1, 2, 1, a, 2, b, 2, s, 1e-10, &rank,
		work, 100, iwork);
	cr_assert_lt(info, 0);
	fflush(stdout);
	cr_assert_stdout_eq_str("");
	// A report does not outlive its call: the next solves, by least squares
	// (ridge 0) and by the normal equations (ridge 1), succeed.
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(small_x, small_y, 5, 1, 1.0, &f, err), "%s", err);
	cr_assert(regress_fit(small_x, small_y, 5, 1, 0, &f, err), "%s", err);
	cr_assert_float_eq(f.coef[0], 0.8, EPS);
}

// A finite mean (-1.7 + 1.7 - 1.7 + 1.7 + 1.7 = 1.7, /5) with a deviation
// past the largest double (-1.7e308 - 0.34e308): the spread is infinite.
// With y constant nothing else would notice.
Test(regress, an_infinite_spread_is_refused)
{
	double x[] = {-1.7e308, 1.7e308, -1.7e308, 1.7e308, 1.7e308};
	double y[] = {1, 1, 1, 1, 1};
	struct regress_fit f;
	char err[512] = "";
	cr_assert_not(regress_fit(x, y, 5, 1, 0, &f, err));
	cr_assert_str_eq(err, "values too large for a least-squares fit");
}

// Finite coefficients, an intercept past the largest double: x has mean
// 0.6e308 and spread 0.1e308, y = 0.7e308 -/+ 1e308, so the slope is
// -1e308 / 0.1e308 = -10 and the intercept 0.7e308 + 10 * 0.6e308 = 6.7e308.
Test(regress, an_infinite_intercept_is_refused)
{
	double x[] = {0.5e308, 0.7e308};
	double y[] = {1.7e308, -0.3e308};
	struct regress_fit f;
	char err[512] = "";
	cr_assert_not(regress_fit(x, y, 2, 1, 0, &f, err));
	cr_assert_str_eq(err, "values too large for a least-squares fit");
	// The same shape, scaled down by 1e300, fits: slope -10, intercept 6.7e8.
	double xs[] = {0.5e8, 0.7e8}, ys[] = {1.7e8, -0.3e8};
	cr_assert(regress_fit(xs, ys, 2, 1, 0, &f, err), "%s", err);
	cr_assert_float_eq(f.coef[0], -10, 1e-9);
	cr_assert_float_eq(f.intercept, 6.7e8, 1e-3);
}

// Deviations whose squares overflow (1e200 squared) are summed scaled: the
// spread is 1e200 * sqrt(2/3), finite, and the fit is exact: slope 1e-200,
// intercept 2.
Test(regress, squares_past_the_largest_double_still_standardise)
{
	double x[] = {-1e200, 0, 1e200};
	double y[] = {1, 2, 3};
	struct regress_fit f;
	char err[512] = "";
	cr_assert(regress_fit(x, y, 3, 1, 0, &f, err), "%s", err);
	cr_assert_float_eq(f.coef[0] * 1e200, 1.0, 1e-9);
	cr_assert_float_eq(f.intercept, 2.0, 1e-9);
}

// A feature at 1e200 and 3e200 (mean 2e200, deviations +-1e200: their
// squares overflow, so the spread is taken scaled by the largest deviation)
// against y = 0, 2 with ridge 1: the standardised slope is r / (1 + L) =
// 1/2, per unit of x 0.5 / 1e200 = 5e-201; the intercept is
// mean y - slope * mean x = 1 - 5e-201 * 2e200 = 0.
Test(regress, a_scaled_spread_is_taken_about_the_mean)
{
	const double x[] = {1e200, 3e200}, y[] = {0, 2};
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(x, y, 2, 1, 1.0, &f, err), "%s", err);
	cr_assert(f.used[0]);
	cr_assert_float_eq(f.coef[0] / 5e-201, 1.0, EPS);
	cr_assert_float_eq(f.intercept, 0.0, EPS, "%.17g", f.intercept);
}

// The largest number of features with a ridge of 1 (solved by the normal
// equations): 16 orthogonal +-1 columns of the Sylvester-Hadamard matrix of
// order 32 (columns 1 to 16: mean 0, spread 1), y = 5 + sum (j + 1) x_j.
// Z'Z/n = I, so each slope is (j + 1) / (1 + 1).
Test(regress, the_most_features_by_the_normal_equations)
{
	enum { N = 32, P = REGRESS_MAX_FEATURES };
	double x[N * P], y[N];
	for (int i = 0; i < N; i++) {
		y[i] = 5;
		for (int j = 0; j < P; j++) {
			// H[i][c] = (-1)^popcount(i & c)
			x[i * P + j] = __builtin_parity((unsigned)(i & (j + 1))) ? -1 : 1;
			y[i] += (j + 1) * x[i * P + j];
		}
	}
	struct regress_fit f;
	char err[512];
	cr_assert(regress_fit(x, y, N, P, 1.0, &f, err), "%s", err);
	cr_assert_float_eq(f.intercept, 5.0, EPS);
	for (int j = 0; j < P; j++) {
		cr_assert(f.used[j]);
		cr_assert_float_eq(f.coef[j], (j + 1) / 2.0, EPS, "feature %d: %g", j, f.coef[j]);
	}
}
