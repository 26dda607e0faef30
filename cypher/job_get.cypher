// A Job's id, its parent job's id (or null) and its execution id, as redun's get_job.
// The parent comes from the CHILD edge, else the job's parent_id property.
// Params: $id.
MATCH (j:Job {id: $id})
RETURN j.id AS job_id,
       coalesce(head([(p:Job)-[:CHILD]->(j) | p.id]), j.parent_id) AS parent_id,
       j.execution_id AS execution_id
