// cache_check: every candidate of redun's check_cache, read in one query.
// Parameters:
//   $task_hash, $args_hash, $eval_hash, $execution_id: the call being checked
//   $task_hashes: [task hash] the scheduler's current tasks (shallow currency check)
//   $context_key ('redun.context'), $context: JSON text of the context hash, or null for any
//   $cse, $ultimate, $single: which kinds of hit to look for
// Returns one row: cse, ultimate, single, each null or a map
//   {call_hash, value_hash, found, type, value, in_value_store} of the candidate result.
CALL () {
  // CSE: the newest finished Job of this execution that ran this task on these args.
  MATCH (j:Job {task_hash: $task_hash, execution_id: $execution_id})
  WHERE $cse AND j.call_hash IS NOT NULL
  MATCH (c:CallNode {call_hash: j.call_hash})
  WHERE c.args_hash = $args_hash
    AND ($context IS NULL OR EXISTS {
      MATCH (tag:Tag {entity_id: c.call_hash, key: $context_key, value: $context}) })
  WITH c ORDER BY j.start_time DESC LIMIT 1
  OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
  RETURN collect({call_hash: c.call_hash, value_hash: c.value_hash, found: v IS NOT NULL,
                  type: v.type, value: v.value, in_value_store: v.in_value_store})[0] AS cse
}
CALL () {
  // ULTIMATE: the newest CallNode of this task and args whose every subtree task is current.
  MATCH (c:CallNode {task_hash: $task_hash, args_hash: $args_hash})
  WHERE $ultimate
    AND ($context IS NULL OR EXISTS {
      MATCH (tag:Tag {entity_id: c.call_hash, key: $context_key, value: $context}) })
    AND NOT EXISTS {
      MATCH (c)-[:SUBTREE_TASK]->(t:Task) WHERE NOT t.hash IN $task_hashes }
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
  RETURN collect({call_hash: c.call_hash, value_hash: c.value_hash, found: v IS NOT NULL,
                  type: v.type, value: v.value, in_value_store: v.in_value_store})[0] AS ultimate
}
CALL () {
  // SINGLE: the evaluation cache.
  MATCH (e:Evaluation {eval_hash: $eval_hash})
  WHERE $single
  OPTIONAL MATCH (v:Value {value_hash: e.value_hash})
  RETURN collect({call_hash: null, value_hash: e.value_hash, found: v IS NOT NULL,
                  type: v.type, value: v.value, in_value_store: v.in_value_store})[0] AS single
}
RETURN cse, ultimate, single
