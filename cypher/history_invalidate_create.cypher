// history_invalidate_create: record one invalidation (its history node).
// Parameters: $id, $time (DateTime), $reason, $user, $target, $target_kind, $target_keys
CREATE (i:Invalidation {id: $id, time: $time, reason: $reason, user: $user,
                        target: $target, target_kind: $target_kind, target_keys: $target_keys})
RETURN i.id AS id
