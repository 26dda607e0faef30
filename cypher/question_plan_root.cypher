// plan: the newest recorded call of task $task_name on arguments $args_hash (any version of
// the task): the call tree a new run would replay.
// Params: $task_name, $args_hash.
MATCH (c:CallNode {task_name: $task_name, args_hash: $args_hash})
RETURN c.call_hash AS call_hash, c.task_hash AS task_hash, c.timestamp AS timestamp
ORDER BY c.timestamp DESC
LIMIT 1
