// After a bulk import (graphbackend.sync.bulk): give up to $limit Values kept in a value
// store their empty `value` (the online import sets it to empty bytes; the loader's CSV
// cannot express an empty byte[] and leaves the property out).
// Params: $empty (empty bytes), $limit. Returns how many Values it updated (0 when done).
MATCH (v:Value)
WHERE v.in_value_store AND v.value IS NULL
WITH v LIMIT $limit
SET v.value = $empty
RETURN count(v) AS updated
