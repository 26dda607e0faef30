// Heartbeat: set an Execution's updated_time (no row when the execution is unknown).
// Params: $id (execution id), $now (DateTime, UTC).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (e:Execution {id: $p.id})
SET e.updated_time = $p.now
RETURN e.id AS id
