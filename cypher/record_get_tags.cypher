// Tag records (redun serialized format v1) for the given tag hashes; parents are
// the tags each one SUPERSEDES (or PENDING references to parents not imported yet).
// Params: $ids.
UNWIND $ids AS id
MATCH (t:Tag {tag_hash: id})
RETURN t.tag_hash AS tag_hash, t.entity_type AS entity_type, t.entity_id AS entity_id,
       t.key AS key, t.value AS value,
       [(t)-[:SUPERSEDES]->(p:Tag) | p.tag_hash]
       + [(t)-[:PENDING {type: 'SUPERSEDES'}]->(p:Pending) | p.id] AS parents
