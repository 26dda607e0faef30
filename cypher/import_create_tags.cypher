// Create the nodes of Tag records that import_has found missing (current until something
// supersedes them; see sync_tags_current). TAGGED and SUPERSEDES edges are linked by
// import_link_*.
// Params: $rows [{tag_hash, entity_type, entity_id, key, key_prefix, value (canonical JSON text)}]
// (sync_format.record_to_rows).
// Returns the element id of each node, for import_link_*.
UNWIND $rows AS row
CREATE (t:Tag {tag_hash: row.tag_hash})
SET t.entity_type = row.entity_type, t.entity_id = row.entity_id,
    t.key = row.key, t.key_prefix = row.key_prefix, t.value = row.value, t.is_current = true
RETURN elementId(t) AS eid
