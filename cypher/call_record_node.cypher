// call_record_node: MERGE one finished CallNode with all its edges (one statement).
// Parameters:
//   $call_hash, $task_name, $task_hash, $args_hash, $result_hash: the CallNode's key and properties
//   (`name`, the task's short name, is derived from $task_name: Neo4j Browser's caption)
//   $timestamp: DateTime set when the CallNode is created
//   $children: [{call_hash, call_order}] child calls; CHILD edges only to those recorded
//   $args: [{arg_hash, value_hash, position, key}] ARG edges to argument Values
//   $upstreams: [{arg_hash, call_hash}] UPSTREAM edges (dataflow) to recorded CallNodes
//   $subtree_task_hashes: [task hash] SUBTREE_TASK edges to Tasks
// Idempotent: everything is MERGEd; ON MATCH takes the node's write lock so concurrent
// recorders of the same call run one after the other.
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
MERGE (c:CallNode {call_hash: $p.call_hash})
  ON CREATE SET c.task_name = $p.task_name, c.task_hash = $p.task_hash, c.args_hash = $p.args_hash,
                c.value_hash = $p.result_hash, c.timestamp = $p.timestamp
  ON MATCH SET c.task_name = $p.task_name
SET c.name = last(split($p.task_name, '.'))
// Recorded again (a recomputation gave the same call hash): the call is current again.
// The invalidation's history stays (the :Invalidation node and its INVALIDATED edge).
FOREACH (_ IN CASE WHEN c:Invalidated THEN [1] ELSE [] END |
  SET c.recomputed_time = $p.timestamp REMOVE c:Invalidated)
// A call recorded again while gc was collecting it is kept (gc deletes only :Collecting nodes).
REMOVE c:Collecting
WITH c
CALL (c) {
  MATCH (t:Task {hash: $p.task_hash})
  MERGE (c)-[:TASK]->(t)
}
CALL (c) {
  MATCH (r:Value {value_hash: $p.result_hash})
  MERGE (c)-[:RESULT]->(r)
}
CALL (c) {
  UNWIND $p.children AS child
  MATCH (k:CallNode {call_hash: child.call_hash})
  MERGE (c)-[e:CHILD]->(k)
    ON CREATE SET e.call_order = child.call_order
}
CALL (c) {
  UNWIND $p.args AS arg
  MATCH (v:Value {value_hash: arg.value_hash})
  MERGE (c)-[a:ARG {arg_hash: arg.arg_hash}]->(v)
    ON CREATE SET a.position = arg.position, a.key = arg.key
}
CALL (c) {
  UNWIND $p.upstreams AS up
  MATCH (u:CallNode {call_hash: up.call_hash})
  MERGE (c)-[:UPSTREAM {arg_hash: up.arg_hash}]->(u)
}
CALL (c) {
  UNWIND $p.subtree_task_hashes AS task_hash
  MATCH (t:Task {hash: task_hash})
  MERGE (c)-[:SUBTREE_TASK]->(t)
}
RETURN c.call_hash AS call_hash
