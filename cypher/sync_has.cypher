// Which of the given record ids exist (redun's has_records): Execution.id, Job.id,
// CallNode.call_hash, Value.value_hash (Tasks and Files included) or Tag.tag_hash.
// Params: $ids (list of strings). Returns one row per existing id.
UNWIND $ids AS id
WITH id
WHERE EXISTS { MATCH (:Execution {id: id}) }
   OR EXISTS { MATCH (:Job {id: id}) }
   OR EXISTS { MATCH (:CallNode {call_hash: id}) }
   OR EXISTS { MATCH (:Value {value_hash: id}) }
   OR EXISTS { MATCH (:Tag {tag_hash: id}) }
RETURN DISTINCT id
