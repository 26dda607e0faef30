// How many references wait for records not imported yet (a count-store lookup; the
// import skips sync_pending_take when there are none).
MATCH (p:Pending)
RETURN count(p) AS pending
