// Neo4j Browser: why each job of $execution_id that ran was not served from the cache: the
// newest earlier call of the same task (one on the same arguments first, then one of the same
// task code) and what differs from it.
// Params: $execution_id.
MATCH (j:Job {execution_id: $execution_id})
WHERE NOT j.cached AND j.call_hash IS NOT NULL
MATCH (c:CallNode {call_hash: j.call_hash})
CALL (c, j) {
  MATCH (p:CallNode {task_name: c.task_name})
  WHERE p.timestamp < j.start_time AND p.call_hash <> c.call_hash
  WITH p ORDER BY p.args_hash = c.args_hash DESC, p.task_hash = c.task_hash DESC, p.timestamp DESC
  LIMIT 1
  RETURN collect(p)[0] AS previous
}
RETURN j.name AS task,
       CASE
         WHEN previous IS NULL THEN 'never run before'
         WHEN previous.task_hash <> c.task_hash AND previous.args_hash = c.args_hash THEN 'task code changed'
         WHEN previous.task_hash = c.task_hash AND previous.args_hash <> c.args_hash THEN 'arguments changed'
         WHEN previous.task_hash <> c.task_hash THEN 'task code and arguments changed'
         ELSE 'same task and arguments: calls below or the result changed'
       END AS why,
       previous.call_hash AS previous_call,
       previous.timestamp AS previous_time,
       j.id AS job
ORDER BY j.start_time
