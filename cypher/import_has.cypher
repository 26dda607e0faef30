// Which of the given record ids are already in the graph, by record type (the
// import's existence check: one unique-index seek per id, on its own label only).
// Params: $values, $call_nodes, $jobs, $executions, $tags (lists of keys).
// Returns one row per existing id.
CALL () {
  UNWIND $values AS id MATCH (:Value {value_hash: id}) RETURN id
  UNION ALL
  UNWIND $call_nodes AS id MATCH (:CallNode {call_hash: id}) RETURN id
  UNION ALL
  UNWIND $jobs AS id MATCH (:Job {id: id}) RETURN id
  UNION ALL
  UNWIND $executions AS id MATCH (:Execution {id: id}) RETURN id
  UNION ALL
  UNWIND $tags AS id MATCH (:Tag {tag_hash: id}) RETURN id
}
RETURN id
