// The task hash of the newest recorded CallNode of each task name.
// Params: $task_names (list).
UNWIND $task_names AS task_name
CALL (task_name) {
  MATCH (c:CallNode {task_name: task_name})
  RETURN c.task_hash AS task_hash ORDER BY c.timestamp DESC LIMIT 1
}
RETURN task_name, task_hash
