// Write Execution records as nodes; the ROOT_JOB edge is linked by record_link.
// Params: $rows [{id, args (JSON text, kept verbatim)}].
// Returns the element id of each node, for record_link.
UNWIND $rows AS row
MERGE (e:Execution {id: row.id})
ON CREATE SET e.args = row.args
RETURN row.id AS id, elementId(e) AS eid
