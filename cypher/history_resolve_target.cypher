// history_resolve_target: what an invalidate TARGET names (full key or unique prefix, or a path/name).
// Parameters: $target (text), $path (the target as an absolute path), $limit
// Returns rows: kind ('execution'|'call'|'value'|'file'|'task'), key, label (for messages),
//   exact (a File matched by its path, a Task by its full name: every version is the target).
CALL () {
  MATCH (e:Execution) WHERE e.id STARTS WITH $target
  RETURN 'execution' AS kind, e.id AS key, 'execution ' + e.id AS label, false AS exact LIMIT $limit
  UNION
  MATCH (c:CallNode) WHERE c.call_hash STARTS WITH $target
  RETURN 'call' AS kind, c.call_hash AS key, 'call ' + c.task_name + ' ' + c.call_hash AS label, false AS exact LIMIT $limit
  UNION
  MATCH (t:Task) WHERE t.hash STARTS WITH $target OR t.fullname = $target
  RETURN 'task' AS kind, t.hash AS key, 'task ' + t.fullname + ' ' + t.hash AS label, t.fullname = $target AS exact LIMIT $limit
  UNION
  MATCH (f:File) WHERE f.path IN [$target, $path] OR f.value_hash STARTS WITH $target
  RETURN 'file' AS kind, f.value_hash AS key, 'file ' + f.path + ' ' + f.value_hash AS label,
         f.path IN [$target, $path] AS exact LIMIT $limit
  UNION
  MATCH (v:Value) WHERE v.value_hash STARTS WITH $target AND NOT v:File AND NOT v:Task
  RETURN 'value' AS kind, v.value_hash AS key, 'value ' + v.value_hash AS label, false AS exact LIMIT $limit
}
RETURN kind, key, label, exact
