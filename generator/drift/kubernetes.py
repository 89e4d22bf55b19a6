"""CronJobs as ``kubectl get cronjobs -o yaml`` (or ``-o json``) prints them: a ``List``, one
object, or several YAML documents; read through the project's safe YAML loader.

Every field read must have the type the API server gives it: anything else is a located
error (exit 2), never a guess.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..errors import InputError, Location
from ..load.yamlio import load_documents
from .deployed import Deployed, id_in

__all__ = ["read_kubernetes"]


class _Item:
    """One object of the stream, with its node for the line of each field."""

    def __init__(self, data: Any, node: Any, name: str, path: str) -> None:
        self.data, self.node, self.name, self.path = data, node, name, path

    def at(self, *parts: str | int) -> Location:
        node = self.node
        for part in parts:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                nxt = _value_node(node, part)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                nxt = node.value[part] if 0 <= part < len(node.value) else None
            if nxt is None:
                break
            node = nxt
        return Location(self.name, int(node.start_mark.line) + 1, int(node.start_mark.column) + 1)

    def get(self, *parts: str | int, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value: Any = self.data
        for index, part in enumerate(parts):
            container = dict if isinstance(part, str) else list
            if not isinstance(value, container):
                shown = ".".join(str(p) for p in (self.path, *parts[:index]) if p != "")
                raise InputError(
                    f"{shown or 'the object'} is {_kind(value)}, not a "
                    f"{'mapping' if container is dict else 'list'} as in a CronJob",
                    location=self.at(*parts[:index]),
                    hint="give the output of `kubectl get cronjobs -o yaml` as it is",
                )
            if isinstance(value, dict):
                if part not in value:
                    return default
                value = value[part]
            else:
                assert isinstance(part, int)
                if part >= len(value):
                    return default
                value = value[part]
        if value is None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            shown = ".".join(str(p) for p in (self.path, *parts) if p != "")
            raise InputError(
                f"{shown} is {_kind(value)}, which a CronJob cannot hold there",
                location=self.at(*parts),
                hint="give the output of `kubectl get cronjobs -o yaml` as it is",
            )
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"[:80]


def _items(text: str, name: str) -> list[_Item]:
    docs, problems = load_documents(text, path=name)
    if problems:
        first = min(problems, key=lambda p: p.location)
        raise InputError(first.message, location=first.location, hint=first.hint)
    items: list[_Item] = []
    for data, node in docs:
        if data is None:
            continue
        doc = _Item(data, node, name, "")
        if not isinstance(data, dict):
            raise InputError(
                f"a document is {_kind(data)}, not a Kubernetes object",
                location=doc.at(),
                hint="give the output of `kubectl get cronjobs -o yaml` as it is",
            )
        if (
            "items" in data
            or data.get("kind") == "List"
            or str(data.get("kind", "")).endswith("List")
        ):
            listed = doc.get("items", kind=list, default=[])
            item_nodes = _value_node(node, "items")
            for index, item in enumerate(listed):
                sub = item_nodes.value[index] if item_nodes is not None else node
                items.append(_Item(item, sub, name, f"items[{index}]"))
        else:
            items.append(doc)
    return items


def _value_node(node: Any, key: str | int) -> Any:
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return None


def read_kubernetes(text: str, name: str, template: tuple[str, ...]) -> list[Deployed]:
    """CronJobs of ``kubectl get cronjobs -o yaml|json`` (a List, one object or several
    documents).

    Raises:
        InputError: YAML the safe loader refuses (syntax, tags, alias bombs, deep
            nesting), or a field of the wrong type, at its line.
    """
    out = []
    for item in _items(text, name):
        where = item.at()
        if not isinstance(item.data, dict):
            raise InputError(
                f"{item.path or 'the document'} is {_kind(item.data)}, not a Kubernetes object",
                location=where,
            )
        kind = item.get("kind", kind=str, default="?")
        if kind != "CronJob":
            out.append(Deployed("kubernetes", where, None, (), (), what=f"a {kind}, not a CronJob"))
            continue
        meta_name = item.get("metadata", "name", kind=str, default="?")
        namespace = item.get("metadata", "namespace", kind=str, default="")
        annotated = item.get(
            "metadata", "annotations", "wfgen.dev/workflow-id", kind=str, default=None
        )
        schedule = item.get("spec", "schedule", kind=str, default="")
        zone = item.get("spec", "timeZone", kind=str, default=None)
        suspend = item.get("spec", "suspend", kind=bool, default=False)
        policy = item.get("spec", "concurrencyPolicy", kind=str, default="Allow")
        deadline = item.get("spec", "startingDeadlineSeconds", kind=int, default=None)
        pod = ("spec", "jobTemplate", "spec", "template", "spec")
        containers = item.get(*pod, "containers", kind=list, default=[])
        settings: list[tuple[str, str]] = [
            ("namespace", namespace),
            ("suspend", "true" if suspend else "false"),
            ("concurrencyPolicy", policy),
            (
                "startingDeadlineSeconds",
                "" if deadline is None else str(deadline),
            ),
            ("containers", str(len(containers))),
        ]
        for extra in ("initContainers",):
            if item.get(*pod, extra, kind=list, default=[]):
                settings.append((extra, str(len(item.get(*pod, extra, kind=list)))))
        run_as = item.get(*pod, "securityContext", "runAsUser", kind=int, default=None)
        if run_as is not None:
            settings.append(("runAsUser", str(run_as)))
        account = item.get(*pod, "serviceAccountName", kind=str, default="")
        if account:
            settings.append(("serviceAccountName", account))
        for host in ("hostPID", "hostNetwork", "hostIPC"):
            if item.get(*pod, host, kind=bool, default=False):
                settings.append((host, "true"))
        argv: tuple[str, ...] = ()
        for index in range(len(containers)):
            at = (*pod, "containers", index)
            item.get(*at, kind=dict)
            command = item.get(*at, "command", kind=list, default=[])
            args = item.get(*at, "args", kind=list, default=[])
            words = [
                item.get(*at, "command", i, kind=(str, int, float)) for i in range(len(command))
            ] + [item.get(*at, "args", i, kind=(str, int, float)) for i in range(len(args))]
            if index == 0:
                argv = tuple(str(w) for w in words)
                settings.append(("image", item.get(*at, "image", kind=str, default="")))
                privileged = item.get(
                    *at, "securityContext", "privileged", kind=bool, default=False
                )
                if privileged:
                    settings.append(("privileged", "true"))
                user = item.get(*at, "securityContext", "runAsUser", kind=int, default=None)
                if user is not None:
                    settings.append(("container runAsUser", str(user)))
                for key in ("env", "envFrom"):
                    values = item.get(*at, key, kind=list, default=[])
                    if values:  # what the container runs with: compared as written
                        settings.append((key, json.dumps(values, sort_keys=True, default=str)))
                working = item.get(*at, "workingDir", kind=str, default="")
                if working:
                    settings.append(("workingDir", working))
        found = id_in(argv, template)
        if found is None and annotated and argv[:1] == template[:1]:
            found = annotated
        out.append(
            Deployed(
                "kubernetes",
                item.at("spec", "schedule") if schedule else where,
                found,
                (schedule,),
                argv,
                zone,
                what=f"CronJob {meta_name}",
                settings=tuple(settings),
            )
        )
    return out
