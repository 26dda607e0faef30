// After a bulk import (graphbackend.sync.bulk): set the text properties with line breaks
// (a Task's source, ...) that the loader's CSV files left out (a file with line breaks in
// its fields is parsed by one thread only). One unique-index seek per row, after the schema.
// Params: $rows [{label (Value, CallNode, Job, Execution, Tag), key, props {name: text}}].
// Returns how many rows it set.
UNWIND $rows AS row
CALL (row) {
  WITH row WHERE row.label = 'Value'
  MATCH (n:Value {value_hash: row.key}) SET n += row.props
}
CALL (row) {
  WITH row WHERE row.label = 'CallNode'
  MATCH (n:CallNode {call_hash: row.key}) SET n += row.props
}
CALL (row) {
  WITH row WHERE row.label = 'Job'
  MATCH (n:Job {id: row.key}) SET n += row.props
}
CALL (row) {
  WITH row WHERE row.label = 'Execution'
  MATCH (n:Execution {id: row.key}) SET n += row.props
}
CALL (row) {
  WITH row WHERE row.label = 'Tag'
  MATCH (n:Tag {tag_hash: row.key}) SET n += row.props
}
RETURN count(row) AS updated
