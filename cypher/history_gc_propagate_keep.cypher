// history_gc_propagate_keep: one step of "a kept node keeps what it uses": from each
// :GcFrontier node, its candidates downstream (any outgoing edge; a kept CallNode also keeps the
// Evaluations of its task and arguments) become :GcKeep:GcFrontier; the frontier node leaves
// the frontier. Run until it returns 0. Auto-commit, batched.
// Parameters: $batch
MATCH (k:GcFrontier)
CALL (k) {
  REMOVE k:GcFrontier
  WITH k
  CALL (k) {
    MATCH (k)-->(n:GcCandidate) WHERE NOT n:GcKeep
    RETURN n
    UNION
    MATCH (n:Evaluation:GcCandidate {task_hash: k.task_hash, args_hash: k.args_hash})
    WHERE k:CallNode AND NOT n:GcKeep
    RETURN n
  }
  SET n:GcKeep:GcFrontier
} IN TRANSACTIONS OF $batch ROWS
RETURN count(k) AS expanded
