// Neo4j Browser: the ten most recent executions as a table (task, jobs, how many cached).
// Params: none.
MATCH (e:Execution)
WITH e ORDER BY e.start_time DESC LIMIT 10
OPTIONAL MATCH (e)-[:ROOT_JOB]->(root:Job)
OPTIONAL MATCH (j:Job {execution_id: e.id})
RETURN e.id AS execution, e.start_time AS started, root.task_name AS task,
       count(j) AS jobs, count(CASE WHEN j.cached THEN 1 END) AS cached, e.args AS args
ORDER BY started DESC
