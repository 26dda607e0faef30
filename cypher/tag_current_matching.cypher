// Hashes of an entity's current tags that match one of $pairs (same key and same canonical
// JSON value) or whose key is one of $keys (the tags delete_tags supersedes).
// Params: $entity_id, $pairs (list of {key, value}; value is canonical JSON text),
//         $keys (list of strings).
MATCH (t:Tag {entity_id: $entity_id})
WHERE t.is_current = true
  AND (t.key IN $keys OR any(pair IN $pairs WHERE pair.key = t.key AND pair.value = t.value))
RETURN t.tag_hash AS tag_hash
