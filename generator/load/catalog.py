"""Load the catalogue: YAML files -> schema and semantic checks -> frozen model objects.

The model itself lives in ``model.py``; its names are re-exported here, where callers
have always found them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CatalogError, InputError, Location, Problem, Severity
from ..model import (
    NOWHERE,
    PRODUCT_NAMES,
    PRODUCTS,
    Catalog,
    Listing,
    Module,
    ModulePage,
    ProductVariant,
    Source,
    Workflow,
)
from ..safebytes import files_below
from ..schedules import Schedule
from ..schedules.rules import schedule_findings
from .document import Documents, kind_of, read_yaml
from .kinds import KINDS
from .problems import located_problem, schema_problems
from .yamlio import LoadedYaml, Locator

__all__ = [
    "NOWHERE",
    "PRODUCTS",
    "PRODUCT_NAMES",
    "Catalog",
    "Module",
    "ModulePage",
    "ProductVariant",
    "Source",
    "Workflow",
    "discover",
    "load_catalog",
    "validate_paths",
]


def discover(paths: Sequence[Path]) -> list[Path]:
    """Expand directories to their YAML files, sorted; files are kept as given.

    Raises:
        InputError: when a path does not exist, a folder cannot be listed, or a folder
            holds no YAML file.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(_yaml_files(path))
            if not found:
                # An empty or mistyped --catalog would otherwise build nothing and delete out/.
                raise InputError(
                    f"{path}: no catalogue file (*.yaml) in this folder",
                    hint="name the folder that holds modules.yaml and workflows/",
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


def _yaml_files(folder: Path) -> Iterator[Path]:
    """Every ``*.yaml`` / ``*.yml`` file under ``folder`` (symlinked folders not entered);
    a subfolder that cannot be listed is an error (:func:`safebytes.files_below`)."""
    return (path for path in files_below(folder) if path.suffix in (".yaml", ".yml"))


@dataclass
class _Collected:
    modules: dict[str, tuple[dict[str, Any], LoadedYaml]] = field(default_factory=dict)
    workflows: list[tuple[dict[str, Any], str, LoadedYaml, int]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # A catalogue file that did not parse or failed its schema: what it defines is unknown,
    # so "unknown workflow/module" would be a guess and is not reported.
    incomplete: bool = False


@functools.lru_cache(maxsize=4)
def _split_lines(text: str) -> tuple[str, ...]:
    # Every entry of a file asks for the same file's lines: split it once, not once per entry.
    return tuple(text.splitlines())


def _workflow_lines(text: str, start: int) -> tuple[tuple[str, int], ...]:
    """Lines of an entry's top-level fields, read from the text (cheap, no round-trip parse)."""
    lines = _split_lines(text)
    first = lines[start - 1]
    indent = len(first) - len(first.lstrip(" -"))
    out: list[tuple[str, int]] = []
    for number in range(start - 1, len(lines)):
        raw = lines[number]
        body = raw.lstrip(" -") if number == start - 1 else raw.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        this = indent if number == start - 1 else len(raw) - len(body)
        if this < indent or (number > start - 1 and body.startswith("-") and this <= indent):
            break
        if this == indent and ":" in body:
            out.append((body.split(":", 1)[0].strip(), number + 1))
    return tuple(out)


def _entry_lines(text: str) -> list[int]:
    """1-based lines where each item of the top-level ``workflows:`` list starts."""
    starts: list[int] = []
    inside = False
    item_indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw.startswith((" ", "-")):
            inside = raw.startswith("workflows:")
            continue
        if inside and raw.lstrip().startswith("- "):
            indent = len(raw) - len(raw.lstrip())
            if item_indent is None:
                item_indent = indent
            if indent == item_indent:
                starts.append(number)
    return starts


def _collect(
    files: Sequence[Path], documents: Documents | None
) -> tuple[_Collected, list[Problem]]:
    collected = _Collected()
    problems: list[Problem] = []
    for path in files:
        loaded = read_yaml(path, documents)
        collected.files.append(str(path))
        problems.extend(loaded.problems)
        if loaded.data is None:
            collected.incomplete = True
            continue
        locator = Locator(loaded.text)
        kind = KINDS[kind_of(loaded.data, path)]
        found = schema_problems(loaded, locator, kind.schema)
        problems.extend(found)
        if kind.name != "catalog":
            if not found and kind.check is not None:
                problems.extend(kind.check(loaded, locator))
            continue
        if found:
            collected.incomplete = True
            continue
        data = loaded.data
        for key, module in (data.get("modules") or {}).items():
            if key in collected.modules:
                problems.append(
                    located_problem(
                        loaded,
                        locator,
                        ("modules", key),
                        f"module {key!r} is defined twice",
                        key=True,
                        code="duplicate-module",
                        hint=f"first defined in {collected.modules[key][1].path}",
                    )
                )
                continue
            collected.modules[key] = (module, loaded)
        starts = _entry_lines(loaded.text)
        for index, entry in enumerate(data.get("workflows") or []):
            line = starts[index] if index < len(starts) else 0
            collected.workflows.append((entry, data["module"], loaded, line))
    return collected, problems


def _semantic(collected: _Collected) -> list[Problem]:
    problems: list[Problem] = []
    locators: dict[Path, Locator] = {}

    def at(loaded: LoadedYaml, parts: tuple[str | int, ...], message: str, **kw: Any) -> Problem:
        locator = locators.setdefault(loaded.path, Locator(loaded.text))
        return located_problem(loaded, locator, parts, message, **kw)

    seen: dict[str, tuple[LoadedYaml, int]] = {}
    folded: dict[str, str] = {}
    per_file_index: dict[Path, int] = {}
    ids = {entry["id"] for entry, _, _, _ in collected.workflows}
    for entry, module, loaded, _line in collected.workflows:
        index = per_file_index.get(loaded.path, 0)
        per_file_index[loaded.path] = index + 1
        here = ("workflows", index)
        wid = entry["id"]
        if wid in seen:
            other = seen[wid][0].path
            problems.append(
                at(
                    loaded,
                    (*here, "id"),
                    f"duplicate workflow id {wid!r}",
                    code="duplicate-id",
                    hint=f"also defined in {other}",
                    subject=wid,
                )
            )
        elif wid.casefold() in folded:
            problems.append(
                at(
                    loaded,
                    (*here, "id"),
                    f"workflow id {wid!r} differs only in case from {folded[wid.casefold()]!r}",
                    code="duplicate-id-case",
                    subject=wid,
                    hint="ids that differ only in case collide in file names and Kubernetes names",
                )
            )
        seen.setdefault(wid, (loaded, index))
        folded.setdefault(wid.casefold(), wid)
        if collected.modules and module not in collected.modules and not collected.incomplete:
            problems.append(
                at(
                    loaded,
                    ("module",),
                    f"unknown module {module!r}",
                    code="unknown-module",
                    hint="define it under `modules:` in catalog/modules.yaml",
                )
            )
        replaced = entry.get("replaced_by")
        if replaced is not None and replaced not in ids and not collected.incomplete:
            problems.append(
                at(
                    loaded,
                    (*here, "replaced_by"),
                    f"replaced_by names unknown workflow {replaced!r}",
                    code="unknown-workflow",
                    subject=wid,
                )
            )
        # A workflow dropped without a successor is documented by where it was last listed.
        if entry["status"] == "obsolete" and replaced is None and not entry.get("last_listed"):
            problems.append(
                at(
                    loaded,
                    (*here, "status"),
                    "obsolete workflow without replaced_by",
                    severity=Severity.WARNING,
                    code="obsolete-no-replacement",
                    subject=wid,
                    hint="name the workflow that took over, or the last page version that lists it (last_listed)",
                )
            )
        for product in entry.get("per_product") or {}:
            if product not in entry["products"]:
                problems.append(
                    at(
                        loaded,
                        (*here, "per_product", product),
                        f"per_product names {product!r}, which is not in products",
                        key=True,
                        code="unknown-product",
                        subject=wid,
                    )
                )
        schedules: list[tuple[tuple[str | int, ...], Any]] = [
            ((*here, "schedule"), entry["schedule"])
        ]
        for product, variant in (entry.get("per_product") or {}).items():
            if "schedule" in variant:
                schedules.append(((*here, "per_product", product, "schedule"), variant["schedule"]))
        for parts, sched in schedules:
            problems.extend(
                at(loaded, parts + sub, message, severity=severity, code=code, subject=wid)
                for sub, message, severity, code in schedule_findings(sched)
            )
    for key, (definition, loaded) in collected.modules.items():
        for product, page in (definition.get("pages") or {}).items():
            for index, wid in enumerate(page["order"]):
                if wid not in ids and not collected.incomplete:
                    problems.append(
                        at(
                            loaded,
                            ("modules", key, "pages", product, "order", index),
                            f"order lists unknown workflow {wid!r}",
                            code="unknown-workflow",
                        )
                    )
    return problems


def _build(collected: _Collected) -> Catalog:
    modules = tuple(
        Module(
            key=key,
            name=m["name"],
            package=m["package"],
            summary=m.get("summary", ""),
            pages=tuple(
                ModulePage(product, p["page"], tuple(p["order"]))
                for product, p in (m.get("pages") or {}).items()
            ),
            location=Location.of(loaded.path),
        )
        for key, (m, loaded) in collected.modules.items()
    )
    workflows = []
    for entry, module, loaded, line in collected.workflows:
        variants = tuple(
            ProductVariant(
                product=product,
                id=v.get("id"),
                label=v.get("label"),
                description=v.get("description"),
                package=v.get("package"),
                schedule=Schedule.from_mapping(v["schedule"]) if v.get("schedule") else None,
                has_schedule="schedule" in v,
                schedule_source=Source(**v["schedule_source"])
                if v.get("schedule_source")
                else None,
                note=v.get("note"),
            )
            for product, v in (entry.get("per_product") or {}).items()
        )
        src = entry.get("schedule_source")
        workflows.append(
            Workflow(
                id=entry["id"],
                module=module,
                label=entry["label"],
                description=entry["description"],
                package=entry["package"],
                products=tuple(entry["products"]),
                status=entry["status"],
                schedule=Schedule.from_mapping(entry["schedule"]) if entry["schedule"] else None,
                schedule_source=Source(**src) if src else None,
                schedule_note=entry.get("schedule_note"),
                replaced_by=entry.get("replaced_by"),
                obsolete_note=entry.get("obsolete_note"),
                last_listed=Listing(**entry["last_listed"]) if entry.get("last_listed") else None,
                requires=tuple(entry.get("requires") or ()),
                placeholders=tuple((entry.get("placeholders") or {}).items()),
                variants=variants,
                location=Location.of(loaded.path, line, 5 if line else 0),
                field_lines=_workflow_lines(loaded.text, line) if line else (),
            )
        )
    return Catalog(modules=modules, workflows=tuple(workflows), files=tuple(collected.files))


def validate_paths(paths: Sequence[Path], *, documents: Documents | None = None) -> list[Problem]:
    """Check every YAML file under ``paths``; every problem, sorted by file and line.

    Raises:
        InputError: when a path is missing or unreadable.
    """
    collected, problems = _collect(discover(paths), documents)
    # The files that passed their schema are checked further even when others did not:
    # every problem of every file in one run.
    problems.extend(_semantic(collected))
    return sorted(problems, key=lambda p: (p.location, p.message))


def load_catalog(
    paths: Sequence[Path],
    *,
    allow_warnings: bool = True,
    documents: Documents | None = None,
    partial: bool = False,
) -> tuple[Catalog, list[Problem]]:
    """Load and validate the catalogue; return it with its warnings.

    Args:
        paths: catalogue files or folders (environment profiles and other kinds are skipped).
        allow_warnings: when False, warnings fail like errors.
        documents: files this command has read already (each is parsed once).
        partial: return the catalogue of the entries that passed their checks, with every
            problem, instead of raising (``wfgen validate`` checks the rest against it).

    Returns:
        The catalogue and the non-fatal problems found.

    Raises:
        CatalogError: with every problem, when any is an error.
        InputError: when a path is missing or unreadable.
    """
    collected, problems = _collect(discover(paths), documents)
    problems.extend(_semantic(collected))
    if partial:
        # Entries with an error of their own (a cron that does not parse) are left out: the
        # checks that read the catalogue next must not trip over them.
        broken = {p.subject for p in problems if p.severity is Severity.ERROR and p.subject}
        collected.workflows = [w for w in collected.workflows if w[0]["id"] not in broken]
        return _build(collected), sorted(problems, key=lambda p: (p.location, p.message))
    fatal = [
        p
        for p in problems
        if p.severity is Severity.ERROR or (not allow_warnings and p.severity is Severity.WARNING)
    ]
    if fatal:
        raise CatalogError(problems)
    if not collected.workflows:
        where = ", ".join(str(p) for p in paths)
        raise InputError(
            f"{where}: the catalogue holds no workflow",
            hint="name the folder that holds modules.yaml and workflows/",
        )
    return _build(collected), sorted(problems, key=lambda p: (p.location, p.message))
