#include "cli/report.h"

#include <stdarg.h>
#include <string.h>

void report_row(FILE *out, const char *key, const char *fmt, ...)
{
	va_list ap;
	fprintf(out, "%-*s ", REPORT_KEY_WIDTH - 1, key);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void report_gap(FILE *out)
{
	fputc('\n', out);
}

int report_widen(int width, const char *name)
{
	size_t len = strlen(name);
	return len > (size_t)width ? (int)len : width;
}
