// handle_invalidate: mark handles as rolled back (no longer valid).
// Parameters: $hashes = [handle hash]
UNWIND $hashes AS hash
MATCH (h:Handle {hash: hash})
SET h.is_valid = false
