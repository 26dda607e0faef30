// why: the newest calls of task $task_name recorded before $before, other than $call_hash:
// with the same arguments (the task's code differs), with the same task hash (the arguments
// differ), and of any kind. Each null or a call hash.
// Params: $task_name, $before (DateTime), $call_hash, $args_hash, $task_hash.
CALL () {
  MATCH (c:CallNode {task_name: $task_name, args_hash: $args_hash})
  WHERE c.timestamp < $before AND c.call_hash <> $call_hash
  RETURN c.call_hash AS same_args ORDER BY c.timestamp DESC LIMIT 1
}
CALL () {
  MATCH (c:CallNode {task_hash: $task_hash})
  WHERE c.timestamp < $before AND c.call_hash <> $call_hash
  RETURN c.call_hash AS same_task ORDER BY c.timestamp DESC LIMIT 1
}
CALL () {
  MATCH (c:CallNode {task_name: $task_name})
  WHERE c.timestamp < $before AND c.call_hash <> $call_hash
  RETURN c.call_hash AS latest ORDER BY c.timestamp DESC LIMIT 1
}
RETURN same_args, same_task, latest
