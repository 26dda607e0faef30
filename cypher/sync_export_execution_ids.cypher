// Every Execution's id for export. No params.
MATCH (e:Execution)
RETURN e.id AS id
ORDER BY id
