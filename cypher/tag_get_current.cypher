// The current tags of the given entities, ordered by entity, key and value.
// Params: $entity_ids (list of strings).
UNWIND $entity_ids AS entity_id
MATCH (t:Tag {entity_id: entity_id})
WHERE t.is_current = true
RETURN t.entity_id AS entity_id, t.key AS key, t.value AS value
ORDER BY entity_id, key, value
