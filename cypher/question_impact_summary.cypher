// impact: what the reached calls $call_hashes add up to, over all of them (the tree may be cut
// to --limit rows): their result values and the Files in them (not the target's own, in
// $start_values), the executions whose jobs ran or reused them, and the newest recorded task
// hash of each of their task names (the last entry of index call_node_task_name_time, not a
// sort of every call of the name); and, for the rows shown ($shown), each call's timestamp,
// result, Files in it and executions.
// Params: $call_hashes (list), $start_values (list), $task_names (their task names), $shown (list).
CALL () {
  UNWIND $call_hashes AS call_hash
  MATCH (c:CallNode {call_hash: call_hash})
  MATCH (r:Value {value_hash: c.value_hash})  // its RESULT (the call records the hash)
  WITH DISTINCT r
  RETURN [value_hash IN collect(r.value_hash) WHERE NOT value_hash IN $start_values] AS values,
         collect([(r)-[:SUBVALUE*0..1]->(f:File) WHERE NOT f.value_hash IN $start_values
                  | [f.path, f.value_hash]]) AS file_lists
}
CALL () {
  UNWIND $call_hashes AS call_hash
  MATCH (j:Job {call_hash: call_hash})
  RETURN collect(DISTINCT j.execution_id) AS executions
}
CALL () {
  UNWIND $task_names AS task_name
  CALL (task_name) {
    MATCH (n:CallNode) WHERE n.task_name = task_name AND n.timestamp IS NOT NULL
    RETURN n.task_hash AS task_hash ORDER BY n.task_name DESC, n.timestamp DESC LIMIT 1
  }
  RETURN collect([task_name, task_hash]) AS latest
}
CALL () {
  UNWIND $shown AS call_hash
  MATCH (c:CallNode {call_hash: call_hash})
  OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
  RETURN collect({
    call_hash: c.call_hash, timestamp: c.timestamp,
    result: {value_hash: r.value_hash, type: r.type, preview: r.preview},
    files: [(r)-[:SUBVALUE*0..1]->(f:File) | {value_hash: f.value_hash, path: f.path}],
    executions: COLLECT { MATCH (j:Job {call_hash: c.call_hash}) RETURN DISTINCT j.execution_id }
  }) AS rows
}
RETURN values, file_lists, executions, latest, rows
