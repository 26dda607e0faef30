// history_gc_rescue: a :Collecting node that something not being collected started to use
// since the marking (a running scheduler recorded a call reusing it) is kept: the label goes,
// and so, step by step, from what it uses. Run until it returns 0.
// Also kept: a CallNode of a task that a job of a running execution (heartbeat since
// $running_since) is running now (no end_time): that job may have found it in the cache just
// before the marking and not yet recorded its CALL edge.
// Parameters: $batch (nodes per transaction; a managed transaction), $running_since (DateTime)
CALL () {
  // The tasks that jobs of running executions are running now (no end_time).
  OPTIONAL MATCH (e:Execution) WHERE e.updated_time >= $running_since
  OPTIONAL MATCH (j:Job {execution_id: e.id}) WHERE j.end_time IS NULL AND NOT j:Collecting
  RETURN collect(DISTINCT j.task_hash) AS in_flight
}
MATCH (n:Collecting)
WHERE EXISTS { MATCH (n)<--(m) WHERE NOT m:Collecting AND NOT m:Tag AND NOT m:Invalidation
                                  AND NOT m:GcRun AND NOT m:Pending }
   OR (n:Evaluation AND EXISTS { MATCH (c:CallNode {task_hash: n.task_hash, args_hash: n.args_hash})
                                 WHERE NOT c:Collecting })
   OR (n:CallNode AND n.task_hash IN in_flight)
WITH n LIMIT $batch
REMOVE n:Collecting
RETURN count(n) AS rescued
