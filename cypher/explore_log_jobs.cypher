// `graphbackend log`: jobs matching redun log's filters, newest first. Status follows
// redun's Job.status: FAILED when the job's result is a redun.ErrorValue, RUNNING before
// it ends, CACHED when served from the cache, else DONE. The status filter uses redun's
// terms (RUNNING: no end and no call; CACHED: cached; FAILED: error result; DONE: not
// cached and not an error), so a failed cached replay matches both CACHED and FAILED.
// Params: $exec_ids, $job_statuses, $task_names (list of {namespace, name}; namespace
//   null = any), $task_hashes, $args, $results (lists of full value hashes: the job's call
//   has that argument / result, or one containing it), $tags, $exec_tags (lists of
//   {key, value}), each null when unused.
MATCH (j:Job)
WHERE ($exec_ids IS NULL OR j.execution_id IN $exec_ids)
  AND ($task_hashes IS NULL OR j.task_hash IN $task_hashes)
OPTIONAL MATCH (t:Task {hash: j.task_hash})
OPTIONAL MATCH (c:CallNode {call_hash: j.call_hash})
OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
WITH j, t, c, r.type AS rtype
WHERE ($task_names IS NULL OR any(n IN $task_names WHERE
         t.name = n.name AND (n.namespace IS NULL OR t.namespace = n.namespace)))
  AND ($job_statuses IS NULL OR any(s IN $job_statuses WHERE
         (s = 'RUNNING' AND j.end_time IS NULL AND j.call_hash IS NULL)
      OR (s = 'CACHED' AND j.cached = true)
      OR (s = 'FAILED' AND rtype = 'redun.ErrorValue')
      OR (s = 'DONE' AND j.cached = false AND rtype <> 'redun.ErrorValue')))
  AND ($results IS NULL OR c.value_hash IN $results OR EXISTS {
         MATCH (c)-[:RESULT]->(:Value)-[:SUBVALUE]->(s:Value) WHERE s.value_hash IN $results })
  AND ($args IS NULL OR EXISTS {
         MATCH (c)-[:ARG]->(a:Value) WHERE a.value_hash IN $args } OR EXISTS {
         MATCH (c)-[:ARG]->(:Value)-[:SUBVALUE]->(s:Value) WHERE s.value_hash IN $args })
  AND all(tag IN coalesce($tags, []) WHERE EXISTS {
        MATCH (g:Tag)-[:TAGGED]->(j)
        WHERE coalesce(g.is_current, true) AND g.key = tag.key AND (tag.value IS NULL OR g.value = tag.value) })
  AND all(tag IN coalesce($exec_tags, []) WHERE EXISTS {
        MATCH (g:Tag)-[:TAGGED]->(:Execution {id: j.execution_id})
        WHERE coalesce(g.is_current, true) AND g.key = tag.key AND (tag.value IS NULL OR g.value = tag.value) })
CALL (j) {
  OPTIONAL MATCH (g:Tag)-[:TAGGED]->(j) WHERE coalesce(g.is_current, true) AND g.key <> ''
  WITH g ORDER BY g.key, g.value
  RETURN collect(g {.key, .value}) AS tags
}
CALL (c) {
  OPTIONAL MATCH (c)-[a:ARG]->(v:Value)
  WITH a, v ORDER BY a.position, a.key
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE {position: a.position, key: a.key, preview: v.preview, type: v.type} END) AS call_args
}
CALL (j) {
  OPTIONAL MATCH (j)-[:CHILD]->(k:Job)
  WITH k ORDER BY k.start_time
  RETURN collect(k.id) AS children
}
RETURN 'Job' AS type, j.id AS id, j.execution_id AS execution_id,
       coalesce(t.fullname, j.task_name) AS task_name, j.start_time AS start_time,
       j.end_time AS end_time, j.cached AS cached, j.call_hash AS call_hash,
       CASE WHEN rtype = 'redun.ErrorValue' THEN 'FAILED'
            WHEN j.status = 'ABORTED' THEN 'ABORTED'
            WHEN j.end_time IS NULL THEN 'RUNNING'
            WHEN j.cached THEN 'CACHED' ELSE 'DONE' END AS status,
       call_args, children, tags
ORDER BY j.start_time DESC, j.id
