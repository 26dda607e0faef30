// Create the edges of newly imported records to Job nodes (or of older records to
// Jobs just imported, from sync_pending_take). One edge per row from the node with
// element id row.src to the Job with key row.dst (one unique-index seek), of type
// row.type: ROOT_JOB, TAGGED, or PARENT, which is a job's link to its parent job and
// is created the other way round, (parent)-[:CHILD]->(job). CREATE, not MERGE: see
// import_link_value.
// Returns the rows whose target is not in the graph yet: sync_pending_put keeps them.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:Job {id: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'PARENT'
  CREATE (d)-[:CHILD]->(s)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'ROOT_JOB'
  CREATE (s)-[:ROOT_JOB]->(d)
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  CREATE (s)-[:TAGGED]->(d)
}
WITH row, d WHERE d IS NULL
RETURN row
