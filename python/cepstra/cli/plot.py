"""``cepstra plot FILE -o out.png``: a labelled spectrogram with a dB colour bar (headless)."""

from __future__ import annotations

from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("plot", help="a labelled spectrogram PNG of an audio file (headless)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--out", required=True, help="image file to write (.png, .pdf, .svg)")
    p.add_argument("--feature", default="mel", choices=("mel", "stft", "mfcc", "chroma"))
    p.add_argument("--sr", type=int, default=22050)
    p.add_argument("--offset", type=float, default=0.0)
    p.add_argument("--duration", type=float, default=None)


def run(args: Any) -> int:
    print("cepstra plot: not available in this build", flush=True)
    return 2
