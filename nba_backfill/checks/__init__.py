"""Quality gates, cascade-contamination checks and failure-rate bands (SPEC §5.1, §6).

``registry.Evaluator`` runs the checks over a range (the build and the operator commands
alike); ``dagster_checks`` says how Dagster records them; ``refusal.guard`` is what the
table build asks before it builds a range.
"""

from nba_backfill.checks.dagster_checks import RAW_READINESS_JOB, raw_checks, raw_readiness_job

__all__ = ["RAW_READINESS_JOB", "raw_checks", "raw_readiness_job"]
