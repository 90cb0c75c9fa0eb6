#include "cli/plan.h"

#include <stdbool.h>
#include <string.h>

#include "base/types.h"
#include "cli/report.h"

void plan_count(char *buf, size_t size, uint64_t n, const char *what)
{
	snprintf(buf, size, "%llu %s%s", (unsigned long long)n, what, n == 1 ? "" : "s");
}

void plan_size(char *buf, size_t size, const struct capacity_plan *p, const char *between)
{
	char units[48], nodes[48] = "";
	plan_count(units, sizeof(units), p->units, p->unit);
	if (p->node != NULL)
		plan_count(nodes, sizeof(nodes), p->nodes + p->companions,
			p->companion ? "node" : p->node);
	snprintf(buf, size, "%s%s%s", units, p->node != NULL ? between : "", nodes);
}

static void nodes_text(char *buf, size_t size, const struct capacity_plan *p)
{
	if (p->node == NULL) {
		snprintf(buf, size, "-");
		return;
	}
	char a[48], b[48];
	plan_count(a, sizeof(a), p->nodes, p->node);
	if (p->companion == NULL) {
		snprintf(buf, size, "%s", a);
		return;
	}
	plan_count(b, sizeof(b), p->companions, p->companion);
	snprintf(buf, size, "%s + %s", a, b);
}

void plan_write_table(FILE *out, const struct plan_row *rows, size_t n)
{
	int width = REPORT_NAME_WIDTH;
	for (size_t i = 0; i < n; i++)
		width = report_widen(width, rows[i].name);
	fprintf(out, "%-*s  %-16s  %-22s  %-9s  %7s  %9s  %10s  %11s  %11s  %11s  %11s  %s\n",
		width, "backend", "units", "nodes", "bound", "util", "retention", "stored GB",
		"compute/mo", "storage/mo", "requests/mo", "total/mo", "capacity");
	for (size_t i = 0; i < n; i++) {
		const struct capacity_plan *p = rows[i].plan;
		char units[48], nodes[112], util[16], retention[24];
		plan_count(units, sizeof(units), p->units, p->unit);
		nodes_text(nodes, sizeof(nodes), p);
		snprintf(util, sizeof(util), "%.1f%%", p->utilisation * 100);
		snprintf(retention, sizeof(retention), "%.6g d", p->retention_days);
		fprintf(out, "%-*s  %-16s  %-22s  %-9s  %7s  %9s  %10.3f  %11.2f  %11.2f  %11.2f  "
			"%11.2f  %s\n", width, rows[i].name, units, nodes,
			capacity_bound_name(p->bound), util, retention, p->stored_gb, p->compute,
			p->storage, p->requests, p->total, p->measured ? "measured" : "cited");
	}
	report_gap(out);
	// Each backend's offering once (its configurations share it).
	bool said[BOPT_BACKEND_COUNT] = {false};
	for (size_t i = 0; i < n; i++) {
		const struct capacity_plan *p = rows[i].plan;
		if (said[p->backend])
			continue;
		said[p->backend] = true;
		fprintf(out, "%-*s  %s", width, backend_name(p->backend), p->offering);
		if (p->backend == BOPT_KINESIS)
			fprintf(out, ": %s", p->on_demand ? "on-demand" : "provisioned");
		if (p->memory_gb > 0)
			fprintf(out, "; holds %.3g GB", p->memory_gb);
		fprintf(out, "\n");
	}
	report_gap(out);
	fprintf(out, "dollars per month (US$, 730 h) = compute + storage + requests: compute = nodes\n"
		"x node-hour price x 730 (Kinesis: shard-hours, or stream-hours on demand),\n"
		"storage = GB stored x GB-month price, requests = Kinesis PUT payload units or\n"
		"GB charges; figures and their sources: bopt(1), CAPACITY AND PRICES\n");
}

void plan_write_json(struct jw *w, const struct capacity_plan *p, const struct price_table *t)
{
	jw_object_begin(w);
	jw_key(w, "unit");
	jw_string(w, p->unit);
	jw_key(w, "units");
	jw_uint(w, p->units);
	jw_key(w, "node");
	if (p->node != NULL)
		jw_string(w, p->node);
	else
		jw_null(w);
	jw_key(w, "nodes");
	jw_uint(w, p->nodes);
	if (p->companion != NULL) {
		jw_key(w, "companion");
		jw_string(w, p->companion);
		jw_key(w, "companions");
		jw_uint(w, p->companions);
	}
	jw_key(w, "bound");
	jw_string(w, capacity_bound_name(p->bound));
	jw_key(w, "utilisation");
	jw_double(w, p->utilisation);
	jw_key(w, "capacity_source");
	jw_string(w, p->measured ? "measured" : "cited");
	jw_key(w, "capacity_figures");
	jw_string(w, p->source);
	jw_key(w, "retention_days");
	jw_double(w, p->retention_days);
	jw_key(w, "stored_gb");
	jw_double(w, p->stored_gb);
	if (p->memory_gb > 0) {
		jw_key(w, "memory_gb");
		jw_double(w, p->memory_gb);
	}
	jw_key(w, "offering");
	jw_string(w, p->offering);
	if (p->backend == BOPT_KINESIS) {
		jw_key(w, "mode");
		jw_string(w, p->on_demand ? "on-demand" : "provisioned");
	}
	jw_key(w, "monthly_usd");
	jw_object_begin(w);
	jw_key(w, "compute");
	jw_double(w, p->compute);
	jw_key(w, "storage");
	jw_double(w, p->storage);
	jw_key(w, "requests");
	jw_double(w, p->requests);
	jw_key(w, "total");
	jw_double(w, p->total);
	jw_object_end(w);
	jw_key(w, "prices");
	jw_object_begin(w);
	jw_key(w, "origin");
	jw_string(w, t->origin);
	jw_key(w, "region");
	jw_string(w, t->region);
	jw_key(w, "date");
	jw_string(w, t->date);
	jw_object_end(w);
	jw_object_end(w);
}
