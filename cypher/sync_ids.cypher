// The ids of the given root records and of every record they own, as redun's
// iter_record_ids walks them, in ONE row (two lists, so the driver decodes two
// values instead of one record per id):
// - `ids`: the descent (Execution -> root Job -> child Jobs, Tasks, CallNodes ->
//   args, results, upstream and child calls, Tasks -> subvalues), breadth first.
//   References to records not in the graph (Pending) are included, as redun yields
//   foreign keys whether or not their row exists.
// - `tag_ids`: the tags of those records and of the root tags, with their whole
//   edit history (SUPERSEDES both ways), then parent tags not imported yet (Pending).
// Params: $ids (root record ids, strings).
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
WITH collect(CASE
               WHEN m:Execution OR m:Job OR m:Pending THEN m.id
               WHEN m:CallNode THEN m.call_hash
               ELSE m.value_hash
             END) AS ids
WITH ids, COLLECT { UNWIND ids AS id MATCH (t:Tag {entity_id: id}) RETURN t } AS entity_tags
WITH ids, entity_tags, COLLECT { UNWIND $ids AS id MATCH (t:Tag {tag_hash: id}) RETURN t } AS root_tags
RETURN ids, COLLECT {
  UNWIND entity_tags + root_tags AS t
  WITH DISTINCT t
  MATCH (t)-[:SUPERSEDES*0..]-(h:Tag)
  WITH DISTINCT h
  RETURN h.tag_hash AS id
  UNION
  UNWIND entity_tags AS t
  MATCH (t)-[:SUPERSEDES*0..]-(:Tag)-[:PENDING {type: 'SUPERSEDES'}]->(p:Pending)
  RETURN DISTINCT p.id AS id
} AS tag_ids
