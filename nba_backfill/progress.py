"""A terminal progress bar over table-dates (tqdm): each materialized date moves it."""

from __future__ import annotations

from tqdm import tqdm


class ProgressBar:
    def __init__(self, total: int):
        self._bar = tqdm(total=total, unit="date", dynamic_ncols=True)

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()

    def advance(self, dates: int) -> None:
        self._bar.update(dates)

    def note(self, line: str) -> None:
        """A line above the bar (the bar stays at the bottom)."""
        self._bar.write(line)
