// Link tags to the CallNode they tag: (tag)-[:TAGGED]->(:CallNode {call_hash: $entity_id}),
// when that node exists.
// Params: $entity_id, $tag_hashes (list of strings).
MATCH (e:CallNode {call_hash: $entity_id})
UNWIND $tag_hashes AS tag_hash
MATCH (t:Tag {tag_hash: tag_hash})
MERGE (t)-[:TAGGED]->(e)
