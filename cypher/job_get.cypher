// A Job's id, its parent job's id (or null) and its execution id, as redun's get_job.
// Parent stubs (MERGEd by a child's start but never started themselves) are not jobs yet.
// Params: $id.
MATCH (j:Job {id: $id})
WHERE j.start_time IS NOT NULL
OPTIONAL MATCH (p:Job)-[:CHILD]->(j)
RETURN j.id AS job_id, p.id AS parent_id, j.execution_id AS execution_id
LIMIT 1
