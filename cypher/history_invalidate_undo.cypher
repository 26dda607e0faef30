// history_invalidate_undo: revert an invalidation. Its calls and evaluations that are still
// marked lose the mark unless another invalidation, not undone and newer than their last
// recomputation, also marks them. The Invalidation node stays, with undone_time and undone_by.
// Parameters: $id, $time (DateTime), $user, $apply (false: count only)
MATCH (i:Invalidation {id: $id})
OPTIONAL MATCH (i)-[:INVALIDATED]->(n:Invalidated)
WHERE NOT EXISTS {
  MATCH (n)<-[:INVALIDATED]-(o:Invalidation)
  WHERE o <> i AND o.undone_time IS NULL
    AND (n.recomputed_time IS NULL OR o.time > n.recomputed_time)
}
WITH i, collect(n) AS nodes
FOREACH (n IN CASE WHEN $apply THEN nodes ELSE [] END | REMOVE n:Invalidated)
FOREACH (_ IN CASE WHEN $apply THEN [1] ELSE [] END |
  SET i.undone_time = $time, i.undone_by = $user)
RETURN i.id AS id, i.target AS target, i.undone_time AS undone_time,
       size([n IN nodes WHERE n:CallNode]) AS calls,
       size([n IN nodes WHERE n:Evaluation]) AS evaluations,
       [n IN nodes WHERE n:CallNode | n.task_name + ' ' + n.call_hash] AS call_labels
