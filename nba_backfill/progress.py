"""A terminal progress bar over asset steps (tqdm): a range run of N assets moves it N times."""

from __future__ import annotations

from tqdm import tqdm


class ProgressBar:
    def __init__(self, total_steps: int):
        self._bar = tqdm(total=total_steps, unit="step", dynamic_ncols=True)

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()

    def step(self, asset: str) -> None:
        self._bar.set_postfix_str(asset)
        self._bar.update(1)

    def run_done(self, chunk, ok: bool) -> None:
        self._bar.write(f"  run {chunk.first} .. {chunk.last}: {'ok' if ok else 'FAILED'}")
