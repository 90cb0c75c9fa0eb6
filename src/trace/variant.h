#ifndef BOPT_VARIANT_H
#define BOPT_VARIANT_H

/*
 * The StreamEvent variants of oxirs-stream that a trace names, and what the
 * reference's pattern analyzer makes of them. Constant tables only.
 */

#include <stdbool.h>
#include <stddef.h>

// The 42 StreamEvent variants of oxirs-stream, sorted by name.
#define BOPT_VARIANTS(X) \
	X(ConstraintAdded) X(ConstraintRemoved) X(ConstraintViolated) \
	X(ErrorOccurred) X(GraphCleared) X(GraphCreated) \
	X(GraphDeleted) X(GraphMerged) X(GraphMetadataUpdated) \
	X(GraphPermissionsChanged) X(GraphRenamed) X(GraphSplit) \
	X(GraphStatisticsUpdated) X(Heartbeat) X(IndexCreated) \
	X(IndexDropped) X(IndexRebuilt) X(OntologyImported) \
	X(OntologyRemoved) X(QuadAdded) X(QuadRemoved) \
	X(QueryCompleted) X(QueryResultAdded) X(QueryResultRemoved) \
	X(SchemaChanged) X(SchemaDefinitionAdded) X(SchemaDefinitionModified) \
	X(SchemaDefinitionRemoved) X(SchemaUpdated) X(ShapeAdded) \
	X(ShapeModified) X(ShapeRemoved) X(ShapeUpdated) \
	X(ShapeValidationCompleted) X(ShapeValidationStarted) X(ShapeViolationDetected) \
	X(SparqlUpdate) X(TransactionAbort) X(TransactionBegin) \
	X(TransactionCommit) X(TripleAdded) X(TripleRemoved) 

enum bopt_variant {
#define BOPT_VARIANT_ENUM(name) BOPT_V_##name,
	BOPT_VARIANTS(BOPT_VARIANT_ENUM)
#undef BOPT_VARIANT_ENUM
	BOPT_VARIANT_COUNT
};

extern const char *const bopt_variant_names[BOPT_VARIANT_COUNT];
// Index of a known variant name, or -1.
int variant_lookup(const char *name, size_t len);
bool variant_is_complex(int v);
bool variant_is_transactional(int v);

#endif
