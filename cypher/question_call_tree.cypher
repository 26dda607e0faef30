// Every call in the call tree under $call_hash (CHILD edges, the call included), each with
// its parents and its position among their children (call_order); the caller keeps the
// parents inside the tree.
// Params: $call_hash.
MATCH (:CallNode {call_hash: $call_hash})-[:CHILD*0..]->(c:CallNode)
WITH DISTINCT c
RETURN c.call_hash AS call_hash, c.task_name AS task_name,
       [(p:CallNode)-[e:CHILD]->(c) | {call_hash: p.call_hash, call_order: e.call_order}] AS parents
