// Neo4j Browser: execution $execution_b against $execution_a, call by call: every call of B's
// call tree, whether A's tree has the same call, or a call of the same task on the same
// arguments (then the task's code or the calls below changed), or of the same task hash
// (then the arguments changed), and whether B's job ran or was served from the cache.
// Params: $execution_a, $execution_b.
MATCH (:Execution {id: $execution_a})-[:ROOT_JOB]->(ja:Job)
MATCH (:CallNode {call_hash: ja.call_hash})-[:CHILD*0..]->(a:CallNode)
WITH collect(DISTINCT a) AS in_a
MATCH (:Execution {id: $execution_b})-[:ROOT_JOB]->(jb:Job)
MATCH (:CallNode {call_hash: jb.call_hash})-[:CHILD*0..]->(b:CallNode)
WITH DISTINCT b, in_a
WITH b, in_a, [x IN in_a WHERE x.task_name = b.task_name] AS same_task
RETURN b.name AS task,
       CASE
         WHEN b IN in_a THEN 'same call'
         WHEN any(x IN same_task WHERE x.args_hash = b.args_hash AND x.task_hash <> b.task_hash) THEN 'task code changed'
         WHEN any(x IN same_task WHERE x.args_hash = b.args_hash) THEN 'same task and arguments, calls below changed'
         WHEN any(x IN same_task WHERE x.task_hash = b.task_hash) THEN 'arguments changed'
         WHEN size(same_task) > 0 THEN 'task code and arguments changed'
         ELSE 'added'
       END AS against_a,
       COLLECT { MATCH (j:Job {call_hash: b.call_hash}) WHERE j.execution_id = $execution_b
                 RETURN CASE WHEN j.cached THEN 'cached' ELSE 'ran' END } AS jobs_in_b,
       b.call_hash AS call_hash
ORDER BY b.timestamp
