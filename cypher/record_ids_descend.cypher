// The records owned by the given root records, as redun's iter_record_ids walks
// them (Execution -> root Job -> child Jobs, Tasks, CallNodes -> args, results,
// upstream and child calls, Tasks -> subvalues), in one breadth-first pass.
// References to records not in the graph (Pending) are included, as redun yields
// foreign keys whether or not their row exists. Tags: see record_ids_tags.
// Params: $ids (root record ids). Returns one row per record id.
UNWIND $ids AS id
CALL (id) {
  MATCH (n:Execution {id: id}) RETURN n
  UNION
  MATCH (n:Job {id: id}) RETURN n
  UNION
  MATCH (n:CallNode {call_hash: id}) RETURN n
  UNION
  MATCH (n:Value {value_hash: id}) RETURN n
}
WITH DISTINCT n
MATCH (n)-[:ROOT_JOB|CHILD|CALL|TASK|RESULT|ARG|UPSTREAM|SUBVALUE|PENDING*0..]->(m)
WITH DISTINCT m
RETURN CASE
         WHEN m:Execution OR m:Job OR m:Pending THEN m.id
         WHEN m:CallNode THEN m.call_hash
         ELSE m.value_hash
       END AS id
