"""A run: files -> engines -> findings per file (in workers when worth it) -> one Report."""
