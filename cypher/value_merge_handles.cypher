// value_merge_handles: the Handle node of each Handle value, linked to its Value.
// Parameters: $rows = [{hash, fullname, key, value_hash}]
// is_valid is left as it is: only advance_handle records a handle as valid.
UNWIND $rows AS row
MATCH (v:Value {value_hash: row.value_hash})
MERGE (h:Handle {hash: row.hash})
SET h.fullname = row.fullname, h.key = row.key, h.value_hash = row.value_hash
MERGE (h)-[:VALUE]->(v)
