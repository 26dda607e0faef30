// history_gc_run_delete: remove a finished dry run's GcRun node (a dry run leaves no trace).
// Parameters: $id
MATCH (g:GcRun {id: $id}) WHERE g.dry_run
DELETE g
RETURN count(g) AS deleted
