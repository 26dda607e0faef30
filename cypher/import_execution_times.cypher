// Give imported Executions the start and updated time of their root job (redun's
// Execution records carry none), so imported runs sort by time in `log`. Run after
// the batch's edges are linked, for the Executions of the batch and those of its root jobs.
// Params: $ids (execution ids).
UNWIND $ids AS id
MATCH (e:Execution {id: id})-[:ROOT_JOB]->(j:Job)
SET e.start_time = coalesce(e.start_time, j.start_time),
    e.updated_time = coalesce(e.updated_time, j.end_time, j.start_time)
RETURN count(e) AS updated
