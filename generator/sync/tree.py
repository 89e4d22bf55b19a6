"""The catalogue's YAML files as ruamel.yaml round-trip trees, edited in place.

Only what sync changes changes: comments, key order, quoting and layout of everything else
come back byte for byte (ruamel.yaml's round trip, ``null`` written as the catalogue writes
it). Files are rendered to text for ``--diff`` and written all at once for ``--write``:
every new text goes to a temporary file first, then each is renamed over its file, so a
failure leaves the catalogue as it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import InputError, Location

__all__ = ["CatalogTree", "Entry", "quoted_schedule"]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # a long description stays on its line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def quoted_schedule(mapping: dict[str, Any] | None) -> CommentedMap | None:
    """A schedule mapping with its times quoted ("02:00" is a number to YAML 1.1)."""
    if mapping is None:
        return None
    out = CommentedMap()
    for key, value in mapping.items():
        if key == "at":
            out[key] = DoubleQuotedScalarString(value)
        elif key == "between":
            out[key] = CommentedMap((k, DoubleQuotedScalarString(v)) for k, v in value.items())
        else:
            out[key] = value
    return out


@dataclass
class Entry:
    """One workflow entry of a catalogue file."""

    file: Path
    data: CommentedMap
    module: str

    @property
    def id(self) -> str:
        """The canonical id."""
        return str(self.data["id"])

    @property
    def products(self) -> list[str]:
        """The products that install it."""
        return [str(p) for p in self.data.get("products") or ()]

    def effective(self, product: str, name: str) -> Any:
        """Field ``name`` on ``product``: the product's variant, else the entry's."""
        variant = (self.data.get("per_product") or {}).get(product) or {}
        if name in variant:
            return variant[name]
        return self.data.get(name)

    def spellings(self) -> list[str]:
        """The id and every product's own spelling of it."""
        extra = [
            str(v["id"])
            for v in (self.data.get("per_product") or {}).values()
            if isinstance(v, dict) and v.get("id")
        ]
        return [self.id, *extra]

    def set(self, product: str | None, name: str, value: Any) -> None:
        """Set field ``name`` on the entry (``product`` None) or on the product's variant."""
        if product is None:
            self.data[name] = value
            return
        variants = self.data.get("per_product")
        if variants is None:
            variants = CommentedMap()
            self.data["per_product"] = variants
        variant = variants.get(product)
        if variant is None:
            variant = CommentedMap()
            variants[product] = variant
        variant[name] = value


@dataclass
class CatalogTree:
    """modules.yaml and workflows/*.yaml of one catalogue folder, as round-trip trees."""

    root: Path
    texts: dict[Path, str] = field(default_factory=dict)
    trees: dict[Path, Any] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    changed: set[Path] = field(default_factory=set)

    @classmethod
    def read(cls, root: Path) -> CatalogTree:
        """Read the catalogue folder ``root`` (it has been validated already).

        Raises:
            InputError: when a file cannot be read or parsed.
        """
        tree = cls(root)
        files = [root / "modules.yaml", *sorted((root / "workflows").glob("*.yaml"))]
        for path in files:
            if not path.is_file():
                continue
            data = tree._load(path)
            if path.name == "modules.yaml" and path.parent == root:
                continue
            module = str(data.get("module", path.stem)) if isinstance(data, dict) else path.stem
            for item in (data or {}).get("workflows") or ():
                tree.entries.append(Entry(path, item, module))
        return tree

    def _load(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
            data = _yaml().load(text)
        except (OSError, UnicodeDecodeError, YAMLError) as err:
            raise InputError(
                f"cannot read catalogue file: {err}", location=Location.of(path)
            ) from err
        self.texts[path] = text
        self.trees[path] = data
        return data

    @property
    def modules_file(self) -> Path:
        """The catalogue's modules.yaml."""
        return self.root / "modules.yaml"

    def modules(self) -> CommentedMap:
        """The ``modules:`` mapping (created when the file has none)."""
        data = self.trees.get(self.modules_file)
        if data is None:
            data = CommentedMap()
            self.trees[self.modules_file] = data
        if data.get("modules") is None:
            data["modules"] = CommentedMap()
        modules: CommentedMap = data["modules"]
        return modules

    def find(self, ident: str) -> Entry | None:
        """The entry whose id, or one product's spelling of it, is ``ident``."""
        exact = next((e for e in self.entries if e.id == ident), None)
        spelled = exact or next((e for e in self.entries if ident in e.spellings()), None)
        if spelled is not None:
            return spelled
        # Ids that differ only in case are one workflow (validate refuses both in one catalogue).
        folded = ident.casefold()
        return next((e for e in self.entries if e.id.casefold() == folded), None)

    def module_file(self, module: str) -> Path:
        """The workflows file of ``module`` (an existing one, or workflows/<module>.yaml)."""
        for path, data in self.trees.items():
            if isinstance(data, dict) and data.get("module") == module and "workflows" in data:
                return path
        return self.root / "workflows" / f"{module}.yaml"

    def add_entry(self, module: str, data: CommentedMap) -> Entry:
        """Append a new workflow entry to ``module``'s file (the file is made when missing)."""
        path = self.module_file(module)
        tree = self.trees.get(path)
        if tree is None:
            tree = CommentedMap([("module", module), ("workflows", CommentedSeq())])
            self.trees[path] = tree
        if tree.get("workflows") is None:
            tree["workflows"] = CommentedSeq()
        tree["workflows"].append(data)
        entry = Entry(path, data, module)
        self.entries.append(entry)
        self.changed.add(path)
        return entry

    def touch(self, path: Path) -> None:
        """Mark ``path`` as edited."""
        self.changed.add(path)

    def rendered(self) -> Iterator[tuple[Path, str | None, str]]:
        """Each edited file: its path, old text (None for a new file) and new text, sorted."""
        yaml = _yaml()
        for path in sorted(self.changed):
            buffer = io.StringIO()
            yaml.dump(self.trees[path], buffer)
            new = buffer.getvalue()
            old = self.texts.get(path)
            if new != old:
                yield path, old, new

    def write(self) -> list[Path]:
        """Write every edited file atomically; return the files written.

        Raises:
            InputError: when a file cannot be written (none is replaced then).
        """
        from ..output import replace_all

        pending = list(self.rendered())
        try:
            replace_all({path: new.encode("utf-8") for path, _, new in pending})
        except OSError as err:
            where = Location.of(err.filename or self.root)
            raise InputError(
                f"cannot write catalogue file: {err.strerror or err}", location=where
            ) from err
        return [path for path, _, _ in pending]
