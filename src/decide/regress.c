#include "decide/regress.h"

#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static bool too_large(char *err)
{
	return bopt_errf(err, "values too large for a least-squares fit");
}

static bool all_equal(const double *v, size_t n, size_t stride)
{
	for (size_t i = 1; i < n; i++)
		if (v[i * stride] != v[0])
			return false;
	return true;
}

static double mean_of(const double *v, size_t n, size_t stride)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i * stride];
	return s / (double)n;
}

// Below this a plain sum of squared deviations may lose them to underflow.
#define REGRESS_PLAIN_STD_MIN 1e-140

// Population standard deviation around mean. When the plain sum of squares
// is not safe (deviations so small that their squares underflow: a spread
// of 1e-200 squares to 0; or so large that they overflow), it is computed
// on the deviations scaled by the largest one. Infinite when a deviation
// overflows.
static double std_of(const double *v, size_t n, size_t stride, double mean)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double d = v[i * stride] - mean;
		s += d * d;
	}
	double plain = sqrt(s / (double)n);
	if (isfinite(plain) && plain >= REGRESS_PLAIN_STD_MIN)
		return plain;
	double big = 0;
	for (size_t i = 0; i < n; i++) {
		double d = fabs(v[i * stride] - mean);
		if (!(d <= big))
			big = d; // also takes an infinite or NaN deviation
	}
	if (big == 0 || !isfinite(big))
		return big;
	s = 0;
	for (size_t i = 0; i < n; i++) {
		double d = (v[i * stride] - mean) / big;
		s += d * d;
	}
	return big * sqrt(s / (double)n);
}

// A spread below DBL_MIN (a subnormal one) cannot standardise a feature:
// 1/sigma overflows and the standardised values lose their precision. Such a
// feature is treated as constant.
static bool spread_usable(double sigma)
{
	return sigma >= DBL_MIN;
}

// LAPACK reports a bad argument through xerbla, whose default prints to
// standard output. bopt's own replaces it: it keeps the routine and the
// argument for regress_fit's message (regress_fit validates its matrix
// first, so this is a last line of defence). Not thread-safe, as the fits
// run on one thread.
static char xerbla_routine[16];
static int xerbla_param;

void xerbla_(const char *srname, const int *info, size_t len);
void xerbla_(const char *srname, const int *info, size_t len)
{
	size_t k = len < sizeof(xerbla_routine) - 1 ? len : sizeof(xerbla_routine) - 1;
	while (k > 0 && srname[k - 1] == ' ')
		k--;
	memcpy(xerbla_routine, srname, k);
	xerbla_routine[k] = '\0';
	xerbla_param = *info;
}

// LAPACKE checks some arguments itself and reports through LAPACKE_xerbla.
void LAPACKE_xerbla(const char *name, lapack_int info)
{
	snprintf(xerbla_routine, sizeof(xerbla_routine), "%s", name);
	xerbla_param = (int)-info;
}

static bool all_finite(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

// Solves min |A b - y|^2 (A m x q, row-major, overwritten; y in b[0..m),
// the solution in b[0..q)) with LAPACK dgelsd.
static bool solve(double *a, double *b, size_t m, size_t q, char *err)
{
	if (!all_finite(a, m * q) || !all_finite(b, m))
		return too_large(err);
	double *s = xcalloc(q, sizeof(*s));
	lapack_int rank;
	xerbla_routine[0] = '\0';
	lapack_int info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)q, 1,
		a, (lapack_int)q, b, 1, s, REGRESS_RCOND, &rank);
	free(s);
	if (xerbla_routine[0] != '\0')
		return bopt_errf(err, "least-squares solve failed (LAPACK %s: bad argument %d)",
			xerbla_routine, xerbla_param);
	if (info != 0)
		return bopt_errf(err, "least-squares solve failed (LAPACK dgelsd info %d)", (int)info);
	return true;
}

// From this ridge up the penalised normal equations are solved instead:
// (Z'Z/n + L I) b = Z'yc/n, divided by L, has a condition number of at most
// 1 + q/L (Z'Z/n is a correlation matrix), and its small solution is not
// lost in cancellation as it is in the augmented least-squares system.
#define REGRESS_NORMAL_RIDGE 1.0

// Solves (Z'Z/(n L) + I) b = Z'yc/(n L) (Z n x q in z, row-major; yc in
// b[0..n), the solution in b[0..q)) by Cholesky (LAPACK dposv).
static bool solve_normal(const double *z, double *b, size_t n, size_t q, double ridge,
	char *err)
{
	double g[REGRESS_MAX_FEATURES * REGRESS_MAX_FEATURES], h[REGRESS_MAX_FEATURES];
	for (size_t j = 0; j < q; j++) {
		for (size_t k = 0; k < q; k++) {
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += z[i * q + j] * z[i * q + k];
			g[j * q + k] = s / (double)n / ridge + (j == k);
		}
		double s = 0;
		for (size_t i = 0; i < n; i++)
			s += z[i * q + j] * b[i];
		h[j] = s / (double)n / ridge;
	}
	if (!all_finite(g, q * q) || !all_finite(h, q))
		return too_large(err);
	xerbla_routine[0] = '\0';
	lapack_int info = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int)q, 1, g, (lapack_int)q,
		h, 1);
	if (xerbla_routine[0] != '\0')
		return bopt_errf(err, "least-squares solve failed (LAPACK %s: bad argument %d)",
			xerbla_routine, xerbla_param);
	if (info != 0)
		return bopt_errf(err, "least-squares solve failed (LAPACK dposv info %d)", (int)info);
	memcpy(b, h, q * sizeof(*b));
	return true;
}

