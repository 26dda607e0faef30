// The most recent executions with their root job, status and job counts. Status and
// counts follow redun: a job is FAILED when its result is a redun.ErrorValue, RUNNING
// before it ends, CACHED when served from the cache, else DONE; the execution's status is
// its root job's, with CACHED shown as DONE (no root job: FAILED).
// Params: $limit (int).
MATCH (e:Execution)
OPTIONAL MATCH (e)-[:ROOT_JOB]->(root:Job)
WITH e, root ORDER BY coalesce(root.start_time, e.start_time) DESC LIMIT $limit
CALL (e) {
  OPTIONAL MATCH (j:Job {execution_id: e.id})
  OPTIONAL MATCH (:CallNode {call_hash: j.call_hash})-[:RESULT]->(r:Value)
  WITH j, CASE WHEN j IS NULL THEN null
               WHEN r.type = 'redun.ErrorValue' THEN 'FAILED'
               WHEN j.status = 'ABORTED' THEN 'ABORTED'
               WHEN j.end_time IS NULL THEN 'RUNNING'
               WHEN j.cached THEN 'CACHED' ELSE 'DONE' END AS status
  RETURN count(j) AS jobs,
         count(CASE WHEN status = 'DONE' THEN 1 END) AS done,
         count(CASE WHEN status = 'CACHED' THEN 1 END) AS cached,
         count(CASE WHEN status = 'FAILED' THEN 1 END) AS failed,
         count(CASE WHEN status = 'RUNNING' THEN 1 END) AS running
}
CALL (root) {
  OPTIONAL MATCH (:CallNode {call_hash: root.call_hash})-[:RESULT]->(r:Value)
  RETURN CASE WHEN root IS NULL THEN 'FAILED'
              WHEN r.type = 'redun.ErrorValue' THEN 'FAILED'
              WHEN root.status = 'ABORTED' THEN 'ABORTED'
              WHEN root.end_time IS NULL THEN 'RUNNING'
              ELSE 'DONE' END AS status
}
RETURN e.id AS id, coalesce(root.start_time, e.start_time) AS start_time,
       e.updated_time AS updated_time, e.args AS args,
       root.id AS root_job_id, root.task_name AS task_name, status,
       jobs, done, cached, failed, running
ORDER BY start_time DESC
