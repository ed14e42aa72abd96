"""Quality gates, cascade-contamination checks and failure-rate bands (SPEC §5.1, §6).

``checks_for(specs)`` gives the Dagster asset checks; ``registry.Evaluator`` runs the same
checks outside Dagster (the operator commands); ``refusal.guard`` is what the asset
factory asks before building a range.
"""

from nba_backfill.checks.dagster_checks import RAW_READINESS_JOB, checks_for, raw_readiness_job

__all__ = ["RAW_READINESS_JOB", "checks_for", "raw_readiness_job"]
