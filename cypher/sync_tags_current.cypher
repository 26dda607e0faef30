// Recompute tag currency as redun does after an import: a tag is current unless
// another tag SUPERSEDES it. Applied to the given tags and the tags they supersede.
// Params: $ids (tag hashes).
UNWIND $ids AS id
MATCH (t:Tag {tag_hash: id})
OPTIONAL MATCH (t)-[:SUPERSEDES]->(p:Tag)
WITH collect(t) + collect(p) AS tags
UNWIND tags AS tag
WITH DISTINCT tag
SET tag.is_current = NOT EXISTS { (:Tag)-[:SUPERSEDES]->(tag) }
RETURN count(tag) AS updated
