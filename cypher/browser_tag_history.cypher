// Neo4j Browser: tag history: each newest tag and the chain of older tags it replaced.
// Params: none.
MATCH history = (newest:Tag)-[:SUPERSEDES*1..]->(:Tag)
WHERE NOT (:Tag)-[:SUPERSEDES]->(newest)
OPTIONAL MATCH tagged = (newest)-[:TAGGED]->()
RETURN history, tagged
LIMIT 300
