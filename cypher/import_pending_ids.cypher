// The keys of the records that references wait for (the import intersects them with a
// batch's new records when there are fewer of them than new records).
MATCH (p:Pending)
RETURN p.id AS id
