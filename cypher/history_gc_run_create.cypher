// history_gc_run_create: start a gc run (status 'marking'); fails if another run is unfinished
// (the uniqueness of the 'current' GcRun: MERGE on the fixed key 'current' would serialize runs,
// so the caller checks history_gc_run_get first, in the same transaction).
// Parameters: $id, $time, $execution_ids, $dry_run, $user
CREATE (g:GcRun {id: $id, started_time: $time, execution_ids: $execution_ids,
                 dry_run: $dry_run, user: $user, status: 'marking'})
RETURN g.id AS id
