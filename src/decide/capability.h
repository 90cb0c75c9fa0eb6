#ifndef BOPT_CAPABILITY_H
#define BOPT_CAPABILITY_H

/*
 * The capability matrix (capabilities.def): durability, the strongest
 * delivery guarantee and what it takes, ordering scope, message-size limits,
 * per-partition throughput and retention of each backend, each cited. All
 * plain constant data; strings are static.
 */

#include <stdbool.h>
#include <stdint.h>

#include "base/types.h"

enum cap_durability {
	CAP_NONE,       // process memory only
	CAP_LOCAL,      // one node's disk
	CAP_REPLICATED, // copies on several nodes before the acknowledgement
};

enum cap_ordering {
	CAP_ORDER_PARTITION,
	CAP_ORDER_SHARD,
	CAP_ORDER_STREAM,
	CAP_ORDER_QUEUE,
};

struct capability {
	enum cap_durability durability;
	bool fsync;                // an acknowledged write is fsynced by default
	const char *fsync_setting; // what makes it so, or NULL
	enum bopt_consistency guarantee; // strongest delivery guarantee
	const char *how;                 // what that guarantee takes
	const char *guarantee_setting;   // what of it is off by default, or NULL
	enum cap_ordering ordering;
	uint64_t limit;            // default largest message, bytes; 0: none
	const char *limit_setting; // what raises it, or NULL
	uint64_t hard_limit;       // bytes; 0: none documented
	double unit_rate;          // records/s per partition/shard/queue; 0: none documented
	double unit_bytes;         // bytes/s per partition/shard; 0: none documented
	const char *retention;
};

const struct capability *capability_of(enum bopt_backend b);

const char *cap_durability_name(enum cap_durability d); // "none", "local disk", "replicated"
const char *cap_ordering_name(enum cap_ordering o);     // "partition", ...

// The delivery guarantee a consistency level needs: AtMostOnce, AtLeastOnce
// (also for Session) or ExactlyOnce (also for Strong).
enum bopt_consistency cap_guarantee_needed(enum bopt_consistency c);
// Guarantees ordered by strength: 0 at most once, 1 at least once, 2 exactly once.
int cap_guarantee_rank(enum bopt_consistency c);

// The reliability component of the score against the workload's needs,
// 0..1: the mean of durability (when durable storage is required: none 0,
// local disk 0.5, replicated 0.75, +0.25 when fsynced before the
// acknowledgement; 1 when it is not required) and guarantee (min(1, rank
// of the backend's / rank of the one needed); 1 when at most once is needed).
double capability_reliability(const struct capability *c, bool durable,
	enum bopt_consistency need);

#endif
