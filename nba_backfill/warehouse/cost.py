"""What a build would cost on BigQuery, from dry runs (which BigQuery does not charge).

For each table write (or SQL file) and date range, the query is dry-run with the same
parameters a build binds, and BigQuery answers with the bytes it would process. The
on-demand price is per TiB processed (``DEFAULT_PRICE_PER_TIB_USD``, configurable; check
your region and contract). ``nba-backfill plan --estimate`` prints ``CostEstimate.lines()``.

What the number is: the bytes the SELECT of each write reads for the range, lookbacks
included. A build's MERGE also reads the target table's partitions in the range, which
are usually small next to the inputs. BigQuery bills at least 10 MiB per table a query
references, so many tiny queries cost a little more than the sum shown. A backfill split
into several runs reads each run's lookback again: pass one range per run (``ranges``)
to see that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Sequence, Union

from nba_backfill.errors import UserError
from nba_backfill.warehouse import base

DEFAULT_PRICE_PER_TIB_USD = 6.25
PRICE_ENV = "NBA_BACKFILL_BIGQUERY_PRICE_PER_TIB"
TIB = 2**40

Query = Union[base.TableWrite, str]  # a table write, or a SELECT file relative to sql/


@dataclass(frozen=True)
class QueryEstimate:
    name: str  # the table written, or the SQL file
    start: dt.date
    end: dt.date
    bytes_processed: int | None  # None: could not be estimated (see ``problem``)
    problem: str | None = None


@dataclass(frozen=True)
class CostEstimate:
    items: tuple[QueryEstimate, ...]
    price_per_tib_usd: float = DEFAULT_PRICE_PER_TIB_USD

    @property
    def total_bytes(self) -> int:
        return sum(i.bytes_processed or 0 for i in self.items)

    @property
    def cost_usd(self) -> float:
        return cost_usd(self.total_bytes, self.price_per_tib_usd)

    @property
    def complete(self) -> bool:
        return all(i.bytes_processed is not None for i in self.items)

    def lines(self) -> list[str]:
        """One line per query and a total, for the CLI."""
        out = []
        for item in self.items:
            if item.bytes_processed is None:
                out.append(f"{item.name} {item.start}..{item.end}: not estimated ({item.problem})")
            else:
                out.append(
                    f"{item.name} {item.start}..{item.end}: {human_bytes(item.bytes_processed)}"
                    f" ≈ ${cost_usd(item.bytes_processed, self.price_per_tib_usd):.4f}"
                )
        total = (
            f"total: {human_bytes(self.total_bytes)} ≈ ${self.cost_usd:.2f} on demand "
            f"at ${self.price_per_tib_usd:g}/TiB"
        )
        if not self.complete:
            total += " (lower bound: some queries could not be estimated)"
        out.append(total)
        return out


def cost_usd(bytes_processed: int, price_per_tib_usd: float = DEFAULT_PRICE_PER_TIB_USD) -> float:
    return bytes_processed / TIB * price_per_tib_usd


def human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.2f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def price_per_tib_from_env(environ: Mapping[str, str]) -> float:
    raw = environ.get(PRICE_ENV, "").strip()
    if not raw:
        return DEFAULT_PRICE_PER_TIB_USD
    try:
        price = float(raw)
    except ValueError:
        raise UserError(f"{PRICE_ENV}={raw!r} is not a number (USD per TiB)") from None
    if price < 0:
        raise UserError(f"{PRICE_ENV} must not be negative")
    return price


def estimate_cost(
    warehouse,
    queries: Sequence[Query],
    start: dt.date | None = None,
    end: dt.date | None = None,
    params: Mapping[str, object] | None = None,
    price_per_tib_usd: float = DEFAULT_PRICE_PER_TIB_USD,
    ranges: Sequence[tuple[dt.date, dt.date]] | None = None,
) -> CostEstimate:
    """Dry-run every query for every range; ``warehouse`` must be a BigQueryWarehouse.

    ``params`` adds parameters beyond the dates (a write's ``processor_name`` defaults
    to its scope or table name, ``run_id`` to "estimate"). A query that cannot be dry-run
    because a table it reads does not exist yet (its upstream was never built) is listed
    with its problem instead of failing the whole estimate; any other error is raised.
    """
    if not hasattr(warehouse, "dry_run") or getattr(warehouse, "dialect", None) != "bigquery":
        raise UserError(
            "cost estimates need the BigQuery warehouse (NBA_BACKFILL_WAREHOUSE=bigquery): "
            "only BigQuery can say how many bytes a query would read"
        )
    if ranges is None:
        if start is None or end is None:
            raise UserError("give a date range (start and end) or ranges")
        ranges = [(start, end)]
    items = []
    for query in queries:
        for first, last in ranges:
            if last < first:
                raise UserError(f"empty range: {first} is after {last}")
            items.append(_estimate_one(warehouse, query, first, last, params or {}))
    return CostEstimate(tuple(items), price_per_tib_usd)


def _estimate_one(warehouse, query: Query, start: dt.date, end: dt.date, params) -> QueryEstimate:
    if isinstance(query, base.TableWrite):
        name = query.table
        bound = {
            "run_id": "estimate",
            "processor_name": query.scope.get("processor_name", query.table.split(".")[-1]),
            **params,
            **base.scope_parameters(query),
        }
        statement = warehouse.render_expression(base.select_statement(query))
    else:
        name = query
        bound = dict(params)
        statement = warehouse.render_file(query)
    bound.update(start_date=start, end_date=end)
    missing = [p for p in statement.parameters if p not in bound]
    if missing:
        raise UserError(f"{name}: give a value for parameter(s) {', '.join(missing)}")
    from nba_backfill.warehouse.bigquery_engine import MissingInBigQueryError

    try:
        job = warehouse.dry_run(statement, bound, step="estimate", table=name)
    except MissingInBigQueryError as error:
        return QueryEstimate(name, start, end, None, str(error))
    return QueryEstimate(name, start, end, int(job.total_bytes_processed or 0))
