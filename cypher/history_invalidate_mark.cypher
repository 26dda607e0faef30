// history_invalidate_mark: mark a batch of CallNodes and Evaluations :Invalidated, linked to
// their Invalidation. The cache checks skip :Invalidated nodes; recording the call (or
// setting the evaluation cache) again removes the label, the INVALIDATED edge stays as history.
// Parameters: $id (the Invalidation), $call_hashes: [call hash], $eval_hashes: [eval hash]
MATCH (i:Invalidation {id: $id})
CALL (i) {
  UNWIND $call_hashes AS call_hash
  MATCH (c:CallNode {call_hash: call_hash})
  MERGE (i)-[:INVALIDATED]->(c)
  SET c:Invalidated, c.invalidated_time = i.time
  RETURN count(c) AS calls
}
CALL (i) {
  UNWIND $eval_hashes AS eval_hash
  MATCH (e:Evaluation {eval_hash: eval_hash})
  MERGE (i)-[:INVALIDATED]->(e)
  SET e:Invalidated, e.invalidated_time = i.time
  RETURN count(e) AS evaluations
}
SET i.calls = coalesce(i.calls, 0) + calls, i.evaluations = coalesce(i.evaluations, 0) + evaluations
RETURN calls, evaluations
