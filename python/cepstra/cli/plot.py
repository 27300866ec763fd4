"""``cepstra plot FILE -o out.png``: a labelled spectrogram with a dB colour bar (headless)."""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from . import EXIT_OK, EXIT_USAGE


def add_parser(sub: Any) -> None:
    p = sub.add_parser("plot", help="a labelled spectrogram image of an audio file (headless)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--out", required=True, help="image to write (.png, .pdf, .svg)")
    p.add_argument("--feature", default="mel", choices=("mel", "stft", "mfcc", "chroma"))
    p.add_argument("--sr", type=int, default=22050)
    p.add_argument("--offset", type=float, default=0.0)
    p.add_argument("--duration", type=float, default=None)


def render(
    path: str, out: str, feature: str = "mel", sr: int = 22050, offset: float = 0.0, duration: float | None = None
) -> str:
    """Draw ``feature`` of the audio file ``path`` into the image ``out``; returns ``out``."""
    import matplotlib

    matplotlib.use("Agg")  # headless: no display needed
    import matplotlib.pyplot as plt

    import cepstra
    from cepstra import display

    y, _ = cepstra.load(path, sr=sr, offset=offset, duration=duration)
    fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
    try:
        if feature == "mel":
            S = cepstra.power_to_db(cepstra.feature.melspectrogram(y=y, sr=sr), ref=np.max)
            mesh = display.specshow(S, x_axis="time", y_axis="mel", sr=sr, ax=ax)
            title, bar = "Mel spectrogram", "%+2.0f dB"
        elif feature == "stft":
            S = cepstra.amplitude_to_db(np.abs(cepstra.stft(y)), ref=np.max)
            mesh = display.specshow(S, x_axis="time", y_axis="log", sr=sr, ax=ax)
            title, bar = "Spectrogram (log frequency)", "%+2.0f dB"
        elif feature == "mfcc":
            M = cepstra.feature.mfcc(y=y, sr=sr)
            mesh = display.specshow(M, x_axis="time", sr=sr, ax=ax)
            ax.set_ylabel("MFCC")
            title, bar = "MFCC", None
        else:
            chroma = getattr(cepstra.feature, "chroma_stft", None)
            if chroma is None:
                raise ValueError("--feature chroma needs cepstra.feature.chroma_stft, which this build lacks")
            C = chroma(y=y, sr=sr)
            mesh = display.specshow(C, x_axis="time", y_axis="chroma", sr=sr, ax=ax)
            title, bar = "Chromagram", None
        ax.set_title(f"{title}: {os.path.basename(path)} ({len(y) / sr:.1f} s at {sr} Hz)")
        cb = fig.colorbar(mesh, ax=ax, format=bar)
        cb.set_label("dB" if bar else "value")
        fig.savefig(out, dpi=100)
    finally:
        plt.close(fig)
    return out


def run(args: Any) -> int:
    try:
        render(args.file, args.out, args.feature, args.sr, args.offset, args.duration)
    except (ValueError, FileNotFoundError, RuntimeError, ImportError, OSError) as exc:
        print(f"cepstra plot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(args.out)
    return EXIT_OK
