#include "trace/variant.h"

#include <string.h>

const char *const bopt_variant_names[BOPT_VARIANT_COUNT] = {
#define NAME(name) #name,
	BOPT_VARIANTS(NAME)
#undef NAME
};

static const unsigned char variant_lens[BOPT_VARIANT_COUNT] = {
#define LEN(name) sizeof(#name) - 1,
	BOPT_VARIANTS(LEN)
#undef LEN
};

int variant_lookup(const char *name, size_t len)
{
	int lo = 0, hi = BOPT_VARIANT_COUNT - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const char *v = bopt_variant_names[mid];
		size_t vlen = variant_lens[mid];
		int c = memcmp(name, v, len < vlen ? len : vlen);
		if (c == 0)
			c = len < vlen ? -1 : len > vlen;
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

// Reference: PatternAnalyzer::is_complex_event and requires_ordering.
bool variant_is_complex(int v)
{
	return v == BOPT_V_SparqlUpdate || v == BOPT_V_SchemaChanged || v == BOPT_V_QueryCompleted;
}

bool variant_is_transactional(int v)
{
	return v == BOPT_V_TransactionBegin || v == BOPT_V_TransactionCommit ||
		v == BOPT_V_TransactionAbort;
}
