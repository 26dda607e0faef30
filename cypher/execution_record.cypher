// Record an Execution (a `redun run` or `scheduler.run`): its command line, start time
// and updated_time (the heartbeat's first beat).
// Idempotent: recording the same id again keeps the first start_time and updates args.
// Params: $id (execution id), $args (JSON text of the command line, list of strings),
//         $now (DateTime, UTC).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MERGE (e:Execution {id: $p.id})
SET e.args = $p.args,
    e.start_time = coalesce(e.start_time, $p.now),
    e.updated_time = $p.now
RETURN e.id AS id
