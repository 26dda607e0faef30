// Neo4j Browser: the current tags and the entities they tag.
// Params: none.
MATCH (t:Tag)
WHERE coalesce(t.is_current, true)
OPTIONAL MATCH tagged = (t)-[:TAGGED]->()
RETURN t, tagged
LIMIT 300
