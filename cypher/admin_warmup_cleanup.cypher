// admin_warmup_cleanup: delete what the warm-up's one committed run wrote (graphbackend.backend.warmup),
// found by key, so the database holds exactly what it held before.
// Parameters: $execution_id, $job_ids, $value_hashes, $call_hashes, $eval_hashes.
CALL () {
  MATCH (n:Execution {id: $execution_id}) DETACH DELETE n
}
CALL () {
  UNWIND $job_ids AS id MATCH (n:Job {id: id}) DETACH DELETE n
}
CALL () {
  UNWIND $call_hashes AS hash MATCH (n:CallNode {call_hash: hash}) DETACH DELETE n
}
CALL () {
  UNWIND $eval_hashes AS hash MATCH (n:Evaluation {eval_hash: hash}) DETACH DELETE n
}
CALL () {
  UNWIND $value_hashes AS hash MATCH (n:Value {value_hash: hash}) DETACH DELETE n
}
RETURN true AS done
