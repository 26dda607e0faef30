// Every Tag's hash for export (ordered parents-first in Python). No params.
MATCH (t:Tag)
RETURN t.tag_hash AS id
ORDER BY id
