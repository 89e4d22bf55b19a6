"""Findings for CI: SARIF 2.1.0 (code scanning) and GitHub Actions workflow commands.

Both take the same :class:`~generator.errors.Problem` values every ``--format json`` prints;
paths are written relative to the current folder when they lie under it, as CI checkouts
expect, and lines and columns stay 1-based. In SARIF such a path is a relative reference
against ``%SRCROOT%`` (the current folder), percent-encoded as RFC 3986 requires, so a
file named ``a#b?c.md`` is that file, not ``a`` with a fragment; each rule has a short and a
full description and a ``helpUri`` to its section of the reference pages under docs/, and a result whose replacement
wfgen knows (``docs check``'s mismatched ids) carries it as a ``fix``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import FIX_KEY, Problem, Severity

__all__ = [
    "DOCS_URL",
    "FIX_KEY",
    "README_URL",
    "SARIF_SCHEMA",
    "RuleHelp",
    "github_annotations",
    "rule_help",
    "sarif_log",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Where the documentation is read: every rule's helpUri is a heading of a page under docs/.
README_URL = "https://github.com/wfgen/wfgen/blob/main/README.md"
DOCS_URL = "https://github.com/wfgen/wfgen/blob/main/docs"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

# Each command's reference page under docs/ and its heading (GitHub's anchors).
_VALIDATE = "commands/validate.md#wfgen-validate"
_BUILD = "commands/build.md#wfgen-build"
_DOCS = "commands/docs-check.md#wfgen-docs-check"
_L10N = "commands/l10n.md#wfgen-l10n-and-wfgen-docs-import-translations"
_SCHEDULE = "commands/schedule.md#wfgen-schedule-schedules-and-environment-profiles"
_DIALECTS = "commands/schedule.md#cron-dialects"
_DRIFT = "commands/drift.md#wfgen-drift-what-is-deployed-against-the-catalogue"
_SENDING = "commands/sending.md#wfgen-sending-simulate-the-sending-model"
_SECTIONS = {
    "validate": _VALIDATE,
    "build": _BUILD,
    "docs check": _DOCS,
    "l10n check": _L10N,
    "schedule lint": _SCHEDULE,
    "drift": _DRIFT,
}


@dataclass(frozen=True)
class RuleHelp:
    """What a SARIF rule says about a finding code: a title, a paragraph, a docs/ section."""

    short: str
    full: str
    section: str = ""


_RULES: dict[str, RuleHelp] = {
    "schema": RuleHelp(
        "File breaks its schema",
        "A catalogue file, environment profile or sending model does not match its JSON "
        "Schema: a field is missing, unknown, of the wrong type or outside the values allowed.",
        _VALIDATE,
    ),
    "duplicate-id": RuleHelp(
        "Workflow id defined twice",
        "Two catalogue entries have the same workflow id; outputs would collide.",
        _VALIDATE,
    ),
    "duplicate-id-case": RuleHelp(
        "Workflow ids differ only in case",
        "Two workflow ids differ only in letter case; they collide in file names and "
        "Kubernetes names.",
        _VALIDATE,
    ),
    "duplicate-module": RuleHelp(
        "Module defined twice", "A module key is defined in two places.", _VALIDATE
    ),
    "unknown-module": RuleHelp(
        "Unknown module",
        "A workflow file names a module that modules.yaml does not define.",
        _VALIDATE,
    ),
    "unknown-workflow": RuleHelp(
        "Unknown workflow",
        "replaced_by or a page's order names a workflow id the catalogue does not define.",
        _VALIDATE,
    ),
    "unknown-product": RuleHelp(
        "per_product names a product the workflow lacks",
        "A per-product difference is given for a product not in the workflow's products.",
        _VALIDATE,
    ),
    "obsolete-no-replacement": RuleHelp(
        "Obsolete workflow without successor",
        "An obsolete workflow names neither the workflow that took over (replaced_by) nor "
        "the last page version that lists it (last_listed).",
        _VALIDATE,
    ),
    "cron-syntax": RuleHelp(
        "Cron expression wfgen cannot read",
        "A raw cron expression is not valid five-field cron, or names a day no chosen month has.",
        _VALIDATE,
    ),
    "cron-dom-dow": RuleHelp(
        "Cron restricts both day fields",
        "Cron runs the job when either the day of month or the day of week matches; a "
        "schedule restricting both rarely means that.",
        _VALIDATE,
    ),
    "monthly-short-months": RuleHelp(
        "Monthly day missing from short months",
        "A monthly schedule on day 29, 30 or 31 does not run in the months without it.",
        _VALIDATE,
    ),
    "schedule-window": RuleHelp(
        "Daily window ends before it starts",
        "A daily window's end is not after its start.",
        _VALIDATE,
    ),
    "cron-dialect": RuleHelp(
        "Target scheduler refuses the cron",
        "A scheduler the profile renders for (Debian cron, Kubernetes' robfig/cron) would "
        "refuse or misread this raw cron expression.",
        _DIALECTS,
    ),
    "cron-dialect-rewritten": RuleHelp(
        "Cron rewritten for a target",
        "The raw cron expression is written in an equivalent form the target reads.",
        _DIALECTS,
    ),
    "build-check-differs": RuleHelp(
        "Generated file is stale",
        "out/ holds a file that is not what the catalogue, locales and templates render; "
        "run wfgen build.",
        _BUILD,
    ),
    "foreign-output": RuleHelp(
        "File in out/ that wfgen did not write",
        "out/ holds a file or folder its manifest does not list; wfgen keeps it.",
        _BUILD,
    ),
    "interrupted-build": RuleHelp(
        "Leftover of an interrupted build",
        "A folder an interrupted build left beside out/ was put back or removed.",
        _BUILD,
    ),
    "stale-translation": RuleHelp(
        "Translation of an older English text",
        "A PO entry was translated from English the catalogue no longer has; the page shows "
        "the English until wfgen l10n update and a review.",
        _BUILD,
    ),
    "brace-format": RuleHelp(
        "Translation msgfmt --check refuses",
        "A python-brace-format entry's translation lacks a {placeholder} of the English or "
        "adds one, or is not a valid format string; msgfmt --check refuses the file and the "
        "build publishes nothing.",
        _BUILD,
    ),
    "stale": RuleHelp(
        "English source changed since translation",
        "The entry's English changed after it was translated.",
        _L10N,
    ),
    "unknown-entry": RuleHelp(
        "PO entry not in the catalogue",
        "The PO file has an entry for a text the catalogue no longer has.",
        _L10N,
    ),
    "docs-mismatch": RuleHelp(
        "Documented id is not the canonical id",
        "A row of a localized documentation page shows a workflow id that differs from the "
        "canonical one it documents (often translated); the fix replaces it.",
        _DOCS,
    ),
    "docs-unresolved": RuleHelp(
        "Row matches no workflow with confidence",
        "A row of a documentation page could not be mapped to a canonical workflow.",
        _DOCS,
    ),
    "docs-unreadable": RuleHelp(
        "Documentation page cannot be read",
        "A page could not be read or decoded; the other pages were checked.",
        _DOCS,
    ),
}

# Families of codes that share a rule text (prefix -> help).
_FAMILIES: tuple[tuple[str, RuleHelp], ...] = (
    (
        "yaml-",
        RuleHelp(
            "YAML file cannot be read safely",
            "The file is not safe, well-formed YAML: a syntax error, a duplicate key, an "
            "alias bomb, a byte-order mark, bytes that are not UTF-8, a control character, "
            "several documents, an empty file or a top level that is not a mapping.",
            _VALIDATE,
        ),
    ),
    (
        "schedule-",
        RuleHelp(
            "Schedule lint",
            "What a schedule does in an environment that its form hides: the hour the clocks "
            "skip or repeat, days short months lack, many workflows in one minute, a nightly "
            "workflow without a nightly time.",
            _SCHEDULE,
        ),
    ),
    (
        "environment-",
        RuleHelp(
            "Environment profile problem",
            "An environment profile breaks one of its rules: its time zone, command, name or "
            "overrides.",
            _VALIDATE,
        ),
    ),
    (
        "sending-",
        RuleHelp(
            "Sending model problem",
            "The sending model (catalog/sending.yaml) or a sending page breaks one of its rules.",
            _SENDING,
        ),
    ),
    (
        "drift-",
        RuleHelp(
            "Deployment differs from the catalogue",
            "What is deployed (a crontab, CronJobs, systemd units) differs from what the "
            "catalogue renders for the environment.",
            _DRIFT,
        ),
    ),
    (
        "english-",
        RuleHelp(
            "English source page problem",
            "The English page a localized page was made from could not be used as evidence.",
            _DOCS,
        ),
    ),
)


def rule_help(
    code: str, *, command: str = "", described: Mapping[str, str] | None = None
) -> RuleHelp:
    """The help of the rule ``code``: its own, its family's, or what ``described`` (codes the
    caller knows, such as the translation checks) says; else a text naming the command."""
    section = _SECTIONS.get(command, _VALIDATE)
    if code in _RULES:
        return _RULES[code]
    text = (described or {}).get(code)
    if text:
        first = re.split(r"\.\s|\.$| \(|; ", text.strip(), maxsplit=1)[0]
        return RuleHelp(first[:1].upper() + first[1:], text.strip(), _L10N)
    for prefix, found in _FAMILIES:
        if code.startswith(prefix):
            return found
    words = code.replace("-", " ") or "finding"
    return RuleHelp(
        f"wfgen {command or 'finding'}: {words}",
        f"A finding of wfgen {command or 'a command'} with code {code or 'wfgen'}; each "
        "result's message says what was found and its hint what to do.",
        section,
    )


def _relative(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


# RFC 3986: a path segment keeps unreserved characters and the sub-delimiters; every other
# character (":" too, which in a relative reference's first segment would read as a scheme)
# is percent-encoded from its UTF-8 bytes.
_SEGMENT_SAFE = "!$&'()*+,;=@"


def _encoded(path: str) -> str:
    return "/".join(quote(part, safe=_SEGMENT_SAFE) for part in path.split("/"))


def _artifact(file: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative to %SRCROOT% when under the current folder."""
    relative = _relative(file)
    if relative.startswith("/") or relative.split("/")[0] == "..":
        return {"uri": "file://" + _encoded(Path(file).resolve().as_posix())}
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    return {"uri": _encoded("/".join(parts)), "uriBaseId": "%SRCROOT%"}


