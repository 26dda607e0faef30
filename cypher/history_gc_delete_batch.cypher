// history_gc_delete_batch: delete up to $batch :Collecting nodes of one kind ($label: 'Job',
// 'CallNode', 'Evaluation', 'Value', 'Execution'), with the Tags of each (its whole tag history),
// unless something not being collected uses the node (checked in this transaction; such a node is
// left for history_gc_rescue). Values in the value store are added to the run's pending_blobs in the
// same transaction, so an interrupted run still deletes their blobs when resumed.
// A CallNode of a task that a job of a running execution is running now is left too (see
// history_gc_rescue). Parameters: $run_id, $label, $batch, $running_since (DateTime)
CALL () {
  // The tasks that jobs of running executions are running now (no end_time).
  OPTIONAL MATCH (e:Execution) WHERE e.updated_time >= $running_since
  OPTIONAL MATCH (j:Job {execution_id: e.id}) WHERE j.end_time IS NULL AND NOT j:Collecting
  RETURN collect(DISTINCT j.task_hash) AS in_flight
}
MATCH (g:GcRun {id: $run_id})
CALL (g, in_flight) {
  MATCH (n:Collecting) WHERE $label IN labels(n)
    AND NOT EXISTS { MATCH (n)<--(m) WHERE NOT m:Collecting AND NOT m:Tag AND NOT m:Invalidation
                                         AND NOT m:GcRun AND NOT m:Pending }
    AND NOT (n:CallNode AND n.task_hash IN in_flight)
  WITH n LIMIT $batch
  WITH n, coalesce(n.id, n.call_hash, n.value_hash, n.eval_hash) AS key,
       CASE WHEN n:Value AND n.in_value_store THEN n.value_hash END AS blob
  CALL (n, key) {
    CALL (n, key) {
      MATCH (t:Tag {entity_id: key}) RETURN t
      UNION
      MATCH (t:Tag)-[:TAGGED]->(n) RETURN t
    }
    DETACH DELETE t
    RETURN count(t) AS tags
  }
  DETACH DELETE n
  RETURN count(n) AS deleted, sum(tags) AS tags, collect(blob) AS blobs
}
SET g.pending_blobs = coalesce(g.pending_blobs, []) + blobs
RETURN deleted, tags, size(blobs) AS blob_count
