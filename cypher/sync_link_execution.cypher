// Link imported records to Execution nodes (one query per target label, so each
// target is found by one unique-index seek on :Execution(id)). One edge per row from
// the node with element id row.src to the node with key row.dst, of type row.type
// (TAGGED). Properties are set by name (no `SET r += map`, which
// would make the planner buffer every row in an Eager operator).
// Returns the rows whose target is not in the graph yet: sync_pending_put keeps them
// as PENDING edges.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:Execution {id: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  MERGE (s)-[:TAGGED]->(d)
}
WITH row, d WHERE d IS NULL
RETURN row
