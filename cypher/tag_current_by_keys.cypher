// Hashes of an entity's current tags whose key is one of $keys (the tags an update supersedes).
// Params: $entity_id, $keys (list of strings).
MATCH (t:Tag {entity_id: $entity_id})
WHERE t.is_current = true AND t.key IN $keys
RETURN t.tag_hash AS tag_hash
