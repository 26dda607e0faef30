// Create the edges of newly imported records to Execution nodes (or of older records to
// Executions just imported, from sync_pending_take). One edge per row from the node with
// element id row.src to the Execution with key row.dst (one unique-index seek), of type
// row.type (TAGGED). CREATE, not MERGE: see import_link_value.
// Returns the rows whose target is not in the graph yet: sync_pending_put keeps them.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:Execution {id: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  CREATE (s)-[:TAGGED]->(d)
}
WITH row, d WHERE d IS NULL
RETURN row
