// cache_call_result: the result Value of a CallNode (redun's get_call_cache).
// Parameters: $call_hash
// A CallNode marked :Invalidated or :Collecting (gc) is no cache entry: no row.
// Returns at most one row: call_hash, value_hash, found, type, value, in_value_store.
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (c:CallNode {call_hash: $p.call_hash})
WHERE NOT c:Invalidated AND NOT c:Collecting
OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
RETURN c.call_hash AS call_hash, c.value_hash AS value_hash, v IS NOT NULL AS found,
       v.type AS type, v.value AS value, v.in_value_store AS in_value_store
