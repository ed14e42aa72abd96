"""Benchmark: generating the demo Phase 2 data (no warehouse involved).

    .venv/bin/python benchmarks/bench_demo_data.py [--seasons 2021-22,...] [--seed 7] [--repeat 3]

Prints the wall time of generate_demo_data for the seasons (the first run, which also
builds the cached rosters, and the best of the repeats) and the rows per raw table.
"""

from __future__ import annotations

import argparse
import time

from nba_backfill.demo.generate import generate_demo_data
from nba_backfill.seasons import Season, load_calendar


def time_generation(seasons: list[Season], seed: int) -> tuple[float, dict]:
    began = time.perf_counter()
    frames = generate_demo_data(seasons, seed)
    return time.perf_counter() - began, frames


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seasons", default="2021-22,2022-23,2023-24,2024-25")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    calendar = load_calendar()
    seasons = [calendar.by_label(label) for label in args.seasons.split(",")]

    runs = [time_generation(seasons, args.seed) for _ in range(max(args.repeat, 1))]
    seconds = [s for s, _ in runs]
    frames = runs[-1][1]
    print(f"generate_demo_data, {len(seasons)} seasons ({args.seasons}), seed {args.seed}: "
          f"first run {seconds[0]:.2f}s, best of {len(seconds)} {min(seconds):.2f}s")
    for name, frame in frames.items():
        print(f"  {name:<34} {len(frame):>10,} rows")
    print(f"  {'total':<34} {sum(len(f) for f in frames.values()):>10,} rows")


if __name__ == "__main__":
    main()
