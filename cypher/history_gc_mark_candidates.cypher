// history_gc_mark_candidates: label :GcCandidate everything the doomed executions reach
// (auto-commit, batched: CALL ... IN TRANSACTIONS). Steps, in order ($step):
//   'jobs'        the Executions and their Jobs;
//   'calls'       the CallNodes their Jobs recorded (CALL) and those calls' subtrees (CHILD*);
//   'values'      the Values and Tasks those Jobs and CallNodes use (ARG, RESULT, TASK,
//                 SUBTREE_TASK) and their SUBVALUEs;
//   'evaluations' the Evaluations (evaluation cache) of those calls' task and arguments.
// Parameters: $step, $execution_ids, $batch
CALL () {
  UNWIND $execution_ids AS id
  MATCH (e:Execution {id: id}) WHERE $step = 'jobs'
  RETURN e AS n
  UNION
  UNWIND $execution_ids AS id
  MATCH (j:Job {execution_id: id}) WHERE $step = 'jobs'
  RETURN j AS n
  UNION
  MATCH (:Job:GcCandidate)-[:CALL]->(c:CallNode) WHERE $step = 'calls'
  MATCH (c)-[:CHILD*0..]->(d:CallNode)
  RETURN DISTINCT d AS n
  UNION
  MATCH (x:GcCandidate)-[:ARG|RESULT|TASK|SUBTREE_TASK]->(v:Value)
  WHERE $step = 'values' AND (x:CallNode OR x:Job)
  RETURN DISTINCT v AS n
  UNION
  MATCH (x:GcCandidate)-[:ARG|RESULT]->(:Value)-[:SUBVALUE]->(v:Value)
  WHERE $step = 'values' AND x:CallNode
  RETURN DISTINCT v AS n
  UNION
  MATCH (c:CallNode:GcCandidate) WHERE $step = 'evaluations'
  MATCH (e:Evaluation {task_hash: c.task_hash, args_hash: c.args_hash})
  RETURN DISTINCT e AS n
}
CALL (n) {
  SET n:GcCandidate
} IN TRANSACTIONS OF $batch ROWS
RETURN count(n) AS marked
