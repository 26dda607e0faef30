// Write Tag records as nodes (current until something supersedes them; see
// sync_tags_current). TAGGED and SUPERSEDES edges are linked by sync_link.
// Params: $rows [{tag_hash, entity_type, entity_id, key, value (canonical JSON text)}].
// Returns the element id of each node, for sync_link.
UNWIND $rows AS row
MERGE (t:Tag {tag_hash: row.tag_hash})
ON CREATE SET t.entity_type = row.entity_type, t.entity_id = row.entity_id,
              t.key = row.key, t.key_prefix = left(row.key, 256), t.value = row.value, t.is_current = true
RETURN row.tag_hash AS id, elementId(t) AS eid
