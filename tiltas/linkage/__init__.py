"""Cross-agency record linkage: one person, many records (engine/ holds the Django-free core)."""
