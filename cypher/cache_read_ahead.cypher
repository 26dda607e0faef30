// cache_read_ahead: the cache answers of every call under a call that just hit the
// evaluation cache, read at once, so that their checks need no query of their own.
// A hit on the evaluation cache returns what the task returned, often expressions: the
// scheduler evaluates them next and checks each call they make. They are, most often,
// the calls recorded under this call's newest CallNode: its descendants (CHILD edges).
// Parameters:
//   $task_hash, $args_hash: the call that hit the cache
//   $execution_id: the running execution (CSE candidates are its Jobs)
//   $limit: the most descendant calls to answer for
//   $max_value_bytes: a result Value larger than this inline is not sent (value null,
//     complete false: the caller asks cache_check for that call when it comes)
// Returns a row per distinct (task_hash, args_hash) of a descendant CallNode, with what
// cache_check returns for that call with $cse, $single, no $ultimate and no $context:
//   cse, single (null or {call_hash, value_hash, found, type, value, in_value_store,
//   eval_hash (single only)}), known_calls, stale_calls, has_children, task_recorded,
//   complete.
// Never a hit: a CallNode or Evaluation marked :Invalidated or :Collecting (as cache_check).
// A hot-path query: planned once per server, never replanned as statistics change
// (replan=skip; its plan is index seeks and expands only, fit for any history:
// tests/test_hot_plans.py). Its parameters arrive as one map, $p (cypher.bind).
CYPHER replan=skip
MATCH (root:CallNode)
USING INDEX root:CallNode(task_hash, args_hash)
WHERE root.task_hash = $p.task_hash AND root.args_hash = $p.args_hash
  AND NOT root:Invalidated AND NOT root:Collecting
WITH root ORDER BY root.timestamp DESC LIMIT 1
// Distinct descendants, breadth first, each visited once (a pruning expand).
MATCH (root)-[:CHILD*1..100]->(d:CallNode)
WITH DISTINCT d.task_hash AS task_hash, d.args_hash AS args_hash
LIMIT $p.limit
CALL (task_hash, args_hash) {
  // The CallNodes of this call (one index seek), with the newest Job of this execution
  // that ran each (CSE), which of them are marked, and whether they have CHILD calls.
  MATCH (c:CallNode)
  USING INDEX c:CallNode(task_hash, args_hash)
  WHERE c.task_hash = task_hash AND c.args_hash = args_hash
  WITH c, c:Invalidated OR c:Collecting AS stale
  CALL (c, stale) {
    MATCH (j:Job)
    USING INDEX j:Job(call_hash)
    WHERE NOT stale AND j.call_hash = c.call_hash AND j.execution_id = $p.execution_id
      AND j.task_hash = c.task_hash
    RETURN max(j.start_time) AS ran
  }
  WITH c, stale, ran ORDER BY ran DESC
  RETURN collect(CASE WHEN NOT stale THEN c.call_hash END)[..100] AS known_calls,
         collect(CASE WHEN stale THEN c.call_hash END)[..100] AS stale_calls,
         coalesce(max(CASE WHEN NOT stale AND EXISTS { (c)-[:CHILD]->() } THEN 1 END), 0) = 1 AS has_children,
         collect(CASE WHEN ran IS NOT NULL THEN c END)[0] AS cse_call
}
// CSE: the result of the CallNode whose Job of this execution is the newest.
OPTIONAL MATCH (cv:Value {value_hash: cse_call.value_hash})
WITH task_hash, args_hash, known_calls, stale_calls, has_children,
     CASE WHEN cse_call IS NOT NULL THEN {
       call_hash: cse_call.call_hash, value_hash: cse_call.value_hash, found: cv IS NOT NULL, type: cv.type,
       value: CASE WHEN size(cv.value) <= $p.max_value_bytes THEN cv.value END,
       in_value_store: cv.in_value_store,
       complete: cv IS NULL OR cv.value IS NULL OR size(cv.value) <= $p.max_value_bytes} END AS cse
CALL (task_hash, args_hash) {
  // SINGLE: the evaluation cache (one Evaluation per task and args: its eval_hash is theirs).
  MATCH (e:Evaluation)
  USING INDEX e:Evaluation(task_hash, args_hash)
  WHERE e.task_hash = task_hash AND e.args_hash = args_hash
    AND NOT e:Invalidated AND NOT e:Collecting
  OPTIONAL MATCH (v:Value {value_hash: e.value_hash})
  RETURN collect({eval_hash: e.eval_hash, call_hash: null, value_hash: e.value_hash, found: v IS NOT NULL,
                  type: v.type, value: CASE WHEN size(v.value) <= $p.max_value_bytes THEN v.value END,
                  in_value_store: v.in_value_store,
                  complete: v IS NULL OR v.value IS NULL OR size(v.value) <= $p.max_value_bytes})[0] AS single
}
RETURN task_hash, args_hash, cse, single, known_calls, stale_calls, has_children,
       EXISTS { MATCH (:Task {hash: task_hash}) } AS task_recorded