def _fixes(problem: Problem) -> list[dict[str, object]]:
    fix = problem.extra.get(FIX_KEY)
    if not isinstance(fix, Mapping) or not problem.location.file:
        return []
    line, col, end = int(fix["line"]), int(fix["col"]), int(fix["end_col"])
    return [
        {
            "description": {"text": f"Replace with {fix['new']}"},
            "artifactChanges": [
                {
                    "artifactLocation": _artifact(problem.location.file),
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": line,
                                "startColumn": col,
                                "endLine": line,
                                "endColumn": end,
                            },
                            "insertedContent": {"text": str(fix["new"])},
                        }
                    ],
                }
            ],
        }
    ]


# long: the SARIF log's objects built in the order of the 2.1.0 schema
def sarif_log(
    problems: Sequence[Problem],
    *,
    command: str,
    version: str,
    described: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run of ``wfgen <command>``; one rule per finding code.

    ``described`` gives the full description of codes the caller knows better (the
    translation checks' own words).
    """
    codes = sorted({p.code or "wfgen" for p in problems})
    rules = []
    for code in codes:
        found = rule_help(code, command=command, described=described)
        rules.append(
            {
                "id": code,
                "name": code.replace("-", " ").title().replace(" ", ""),
                "shortDescription": {"text": found.short},
                "fullDescription": {"text": found.full},
                "helpUri": f"{DOCS_URL}/{found.section}",
                "help": {"text": f"{found.full} See {DOCS_URL}/{found.section}"},
            }
        )
    results = []
    for problem in problems:
        code = problem.code or "wfgen"
        text = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
        result: dict[str, object] = {
            "ruleId": code,
            "ruleIndex": codes.index(code),
            "level": _LEVELS[problem.severity],
            "message": {"text": text},
        }
        if problem.location.file:
            physical: dict[str, object] = {"artifactLocation": _artifact(problem.location.file)}
            if problem.location.line >= 1:
                region: dict[str, int] = {"startLine": problem.location.line}
                if problem.location.col >= 1:
                    region["startColumn"] = problem.location.col
                physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        fixes = _fixes(problem)
        if fixes:
            result["fixes"] = fixes
        properties = {
            k: v
            for k, v in problem.to_json().items()
            if (k in ("id", "path") or k in problem.extra) and k != FIX_KEY
        }
        if properties:
            result["properties"] = properties
        results.append(result)
    root = Path.cwd().as_posix().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wfgen",
                        "semanticVersion": version,
                        "version": version,
                        "informationUri": README_URL,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"wfgen/{command.replace(' ', '-')}/"},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + _encoded(root)}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: Sequence[Problem]) -> list[str]:
    """One ``::error file=...,line=...,col=...,title=...::message`` line per finding."""
    lines = []
    for problem in problems:
        props = []
        if problem.location.file:
            props.append(f"file={_escape_property(_relative(problem.location.file))}")
            if problem.location.line >= 1:
                props.append(f"line={problem.location.line}")
                if problem.location.col >= 1:
                    props.append(f"col={problem.location.col}")
        props.append(
            f"title={_escape_property('wfgen ' + (problem.code or str(problem.severity)))}"
        )
        text = problem.message + (f"; hint: {problem.hint}" if problem.hint else "")
        lines.append(f"::{_COMMANDS[problem.severity]} {','.join(props)}::{_escape_data(text)}")
    return lines


def dumps(data: object) -> str:
    """JSON as every report prints it."""
    return json.dumps(data, indent=2, ensure_ascii=False)
