"""The catalog: every Phase 3/4 table, read from its folder under ``sql/``.

A group folder (``sql/analytics``, ``sql/precompute``) holds a ``group.toml`` (phase,
dataset, failure table, and its tables in order) and one folder per table::

    sql/precompute/player_daily_cache/
        table.toml               upstreams and lookbacks, partition column, check parameters,
                                 the columns and their types
        query.sql                the table's rows for [@start_date, @end_date]
        failures.sql             its failure rows (nba_processing.*_failures)
        gate.sql                 its completeness gate, unless a shared template fits
        contamination_rows.sql   the rows its contamination check judges, if not its own

Adding a table is one folder and one line in ``group.toml``. Nothing here imports Dagster
or reads SQL: assets, checks and operations import this module, never each other's specs.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Iterable, Mapping

from nba_backfill.catalog.model import (
    ContaminationParams,
    FailureRateParams,
    GateParams,
    Group,
    TableSpec,
    Upstream,
)
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse.sql import sql_root

__all__ = ["Group", "TableSpec", "Upstream", "PHASE_GROUPS", "tables", "tables_in", "load", "dependency_order"]

PHASE_GROUPS = ("analytics", "precompute")  # Phase 3, then Phase 4: the build order
GROUP_FILE = "group.toml"
TABLE_FILE = "table.toml"
# `lookback = "season"`: a season-to-date read. The longest season in the calendar covers
# any date's season so far; the SQL keeps only the date's own season.
SEASON = "season"


def tables() -> dict[str, TableSpec]:
    """Every table, by name: Phase 3 then Phase 4, each after the tables it reads."""
    return load(sql_root())


def tables_in(group: str) -> dict[str, TableSpec]:
    """The tables of one group folder (``analytics`` or ``precompute``), in build order."""
    return {name: spec for name, spec in tables().items() if spec.group.name == group}


@cache
def load(root: Path) -> dict[str, TableSpec]:
    specs = [
        _table(root, group, name)
        for group in (_group(root, name) for name in PHASE_GROUPS)
        for name in group.tables
    ]
    by_name = {spec.name: spec for spec in specs}
    return {name: by_name[name] for name in dependency_order(by_name)}


def dependency_order(specs: Mapping[str, TableSpec]) -> list[str]:
    """Spec names, every table after the tables it reads; otherwise in the order given."""
    done: list[str] = []
    pending = list(specs)
    while pending:
        ready = next(
            (n for n in pending if all(u.asset not in pending for u in specs[n].upstream)),
            pending[0],  # a cycle cannot be built anyway: keep going in the given order
        )
        done.append(ready)
        pending.remove(ready)
    return done


def _group(root: Path, name: str) -> Group:
    raw = _read(root / name / GROUP_FILE)
    return Group(
        name=name,
        phase=raw["phase"],
        dataset=raw["dataset"],
        failures_table=raw["failures_table"],
        tables=tuple(raw["tables"]),
    )


def _table(root: Path, group: Group, name: str) -> TableSpec:
    path = root / group.name / name / TABLE_FILE
    raw = _read(path)
    if not raw.get("columns"):
        raise ValueError(f"{path} declares no [columns]: every table names its columns and their types")
    checks = raw.get("checks", {})
    return TableSpec(
        name=name,
        group=group,
        folder=f"{group.name}/{name}",
        dataset=raw.get("dataset", group.dataset),
        date_column=raw["partition_column"],
        description=raw["description"].strip(),
        columns=tuple(raw["columns"].items()),
        upstream=tuple(_upstream(u) for u in raw.get("upstream", ())),
        cluster_by=tuple(raw.get("cluster_by", ())),
        breakdown_column=raw.get("breakdown_column"),
        gate=_params(GateParams, checks.get("gate")),
        contamination=_contamination(checks.get("contamination")),
        failure_rate=_params(FailureRateParams, checks.get("failure_rate")),
    )


def _upstream(raw: Mapping[str, object]) -> Upstream:
    lookback = raw.get("lookback", 0)
    if lookback == SEASON:
        lookback = max(len(season.days()) for season in load_calendar().seasons)
    return Upstream(str(raw["asset"]), int(lookback), bool(raw.get("same_date", True)))


def _params(kind: type, raw: Mapping[str, object] | None):
    if raw is None:
        return None
    return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


def _contamination(raw: Mapping[str, object] | None) -> ContaminationParams | None:
    if raw is None:
        return None
    valid: Iterable[tuple[str, str]] = dict(raw["valid"]).items()
    return _params(ContaminationParams, {**raw, "valid": tuple(valid)})


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"the catalog lists {path.parent.name}, but {path} does not exist") from None
