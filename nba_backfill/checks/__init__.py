"""Quality gates, cascade-contamination checks and failure-rate bands (SPEC §5.1, §6).

``registry`` lists every check (Gate 0, and what each table.toml declares) and its
``Evaluator`` runs them over a range (the build and the operator commands alike);
``dagster_checks`` says how Dagster records them; ``refusal.guard`` is what the table
build asks before it builds a range.
"""
