// The schema version recorded in the graph (no row when the graph is new).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
CYPHER replan=skip
MATCH (s:SchemaVersion {name: 'graphbackend'})
RETURN s.version AS version
