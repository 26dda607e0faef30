// Create the edges of newly imported records to CallNode nodes (or of older records to
// CallNodes just imported, from sync_pending_take). One edge per row from the node with
// element id row.src to the CallNode with key row.dst (one unique-index seek), of type
// row.type (CALL, UPSTREAM, CHILD, TAGGED). CREATE, not MERGE: see import_link_value.
// Returns the rows whose target is not in the graph yet: sync_pending_put keeps them.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:CallNode {call_hash: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'CALL'
  CREATE (s)-[:CALL]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'UPSTREAM'
  CREATE (s)-[:UPSTREAM {arg_hash: row.props.arg_hash}]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'CHILD'
  CREATE (s)-[:CHILD {call_order: row.props.call_order}]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  CREATE (s)-[:TAGGED]->(d)
}
WITH row, d WHERE d IS NULL
RETURN row
