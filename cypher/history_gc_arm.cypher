// history_gc_arm: candidates not kept become :Collecting (the cache checks skip them from now
// on); the marking labels go. Auto-commit, batched. Parameters: $batch
MATCH (n:GcCandidate)
CALL (n) {
  FOREACH (_ IN CASE WHEN n:GcKeep THEN [] ELSE [1] END | SET n:Collecting)
  REMOVE n:GcCandidate, n:GcKeep, n:GcFrontier
} IN TRANSACTIONS OF $batch ROWS
RETURN count(n) AS seen
