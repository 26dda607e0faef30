// Every job of an execution with the call it recorded and whether it was served from the cache.
// Params: $execution_id.
MATCH (j:Job {execution_id: $execution_id})
RETURN j.id AS id, j.call_hash AS call_hash, j.cached AS cached, j.status AS status,
       j.task_name AS task_name, j.task_hash AS task_hash, j.parent_id AS parent_id,
       j.start_time AS start_time
ORDER BY j.start_time, j.id
