"""Environment profiles: schema with exact locations, loading, and what each instance schedules."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.errors import CatalogError, UsageError, format_problem
from generator.load.catalog import validate_paths
from generator.load.profiles import Environment, load_environment, load_environments
from generator.schedules import Schedule
from tests.conftest import CATALOG, ROOT, bundled_catalog

SCHEMAS = ROOT / "generator" / "schemas"

GOOD = """
    environment:
      instance: test_mkt
      role: marketing
      timezone: Europe/Stockholm
      products: [classic-v7]
      modules: [deliveries, message-center-control]
      nightly: "01:30"
      user: neolane
      command: [/usr/local/neolane/nl6/bin/nlserver, javascript, "-instance:{instance}", "-arg:{id}"]
      targets: [crontab, systemd]
      placeholders:
        external_account_name: [exec1, exec2]
      overrides:
        tracking:
          schedule: {kind: every, minutes: 10}
        cleanup:
          disabled: true
          reason: cleaned by the DBA's own job
        mcSynch_exec2:
          disabled: true
    """


@pytest.fixture(scope="module")
def catalog() -> Any:
    return bundled_catalog()


def test_shipped_profiles_load() -> None:
    """Both shipped profiles load with realistic settings."""
    environments = {e.name: e for e in load_environments(CATALOG / "environments")}
    assert set(environments) == {"prod-marketing", "staging"}
    prod, staging = environments["prod-marketing"], environments["staging"]
    assert (prod.timezone, prod.role, prod.nightly) == ("Europe/Stockholm", "marketing", "01:30")
    assert set(prod.targets) == {"crontab", "cron.d", "systemd", "kubernetes"}
    assert staging.timezone == "UTC" and staging.products == ("v8",)
    assert len(staging.modules) < len(prod.modules)
    assert prod.argv("billing")[-1] == "-arg:billing" and "-instance:prod_mkt" in prod.argv(
        "billing"
    )
    assert prod.kubernetes is not None and prod.kubernetes.starting_deadline_seconds == 300


def test_the_shipped_catalogue_validates_with_its_profiles() -> None:
    """`wfgen validate catalog/` checks the profiles too and finds no error."""
    problems = validate_paths([CATALOG])
    assert not [p for p in problems if p.location.file.startswith(str(CATALOG / "environments"))]


def test_scheduled(file_tree: Callable[[Any], Path], catalog: Any) -> None:
    """Installed modules and products only; templates expanded; overrides and disabled applied."""
    root = file_tree({"environments": {"test.yaml": GOOD}})
    environment = load_environment(root / "environments" / "test.yaml")
    scheduled = environment.scheduled(catalog)
    ids = [s.id for s in scheduled]
    assert ids == sorted(ids)
    assert "mcSynch_exec1" in ids and "mcSynch_exec2" not in ids  # one disabled by its expanded id
    assert "cleanup" not in ids  # disabled
    assert {s.workflow.module for s in scheduled} <= {"deliveries", "message-center-control"}
    assert "billingActiveContactCount" not in ids  # obsolete
    assert all(s.schedule.is_timed for s in scheduled)
    tracking = next(s for s in scheduled if s.id == "tracking")
    assert tracking.schedule == Schedule("every", minutes=10) and tracking.override is not None
    no_values = Environment(**{**environment.__dict__, "placeholders": (), "_override_index": {}})
    assert not [s for s in no_values.scheduled(catalog) if s.id.startswith("mcSynch")]


def test_per_product_schedule(file_tree: Callable[[Any], Path], catalog: Any) -> None:
    """A Campaign Standard instance gets the Standard schedule of billing (daily at 01:00)."""
    text = GOOD.replace("[classic-v7]", "[standard]")
    root = file_tree({"environments": {"std.yaml": text}})
    environment = load_environment(root / "environments" / "std.yaml")
    billing = next(s for s in environment.scheduled(catalog) if s.id == "billing")
    assert billing.schedule == Schedule("daily", at="01:00")


def test_unknown_name_is_a_usage_error() -> None:
    """Asking for a profile that does not exist names the ones that do."""
    with pytest.raises(UsageError, match=r"unknown environment 'nope'.*prod-marketing, staging"):
        load_environments(CATALOG / "environments", ["nope"])


BROKEN = """
    environment:
      instance: Test Instance
      role: marketing
      timezone: Europe/Stokholm
      products: [classic-v7]
      modules: [deliveries, mailing]
      nightly: "25:00"
      command: [nlserver, "-arg:{workflow}"]
      targets: [crontab, cron.d]
      overrides:
        tracking:
          schedule: {kind: every, hours: 2, between: {start: "10:00", end: "08:00"}}
    """


def test_every_problem_with_file_line_col(file_tree: Callable[[Any], Path]) -> None:
    """Schema and semantic problems are all reported, each at its line and column."""
    root = file_tree({"environments": {"broken.yaml": BROKEN}})
    path = root / "environments" / "broken.yaml"
    with pytest.raises(CatalogError) as caught:
        load_environment(path)
    lines = [format_problem(p).replace(str(root), "ROOT") for p in caught.value.problems]
    assert any(
        line.startswith("ROOT/environments/broken.yaml:2:13:") and "does not match" in line
        for line in lines
    )
    assert any(":6:25:" in line and "'mailing' is not one of" in line for line in lines)
    assert any(":7:12:" in line and "25:00" in line for line in lines)
    assert any(":2:3:" in line and "missing required field 'user'" in line for line in lines)
    assert len(lines) == 4, lines
    # validate reports the same file through the catalogue's kind registry
    assert {format_problem(p) for p in validate_paths([path])} == {
        format_problem(p) for p in caught.value.problems
    }


def test_semantic_problems(file_tree: Callable[[Any], Path]) -> None:
    """A zone zoneinfo does not know, a command without {id} and a backwards window."""
    text = (
        BROKEN.replace("Test Instance", "test")
        .replace("mailing", "campaign")
        .replace('"25:00"', '"01:00"')
    )
    text = text.replace("[crontab, cron.d]", "[crontab]")
    root = file_tree({"environments": {"semantic.yaml": text}})
    problems = validate_paths([root / "environments" / "semantic.yaml"])
    by_code = {p.code: p for p in problems}
    assert by_code["environment-timezone"].location.line == 4
    assert by_code["environment-command"].location.line == 8
    assert (
        "{workflow}" in by_code["environment-command"].message
        or "no {id}" in by_code["environment-command"].message
    )
    assert by_code["schedule-window"].location.line == 12


def test_schema_shares_the_catalogue_definitions() -> None:
    """Schedules, modules and products in profiles are exactly the catalogue's definitions."""
    catalog = json.loads((SCHEMAS / "catalog.schema.json").read_text("utf-8"))["$defs"]
    environment = json.loads((SCHEMAS / "environment.schema.json").read_text("utf-8"))["$defs"]
    shared = [name for name in environment if name in catalog]
    assert {"schedule", "moduleKey", "product", "time", "workflowId"} <= set(shared)
    for name in shared:
        assert environment[name] == catalog[name], f"$defs.{name} differs from the catalogue schema"


def test_every_property_has_title_and_description() -> None:
    """Editors can offer hover help on every profile key."""
    schema = json.loads((SCHEMAS / "environment.schema.json").read_text("utf-8"))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                assert "description" in sub, f"{path}.{key} has no description"
            for key, value in node.items():
                if key not in ("allOf", "not"):  # conditions, not documentation
                    walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(schema, "$")
