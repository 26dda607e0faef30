// Write Job records as nodes and link them to their parent and child jobs
// (CHILD): the parent by id, the children already there by their `parent_id`
// (every child's record names its parent, so the record's `children` list, which
// redun fills only with children in the same batch, is not needed).
// TASK and CALL edges are linked afterwards by sync_link. A root job (no parent) gives its
// Execution, when already imported, its start and updated time (redun's Execution records
// carry none), so imported runs sort by time in `log`; sync_put_executions does the same when
// the Execution comes after its root job.
// Params: $rows [{id, start_time, end_time, task_hash, call_hash, execution_id,
//   cached, status, parent_id, children (ids)}].
// Returns the element id of each node, for sync_link.
UNWIND $rows AS row
MERGE (j:Job {id: row.id})
ON CREATE SET j.start_time = row.start_time, j.end_time = row.end_time,
              j.task_hash = row.task_hash, j.call_hash = row.call_hash,
              j.execution_id = row.execution_id, j.cached = row.cached,
              j.status = row.status, j.parent_id = row.parent_id
WITH row, j
CALL (row, j) {
  MATCH (t:Task {hash: row.task_hash})
  WHERE j.task_name IS NULL
  SET j.task_name = t.fullname, j.name = t.name
}
CALL (row, j) {
  MATCH (p:Job {id: row.parent_id})
  MERGE (p)-[:CHILD]->(j)
}
CALL (row, j) {
  MATCH (k:Job {parent_id: row.id})
  MERGE (j)-[:CHILD]->(k)
}
CALL (row, j) {
  MATCH (e:Execution {id: row.execution_id})
  WHERE row.parent_id IS NULL
  SET e.start_time = coalesce(e.start_time, j.start_time),
      e.updated_time = coalesce(e.updated_time, j.end_time, j.start_time)
}
RETURN row.id AS id, elementId(j) AS eid
