// value_merge: create the Values (and Files) that are not stored yet; content-addressed, never duplicated.
// Parameters: $rows = [{value_hash, props: {type, format, value (bytes; empty when in the value store),
//   in_value_store, size, preview}, path (File path or null)}]
// An existing Value keeps its stored bytes (first writer wins; same hash, same content).
UNWIND $rows AS row
MERGE (v:Value {value_hash: row.value_hash})
SET v += CASE WHEN v.value IS NULL THEN row.props ELSE {} END
WITH v, row
WHERE row.path IS NOT NULL
SET v:File, v.path = row.path
