// An execution's jobs with their parent job, for printing the job tree. `status` is
// redun's Job.status: FAILED when the job's result is a redun.ErrorValue (a failed cached
// replay too), RUNNING before it ends, CACHED when served from the cache, else DONE.
// Params: $execution_ids (list of execution ids).
UNWIND $execution_ids AS execution_id
MATCH (j:Job {execution_id: execution_id})
OPTIONAL MATCH (parent:Job)-[:CHILD]->(j)
OPTIONAL MATCH (:CallNode {call_hash: j.call_hash})-[:RESULT]->(r:Value)
RETURN execution_id, j.id AS id, parent.id AS parent_id, j.task_name AS task_name,
       CASE WHEN r.type = 'redun.ErrorValue' THEN 'FAILED'
            WHEN j.status = 'ABORTED' THEN 'ABORTED'
            WHEN j.end_time IS NULL THEN 'RUNNING'
            WHEN j.cached THEN 'CACHED' ELSE 'DONE' END AS status,
       j.cached AS cached, j.call_hash AS call_hash,
       j.start_time AS start_time, j.end_time AS end_time
ORDER BY j.start_time, j.id
