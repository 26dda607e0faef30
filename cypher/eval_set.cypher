// eval_set: MERGE an Evaluation (evaluation cache entry) pointing at its result Value.
// Parameters: $eval_hash, $task_hash, $args_hash, $value_hash
// An existing Evaluation keeps its task_hash/args_hash and is re-pointed at $value_hash
// (its old RESULT edge is removed), as redun's set_eval_cache updates the row.
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MERGE (e:Evaluation {eval_hash: $p.eval_hash})
  ON CREATE SET e.task_hash = $p.task_hash, e.args_hash = $p.args_hash
SET e.value_hash = $p.value_hash
// A fresh result clears an invalidation (its history stays on the :Invalidation node).
FOREACH (_ IN CASE WHEN e:Invalidated THEN [1] ELSE [] END |
  SET e.recomputed_time = datetime() REMOVE e:Invalidated)
WITH e
CALL (e) {
  MATCH (e)-[old:RESULT]->(v:Value)
  WHERE v.value_hash <> $p.value_hash
  DELETE old
}
CALL (e) {
  MATCH (v:Value {value_hash: $p.value_hash})
  MERGE (e)-[:RESULT]->(v)
}
CALL (e) {
  MATCH (t:Task {hash: e.task_hash})
  MERGE (e)-[:TASK]->(t)
}
RETURN e.eval_hash AS eval_hash
