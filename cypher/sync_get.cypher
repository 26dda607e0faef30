// The CallNode, Job, Execution and Tag records (redun serialized format v1) of
// the given ids, in ONE row of lists of flat lists (far cheaper for the driver
// to decode than one record of named columns per id). Each id is looked up by
// type in turn (CallNode, then Job, Execution, Tag) and only the ids not found
// yet go on to the next type, which saves most index seeks (record ids are
// hashes or UUIDs, unique across types); the ids left over (`other_ids`) are
// for sync_get_values.
// Times are integers: microseconds since the Unix epoch (UTC), truncated as the
// driver's DateTime.to_native() truncates nanoseconds.
// Params: $ids (record ids; unknown ones are skipped).
// Returns, in the order of $ids within each list:
// - call_nodes: [call_hash, task_name, task_hash, args_hash, value_hash, timestamp,
//   args ([arg_hash, position, key, value_hash]), upstream ([arg_hash, call_hash]),
//   children ([call_order, call_hash])], PENDING references included.
// - jobs: [id, start_time, end_time, task_hash, cached, call_hash, execution_id,
//   result_type (type of the call's result Value, for the status), parent_id,
//   children ([start_time, id] pairs; ordered in Python, as redun does)].
// - executions: [id, args, job_id]; the root job comes from the ROOT_JOB edge,
//   else from a pending (not yet imported) ROOT_JOB reference, else `job_id`.
// - tags: [tag_hash, entity_type, entity_id, key, value (JSON text), parents
//   (the tags it SUPERSEDES, or PENDING references to parents not imported yet)].
// - other_ids: the ids of none of these types (Values, or unknown ids).
UNWIND $ids AS id
OPTIONAL MATCH (c:CallNode {call_hash: id})
WITH collect(c) AS call_nodes, collect(CASE WHEN c IS NULL THEN id END) AS rest
CALL (rest) {
  UNWIND rest AS id
  OPTIONAL MATCH (j:Job {id: id})
  RETURN collect(j) AS jobs, collect(CASE WHEN j IS NULL THEN id END) AS rest2
}
CALL (rest2) {
  UNWIND rest2 AS id
  OPTIONAL MATCH (e:Execution {id: id})
  RETURN collect(e) AS executions, collect(CASE WHEN e IS NULL THEN id END) AS rest3
}
CALL (rest3) {
  UNWIND rest3 AS id
  OPTIONAL MATCH (t:Tag {tag_hash: id})
  RETURN collect(t) AS tags, collect(CASE WHEN t IS NULL THEN id END) AS rest4
}
CALL (call_nodes) {
  UNWIND call_nodes AS c
  RETURN collect(
    [c.call_hash, c.task_name, c.task_hash, c.args_hash, c.value_hash,
     c.timestamp.epochSeconds * 1000000 + c.timestamp.nanosecond / 1000,
     [(c)-[a:ARG]->(v:Value) | [a.arg_hash, a.position, a.key, v.value_hash]]
     + [(c)-[a:PENDING {type: 'ARG'}]->(p:Pending) | [a.arg_hash, a.position, a.key, p.id]],
     [(c)-[u:UPSTREAM]->(x:CallNode) | [u.arg_hash, x.call_hash]]
     + [(c)-[u:PENDING {type: 'UPSTREAM'}]->(p:Pending) | [u.arg_hash, p.id]],
     [(c)-[e:CHILD]->(x:CallNode) | [e.call_order, x.call_hash]]
     + [(c)-[e:PENDING {type: 'CHILD'}]->(p:Pending) | [e.call_order, p.id]]]) AS call_node_rows
}
CALL (jobs) {
  UNWIND jobs AS j
  OPTIONAL MATCH (c:CallNode {call_hash: j.call_hash})
  OPTIONAL MATCH (v:Value {value_hash: c.value_hash})
  RETURN collect(
    [j.id,
     j.start_time.epochSeconds * 1000000 + j.start_time.nanosecond / 1000,
     j.end_time.epochSeconds * 1000000 + j.end_time.nanosecond / 1000,
     j.task_hash, j.cached, j.call_hash, j.execution_id, v.type,
     coalesce(head([(p:Job)-[:CHILD]->(j) | p.id]), j.parent_id),
     [(j)-[:CHILD]->(k:Job) | [k.start_time.epochSeconds * 1000000 + k.start_time.nanosecond / 1000, k.id]]]) AS job_rows
}
CALL (executions) {
  UNWIND executions AS e
  RETURN collect(
    [e.id, e.args,
     coalesce(head([(e)-[:ROOT_JOB]->(j:Job) | j.id]),
              head([(e)-[p:PENDING {type: 'ROOT_JOB'}]->(x:Pending) | x.id]),
              e.job_id)]) AS execution_rows
}
CALL (tags) {
  UNWIND tags AS t
  RETURN collect(
    [t.tag_hash, t.entity_type, t.entity_id, t.key, t.value,
     [(t)-[:SUPERSEDES]->(p:Tag) | p.tag_hash]
     + [(t)-[:PENDING {type: 'SUPERSEDES'}]->(p:Pending) | p.id]]) AS tag_rows
}
RETURN call_node_rows, job_rows, execution_rows, tag_rows, rest4 AS other_ids
