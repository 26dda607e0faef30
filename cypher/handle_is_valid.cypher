// handle_is_valid: whether a handle is recorded and valid (null when unknown or only seen as a value).
// Parameters: $hash
MATCH (h:Handle {hash: $hash})
RETURN h.is_valid AS is_valid
LIMIT 1
