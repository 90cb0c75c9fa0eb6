#include "trace/variant.h"

#include <pthread.h>
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

// Names are found through a small open-addressed table keyed on the
// length and three bytes, built once; one comparison confirms a hit.
#define LOOKUP_SIZE 128 // a power of two, well above BOPT_VARIANT_COUNT
static signed char lookup_table[LOOKUP_SIZE]; // variant + 1; 0 for none
static pthread_once_t lookup_once = PTHREAD_ONCE_INIT;

static unsigned lookup_hash(const char *name, size_t len)
{
	const unsigned char *p = (const unsigned char *)name;
	return ((unsigned)len * 31u + p[0] * 7u + p[len / 2] * 3u + p[len - 1]) & (LOOKUP_SIZE - 1);
}

static void lookup_build(void)
{
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++) {
		unsigned h = lookup_hash(bopt_variant_names[v], variant_lens[v]);
		while (lookup_table[h] != 0)
			h = (h + 1) & (LOOKUP_SIZE - 1);
		lookup_table[h] = (signed char)(v + 1);
	}
}

int variant_lookup(const char *name, size_t len)
{
	if (len == 0)
		return -1;
	pthread_once(&lookup_once, lookup_build);
	for (unsigned h = lookup_hash(name, len); lookup_table[h] != 0;
			h = (h + 1) & (LOOKUP_SIZE - 1)) {
		int v = lookup_table[h] - 1;
		if (variant_lens[v] == len && memcmp(bopt_variant_names[v], name, len) == 0)
			return v;
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
