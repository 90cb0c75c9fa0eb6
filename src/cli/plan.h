#ifndef BOPT_CLI_PLAN_H
#define BOPT_CLI_PLAN_H

/*
 * Capacity plans on the page: the sizing and dollars table that cost and
 * compare print, and the "capacity" JSON object of one backend. Plans are
 * the caller's; nothing here allocates beyond the writer's buffer.
 */

#include <stddef.h>
#include <stdio.h>

#include "base/jsonw.h"
#include "decide/capacity.h"
#include "decide/metrics.h"

// One row of the table: the candidate's name ("RabbitMQ (mirrored)") and
// its plan.
struct plan_row {
	char name[METRICS_NAME_MAX];
	const struct capacity_plan *plan;
};
// The table of plans, then each backend's offering (once) and the dollar
// formula.
void plan_write_table(FILE *out, const struct plan_row *rows, size_t n);
// "units" as "3 partitions", "1 shard".
void plan_count(char *buf, size_t size, uint64_t n, const char *what);
// A plan's size: "7 queues", then between and its nodes ("7 queues on 6
// nodes") when it has nodes (companions counted as nodes).
void plan_size(char *buf, size_t size, const struct capacity_plan *p, const char *between);
// The capacity object of one plan, with the price table's origin.
void plan_write_json(struct jw *w, const struct capacity_plan *p, const struct price_table *t);

#endif
