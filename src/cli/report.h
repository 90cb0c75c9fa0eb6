#ifndef BOPT_REPORT_H
#define BOPT_REPORT_H

/*
 * Output for people: aligned "key  value" rows and column tables on a
 * stream. Nothing here allocates beyond the call.
 */

#include <stdbool.h>
#include <stdio.h>

#include "base/util.h"

#define REPORT_KEY_WIDTH 20
// The least width of a table's backend column.
#define REPORT_NAME_WIDTH 8


// Writes "key<padding>value\n".
void report_row(FILE *out, const char *key, const char *fmt, ...) BOPT_PRINTF(3, 4);
// Writes a blank line between sections.
void report_gap(FILE *out);
// The width of a name column that holds name: width, or more for a longer name.
int report_widen(int width, const char *name);

#endif
