// Create the nodes of Execution records that import_has found missing; the ROOT_JOB edge
// is linked by import_link_job, the times by import_execution_times.
// Params: $rows [{id, args (JSON text, kept verbatim)}].
// Returns the element id of each node, for import_link_*.
UNWIND $rows AS row
CREATE (e:Execution {id: row.id})
SET e.args = row.args
RETURN elementId(e) AS eid
