// Link imported records to Value nodes (one query per target label, so the
// target is found by one index seek on :Value(value_hash)). One edge per row from the
// node with element id row.src (written in this transaction) to the node with key
// row.dst, of type row.type (TASK, RESULT, SUBVALUE, ARG, TAGGED) with properties row.props.
// A target not in the graph yet is kept as
// (src)-[:PENDING {type, label: 'Value', ident, ref, ...props}]->(:Pending {id: row.dst}),
// which sync_pending_take turns back into a row when the target arrives.
// Params: $rows [{src, type, dst, ident, ref, props}].
UNWIND $rows AS row
MATCH (s) WHERE elementId(s) = row.src
OPTIONAL MATCH (d:Value {value_hash: row.dst})
CALL (s, d, row) {
  WITH * WHERE d IS NULL
  MERGE (p:Pending {id: row.dst})
  MERGE (s)-[r:PENDING {type: row.type, ref: row.ref}]->(p)
  SET r += row.props, r.label = 'Value', r.ident = row.ident
}
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
  SET r += row.props
}
CALL (s, d, row) {
  WITH * WHERE d IS NOT NULL AND row.type = 'TAGGED'
  MERGE (s)-[:TAGGED]->(d)
}
RETURN count(*) AS linked
