"""The frame grid: how many frames a signal gives, where each one sits, and when streaming
may emit it.

One grid per framing convention (librosa's centred/uncentred STFT, Kaldi's ``snip_edges``).
Every extractor exposes its grid through ``n_frames(n_samples)`` and ``frame_times(n_frames)``;
:class:`cepstra.Stream`, MIDI labels and file extraction all read frames through it, so a
feature and its labels can never disagree about the time axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .. import _validation as V


@dataclass(frozen=True)
class LibrosaGrid:
    """librosa's framing: ``1 + n // hop`` frames when centred, ``1 + (n - n_fft) // hop`` when not.

    ``lo`` is the first non-zero sample of the (centre-padded) analysis window: a streamed frame
    only needs the samples from there on.
    """

    sr: float
    n_fft: int
    hop: int
    center: bool
    lo: int = 0

    def n_frames(self, n_samples: int) -> int:
        n = V.positive_int("n_samples", n_samples)
        V.uncentred_fits(self.n_fft, self.center, n)
        if self.center:
            return 1 + n // self.hop
        return 1 + (n - self.n_fft) // self.hop

    def frame_times(self, n_frames: int) -> npt.NDArray[np.float64]:
        k = np.arange(V.non_negative_int("n_frames", n_frames), dtype=np.float64)
        # A centred frame k is centred on sample k*hop; an uncentred one starts there.
        offset = 0.0 if self.center else self.n_fft / 2
        return (k * self.hop + offset) / self.sr

    # Streaming (see stream.py for why these frames are final).
    def frames_ready(self, received: int) -> int:
        # A centred head frame mirrors samples up to n_fft//2: wait until the final signal is
        # certainly long enough for librosa's padding to be a single reflection.
        if self.center and received < self.n_fft + 1:
            return 0
        offset = self.n_fft // 2 if self.center else 0
        last_end_ok = received + offset - self.n_fft  # start of the last frame ending <= received
        return 0 if last_end_ok < 0 else last_end_ok // self.hop + 1

    def keep_from(self, next_frame: int, received: int) -> int:
        offset = self.n_fft // 2 if self.center else 0
        start = next_frame * self.hop - offset + self.lo
        if self.center:
            # Tail padding may mirror up to n_fft + 1 samples back from the end.
            start = min(start, received - self.n_fft - 2)
        return max(0, start)


@dataclass(frozen=True)
class KaldiGrid:
    """Kaldi's framing, with ``win`` the window and ``shift`` the hop in samples.

    * snip_edges=True: frame f reads [f*shift, f*shift + win) and exists iff f*shift + win <= N.
      It is final (for streaming, R samples received) iff f*shift + win <= R.
    * snip_edges=False: frame f reads s_f = f*shift + shift//2 - win//2 .. s_f + win - 1, indices
      outside [0, N) reflected (s < 0 -> -s-1, s >= N -> 2N-1-s, repeated while out of range), and
      exists iff f < (N + shift//2) // shift, i.e. iff (f+1)*shift - shift//2 <= N. It is final
      iff it exists for N = R (then for every N >= R) **and** s_f + win <= R. Then no index reaches
      N (>= R), and an index s < 0 reflects once to -s-1 <= -s_f-1 < R (as -s_f <= win//2 and
      s_f + win <= R imply -s_f <= R - win + win//2 <= R): every sample read is received and
      independent of N. A frame not final reads a sample not yet received, or a reflection
      at the end (which moves with N), or may not exist.

    Both conditions are monotone in f, so the final frames are a prefix [0, frames_ready(R)).
    Samples kept: from s_next (the first frame not yet returned), and, for snip_edges=False, from
    R - ceil(win/2) at the latest, because the end reflections of the frames still to come read
    back down to N - ceil(win/2) >= R - ceil(win/2); so the buffer is O(win + shift).
    """

    sr: float
    win: int
    shift: int
    snip_edges: bool

    def _start(self, f: int) -> int:
        return f * self.shift if self.snip_edges else f * self.shift + self.shift // 2 - self.win // 2

    def n_frames(self, n_samples: int) -> int:
        n = V.non_negative_int("n_samples", n_samples)
        if self.snip_edges:
            return 0 if n < self.win else 1 + (n - self.win) // self.shift
        return (n + self.shift // 2) // self.shift

    def frame_times(self, n_frames: int) -> npt.NDArray[np.float64]:
        k = np.arange(V.non_negative_int("n_frames", n_frames), dtype=np.float64)
        starts = k * self.shift + (0 if self.snip_edges else self.shift // 2 - self.win // 2)
        return (starts + self.win / 2) / self.sr

    def frames_ready(self, received: int) -> int:
        if self.snip_edges:
            return self.n_frames(received)
        last = received - self.shift // 2 - (self.win - self.win // 2)  # last f with s_f + win <= R
        covered = 0 if last < 0 else last // self.shift + 1
        return min(covered, self.n_frames(received))

    def keep_from(self, next_frame: int, received: int) -> int:
        start = self._start(next_frame)
        if not self.snip_edges:
            start = min(start, received - (self.win - self.win // 2))
        return max(0, start)
