// One call node: its properties, arguments (with the upstream calls they came from),
// result, child calls, parent calls and how many jobs ran or reused it.
// Params: $call_hash.
MATCH (c:CallNode {call_hash: $call_hash})
CALL (c) {
  OPTIONAL MATCH (c)-[a:ARG]->(v:Value)
  OPTIONAL MATCH (c)-[:UPSTREAM {arg_hash: a.arg_hash}]->(up:CallNode)
  WITH a, v, collect(up {.call_hash, .task_name}) AS upstream
  ORDER BY a.position, a.key
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE {
    arg_hash: a.arg_hash, position: a.position, key: a.key,
    value_hash: v.value_hash, type: v.type, preview: v.preview, path: v.path,
    upstream: upstream} END) AS args
}
CALL (c) {
  OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
  RETURN r {.value_hash, .type, .preview, .path} AS result
}
CALL (c) {
  OPTIONAL MATCH (c)-[e:CHILD]->(k:CallNode)
  WITH e, k ORDER BY e.call_order
  RETURN collect(k {.call_hash, .task_name}) AS children
}
CALL (c) {
  OPTIONAL MATCH (p:CallNode)-[:CHILD]->(c)
  RETURN collect(p {.call_hash, .task_name}) AS parents
}
CALL (c) {
  OPTIONAL MATCH (j:Job)-[:CALL]->(c)
  RETURN count(j) AS jobs, count(CASE WHEN j.cached THEN 1 END) AS cached_jobs
}
RETURN properties(c) AS props, args, result, children, parents, jobs, cached_jobs
