// Create the edges of newly imported records to Value nodes (or of older records to
// Values just imported, from sync_pending_take). One edge per row from the node with
// element id row.src to the Value with key row.dst (one unique-index seek), of type
// row.type (TASK, RESULT, SUBVALUE, ARG, TAGGED). CREATE, not MERGE: a row's source is
// a node created in this transaction (or its PENDING edge was just taken), so the edge is
// new; the caller drops duplicate rows. Properties are set by name (no `SET r += map`,
// which would make the planner buffer every row in an Eager operator).
// Returns the rows whose target is not in the graph yet: sync_pending_put keeps them.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:Value {value_hash: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TASK'
  CREATE (s)-[:TASK]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'RESULT'
  CREATE (s)-[:RESULT]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'SUBVALUE'
  CREATE (s)-[:SUBVALUE]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'ARG'
  CREATE (s)-[:ARG {arg_hash: row.props.arg_hash, position: row.props.position, key: row.props.key}]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  CREATE (s)-[:TAGGED]->(d)
}
WITH row, d WHERE d IS NULL
RETURN row
