// Migration to schema version 4: give up to $limit tags recorded before it their key_prefix
// (the first 256 characters of the key, what the tag_key_prefix index holds).
// Params: $limit. Returns how many tags it updated (0 when done).
MATCH (t:Tag)
WHERE t.key_prefix IS NULL AND t.key IS NOT NULL
WITH t LIMIT $limit
SET t.key_prefix = left(t.key, 256)
RETURN count(t) AS updated
