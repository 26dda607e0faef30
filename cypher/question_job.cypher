// why: one job, with the call it recorded and its execution.
// Params: $id.
MATCH (j:Job {id: $id})
RETURN j.id AS id, j.task_name AS task_name, j.task_hash AS task_hash, j.call_hash AS call_hash,
       j.cached AS cached, j.status AS status, j.execution_id AS execution_id,
       j.start_time AS start_time
