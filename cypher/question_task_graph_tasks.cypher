// The task-level view's nodes: each task name with its recorded calls, versions (task
// hashes) and the last time a call of it was recorded; over $call_hashes or, when null,
// the whole history.
// Params: $call_hashes (list or null).
CALL () {
  WITH $call_hashes AS scope WHERE scope IS NOT NULL
  UNWIND scope AS call_hash
  MATCH (c:CallNode {call_hash: call_hash})
  RETURN c
  UNION
  WITH $call_hashes AS scope WHERE scope IS NULL
  MATCH (c:CallNode)
  RETURN c
}
RETURN c.task_name AS task_name, count(*) AS calls, count(DISTINCT c.task_hash) AS versions,
       max(c.timestamp) AS last_seen
ORDER BY task_name
