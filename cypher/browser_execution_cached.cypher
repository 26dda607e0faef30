// Neo4j Browser: which jobs of an execution were served from the cache and which ran.
// Params: $execution_id.
MATCH (j:Job {execution_id: $execution_id})
RETURN j.task_name AS task,
       CASE WHEN j.cached THEN 'cached' ELSE 'ran' END AS outcome,
       j.status AS status,
       j.start_time AS started,
       duration.between(j.start_time, j.end_time) AS took,
       j.call_hash AS call_hash,
       j.id AS job
ORDER BY started
