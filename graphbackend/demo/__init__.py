"""The demo: a real multi-step redun workflow recorded into Neo4j (``graphbackend demo``)."""
