// why: the newest calls of task $task_name recorded before $before, other than $call_hash:
// with the same arguments (the task's code differs), with the same task hash (the arguments
// differ), with both the same (what a cache hit was served from), and of any kind. Each
// null or a call hash.
// The newest of a task name or of a task hash is read backwards from the start of
// $before in index call_node_task_name_time or call_node_task_time (ordering by both index
// properties lets the planner use the index order instead of sorting every call).
// Params: $task_name, $before (DateTime), $call_hash, $args_hash, $task_hash.
CALL () {
  MATCH (c:CallNode {task_name: $task_name, args_hash: $args_hash})
  WHERE c.timestamp < $before AND c.call_hash <> $call_hash
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  RETURN collect(c.call_hash)[0] AS same_args
}
CALL () {
  MATCH (c:CallNode)
  WHERE c.task_hash = $task_hash AND c.timestamp < $before AND c.call_hash <> $call_hash
  WITH c ORDER BY c.task_hash DESC, c.timestamp DESC LIMIT 1
  RETURN collect(c.call_hash)[0] AS same_task
}
CALL () {
  MATCH (c:CallNode)
  WHERE c.task_name = $task_name AND c.timestamp < $before AND c.call_hash <> $call_hash
  WITH c ORDER BY c.task_name DESC, c.timestamp DESC LIMIT 1
  RETURN collect(c.call_hash)[0] AS latest
}
CALL () {
  MATCH (c:CallNode {task_hash: $task_hash, args_hash: $args_hash})
  WHERE c.timestamp < $before AND c.call_hash <> $call_hash
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  RETURN collect(c.call_hash)[0] AS same_call
}
RETURN same_args, same_task, same_call, latest
