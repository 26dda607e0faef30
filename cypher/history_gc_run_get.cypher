// history_gc_run_get: the unfinished gc run, if any (there is at most one at a time).
// Returns at most one row: id, status ('marking' | 'collecting' | 'blobs': only value-store blobs left), execution_ids, dry_run,
//   pending_blobs (value-store blobs of deleted Values not yet removed).
MATCH (g:GcRun) WHERE g.status <> 'done'
RETURN g.id AS id, g.status AS status, g.execution_ids AS execution_ids, g.dry_run AS dry_run,
       coalesce(g.pending_blobs, []) AS pending_blobs
ORDER BY g.started_time
LIMIT 1
