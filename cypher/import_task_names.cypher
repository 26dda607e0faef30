// The full and short names of the given Tasks (for the Jobs an import creates).
// Params: $hashes (task hashes). Returns one row per Task in the graph.
UNWIND $hashes AS hash
MATCH (t:Task {hash: hash})
RETURN hash, t.fullname AS fullname, t.name AS name
