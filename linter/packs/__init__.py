"""Rule packs: loading, validating, limits and docs of the YAML packs and lexicons."""
