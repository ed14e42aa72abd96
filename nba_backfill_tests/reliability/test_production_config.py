"""Item 8 of issue #13: deploy/production/dagster.yaml is a real Dagster instance config.

The file is loaded the way every process of a deployment loads it (``InstanceRef.from_dir``
on a DAGSTER_HOME holding it: Dagster's own instance schema), then each pluggable section
is checked against the config schema of the class it names, imported from the installed
package (dagster-postgres, dagster-k8s, dagster core), with the file's ``env:`` references
set to dummies and resolved. Nothing is stubbed; only the last step, constructing the
objects, is left out: that would connect to Postgres and to a Kubernetes API server.

Negative controls in the same module prove the checks bite: a misspelled key, a wrong
type and a missing environment variable each fail.
"""

from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from dagster._config import process_config
from dagster._core.errors import DagsterInvalidConfigError
from dagster._core.instance.ref import InstanceRef

PRODUCTION = Path(__file__).resolve().parents[2] / "deploy" / "production" / "dagster.yaml"
ENV_REFERENCE = re.compile(r"^\s*env:\s*([A-Z_][A-Z0-9_]*)\s*$", re.MULTILINE)


def referenced_env_vars(text: str) -> list[str]:
    return sorted(set(ENV_REFERENCE.findall(text)))


@pytest.fixture
def wf_production_env(monkeypatch) -> dict[str, str]:
    """Every environment variable the production file references, set to a dummy."""
    names = referenced_env_vars(PRODUCTION.read_text())
    dummies = {name: f"dummy-{name.lower()}" for name in names}
    dummies["DAGSTER_PG_PORT"] = "5432"  # an IntSource: a dummy must still be a number
    for name, value in dummies.items():
        monkeypatch.setenv(name, value)
    return dummies


def home_with(tmp_path: Path, text: str) -> str:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(text)
    return str(home)


def validated(data) -> dict:
    """Import the class a ConfigurableClassData names and validate (and env-resolve) its
    config against that class's own schema: what ``rehydrate`` does before constructing."""
    klass = getattr(importlib.import_module(data.module_name), data.class_name)
    result = process_config(klass.config_type(), yaml.safe_load(data.config_yaml) or {})
    assert result.success, f"{data.module_name}.{data.class_name}: {[e.message for e in result.errors]}"
    return result.value


def test_the_file_references_the_secrets_it_needs_through_the_environment():
    text = PRODUCTION.read_text()
    assert referenced_env_vars(text) == [
        "DAGSTER_K8S_NAMESPACE", "DAGSTER_PG_DB", "DAGSTER_PG_HOST", "DAGSTER_PG_PASSWORD",
        "DAGSTER_PG_PORT", "DAGSTER_PG_USERNAME",
    ]
    # no literal password anywhere: the only password key takes an env reference
    assert re.findall(r"^\s*password:(.*)$", text, re.MULTILINE) == [""]


def test_production_config_loads_against_dagsters_own_schemas(tmp_path, wf_production_env):
    ref = InstanceRef.from_dir(home_with(tmp_path, PRODUCTION.read_text()))

    # Dagster's own state in Postgres (dagster-postgres), env references resolved
    assert (ref.storage_data.module_name, ref.storage_data.class_name) == ("dagster_postgres", "DagsterPostgresStorage")
    storage = validated(ref.storage_data)
    db = storage["postgres_db"]
    assert db["password"] == wf_production_env["DAGSTER_PG_PASSWORD"]
    assert (db["hostname"], db["port"], db["params"]) == ("dummy-dagster_pg_host", 5432, {"sslmode": "require"})
    from dagster_postgres.utils import create_pg_engine, pg_url_from_config

    # The engine the storage builds first (lazy: it imports the driver, connects to
    # nothing). This failed with "No module named 'psycopg'" before the file pinned
    # the driver dagster-postgres installs.
    engine = create_pg_engine(pg_url_from_config(storage))
    assert engine.dialect.driver == "psycopg2"
    assert engine.url.host == "dummy-dagster_pg_host" and engine.url.password == wf_production_env["DAGSTER_PG_PASSWORD"]
    engine.dispose()

    # one Kubernetes Job per run (dagster-k8s), in the namespace the environment gives
    assert (ref.run_launcher_data.module_name, ref.run_launcher_data.class_name) == ("dagster_k8s", "K8sRunLauncher")
    launcher = validated(ref.run_launcher_data)
    assert launcher["job_namespace"] == "dummy-dagster_k8s_namespace"
    assert launcher["service_account_name"] == "nba-backfill-runs"
    assert launcher["env_secrets"] == ["dagster-postgresql"]

    # queued runs, limited per warehouse tag
    assert ref.run_coordinator_data.class_name == "QueuedRunCoordinator"
    validated(ref.run_coordinator_data)
    concurrency = ref.settings["concurrency"]
    limits = {(l["key"], l.get("value")): l["limit"] for l in concurrency["runs"]["tag_concurrency_limits"]}
    assert limits[("nba_backfill/warehouse", "duckdb")] == 1
    assert limits[("nba_backfill/warehouse", "bigquery")] == 6
    assert ref.settings["run_retries"]["max_retries"] == 1


@pytest.mark.parametrize(
    "broken, why",
    [
        (("  class: K8sRunLauncher\n  config:\n", "  class: K8sRunLauncher\n  config:\n    job_namespce: x\n"),
         "a misspelled run-launcher key"),
        (("    max_concurrent_runs: 12", "    max_concurrent_runs: twelve"), "a wrong type in Dagster's own schema"),
        (("      db_name:", "      db_nam:"), "a misspelled Postgres key"),
    ],
)
def test_a_broken_production_file_is_rejected(tmp_path, wf_production_env, broken, why):
    """Negative controls: the checks above would catch a typo in the file."""
    old, new = broken
    text = PRODUCTION.read_text()
    assert old in text, why
    home = home_with(tmp_path, text.replace(old, new, 1))
    with pytest.raises((DagsterInvalidConfigError, AssertionError)):
        ref = InstanceRef.from_dir(home)
        validated(ref.storage_data)
        validated(ref.run_launcher_data)


def test_a_missing_secret_in_the_environment_is_an_error(tmp_path, wf_production_env, monkeypatch):
    monkeypatch.delenv("DAGSTER_PG_PASSWORD")
    ref = InstanceRef.from_dir(home_with(tmp_path, PRODUCTION.read_text()))
    data = ref.storage_data
    klass = getattr(importlib.import_module(data.module_name), data.class_name)
    result = process_config(klass.config_type(), yaml.safe_load(data.config_yaml))
    assert not result.success
    assert "DAGSTER_PG_PASSWORD" in " ".join(e.message for e in result.errors)
