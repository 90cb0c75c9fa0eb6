#ifndef BOPT_REGRESS_H
#define BOPT_REGRESS_H

/*
 * Regularised linear least squares (ridge regression) on standardised
 * features, solved with LAPACK, and k-fold cross-validation. Inputs are
 * caller-owned row-major matrices (n rows of p features) and target vectors;
 * a regress_fit is plain data holding the coefficients in the features' own
 * units, so that prediction needs no standardisation.
 */

#include <stdbool.h>
#include <stddef.h>

#define REGRESS_MAX_FEATURES 16

// Singular values below this fraction of the largest count as zero in the
// least-squares solve (LAPACK dgelsd's rcond).
#define REGRESS_RCOND 1e-10

struct regress_fit {
	size_t p;          // features
	size_t n;          // rows fitted
	double intercept;
	double coef[REGRESS_MAX_FEATURES]; // per unit of the feature; 0 for dropped ones
	bool used[REGRESS_MAX_FEATURES];   // false: the feature was constant and left out
};

struct regress_cv {
	size_t k;    // folds
	double r2;   // 1 - SSE/SST over all held-out predictions; 0 when SST is 0
	double rmse; // sqrt(SSE / n), in the target's unit
};

// Fits y = intercept + sum coef[j] x[j] minimising
//   (1/n) sum (y - yhat)^2 + ridge * sum b[j]^2,
// b being the coefficients of the standardised (zero mean, unit population
// variance) features. Constant features are dropped. ridge >= 0, n >= 1,
// p <= REGRESS_MAX_FEATURES. Returns false with err set when the values are
// too large to give finite results, or LAPACK fails.
bool regress_fit(const double *x, const double *y, size_t n, size_t p, double ridge,
	struct regress_fit *fit, char *err);

double regress_predict(const struct regress_fit *fit, const double *x);

// k-fold cross-validation: row i is held out in fold i mod k. Needs n >= k.
bool regress_cross_validate(const double *x, const double *y, size_t n, size_t p,
	double ridge, size_t k, struct regress_cv *cv, char *err);

#endif
