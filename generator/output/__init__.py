"""The only writer: rendered files -> out/, atomically, with a manifest (write), or a diff for
--check (check); every other file wfgen writes, through one atomic writer (files); which
folders --out may name (guard). `make lint` holds that no other module opens a file for
writing (lintrules/writers.py)."""

from __future__ import annotations

from .check import check_output, plan_files
from .diff import unified_diff
from .files import copy_tree, replace_all, replace_keeping, write_new
from .guard import check_out_dir
from .manifest import manifest_file, manifest_of, read_manifest, up_to_date
from .swap import lock_path, locked, recover, swap_in
from .values import BUNDLED_TEMPLATES, MANIFEST, MANIFEST_FORMAT, RenderedFile, WriteResult, Written
from .write import OutputWriter, write_output

__all__ = [
    "BUNDLED_TEMPLATES",
    "MANIFEST",
    "MANIFEST_FORMAT",
    "OutputWriter",
    "RenderedFile",
    "WriteResult",
    "Written",
    "check_out_dir",
    "check_output",
    "copy_tree",
    "lock_path",
    "locked",
    "manifest_file",
    "manifest_of",
    "plan_files",
    "read_manifest",
    "recover",
    "replace_all",
    "replace_keeping",
    "swap_in",
    "unified_diff",
    "up_to_date",
    "write_new",
    "write_output",
]
