// Every call in the call tree under $call_hash (CHILD edges, the call included; a breadth-first
// walk that visits each call once), each with its task name, task hash and args hash, and its
// children with their position among them (call_order). Every child of a call in the tree is
// in the tree, so the children lists are the tree's edges (a call's parents in other trees,
// e.g. the root calls of every execution that reused it, are never read).
// Params: $call_hash.
MATCH (:CallNode {call_hash: $call_hash})-[:CHILD*0..]->(c:CallNode)
WITH DISTINCT c
RETURN c.call_hash AS call_hash, c.task_name AS task_name, c.task_hash AS task_hash,
       c.args_hash AS args_hash,
       [(c)-[e:CHILD]->(k:CallNode) | [e.call_order, k.call_hash]] AS children
