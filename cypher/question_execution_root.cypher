// An execution's root job and the CallNode it recorded (the root of its call tree).
// Params: $execution_id.
MATCH (e:Execution {id: $execution_id})
OPTIONAL MATCH (e)-[:ROOT_JOB]->(j:Job)
RETURN e.id AS id, e.start_time AS start_time, j.id AS root_job_id, j.task_name AS task_name,
       j.call_hash AS call_hash
