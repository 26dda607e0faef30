// eval_get: the result Value of an Evaluation (redun's get_eval_cache).
// Parameters: $eval_hash
// An Evaluation marked :Invalidated or :Collecting (gc) is no cache entry: no row.
// Returns at most one row: value_hash, found, type, value, in_value_store.
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (e:Evaluation {eval_hash: $p.eval_hash})
WHERE NOT e:Invalidated AND NOT e:Collecting
OPTIONAL MATCH (v:Value {value_hash: e.value_hash})
RETURN e.value_hash AS value_hash, v IS NOT NULL AS found,
       v.type AS type, v.value AS value, v.in_value_store AS in_value_store
