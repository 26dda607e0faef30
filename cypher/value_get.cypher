// value_get: one Value's type and stored bytes.
// Parameters: $value_hash
MATCH (v:Value {value_hash: $value_hash})
RETURN v.type AS type, v.value AS value, v.in_value_store AS in_value_store
LIMIT 1
