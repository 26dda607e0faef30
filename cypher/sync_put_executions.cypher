// Write Execution records as nodes; the ROOT_JOB edge is linked by sync_link. The start and
// updated time (redun's records carry none) come from the root job when it is already
// imported (else sync_put_jobs sets them), so imported runs sort by time in `log`.
// Params: $rows [{id, args (JSON text, kept verbatim)}].
// Returns the element id of each node, for sync_link.
UNWIND $rows AS row
MERGE (e:Execution {id: row.id})
ON CREATE SET e.args = row.args
WITH row, e
CALL (row, e) {
  MATCH (j:Job {execution_id: row.id})
  WHERE j.parent_id IS NULL
  SET e.start_time = coalesce(e.start_time, j.start_time),
      e.updated_time = coalesce(e.updated_time, j.end_time, j.start_time)
}
RETURN row.id AS id, elementId(e) AS eid
