// impact: the first calls downstream of a target. Calls that took one of $value_hashes as
// an argument (or a value containing it, SUBVALUE), calls of the tasks $task_hashes, and
// the calls $call_hashes themselves.
// Params: $value_hashes, $task_hashes, $call_hashes (lists; any may be empty).
CALL () {
  UNWIND $value_hashes AS value_hash
  MATCH (v:Value {value_hash: value_hash})
  MATCH (c:CallNode)-[a:ARG]->(:Value)-[:SUBVALUE*0..1]->(v)
  RETURN DISTINCT c.call_hash AS call_hash, value_hash AS source,
         'argument ' + coalesce(a.key, toString(a.position)) AS how
  UNION
  UNWIND $task_hashes AS task_hash
  MATCH (c:CallNode {task_hash: task_hash})
  RETURN c.call_hash AS call_hash, task_hash AS source, 'call of the task' AS how
  UNION
  UNWIND $call_hashes AS call_hash
  MATCH (c:CallNode {call_hash: call_hash})
  RETURN c.call_hash AS call_hash, null AS source, 'the call itself' AS how
}
RETURN call_hash, source, how
