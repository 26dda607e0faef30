// Write Execution records as nodes; the ROOT_JOB edge is linked by sync_link.
// Params: $rows [{id, args (JSON text, kept verbatim)}].
// Returns the element id of each node, for sync_link.
UNWIND $rows AS row
MERGE (e:Execution {id: row.id})
ON CREATE SET e.args = row.args
RETURN row.id AS id, elementId(e) AS eid
