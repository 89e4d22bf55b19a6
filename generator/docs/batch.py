"""Many pages at once: find them in folders, and map work over them on every core.

``find_pages`` walks folders for Markdown pages that may hold a workflow table. ``Pool``
runs a module-level function over items in worker processes that share one read-only
value (the catalogue), keeping the items' order; the pool lives across several ``map``
calls, so a caller can read every page first, learn from all of them, then align each.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..safebytes import read_input

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["Pool", "available_cores", "find_pages", "may_hold_table"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

PAGE_SUFFIXES = (".md", ".markdown")
# Below this many items a worker process costs more than it saves.
_MIN_PARALLEL = 8
_TABLE_HINT = re.compile(rb"<table\b|^[ \t>]*\|", re.IGNORECASE | re.MULTILINE)


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def may_hold_table(path: Path) -> bool:
    """Whether the file has an HTML table or a Markdown table line (cheap, before reading)."""
    try:
        return _TABLE_HINT.search(read_input(path)) is not None
    except OSError:
        return False  # a FIFO, a device, a huge or unreadable file: not a page


def find_pages(paths: Iterable[Path]) -> tuple[list[Path], frozenset[Path]]:
    """Files as given, folders walked recursively (sorted, hidden folders skipped).

    Returns:
        The pages in order, and those found in folders (not named): the caller drops them
        when they turn out to have no workflow table. Found files without any table are
        left out here already.
    """
    pages: list[Path] = []
    found: set[Path] = set()
    for path in paths:
        if not path.is_dir():
            pages.append(path)
            continue
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(files):
                candidate = Path(folder) / name
                if name.lower().endswith(PAGE_SUFFIXES) and may_hold_table(candidate):
                    pages.append(candidate)
                    found.add(candidate)
    return pages, frozenset(found)


# The worker's copy of the pool's shared value, set once when the worker starts.
_WORKER: dict[str, Any] = {}


def _initialise(shared: Any) -> None:
    _WORKER["shared"] = shared


def _apply(call: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, item = call
    return function(_WORKER["shared"], item)


class Pool(Generic[S]):
    """Worker processes sharing ``shared``; ``map`` keeps the order of its items.

    With one job, or few items, the work runs in this process. Workers are started on the
    first ``map`` that needs them (forked where the system can, so ``shared`` is inherited,
    not copied) and stop when the ``with`` block ends.
    """

    def __init__(self, *, shared: S, jobs: int | None = None) -> None:
        self.shared = shared
        self.jobs = max(1, jobs if jobs is not None else available_cores())
        self._executor: Executor | None = None

    def __enter__(self) -> Pool[S]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def map(self, function: Callable[[S, T], R], items: Sequence[T]) -> list[R]:
        """``[function(shared, item) for item in items]``, on every core when worth it.

        ``function`` must be a module-level function (workers look it up by name).
        """
        if self.jobs == 1 or len(items) < _MIN_PARALLEL:
            return [function(self.shared, item) for item in items]
        # Few, contiguous chunks: neighbouring pages (versions of one page) share cached texts.
        chunk = max(1, -(-len(items) // (self.jobs * 2)))
        calls = [(function, item) for item in items]
        # Imported here: one page (a pre-commit hook's usual call) never starts a worker.
        from concurrent.futures.process import BrokenProcessPool

        try:
            return list(self._start().map(_apply, calls, chunksize=chunk))
        except (OSError, BrokenProcessPool):
            # No worker processes here (no semaphores, a sandbox), or one was killed: the
            # work is pure, so this process does it all again, alone.
            self.jobs = 1
            self._stop()
            return [function(self.shared, item) for item in items]

    def _start(self) -> Executor:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._executor = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_initialise,
                initargs=(self.shared,),
            )
        return self._executor
