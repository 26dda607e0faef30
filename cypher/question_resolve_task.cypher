// Tasks named $text (full name `namespace.name`, or the short name), or whose hash starts
// with $text (graphbackend impact TARGET). rank 0: by name, 1: by hash.
// Params: $text, $limit.
CALL () {
  MATCH (t:Task) WHERE t.fullname = $text RETURN t, 0 AS rank
  UNION
  MATCH (t:Task) WHERE t.name = $text RETURN t, 0 AS rank
  UNION
  MATCH (t:Task) WHERE t.hash STARTS WITH $text RETURN t, 1 AS rank
}
WITH t, min(rank) AS rank
RETURN t.hash AS task_hash, t.fullname AS fullname, t.name AS name, rank
ORDER BY rank, fullname, task_hash
LIMIT $limit
