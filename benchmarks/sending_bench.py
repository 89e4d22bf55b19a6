"""Benchmark of the sending simulator: a stream of N events (default 1,000,000) as CSV.

Run: .venv/bin/python benchmarks/sending_bench.py [--events N] [--no-efs]
Prints events per second and peak memory; the events are generated on the fly, so the
only memory that grows is the simulator's (one entry per message).
"""

from __future__ import annotations

import argparse
import io
import random
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from generator.sending import load_model, read_events, simulate

ROOT = Path(__file__).resolve().parent.parent


def event_lines(count: int, *, seed: int = 7) -> Iterator[str]:
    """CSV lines of a send: every message relayed, then reported (times never go back)."""
    rng = random.Random(seed)
    yield "message_id,event,time\n"
    messages = count * 4 // 11  # a relay plus 1.75 reports per message on average
    written = 0
    second = 0
    for n in range(messages):
        yield f"m{n},relayed,2024-05-01T00:00:00Z\n"
        written += 1
    outcomes = (
        ("delivered",),
        ("hard_bounce",),
        ("soft_bounce", "retry_succeeded"),
        ("soft_bounce", "retries_failed"),
    )
    n = 0
    while written < count:
        for event in rng.choice(outcomes):
            if written >= count:
                break
            second += 1
            day, rest = divmod(second // 4, 86400)  # four reports per second
            stamp = (
                f"2024-05-{1 + day:02d}T{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}Z"
            )
            yield f"m{n % messages},{event},{stamp}\n"
            written += 1
        n += 1


class _Lines(io.TextIOBase):
    """A read-only text stream over a generator of lines (no file, no list in memory)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return next(self._lines, "")

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def readable(self) -> bool:
        return True


def run(count: int = 1_000_000, *, efs: bool = True, memory: bool = False) -> dict[str, float]:
    """Simulate ``count`` generated events; return seconds, events/s and peak MiB.

    Generating the CSV text is part of the timing (it streams); ``memory`` traces
    allocations, which is exact but makes the run about ten times slower.
    """
    model = load_model(ROOT / "catalog" / "sending.yaml")
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    result = simulate(model, read_events(_Lines(event_lines(count))), efs=efs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if memory else float("nan")
    if memory:
        tracemalloc.stop()
    return {
        "applied": float(result.events_applied),
        "skipped": float(result.skipped_total),
        "events": float(result.events_applied + result.skipped_total),
        "seconds": seconds,
        "events_per_second": (result.events_applied + result.skipped_total) / seconds,
        "peak_mib": peak,
        "messages": float(result.final.to_deliver),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--no-efs", action="store_true")
    parser.add_argument("--memory", action="store_true", help="trace peak memory (slow)")
    args = parser.parse_args()
    stats = run(args.events, efs=not args.no_efs, memory=args.memory)
    print(
        f"{stats['events']:,.0f} events ({stats['skipped']:,.0f} skipped), {stats['messages']:,.0f} messages: {stats['seconds']:.2f} s, "
        f"{stats['events_per_second']:,.0f} events/s"
        + (f", peak {stats['peak_mib']:.1f} MiB" if args.memory else " (--memory: peak memory)")
    )


if __name__ == "__main__":
    main()
