// plan: what redun's cache check would find for each call of a predicted run.
// - evaluation: redun's default (check_valid="full") cache, keyed by eval_hash;
// - ultimate: the shallow check's CallNode of this task hash and args whose every subtree
//   task is current ($task_hashes, the current code's);
// each with the Files in its result (redun reruns a call whose result File changed).
// Params: $checks: [{key, task_hash, args_hash, eval_hash}], $task_hashes (list).
UNWIND $checks AS check
CALL (check) {
  OPTIONAL MATCH (e:Evaluation {eval_hash: check.eval_hash})
  OPTIONAL MATCH (e)-[:RESULT]->(r:Value)
  RETURN CASE WHEN e IS NULL THEN null ELSE {
    value_hash: e.value_hash,
    files: [(r)-[:SUBVALUE*0..1]->(f:File) | {value_hash: f.value_hash, path: f.path}]
  } END AS evaluation
}
CALL (check) {
  OPTIONAL MATCH (c:CallNode {task_hash: check.task_hash, args_hash: check.args_hash})
  WHERE all(hash IN [(c)-[:SUBTREE_TASK]->(t:Task) | t.hash] WHERE hash IN $task_hashes)
  WITH c ORDER BY c.timestamp DESC LIMIT 1
  OPTIONAL MATCH (c)-[:RESULT]->(r:Value)
  RETURN CASE WHEN c IS NULL THEN null ELSE {
    call_hash: c.call_hash,
    files: [(r)-[:SUBVALUE*0..1]->(f:File) | {value_hash: f.value_hash, path: f.path}]
  } END AS ultimate
}
RETURN check.key AS key, evaluation, ultimate
