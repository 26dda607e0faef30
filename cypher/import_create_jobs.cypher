// Create the nodes of Job records that import_has found missing. The task's names come
// from the caller (import_task_names), null when the Task is not imported yet (then
// sync_job_task_names fills them in when it comes). CHILD (from the parent), TASK and
// CALL edges are linked afterwards by import_link_*.
// Params: $rows [{id, start_time, end_time, task_hash, call_hash, execution_id,
//   cached, status, parent_id, task_name, name}].
// Returns the element id of each node, for import_link_*.
UNWIND $rows AS row
CREATE (j:Job {id: row.id})
SET j.start_time = row.start_time, j.end_time = row.end_time,
    j.task_hash = row.task_hash, j.call_hash = row.call_hash,
    j.execution_id = row.execution_id, j.cached = row.cached,
    j.status = row.status, j.parent_id = row.parent_id,
    j.task_name = row.task_name, j.name = row.name
RETURN elementId(j) AS eid
