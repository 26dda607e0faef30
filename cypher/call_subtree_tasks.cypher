// call_subtree_tasks: the hashes of every Task used within a CallNode's subtree.
// Parameters: $call_hash
MATCH (:CallNode {call_hash: $call_hash})-[:SUBTREE_TASK]->(t:Task)
RETURN DISTINCT t.hash AS task_hash
