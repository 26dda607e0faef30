// What the questions compare between two calls: task, arguments (with the upstream calls
// each came from), result, and the tasks of the call's subtree.
// Params: $call_hashes (list).
UNWIND $call_hashes AS call_hash
MATCH (c:CallNode {call_hash: call_hash})
OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
RETURN c.call_hash AS call_hash, c.task_name AS task_name, c.task_hash AS task_hash,
       c.args_hash AS args_hash, c.timestamp AS timestamp,
       {value_hash: r.value_hash, type: r.type, path: r.path, preview: r.preview} AS result,
       COLLECT {
         MATCH (c)-[a:ARG]->(v:Value)
         RETURN {arg_hash: a.arg_hash, key: a.key, position: a.position, value_hash: v.value_hash,
                 type: v.type, path: v.path, preview: v.preview,
                 upstream: [(c)-[:UPSTREAM {arg_hash: a.arg_hash}]->(u:CallNode) | u.call_hash]}
       } AS args,
       [(c)-[:SUBTREE_TASK]->(t:Task) | {hash: t.hash, fullname: t.fullname}] AS subtree_tasks
