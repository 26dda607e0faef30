// Link imported records to Value nodes (one query per target label, so each
// target is found by one unique-index seek on :Value(value_hash)). One edge per row from
// the node with element id row.src to the node with key row.dst, of type row.type
// (TASK, RESULT, SUBVALUE, ARG, TAGGED). Properties are set by name (no `SET r += map`, which
// would make the planner buffer every row in an Eager operator).
// Returns the rows whose target is not in the graph yet: sync_pending_put keeps them
// as PENDING edges.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:Value {value_hash: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TASK'
  MERGE (s)-[:TASK]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'RESULT'
  MERGE (s)-[:RESULT]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'SUBVALUE'
  MERGE (s)-[:SUBVALUE]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'ARG'
  MERGE (s)-[r:ARG {arg_hash: row.props.arg_hash}]->(d)
  SET r.position = row.props.position, r.key = row.props.key
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  MERGE (s)-[:TAGGED]->(d)
}
WITH row, d WHERE d IS NULL
RETURN row
