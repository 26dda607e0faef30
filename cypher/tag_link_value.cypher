// Link tags to the Value they tag: (tag)-[:TAGGED]->(:Value {value_hash: $entity_id}),
// when that node exists. Tasks are Values too (a Task's value_hash is its hash), so Task
// tags link here as well.
// Params: $entity_id, $tag_hashes (list of strings).
MATCH (e:Value {value_hash: $entity_id})
UNWIND $tag_hashes AS tag_hash
MATCH (t:Tag {tag_hash: tag_hash})
MERGE (t)-[:TAGGED]->(e)
