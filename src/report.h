#ifndef BOPT_REPORT_H
#define BOPT_REPORT_H

/*
 * Output for people: aligned "key  value" rows and column tables on a
 * stream. Nothing here allocates beyond the call.
 */

#include <stdio.h>

#include "util.h"

#define REPORT_KEY_WIDTH 20

// Writes "key<padding>value\n".
void report_row(FILE *out, const char *key, const char *fmt, ...) BOPT_PRINTF(3, 4);
// Writes a blank line between sections.
void report_gap(FILE *out);

#endif
