// history_invalidations: recorded invalidations, newest first (ids by prefix when $prefix is set).
// Parameters: $prefix (text or null), $limit
MATCH (i:Invalidation)
WHERE $prefix IS NULL OR i.id STARTS WITH $prefix
RETURN i.id AS id, i.time AS time, i.reason AS reason, i.user AS user, i.target AS target,
       i.target_kind AS target_kind, i.calls AS calls, i.evaluations AS evaluations,
       i.undone_time AS undone_time,
       COUNT { (i)-[:INVALIDATED]->(n:Invalidated) } AS still_marked
ORDER BY i.time DESC
LIMIT $limit
