// Record tags of one entity and their edit history, as redun's record_tags does:
//  1. the parent tags ($parents) stop being current;
//  2. each tag row is MERGEd by its hash; a new tag is current, an existing one keeps its
//     is_current (re-recording a superseded tag does not bring it back);
//  3. (tag)-[:SUPERSEDES]->(parent) for every parent tag that exists (newer -> older).
// Params: $parents (list of tag hashes),
//         $rows (list of {tag_hash, entity_type, entity_id, key, value}; value is canonical
//         JSON text). key_prefix (the first 256 characters of the key) is what the index
//         holds; key and value are kept whole, whatever their size.
CALL () {
  UNWIND $parents AS parent_hash
  MATCH (p:Tag {tag_hash: parent_hash})
  SET p.is_current = false
}
UNWIND $rows AS row
MERGE (t:Tag {tag_hash: row.tag_hash})
ON CREATE SET t.is_current = true
SET t.entity_type = row.entity_type,
    t.entity_id = row.entity_id,
    t.key = row.key,
    t.key_prefix = left(row.key, 256),
    t.value = row.value
WITH t
CALL (t) {
  UNWIND $parents AS parent_hash
  MATCH (p:Tag {tag_hash: parent_hash})
  MERGE (t)-[:SUPERSEDES]->(p)
}
RETURN t.tag_hash AS tag_hash
