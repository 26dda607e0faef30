// Every Job's id and execution for export, by start time (parents first). No params.
MATCH (j:Job)
RETURN j.id AS id, j.execution_id AS execution_id
ORDER BY j.start_time, id
