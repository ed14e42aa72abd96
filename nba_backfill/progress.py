"""A terminal progress bar over partitions (tqdm), fed one run chunk at a time."""

from __future__ import annotations

from tqdm import tqdm


class ProgressBar:
    def __init__(self, total_partitions: int):
        self._bar = tqdm(total=total_partitions, unit="date", dynamic_ncols=True)

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()

    def advance(self, chunk, ok: bool) -> None:
        self._bar.set_postfix_str(f"{chunk.first}..{chunk.last} {'ok' if ok else 'FAILED'}")
        self._bar.update(len(chunk.keys))
