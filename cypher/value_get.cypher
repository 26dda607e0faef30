// value_get: one Value's type and stored bytes.
// Parameters: $value_hash
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
CYPHER replan=skip
MATCH (v:Value {value_hash: $value_hash})
RETURN v.type AS type, v.value AS value, v.in_value_store AS in_value_store
LIMIT 1
