#include "decide/regress.h"

#include <lapacke.h>
#include <math.h>
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

// Population standard deviation around mean.
static double std_of(const double *v, size_t n, size_t stride, double mean)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double d = v[i * stride] - mean;
		s += d * d;
	}
	return sqrt(s / (double)n);
}

bool regress_fit(const double *x, const double *y, size_t n, size_t p, double ridge,
	struct regress_fit *fit, char *err)
{
	*fit = (struct regress_fit){.p = p, .n = n};
	double mu[REGRESS_MAX_FEATURES], sigma[REGRESS_MAX_FEATURES];
	size_t cols[REGRESS_MAX_FEATURES], q = 0;
	for (size_t j = 0; j < p; j++) {
		if (all_equal(x + j, n, p))
			continue;
		mu[q] = mean_of(x + j, n, p);
		sigma[q] = std_of(x + j, n, p, mu[q]);
		if (!isfinite(sigma[q]))
			return too_large(err);
		cols[q++] = j;
		fit->used[j] = true;
	}
	double ymean = mean_of(y, n, 1);
	fit->intercept = ymean;
	if (q == 0 || all_equal(y, n, 1))
		return true;
	if (!isfinite(std_of(y, n, 1, ymean)))
		return too_large(err);

	// [Z; sqrt(n ridge) I] b = [y - ymean; 0], Z the standardised features:
	// the penalty rows make the system full rank, so collinear features
	// share their weight instead of breaking the solve.
	size_t m = n + (ridge > 0 ? q : 0);
	size_t rows_b = m > q ? m : q;
	double *a = xcalloc(m * q, sizeof(*a));
	double *b = xcalloc(rows_b, sizeof(*b));
	double *s = xcalloc(q, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < q; c++)
			a[i * q + c] = (x[i * p + cols[c]] - mu[c]) / sigma[c];
		b[i] = y[i] - ymean;
	}
	if (ridge > 0)
		for (size_t c = 0; c < q; c++)
			a[(n + c) * q + c] = sqrt((double)n * ridge);
	lapack_int rank;
	lapack_int info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)q, 1,
		a, (lapack_int)q, b, 1, s, REGRESS_RCOND, &rank);
	bool ok = info == 0;
	if (!ok) {
		bopt_errf(err, "least-squares solve failed (LAPACK dgelsd info %d)", (int)info);
	} else {
		for (size_t c = 0; c < q; c++) {
			fit->coef[cols[c]] = b[c] / sigma[c];
			fit->intercept -= fit->coef[cols[c]] * mu[c];
			ok = ok && isfinite(fit->coef[cols[c]]);
		}
		if (!ok || !isfinite(fit->intercept))
			ok = too_large(err);
	}
	free(a);
	free(b);
	free(s);
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
