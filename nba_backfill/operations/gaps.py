"""Coverage of every asset against the schedule, per date and per season, and the
heatmap (dates x assets) as a PNG and a self-contained HTML page.

Colours: built (passing its gates), missing (no rows on a game day), failed gate (rows,
but incomplete, contaminated, or a failed raw-readiness gate), bootstrap (Phase 4's first
14 days: no rows by rule), no games. Off-season days are not partitions and not drawn.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

from nba_backfill.checks.core import day_ranges
from nba_backfill.operations.status import (
    BOOTSTRAP,
    BUILT,
    FAILED,
    MISSING,
    NO_GAMES,
    STATES,
    Coverage,
)

COLOURS = {
    BUILT: "#2e7d32",
    MISSING: "#c62828",
    FAILED: "#ef6c00",
    BOOTSTRAP: "#90caf9",
    NO_GAMES: "#e0e0e0",
}
LABELS = {
    BUILT: "built",
    MISSING: "missing",
    FAILED: "failed gate",
    BOOTSTRAP: "bootstrap",
    NO_GAMES: "no games",
}
# The PNG's size is fixed by these (no tight bounding box): WIDTH_INCHES x DPI pixels wide,
# (BASE_HEIGHT_INCHES + ROW_HEIGHT_INCHES per asset) x DPI pixels high.
DPI = 100
WIDTH_INCHES = 16.0
BASE_HEIGHT_INCHES = 2.0
ROW_HEIGHT_INCHES = 0.4


def png_size(rows: int) -> tuple[int, int]:
    """(width, height) in pixels of a heatmap with ``rows`` assets."""
    return round(WIDTH_INCHES * DPI), round((BASE_HEIGHT_INCHES + ROW_HEIGHT_INCHES * rows) * DPI)


# -- tables ----------------------------------------------------------------------------


def season_table(cover: Coverage) -> list[dict]:
    """Per asset and season: dates due (game days; Phase 4 outside bootstrap), built,
    missing, failed, bootstrap, no games, and coverage = built / due."""
    rows = []
    for season, days in cover.seasons():
        for asset in cover.assets:
            counts = cover.counts(asset, days)
            due = counts[BUILT] + counts[MISSING] + counts[FAILED]
            rows.append({
                "season": season,
                "asset": cover.label(asset),
                "phase": cover.phase(asset),
                "due": due,
                **counts,
                "coverage": round(counts[BUILT] / due, 4) if due else 1.0,
            })
    return rows


def problem_ranges(cover: Coverage) -> dict[str, dict[str, list[str]]]:
    """asset -> state (missing/failed) -> compact date ranges."""
    found: dict[str, dict[str, list[str]]] = {}
    for asset in cover.assets:
        bridge = cover.days_in(asset, NO_GAMES, BOOTSTRAP)
        for state in (MISSING, FAILED):
            days = cover.days_in(asset, state)
            if days:
                ranges = day_ranges(days, cover.days, bridge)
                found.setdefault(cover.label(asset), {})[state] = [
                    a.isoformat() if a == b else f"{a}..{b}" for a, b in ranges
                ]
    return found


def state_ranges(cover: Coverage) -> dict[str, dict[str, list[str]]]:
    """Every date's state, compactly: asset -> state -> ["A..B", "C", ...]."""
    found: dict[str, dict[str, list[str]]] = {}
    for asset in cover.assets:
        for state in STATES:
            days = cover.days_in(asset, state)
            if days:
                found.setdefault(cover.label(asset), {})[state] = [
                    a.isoformat() if a == b else f"{a}..{b}" for a, b in day_ranges(days, cover.days)
                ]
    return found


def describe(cover: Coverage) -> list[str]:
    lines = [f"coverage {cover.start} .. {cover.end} ({len(cover.days)} in-season days):"]
    header = f"  {'season':<8} {'asset':<30} {'due':>5} {'built':>6} {'missing':>8} {'failed':>7} {'boot':>5} {'no gm':>6} {'cover':>7}"
    lines.append(header)
    for row in season_table(cover):
        lines.append(
            f"  {row['season']:<8} {row['asset']:<30} {row['due']:>5} {row[BUILT]:>6} {row[MISSING]:>8} "
            f"{row[FAILED]:>7} {row[BOOTSTRAP]:>5} {row[NO_GAMES]:>6} {row['coverage']:>7.1%}"
        )
    problems = problem_ranges(cover)
    if problems:
        lines.append("  gaps:")
        for asset, states in problems.items():
            for state, ranges in states.items():
                shown = ", ".join(ranges[:8]) + (f" (+{len(ranges) - 8} more)" if len(ranges) > 8 else "")
                lines.append(f"    {asset:<30} {LABELS[state]:<12} {shown}")
    else:
        lines.append("  no gaps: every due date of every asset is built and passes its gates.")
    return lines


# -- heatmap -----------------------------------------------------------------------------


