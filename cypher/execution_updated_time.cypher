// Heartbeat: set an Execution's updated_time (no row when the execution is unknown).
// Params: $id (execution id), $now (DateTime, UTC).
MATCH (e:Execution {id: $id})
SET e.updated_time = $now
RETURN e.id AS id
