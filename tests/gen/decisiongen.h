#ifndef BOPT_DECISIONGEN_H
#define BOPT_DECISIONGEN_H

/*
 * Deterministic OptimizationDecisions for tests: decision i of a generated
 * history has simple closed-form values, so that stats over any window can
 * be computed by hand. The caller releases the decision with
 * history_decision_release.
 *
 *   timestamp            DECISIONGEN_BASE + i seconds
 *   selected_backend     backend number i % 7 (Kafka, Nats, Redis, Kinesis,
 *                        Pulsar, RabbitMQ, Memory)
 *   predicted p50        2000 - i ms (p95 1.5x, p99 2x)
 *   predicted throughput 1000 + 10 i events/s
 *   confidence           0.25 (i % 5)
 */

#include <stddef.h>
#include <stdint.h>

#include "decide/history.h"

// 2026-07-19T08:00:00Z
#define DECISIONGEN_BASE INT64_C(1784448000000000000)

// pad > 0 lengthens the reason by pad bytes (for large lines).
void decisiongen(uint64_t i, size_t pad, struct bopt_decision *d);

#endif
