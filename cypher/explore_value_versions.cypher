// When each value (e.g. the versions of a File recorded under one path) was last produced
// (the latest end of a job whose call returned it, or a value containing it) and last
// used (the latest start of a job whose call took it, or a value containing it, as an
// argument): `graphbackend lineage PATH` picks the newest version as redun log PATH does.
// Params: $value_hashes (list).
UNWIND $value_hashes AS value_hash
MATCH (v:Value {value_hash: value_hash})
CALL (v) {
  OPTIONAL MATCH (j:Job)-[:CALL]->(:CallNode)-[:RESULT]->(:Value)-[:SUBVALUE*0..1]->(v)
  RETURN max(j.end_time) AS produced_at, count(DISTINCT j) AS produced_jobs
}
CALL (v) {
  OPTIONAL MATCH (j:Job)-[:CALL]->(:CallNode)-[:ARG]->(:Value)-[:SUBVALUE*0..1]->(v)
  RETURN max(j.start_time) AS used_at
}
RETURN v.value_hash AS value_hash, v.path AS path, v.type AS type, v.preview AS preview,
       produced_at, produced_jobs, used_at
