"""The types and helpers every stage shares: findings and rules, errors, limits, located YAML."""
