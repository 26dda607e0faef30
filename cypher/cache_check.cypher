// cache_check: every candidate of redun's check_cache, read in one query.
// Parameters:
//   $task_hash, $args_hash, $eval_hash, $execution_id: the call being checked
//   $task_hashes: [task hash] the scheduler's current tasks (shallow currency check)
//   $context_key ('redun.context'), $context: JSON text of the context hash, or null for any
//   $cse, $ultimate, $single: which kinds of hit to look for
// Returns one row: cse, ultimate, single, each null or a map
//   {call_hash, value_hash, found, type, value, in_value_store} of the candidate result
//   (with $ultimate, the shallow check, cse and ultimate also carry the CallNode's
//   subtree_tasks: the scheduler asks for them after such a hit; null otherwise),
//   and known_calls: the call hashes of (at most 100) recorded CallNodes of this task and
//   args (the caller need not record them again, as redun's record_call_node skips them),
//   stale_calls: those marked :Invalidated or :Collecting (gc), which recording must rewrite,
//   has_children: whether one of those CallNodes (not marked) has CHILD calls (then a hit on
//   the evaluation cache reads their answers ahead: cache_read_ahead),
//   task_recorded: whether the Task is recorded (then a job's start need not write it).
// Never a hit: a CallNode or Evaluation marked :Invalidated (graphbackend invalidate) or
// :Collecting (graphbackend gc is deleting it).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks only, fit for any history: tests/test_hot_plans.py).
// Its parameters arrive as one map, $p (graphbackend.backend.cypher.bind): Neo4j plans again
// for each size class of a top-level list or string parameter, never for values in a map.
CYPHER replan=skip
CALL () {
  // CSE: the newest finished Job of this execution that ran this task on these args.
  // From the CallNodes of this task and args (a CallNode's task is its jobs' task) to
  // their Jobs, by index: not through every Job of the execution that ran the task.
  MATCH (c:CallNode)
  USING INDEX c:CallNode(task_hash, args_hash)
  WHERE c.task_hash = $p.task_hash AND c.args_hash = $p.args_hash AND $p.cse
    AND NOT c:Invalidated AND NOT c:Collecting
    AND ($p.context IS NULL OR EXISTS {
      MATCH (tag:Tag {entity_id: c.call_hash, key: $p.context_key, value: $p.context}) })
  MATCH (j:Job)
  USING INDEX j:Job(call_hash)
  WHERE j.call_hash = c.call_hash AND j.execution_id = $p.execution_id AND j.task_hash = $p.task_hash
  WITH c ORDER BY j.start_time DESC LIMIT 1
  OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
  RETURN collect({call_hash: c.call_hash, value_hash: c.value_hash, found: v IS NOT NULL,
                  type: v.type, value: v.value, in_value_store: v.in_value_store,
                  subtree_tasks: CASE WHEN $p.ultimate THEN [(c)-[:SUBTREE_TASK]->(t:Task) | t.hash] END})[0] AS cse
}
CALL () {
  // ULTIMATE: the newest CallNode of this task and args whose every subtree task is current.
  // (The subtree tasks are read from c's edges, never by scanning every Task.)
  MATCH (c:CallNode)
  USING INDEX c:CallNode(task_hash, args_hash)
  WHERE c.task_hash = $p.task_hash AND c.args_hash = $p.args_hash AND $p.ultimate
    AND NOT c:Invalidated AND NOT c:Collecting
    AND ($p.context IS NULL OR EXISTS {
      MATCH (tag:Tag {entity_id: c.call_hash, key: $p.context_key, value: $p.context}) })
    AND all(hash IN [(c)-[:SUBTREE_TASK]->(t:Task) | t.hash] WHERE hash IN $p.task_hashes)
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
  RETURN collect({call_hash: c.call_hash, value_hash: c.value_hash, found: v IS NOT NULL,
                  type: v.type, value: v.value, in_value_store: v.in_value_store,
                  subtree_tasks: CASE WHEN $p.ultimate THEN [(c)-[:SUBTREE_TASK]->(t:Task) | t.hash] END})[0] AS ultimate
}
CALL () {
  // SINGLE: the evaluation cache.
  MATCH (e:Evaluation {eval_hash: $p.eval_hash})
  WHERE $p.single AND NOT e:Invalidated AND NOT e:Collecting
  OPTIONAL MATCH (v:Value {value_hash: e.value_hash})
  RETURN collect({call_hash: null, value_hash: e.value_hash, found: v IS NOT NULL,
                  type: v.type, value: v.value, in_value_store: v.in_value_store})[0] AS single
}
CALL () {
  OPTIONAL MATCH (c:CallNode {task_hash: $p.task_hash, args_hash: $p.args_hash})
  WITH c, c:Invalidated OR c:Collecting AS stale
  RETURN collect(CASE WHEN NOT stale THEN c.call_hash END)[..100] AS known_calls,
         collect(CASE WHEN stale THEN c.call_hash END)[..100] AS stale_calls,
         coalesce(max(CASE WHEN NOT stale AND EXISTS { (c)-[:CHILD]->() } THEN 1 END), 0) = 1 AS has_children
}
CALL () {
  OPTIONAL MATCH (t:Task {hash: $p.task_hash})
  RETURN t IS NOT NULL AS task_recorded
}
RETURN cse, ultimate, single, known_calls, stale_calls, has_children, task_recorded
