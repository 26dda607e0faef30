// Create the nodes of CallNode records that import_has found missing; ARG/UPSTREAM/CHILD/
// TASK/RESULT edges are linked afterwards by import_link_*.
// Params: $rows [{call_hash, task_name, task_hash, args_hash, value_hash, timestamp, name}]
// (sync_format.record_to_rows; `name` is the task's short name, Browser's caption).
// Returns the element id of each node, for import_link_*.
UNWIND $rows AS row
CREATE (c:CallNode {call_hash: row.call_hash})
SET c.task_name = row.task_name, c.task_hash = row.task_hash,
    c.args_hash = row.args_hash, c.value_hash = row.value_hash,
    c.timestamp = row.timestamp, c.name = row.name
RETURN elementId(c) AS eid
