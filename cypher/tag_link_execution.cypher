// Link tags to the Execution they tag: (tag)-[:TAGGED]->(:Execution {id: $entity_id}),
// when that node exists.
// Params: $entity_id, $tag_hashes (list of strings).
MATCH (e:Execution {id: $entity_id})
UNWIND $tag_hashes AS tag_hash
MATCH (t:Tag {tag_hash: tag_hash})
MERGE (t)-[:TAGGED]->(e)
