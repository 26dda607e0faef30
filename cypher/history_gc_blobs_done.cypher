// history_gc_blobs_done: the run's pending value-store blobs in $hashes are deleted.
// Parameters: $run_id, $hashes
MATCH (g:GcRun {id: $run_id})
SET g.pending_blobs = [h IN coalesce(g.pending_blobs, []) WHERE NOT h IN $hashes]
RETURN size(g.pending_blobs) AS pending
