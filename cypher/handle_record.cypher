// handle_record: record handles as advanced (get-or-create, as redun's advance_handle does).
// Parameters: $handles = [{hash, fullname, key, value_hash}] (their Values are written in the same transaction)
// A new handle is valid; an existing one keeps its validity (a rolled-back handle stays invalid).
UNWIND $handles AS row
MERGE (h:Handle {hash: row.hash})
SET h.fullname = coalesce(h.fullname, row.fullname),
    h.key = coalesce(h.key, row.key),
    h.value_hash = coalesce(h.value_hash, row.value_hash),
    h.is_valid = coalesce(h.is_valid, true)
WITH h, row
MATCH (v:Value {value_hash: row.value_hash})
MERGE (h)-[:VALUE]->(v)
