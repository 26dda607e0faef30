// The tags of the given records and their whole edit history (SUPERSEDES both
// ways, and parents not imported yet), as redun's iter_record_ids follows them.
// Params: $ids (record ids, entities and Pending references), $tag_ids (root tags).
// Returns one row per tag hash (or pending parent tag reference).
CALL () {
  UNWIND $ids AS id
  MATCH (t:Tag {entity_id: id})
  RETURN t
  UNION
  UNWIND $tag_ids AS id
  MATCH (t:Tag {tag_hash: id})
  RETURN t
}
WITH DISTINCT t
MATCH (t)-[:SUPERSEDES*0..]-(h:Tag)
WITH DISTINCT h
RETURN h.tag_hash AS id
UNION
UNWIND $ids AS id
MATCH (t:Tag {entity_id: id})-[:SUPERSEDES*0..]-(:Tag)-[:PENDING {type: 'SUPERSEDES'}]->(p:Pending)
RETURN DISTINCT p.id AS id
