// cache_explain_miss: the newest CallNodes that explain a cache miss (redun's explain_cache_miss).
// Parameters: $args_hash, $task_hash, $task_name, $task_namespace ('' for none)
// Returns one row: new_task (newest CallNode with these args and a task of this name and
// namespace) and new_args (newest CallNode of this task hash), each null or
// {call_hash, task_hash, args_hash}.
CALL () {
  MATCH (c:CallNode {args_hash: $args_hash})
  MATCH (t:Task {hash: c.task_hash})
  WHERE t.name = $task_name AND coalesce(t.namespace, '') = $task_namespace
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  RETURN collect({call_hash: c.call_hash, task_hash: c.task_hash, args_hash: c.args_hash})[0] AS new_task
}
CALL () {
  MATCH (c:CallNode {task_hash: $task_hash})
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  RETURN collect({call_hash: c.call_hash, task_hash: c.task_hash, args_hash: c.args_hash})[0] AS new_args
}
RETURN new_task, new_args
