#ifndef BOPT_DIAG_H
#define BOPT_DIAG_H

/*
 * The program's side of diagnostics: warnings and errors printed as
 * "bopt: MSG" on standard error, and the final check of standard output.
 * Nothing here allocates.
 */

#include "trace/progress.h"

// Prints "bopt: MSG\n" on standard error; installed as the library's warn
// routine by main.
void diag_print_warning(const char *msg);

// Draws "bopt: NAME: D of T MiB (P%), R MiB/s, ETA S s" over itself on
// standard error; the sink of trace progress when standard error is a
// terminal (NULL otherwise).
const struct progress_sink *diag_progress_sink(void);

// Flushes and closes standard output, reporting a write error (a closed pipe
// is not one); returns the exit status to use.
int finish_stdout(int status);

#endif
