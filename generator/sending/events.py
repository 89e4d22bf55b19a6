"""The event stream of ``wfgen sending simulate``: CSV or JSON lines, each event with its
line; an unreadable line is said, never fatal. Times are ISO 8601, read and written in UTC."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

__all__ = ["RawEvent", "format_time", "parse_time", "read_events"]

RawEvent = tuple[int, str, str, str]  # line, message id, event name, time text


def parse_time(text: str) -> float:
    """ISO 8601 time -> POSIX seconds; times without an offset are taken as UTC.

    Raises:
        ValueError: when ``text`` is not an ISO 8601 time.
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        # Year 1 or 9999 with an offset lies outside what a time can be written as in UTC.
        moment.astimezone(UTC)
    except (OverflowError, ValueError) as err:
        raise ValueError(f"{text.strip()!r} falls outside the years 1 to 9999 in UTC") from err
    return moment.timestamp()


def format_time(seconds: float) -> str:
    """POSIX seconds -> ISO 8601 in UTC, e.g. ``2024-05-01T10:00:00Z``."""
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def read_events(stream: IO[str], *, fmt: str = "auto") -> Iterator[RawEvent | tuple[int, str]]:
    """Read CSV (header ``message_id,event,time``) or JSON lines, one event at a time.

    Args:
        stream: the open text stream.
        fmt: ``csv``, ``jsonl`` or ``auto`` (JSON lines when the first character is ``{``).

    Yields:
        ``(line, message_id, event, time)`` for each readable event, or ``(line, why)`` for a
        line that cannot be read (it is skipped).
    """
    first = stream.readline()
    if fmt == "auto":
        fmt = "jsonl" if first.lstrip().startswith("{") else "csv"
    if fmt == "jsonl":
        for number, text in enumerate([first] if first else [], start=1):
            yield from _json_line(number, text)
        for number, text in enumerate(stream, start=2):
            yield from _json_line(number, text)
        return
    header = [h.strip() for h in next(csv.reader([first]), [])]
    columns = ("message_id", "event", "time")
    if sorted(header) != sorted(columns):
        yield (1, f"CSV header must name message_id,event,time, not {','.join(header)!r}")
        return
    order = [header.index(c) for c in columns]
    reader = csv.reader(stream)
    number = 1
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:  # a field over csv's limit (128 KiB), a NUL, ...
            yield (number, f"unreadable CSV line: {err}")
            continue
        bad = _not_utf8("".join(record))
        if bad is not None:
            yield (number, bad)
            continue
        if len(record) != 3:
            if record:
                yield (number, f"expected 3 fields, found {len(record)}")
            continue
        yield (number, record[order[0]], record[order[1]], record[order[2]])


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _not_utf8(text: str) -> str | None:
    """Why a line read with ``errors="surrogateescape"`` is not text, or None when it is."""
    found = _ESCAPED_BYTE.search(text)
    if found is None:
        return None
    return f"not UTF-8 text (byte 0x{ord(found.group()) - 0xDC00:02x})"


def _json_line(number: int, text: str) -> Iterator[RawEvent | tuple[int, str]]:
    if not text.strip():
        return
    bad = _not_utf8(text)
    if bad is not None:
        yield (number, bad)
        return
    try:
        data = json.loads(text)
    except ValueError as err:
        yield (number, f"not JSON: {err}")
        return
    except RecursionError:
        yield (number, "not an event: JSON nested too deep")
        return
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("message_id", "event", "time")
    ):
        yield (number, "a JSON line needs string fields message_id, event and time")
        return
    try:
        "".join((data["message_id"], data["event"], data["time"])).encode("utf-8")
    except UnicodeEncodeError:
        yield (number, "a field holds a lone surrogate (\\ud800-\\udfff), not text")
        return
    yield (number, data["message_id"], data["event"], data["time"])
