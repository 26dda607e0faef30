// An execution's call graph for `graphbackend viz`: every call under the root job's call
// node (CHILD, in call order), their argument and result values and the UPSTREAM edges.
// Params: $execution_id.
MATCH (e:Execution {id: $execution_id})-[:ROOT_JOB]->(:Job)-[:CALL]->(root:CallNode)
MATCH (root)-[:CHILD*0..]->(c:CallNode)
WITH DISTINCT c
CALL (c) {
  OPTIONAL MATCH (c)-[a:ARG]->(v:Value)
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE {
    arg_hash: a.arg_hash, position: a.position, key: a.key, value_hash: v.value_hash,
    type: v.type, path: v.path, preview: v.preview, labels: labels(v)} END) AS args
}
CALL (c) {
  OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
  RETURN r {.value_hash, .type, .path, .preview, labels: labels(r)} AS result
}
CALL (c) {
  OPTIONAL MATCH (c)-[e:CHILD]->(k:CallNode)
  RETURN collect(CASE WHEN k IS NULL THEN null ELSE {call_hash: k.call_hash, call_order: e.call_order} END) AS children
}
CALL (c) {
  OPTIONAL MATCH (c)-[u:UPSTREAM]->(up:CallNode)
  RETURN collect(CASE WHEN up IS NULL THEN null ELSE {call_hash: up.call_hash, arg_hash: u.arg_hash} END) AS upstream
}
RETURN c.call_hash AS call_hash, c.task_name AS task_name, args, result, children, upstream
