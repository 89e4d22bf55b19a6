"""The writers contract (lintrules/writers.py) finds each way of opening a file for writing,
and only those: reading, text handling and folders are left alone."""

from __future__ import annotations

import pytest

from lintrules.writers import writes_in

WRITES = [
    ("open(path, 'w')", "open() with mode 'w'"),
    ("open(path, mode='ab')", "open() with mode 'ab'"),
    ("open(path, flags)", "open() with mode '?'"),
    ("path.open('x', encoding='utf-8')", "open() with mode 'x'"),
    ("path.open(mode='r+')", "open() with mode 'r+'"),
    ("os.fdopen(handle, 'wb')", "fdopen() with mode 'wb'"),
    ("io.open(path, 'w')", "open() with mode 'w'"),
    ("path.write_text('x')", "write_text()"),
    ("path.write_bytes(b'x')", "write_bytes()"),
    ("os.open(path, os.O_WRONLY | os.O_CREAT)", "os.open() for writing"),
    ("os.open(path, os.O_RDWR)", "os.open() for writing"),
    ("tempfile.mkstemp(dir=folder)", "tempfile.mkstemp()"),
    ("tempfile.NamedTemporaryFile('w')", "tempfile.NamedTemporaryFile()"),
    ("shutil.copytree(a, b)", "shutil.copytree()"),
    ("shutil.copy2(a, b)", "shutil.copy2()"),
]

READS = [
    "open(path)",
    "open(path, 'rb')",
    "path.open(encoding='utf-8')",
    "path.read_text()",
    "os.open(folder, os.O_RDONLY)",
    "text.replace('a', 'b')",
    "path.mkdir(parents=True)",
    "tempfile.TemporaryDirectory()",
    "shutil.rmtree(folder)",
]


@pytest.mark.parametrize(("code", "what"), WRITES)
def test_a_write_is_found(code: str, what: str) -> None:
    """Each way of opening a file for writing is found, at its line, and said."""
    found = writes_in(f"import os\n\n{code}\n")
    assert [(w.line, w.what) for w in found] == [(3, what)]


@pytest.mark.parametrize("code", READS)
def test_a_read_is_not_a_write(code: str) -> None:
    """Reading files, handling text and making or removing folders are not writes here."""
    assert writes_in(code + "\n") == []
