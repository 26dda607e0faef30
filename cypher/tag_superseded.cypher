// Which of the given tags have already been superseded by a newer tag (have an incoming
// SUPERSEDES edge). Params: $tag_hashes (list of strings).
UNWIND $tag_hashes AS tag_hash
MATCH (:Tag)-[:SUPERSEDES]->(t:Tag {tag_hash: tag_hash})
RETURN DISTINCT t.tag_hash AS tag_hash
