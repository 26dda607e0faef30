// Facts about calls for the questions: task, result (and the Files in it), the executions
// whose jobs ran or reused the call, and whether its task hash is still the newest recorded
// for that task name (then a future run could be served this call from the cache).
// Params: $call_hashes (list).
UNWIND $call_hashes AS call_hash
MATCH (c:CallNode {call_hash: call_hash})
OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
RETURN c.call_hash AS call_hash, c.task_name AS task_name, c.task_hash AS task_hash,
       c.args_hash AS args_hash, c.timestamp AS timestamp,
       r.value_hash AS result_hash, r.type AS result_type, r.preview AS result_preview,
       [(r)-[:SUBVALUE*0..1]->(f:File) | {value_hash: f.value_hash, path: f.path}] AS files,
       COLLECT { MATCH (j:Job {call_hash: c.call_hash}) RETURN DISTINCT j.execution_id } AS executions,
       COLLECT { MATCH (j:Job {call_hash: c.call_hash}) WHERE j.cached RETURN j.id } AS cached_jobs
