// One value: its properties (without the stored bytes), the calls that returned it and
// used it as an argument, the values nested in it and the values it is nested in.
// Params: $value_hash.
MATCH (v:Value {value_hash: $value_hash})
CALL (v) {
  OPTIONAL MATCH (c:CallNode)-[:RESULT]->(v)
  RETURN collect(c {.call_hash, .task_name}) AS results_of
}
CALL (v) {
  OPTIONAL MATCH (c:CallNode)-[:ARG]->(v)
  RETURN collect(DISTINCT c {.call_hash, .task_name}) AS argument_of
}
CALL (v) {
  OPTIONAL MATCH (v)-[:SUBVALUE]->(s:Value)
  RETURN collect(s {.value_hash, .type, .preview, .path}) AS subvalues
}
CALL (v) {
  OPTIONAL MATCH (p:Value)-[:SUBVALUE]->(v)
  RETURN collect(p {.value_hash, .type, .preview}) AS parents
}
CALL (v) {
  OPTIONAL MATCH (tag:Tag)-[:TAGGED]->(v) WHERE coalesce(tag.is_current, true)
  RETURN collect(tag {.key, .value}) AS tags
}
RETURN labels(v) AS labels, v {.*, value: null} AS props, results_of, argument_of, subvalues, parents, tags