def render_png(cover: Coverage, path: Path | str) -> Path:
    """The dates x assets heatmap, with a legend, as a PNG of ``png_size`` pixels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    index = {state: i for i, state in enumerate(STATES)}
    grid = [[index[cover.cells[a][d].state] for d in cover.days] for a in cover.assets]
    width, height = png_size(len(cover.assets))
    figure = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    # fixed margins (in figure fractions) so the image size never depends on the labels
    axes = figure.add_axes((0.17, 1.2 / (height / DPI), 0.81, 1 - 1.75 / (height / DPI)))
    colours = ListedColormap([COLOURS[s] for s in STATES])
    if cover.days:
        axes.imshow(grid, aspect="auto", cmap=colours, vmin=-0.5, vmax=len(STATES) - 0.5,
                    interpolation="nearest")
    axes.set_yticks(range(len(cover.assets)))
    axes.set_yticklabels([cover.label(a) for a in cover.assets], fontsize=8)
    ticks = _month_ticks(cover.days)
    axes.set_xticks([i for i, _ in ticks])
    axes.set_xticklabels([label for _, label in ticks], fontsize=7, rotation=0)
    for boundary in _season_boundaries(cover):
        axes.axvline(boundary - 0.5, color="black", linewidth=1.2)
    axes.set_title(f"Coverage {cover.start} .. {cover.end}: assets x in-season dates", fontsize=10)
    figure.legend(
        handles=[Patch(facecolor=COLOURS[s], edgecolor="#555555", label=LABELS[s]) for s in STATES],
        loc="lower center", ncol=len(STATES), fontsize=8, frameon=False,
    )
    figure.savefig(path, dpi=DPI, format="png")
    plt.close(figure)
    return path


def _month_ticks(days: list[dt.date]) -> list[tuple[int, str]]:
    ticks, seen = [], set()
    for i, day in enumerate(days):
        if (day.year, day.month) not in seen:
            seen.add((day.year, day.month))
            ticks.append((i, day.strftime("%b %y") if day.month in (1, 10, 12) or i == 0 else day.strftime("%b")))
    return ticks


def _season_boundaries(cover: Coverage) -> list[int]:
    boundaries, offset = [], 0
    for _, days in cover.seasons()[:-1]:
        offset += len(days)
        boundaries.append(offset)
    return boundaries


def render_html(cover: Coverage, path: Path | str, png: Path | str | None = None) -> Path:
    """One self-contained page: legend, per-season coverage table, the heatmap as a grid
    of cells (hover one for its date, state and reason), and the PNG inline if given."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>nba_backfill coverage {cover.start} .. {cover.end}</title>",
        "<style>",
        "body{font-family:system-ui,sans-serif;margin:20px;color:#222}",
        "table.cov{border-collapse:collapse;font-size:12px;margin-bottom:18px}",
        "table.cov td,table.cov th{border:1px solid #ccc;padding:2px 6px;text-align:right}",
        "table.cov td.a,table.cov th.a{text-align:left}",
        ".grid{display:grid;gap:0;margin-bottom:6px}",
        ".row{display:flex;align-items:center;height:14px}",
        ".name{width:230px;font-size:11px;flex:none;overflow:hidden;white-space:nowrap}",
        ".c{width:4px;height:12px;flex:none;margin-right:1px}",
        ".legend span.sw{display:inline-block;width:14px;height:14px;margin:0 4px 0 12px;"
        "vertical-align:middle;border:1px solid #555}",
        *[f".s-{s}{{background:{c}}}" for s, c in COLOURS.items()],
        "</style></head><body>",
        f"<h1>Coverage {cover.start} .. {cover.end}</h1>",
        "<div class='legend' id='legend'>"
        + "".join(f"<span class='sw s-{s}'></span><span class='label'>{LABELS[s]}</span>" for s in STATES)
        + "</div>",
        "<h2>Per season</h2>",
        "<table class='cov'><tr><th class='a'>season</th><th class='a'>asset</th><th>due</th>"
        "<th>built</th><th>missing</th><th>failed gate</th><th>bootstrap</th><th>no games</th>"
        "<th>coverage</th></tr>",
    ]
    for row in season_table(cover):
        parts.append(
            f"<tr><td class='a'>{esc(row['season'])}</td><td class='a'>{esc(row['asset'])}</td>"
            f"<td>{row['due']}</td><td>{row[BUILT]}</td><td>{row[MISSING]}</td><td>{row[FAILED]}</td>"
            f"<td>{row[BOOTSTRAP]}</td><td>{row[NO_GAMES]}</td><td>{row['coverage']:.1%}</td></tr>"
        )
    parts.append("</table>")
    for season, days in cover.seasons():
        parts.append(f"<h2>{esc(season)}: {days[0]} .. {days[-1]}</h2><div class='grid'>")
        for asset in cover.assets:
            cells = []
            for day in days:
                cell = cover.cells[asset][day]
                why = "; ".join(cell.reasons + cell.warnings)
                title = f"{cover.label(asset)} {day}: {LABELS[cell.state]}" + (f" — {why}" if why else "")
                cells.append(f"<span class='c s-{cell.state}' title='{esc(title, quote=True)}'></span>")
            parts.append(f"<div class='row'><span class='name'>{esc(cover.label(asset))}</span>{''.join(cells)}</div>")
        parts.append("</div>")
    if png is not None and Path(png).exists():
        encoded = base64.b64encode(Path(png).read_bytes()).decode("ascii")
        parts.append(f"<h2>Heatmap</h2><img alt='coverage heatmap' src='data:image/png;base64,{encoded}'>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
