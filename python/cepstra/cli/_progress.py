"""Progress of a corpus run: a tqdm bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class Progress:
    """Counts files and audio; ``update`` after each input, ``close`` prints the end-of-run line."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None, every_s: float = 10.0) -> None:
        self.total, self.quiet = total, quiet
        self.stream = stream if stream is not None else sys.stderr
        self.every_s = every_s
        self.done = self.failed = self.skipped = 0
        self.audio_s = 0.0
        self.t0 = time.perf_counter()
        self._last = self.t0
        self._bar: Any = None
        if not quiet and total and getattr(self.stream, "isatty", lambda: False)():
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True)

    @property
    def wall_s(self) -> float:
        return time.perf_counter() - self.t0

    def _rate(self) -> str:
        wall = max(self.wall_s, 1e-9)
        return f"{self.audio_s / 3600:.2f} h audio, {self.audio_s / wall:.0f}x realtime"

    def update(self, *, audio_s: float = 0.0, failed: bool = False) -> None:
        self.audio_s += audio_s
        if failed:
            self.failed += 1
        else:
            self.done += 1
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix_str(f"{self._rate()}, {self.failed} failed", refresh=False)
            return
        now = time.perf_counter()
        if now - self._last >= self.every_s:
            self._last = now
            print(
                f"[cepstra extract] {self.done + self.failed}/{self.total} files, {self._rate()}, {self.failed} failed",
                file=self.stream,
                flush=True,
            )

    def close(self, out: str, interrupted: bool = False, label: str = "interrupted") -> str:
        if self._bar is not None:
            self._bar.close()
        line = (
            f"{label if interrupted else 'done'}: {self.done} extracted, {self.skipped} skipped "
            f"(unchanged), {self.failed} failed; {self.audio_s / 3600:.3f} h of audio in "
            f"{self.wall_s:.1f} s ({self.audio_s / max(self.wall_s, 1e-9):.0f}x realtime) -> {out}"
        )
        if self.failed:
            line += "\n  failures and their reasons: " + f"{out}/failures.jsonl"
        if interrupted:
            line += "\n  only complete outputs were kept; rerun with --resume to continue"
        if not self.quiet or interrupted:
            print(line, file=self.stream, flush=True)
        return line
