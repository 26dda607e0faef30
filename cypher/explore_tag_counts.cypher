// `graphbackend tag list`: current tags (not deletion markers) counted per key and entity
// type, or per key, value and entity type with $by_value, as redun tag list [--values].
// Params: $by_value (bool), $filters (list of {key, value}: value null = any value, else
//   canonical JSON text; empty = every tag).
MATCH (g:Tag)
WHERE coalesce(g.is_current, true) AND g.key <> ''
  AND (size($filters) = 0 OR any(f IN $filters WHERE g.key = f.key AND (f.value IS NULL OR g.value = f.value)))
WITH g.key AS key, CASE WHEN $by_value THEN g.value ELSE null END AS value, g.entity_type AS entity_type,
     count(*) AS count
RETURN key, value, entity_type, count
ORDER BY key, value, entity_type
