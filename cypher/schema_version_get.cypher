// The schema version recorded in the graph (no row when the graph is new).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (s:SchemaVersion {name: 'graphbackend'})
RETURN s.version AS version
