// history_gc_delete_batch: delete up to $batch :Collecting nodes of one kind ($label: 'Job',
// 'CallNode', 'Evaluation', 'Value', 'Execution'), with the Tags of each (its whole tag history),
// unless something not being collected uses the node (checked in this transaction; such a node is
// left for history_gc_rescue). Values in the value store are added to the run's pending_blobs in the
// same transaction, so an interrupted run still deletes their blobs when resumed.
// Parameters: $run_id, $label, $batch
MATCH (g:GcRun {id: $run_id})
CALL (g) {
  MATCH (n:Collecting) WHERE $label IN labels(n)
    AND NOT EXISTS { MATCH (n)<--(m) WHERE NOT m:Collecting AND NOT m:Tag AND NOT m:Invalidation
                                         AND NOT m:GcRun AND NOT m:Pending }
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
