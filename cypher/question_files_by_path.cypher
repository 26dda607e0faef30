// Every recorded version of the File at path $text (or whose path ends with "/" + $text).
// Params: $text, $limit.
MATCH (f:File)
WHERE f.path = $text OR f.path ENDS WITH '/' + $text
RETURN f.value_hash AS value_hash, f.path AS path
ORDER BY path, value_hash
LIMIT $limit
