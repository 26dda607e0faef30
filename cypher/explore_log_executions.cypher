// `graphbackend log`: executions matching redun log's filters, newest first (by the root
// job's start time, as redun orders them; an execution whose root job never started is
// not listed, as in redun). Status follows redun's Execution.status: the root job's status
// (FAILED when its result is a redun.ErrorValue, RUNNING before it ends, CACHED, DONE),
// with CACHED shown as DONE.
// Params: $exec_ids (list or null), $exec_statuses (list of RUNNING/FAILED/DONE or null:
//   DONE also selects a cached root job, as redun), $tags, $exec_tags (lists of
//   {key, value} or null; value null = any value, else canonical JSON text).
MATCH (e:Execution)-[:ROOT_JOB]->(root:Job)
WHERE ($exec_ids IS NULL OR e.id IN $exec_ids)
OPTIONAL MATCH (:CallNode {call_hash: root.call_hash})-[:RESULT]->(rv:Value)
WITH e, root, rv.type AS rtype
WITH e, root, rtype,
     CASE WHEN rtype = 'redun.ErrorValue' THEN 'FAILED'
          WHEN root.status = 'ABORTED' THEN 'ABORTED'
          WHEN root.end_time IS NULL THEN 'RUNNING'
          WHEN root.cached THEN 'CACHED' ELSE 'DONE' END AS root_status
WHERE ($exec_statuses IS NULL OR any(s IN $exec_statuses WHERE
         (s = 'RUNNING' AND root.end_time IS NULL AND root.call_hash IS NULL)
      OR (s = 'FAILED' AND rtype = 'redun.ErrorValue')
      OR (s IN ['DONE', 'CACHED'] AND root.cached = true)
      OR (s = 'DONE' AND root.cached = false AND rtype <> 'redun.ErrorValue')))
  AND all(t IN coalesce($tags, []) + coalesce($exec_tags, []) WHERE EXISTS {
        MATCH (g:Tag)-[:TAGGED]->(e)
        WHERE coalesce(g.is_current, true) AND g.key = t.key AND (t.value IS NULL OR g.value = t.value) })
CALL (e) {
  OPTIONAL MATCH (g:Tag)-[:TAGGED]->(e) WHERE coalesce(g.is_current, true) AND g.key <> ''
  WITH g ORDER BY g.key, g.value
  RETURN collect(g {.key, .value}) AS tags
}
RETURN 'Execution' AS type, e.id AS id, e.args AS args, root.id AS root_job_id,
       root.task_name AS task_name, root.start_time AS start_time, root.end_time AS end_time,
       CASE WHEN root_status = 'CACHED' THEN 'DONE' ELSE root_status END AS status, tags
ORDER BY root.start_time DESC, e.id
