// history_gc_seed_keep: candidates that something outside the candidates still uses are kept:
// an incoming edge from a node that is no candidate (a kept execution's Job or CallNode, a
// Handle, a Value holding it...), or, for an Evaluation, a CallNode of its task and arguments
// that is no candidate. Tags, Invalidations and gc runs point at records, they do not use them.
// Labels them :GcKeep:GcFrontier (auto-commit, batched).
// Parameters: $batch
MATCH (n:GcCandidate)
WHERE EXISTS { MATCH (n)<--(m) WHERE NOT m:GcCandidate AND NOT m:Tag AND NOT m:Invalidation
                                  AND NOT m:GcRun AND NOT m:Pending }
   OR (n:Evaluation AND EXISTS { MATCH (c:CallNode {task_hash: n.task_hash, args_hash: n.args_hash})
                                 WHERE NOT c:GcCandidate })
CALL (n) {
  SET n:GcKeep:GcFrontier
} IN TRANSACTIONS OF $batch ROWS
RETURN count(n) AS kept
