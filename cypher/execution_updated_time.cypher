// Heartbeat: set an Execution's updated_time (no row when the execution is unknown).
// Params: $id (execution id), $now (DateTime, UTC).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
CYPHER replan=skip
MATCH (e:Execution {id: $id})
SET e.updated_time = $now
RETURN e.id AS id
