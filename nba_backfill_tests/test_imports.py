"""The package's import graph has no cycle, and no module hides an import of the package
inside a function to dodge one. Three modules import lazily on purpose, each for a reason
its own docstring or comment gives: the CLI (a subcommand loads only what it runs, so
`--help` needs no Dagster), the warehouse factory and the cost estimate (the BigQuery
client libraries load only when BigQuery is chosen). The catalog imports no Dagster."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "nba_backfill"
LAZY_ON_PURPOSE = {"nba_backfill.cli", "nba_backfill.warehouse", "nba_backfill.warehouse.cost"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(node: ast.stmt) -> list[str]:
    """The package modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in MODULES]
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nba_backfill"):
        names = [f"{node.module}.{a.name}" for a in node.names]
        return [n for n in names if n in MODULES] or [node.module]
    return []


def top_level_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports are never run
            continue
        found += imported(node)
    return found


def test_the_import_graph_has_no_cycle():
    graph = {name: set(top_level_imports(ast.parse(path.read_text()))) - {name} for name, path in MODULES.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_no_module_imports_the_package_inside_a_function():
    hidden = []
    for name, path in MODULES.items():
        if name in LAZY_ON_PURPOSE:
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                hidden += [f"{name}.{function.name}: {m}" for n in ast.walk(function)
                           if isinstance(n, (ast.Import, ast.ImportFrom)) for m in imported(n)]
    assert not hidden


def test_the_catalog_loads_without_dagster():
    code = "import sys, nba_backfill.catalog as c; c.tables(); print('dagster' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
