// history_gc_rescue: a :Collecting node that something not being collected started to use
// since the marking (a running scheduler recorded a call reusing it) is kept: the label goes,
// and so, step by step, from what it uses. Run until it returns 0.
// Parameters: $batch (nodes per transaction; a managed transaction)
MATCH (n:Collecting)
WHERE EXISTS { MATCH (n)<--(m) WHERE NOT m:Collecting AND NOT m:Tag AND NOT m:Invalidation
                                  AND NOT m:GcRun AND NOT m:Pending }
   OR (n:Evaluation AND EXISTS { MATCH (c:CallNode {task_hash: n.task_hash, args_hash: n.args_hash})
                                 WHERE NOT c:Collecting })
WITH n LIMIT $batch
REMOVE n:Collecting
RETURN count(n) AS rescued
