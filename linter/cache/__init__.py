"""On-disk caches of validated data (never code): rule sets and pipeline tables."""
