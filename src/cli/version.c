#include "cli/commands.h"

#include <cjson/cJSON.h>
#include <lapacke.h>
#include <zlib.h>

void version_write(FILE *out)
{
	lapack_int major, minor, patch;
	LAPACKE_ilaver(&major, &minor, &patch);
	fprintf(out, "bopt %s\n", BOPT_VERSION);
	// What this build can do, and the libraries it runs with.
	fputs("features: gzip input (zlib), parallel trace reading (pthreads), "
		"ridge regression (LAPACKE)\n", out);
	fprintf(out, "libraries: cJSON %s, zlib %s, LAPACK %d.%d.%d\n", cJSON_Version(),
		zlibVersion(), (int)major, (int)minor, (int)patch);
}
