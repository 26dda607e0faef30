// Call nodes by hash, with their task name and result value.
// Params: $call_hashes (list).
UNWIND $call_hashes AS call_hash
MATCH (c:CallNode {call_hash: call_hash})
OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
RETURN c.call_hash AS call_hash, c.task_name AS task_name,
       r.value_hash AS value_hash, r.type AS type, r.path AS path, r.preview AS preview
