// value_link_subvalues: link each value to the values nested inside it (e.g. the Files in a list).
// Parameters: $edges = [{parent: value_hash, child: value_hash}]
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
UNWIND $p.edges AS edge
MATCH (parent:Value {value_hash: edge.parent})
MATCH (child:Value {value_hash: edge.child})
MERGE (parent)-[:SUBVALUE]->(child)
