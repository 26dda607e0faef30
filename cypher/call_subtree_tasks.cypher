// call_subtree_tasks: the hashes of every Task used within a CallNode's subtree.
// Parameters: $call_hash
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MATCH (:CallNode {call_hash: $p.call_hash})-[:SUBTREE_TASK]->(t:Task)
RETURN DISTINCT t.hash AS task_hash
