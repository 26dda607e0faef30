// history_gc_run_set: update a gc run's status and figures.
// Parameters: $id, $status, $stats (map of numbers), $time
MATCH (g:GcRun {id: $id})
SET g.status = $status, g += $stats,
    g.finished_time = CASE WHEN $status = 'done' THEN $time ELSE g.finished_time END
RETURN g.id AS id
