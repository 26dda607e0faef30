// Values a lineage starts from: Files whose path is $text (or, failing that, ends with
// "/" + $text), and Values whose hash starts with $text.
// Params: $text, $limit.
CALL () {
  MATCH (f:File) WHERE f.path = $text RETURN f AS v, 0 AS rank
  UNION
  MATCH (f:File) WHERE f.path ENDS WITH '/' + $text RETURN f AS v, 1 AS rank
  UNION
  MATCH (v:Value) WHERE v.value_hash STARTS WITH $text RETURN v, 2 AS rank
}
WITH v, min(rank) AS rank
RETURN v.value_hash AS value_hash, v.type AS type, v.path AS path, v.preview AS preview, rank
ORDER BY rank, path, value_hash
LIMIT $limit
