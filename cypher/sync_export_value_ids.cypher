// Every Value's hash for export, values without subvalues first (redun's
// subvalue rows reference both values). No params.
MATCH (v:Value)
RETURN v.value_hash AS id
ORDER BY COUNT { (v)-[:SUBVALUE]->() }, id
