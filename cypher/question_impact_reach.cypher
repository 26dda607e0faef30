// impact: the calls downstream of $sources ([{call_hash, depth}]) through 'consumed its
// result' (a call with an UPSTREAM edge to it) and 'called it' (the parent call, CHILD) edges,
// each call with its smallest depth (source depth + steps), up to $max_depth + 1 (a call at
// $max_depth + 1 says the depth limit cut the walk). The walk is Neo4j's breadth-first
// variable-length expansion that visits each call once per source (the aggregation on
// min(length(p)) lets it prune), not an enumeration of paths.
// Each call comes with its task name and task hash, 'ups': the calls it has UPSTREAM edges to
// (the caller picks its parent in the tree among them), and, at most $max_depth deep, 'took':
// the calls (of any execution) that took its result value, or a value containing it
// (SUBVALUE), as an argument without an UPSTREAM edge to it (an output reused as an input; a
// value a parent handed down); the caller walks on from those in the next round. (A parent
// that took its child's result is reached through CHILD anyway: not checked here.)
// One row: a list of [call hash, depth, task name, task hash, ups, took] (cheaper to ship
// than a row per call).
// Params: $sources, $max_depth.
UNWIND $sources AS source
MATCH (c:CallNode {call_hash: source.call_hash})
MATCH p = (c)<-[:UPSTREAM|CHILD*0..]-(x:CallNode)
WITH source, x, min(length(p)) AS steps
WITH x, min(source.depth + steps) AS depth
WHERE depth <= $max_depth + 1
CALL (x, depth) {
  WITH x WHERE depth <= $max_depth
  MATCH (r:Value {value_hash: x.value_hash})<-[:SUBVALUE*0..1]-(:Value)<-[:ARG]-(y:CallNode)
  WHERE NOT (y)-[:UPSTREAM]->(x)
  RETURN collect(DISTINCT y.call_hash) AS took
}
RETURN collect([x.call_hash, depth, x.task_name, x.task_hash,
                [(x)-[:UPSTREAM]->(u:CallNode) | u.call_hash], took]) AS calls