bool regress_fit(const double *x, const double *y, size_t n, size_t p, double ridge,
	struct regress_fit *fit, char *err)
{
	*fit = (struct regress_fit){.p = p, .n = n};
	if (!(ridge >= 0) || !isfinite(ridge))
		return bopt_errf(err, "the ridge penalty must be a finite number of at least 0");
	double mu[REGRESS_MAX_FEATURES], sigma[REGRESS_MAX_FEATURES];
	size_t cols[REGRESS_MAX_FEATURES], q = 0;
	for (size_t j = 0; j < p; j++) {
		if (all_equal(x + j, n, p))
			continue;
		mu[q] = mean_of(x + j, n, p);
		sigma[q] = std_of(x + j, n, p, mu[q]);
		if (!isfinite(mu[q]) || !isfinite(sigma[q]))
			return too_large(err);
		if (!spread_usable(sigma[q]))
			continue;
		cols[q++] = j;
		fit->used[j] = true;
	}
	double ymean = mean_of(y, n, 1);
	fit->intercept = ymean;
	if (!isfinite(ymean))
		return too_large(err);
	if (q == 0 || all_equal(y, n, 1))
		return true;
	if (!isfinite(std_of(y, n, 1, ymean)))
		return too_large(err);

	// min |Z b - yc|^2 + n L |b|^2, Z the standardised features, yc = y -
	// ymean.
	size_t m = n + (ridge > 0 ? q : 0);
	size_t rows_b = m > q ? m : q;
	double *a = xcalloc(m * q, sizeof(*a));
	double *b = xcalloc(rows_b, sizeof(*b));
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < q; c++)
			a[i * q + c] = (x[i * p + cols[c]] - mu[c]) / sigma[c];
		b[i] = y[i] - ymean;
	}
	bool ok;
	if (ridge >= REGRESS_NORMAL_RIDGE) {
		ok = solve_normal(a, b, n, q, ridge, err);
	} else {
		// As the least-squares system [Z; r I] b = [yc; 0], r = sqrt(n L):
		// the penalty rows make it full rank, so collinear features share
		// their weight instead of breaking the solve.
		if (ridge > 0)
			for (size_t c = 0; c < q; c++)
				a[(n + c) * q + c] = sqrt((double)n * ridge);
		ok = solve(a, b, m, q, err);
	}
	for (size_t c = 0; ok && c < q; c++) {
		fit->coef[cols[c]] = b[c] / sigma[c];
		fit->intercept -= fit->coef[cols[c]] * mu[c];
		if (!isfinite(fit->coef[cols[c]]) || !isfinite(fit->intercept))
			ok = too_large(err);
	}
	free(a);
	free(b);
	return ok;
}

double regress_predict(const struct regress_fit *fit, const double *x)
{
	double v = fit->intercept;
	for (size_t j = 0; j < fit->p; j++)
		v += fit->coef[j] * x[j];
	return v;
}

bool regress_cross_validate(const double *x, const double *y, size_t n, size_t p,
	double ridge, size_t k, struct regress_cv *cv, char *err)
{
	*cv = (struct regress_cv){.k = k};
	double *tx = xmalloc(n * p * sizeof(*tx));
	double *ty = xmalloc(n * sizeof(*ty));
	double sse = 0;
	bool ok = true;
	for (size_t f = 0; f < k && ok; f++) {
		size_t t = 0;
		for (size_t i = 0; i < n; i++) {
			if (i % k == f)
				continue;
			memcpy(tx + t * p, x + i * p, p * sizeof(*tx));
			ty[t++] = y[i];
		}
		struct regress_fit fit;
		ok = regress_fit(tx, ty, t, p, ridge, &fit, err);
		for (size_t i = f; ok && i < n; i += k) {
			double d = y[i] - regress_predict(&fit, x + i * p);
			sse += d * d;
		}
	}
	if (ok) {
		double sst = 0;
		if (!all_equal(y, n, 1)) {
			double sd = std_of(y, n, 1, mean_of(y, n, 1));
			sst = sd * sd * (double)n;
		}
		cv->r2 = sst > 0 ? 1 - sse / sst : 0;
		cv->rmse = sqrt(sse / (double)n);
		if (!isfinite(cv->r2) || !isfinite(cv->rmse))
			ok = too_large(err);
	}
	free(tx);
	free(ty);
	return ok;
}
