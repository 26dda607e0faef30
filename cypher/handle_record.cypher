// handle_record: record handles as advanced (redun's get_or_create with is_valid=True).
// Parameters: $handles = [{hash, fullname, key, value_hash}] (their Values are written in the same transaction)
// Every recorded handle becomes valid, also one rolled back before (redun revalidates it too).
UNWIND $handles AS row
MERGE (h:Handle {hash: row.hash})
SET h.fullname = coalesce(h.fullname, row.fullname),
    h.key = coalesce(h.key, row.key),
    h.value_hash = coalesce(h.value_hash, row.value_hash),
    h.is_valid = true
WITH h, row
MATCH (v:Value {value_hash: row.value_hash})
MERGE (h)-[:VALUE]->(v)
