// value_get: one Value's type and stored bytes.
// Parameters: $value_hash
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (v:Value {value_hash: $p.value_hash})
RETURN v.type AS type, v.value AS value, v.in_value_store AS in_value_store
LIMIT 1
