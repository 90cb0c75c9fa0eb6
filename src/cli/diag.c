#include "cli/diag.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

void diag_print_warning(const char *msg)
{
	fprintf(stderr, "bopt: %s\n", msg);
}

static void draw_progress(const char *name, uint64_t done, uint64_t total, double elapsed)
{
	double mib = (double)done / (1 << 20), rate = mib / elapsed;
	if (total > 0) {
		double all = (double)total / (1 << 20);
		double eta = rate > 0 ? (all - mib) / rate : 0;
		fprintf(stderr, "\rbopt: %s: %.0f of %.0f MiB (%.0f%%), %.0f MiB/s, ETA %.0f s\033[K",
			name, mib, all, 100 * mib / (all > 0 ? all : 1), rate, eta);
	} else {
		fprintf(stderr, "\rbopt: %s: %.0f MiB, %.0f MiB/s\033[K", name, mib, rate);
	}
	fflush(stderr);
}

static void clear_progress(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

const struct progress_sink *diag_progress_sink(void)
{
	static const struct progress_sink line = {draw_progress, clear_progress};
	return isatty(STDERR_FILENO) ? &line : NULL;
}

int finish_stdout(int status)
{
	// As git and jq do: a failed write may only show when the stream is
	// flushed, or closed.
	bool failed = fflush(stdout) != 0 || ferror(stdout);
	int error = errno;
	if (!failed && fclose(stdout) != 0) {
		failed = true;
		error = errno;
	}
	if (failed && error != EPIPE) {
		bopt_warn("write error on standard output: %s", strerror(error));
		return 1;
	}
	return status;
}
