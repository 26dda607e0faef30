// history_gc_clear_marks: remove gc's marking labels (:GcCandidate, :GcKeep, :GcFrontier; with
// $collecting also :Collecting). After a dry run, or to restart an interrupted marking.
// Auto-commit, batched. Parameters: $batch, $collecting
MATCH (n) WHERE n:GcCandidate OR n:GcKeep OR n:GcFrontier OR ($collecting AND n:Collecting)
CALL (n) {
  REMOVE n:GcCandidate, n:GcKeep, n:GcFrontier
  FOREACH (_ IN CASE WHEN $collecting THEN [1] ELSE [] END | REMOVE n:Collecting)
} IN TRANSACTIONS OF $batch ROWS
RETURN count(n) AS cleared
