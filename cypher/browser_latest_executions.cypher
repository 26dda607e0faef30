// Neo4j Browser: the ten most recent executions, each with its top-level job.
// Params: none.
MATCH (e:Execution)
WITH e ORDER BY e.start_time DESC LIMIT 10
OPTIONAL MATCH root = (e)-[:ROOT_JOB]->(:Job)
RETURN e, root
