// The most recent executions with their root job and job counts (`graphbackend log`).
// Params: $limit (int).
MATCH (e:Execution)
WITH e ORDER BY e.start_time DESC LIMIT $limit
OPTIONAL MATCH (e)-[:ROOT_JOB]->(root:Job)
CALL (e) {
  OPTIONAL MATCH (j:Job {execution_id: e.id})
  RETURN count(j) AS jobs,
         count(CASE WHEN j.cached THEN 1 END) AS cached,
         count(CASE WHEN j.status = 'FAILED' THEN 1 END) AS failed
}
RETURN e.id AS id, e.start_time AS start_time, e.updated_time AS updated_time, e.args AS args,
       root.id AS root_job_id, root.task_name AS task_name, root.status AS status,
       jobs, cached, failed
ORDER BY start_time DESC
