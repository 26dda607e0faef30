// Record the end of a started Job: end time, cached flag, status, call hash, and the
// (job)-[:CALL]->(:CallNode) edge when that CallNode exists. No row when the job is unknown
// (the caller then records the start first, in the same transaction).
// Params: $id, $now (DateTime), $cached (bool), $call_hash (or null), $status
//         ('DONE', 'CACHED', 'FAILED', ...).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (j:Job {id: $p.id})
SET j.end_time = $p.now,
    j.cached = $p.cached,
    j.call_hash = $p.call_hash,
    j.status = $p.status
WITH j
OPTIONAL MATCH (c:CallNode {call_hash: $p.call_hash})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (j)-[:CALL]->(c))
RETURN j.id AS id
