// An execution's jobs with their parent job, for printing the job tree.
// Params: $execution_ids (list of execution ids).
UNWIND $execution_ids AS execution_id
MATCH (j:Job {execution_id: execution_id})
OPTIONAL MATCH (parent:Job)-[:CHILD]->(j)
RETURN execution_id, j.id AS id, parent.id AS parent_id, j.task_name AS task_name,
       j.status AS status, j.cached AS cached, j.call_hash AS call_hash,
       j.start_time AS start_time, j.end_time AS end_time
ORDER BY j.start_time, j.id
