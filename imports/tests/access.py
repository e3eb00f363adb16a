"""Access matrix for the imports: hub staff only."""

CASES = []
