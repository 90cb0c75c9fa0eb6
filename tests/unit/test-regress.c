#include <criterion/criterion.h>
#include <math.h>

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
