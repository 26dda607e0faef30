// Every CallNode's hash for export, oldest first (a call is recorded after its
// child and upstream calls, which redun's rows reference). No params.
MATCH (c:CallNode)
RETURN c.call_hash AS id
ORDER BY c.timestamp, id
