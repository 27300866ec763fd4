"""Pictures of features: ``specshow`` and ``waveshow`` with librosa.display's conventions
(extra ``cepstra[plot]``: matplotlib).

The mesh coordinates follow librosa.display exactly (so a ``QuadMesh`` from here lines up with
one from librosa): frame times ``frames * hop_length / sr`` for ``time``/``s``/``ms``,
``fft_frequencies(sr, n_fft)`` for ``linear``/``fft``/``hz``/``log``, ``mel_frequencies(n, fmin,
fmax, htk)`` for ``mel``, pitch classes ``0, 1, ...`` for ``chroma`` and indices for
``frames``/None; the axis scales (symlog for ``log`` and ``mel``), labels and tick formats match.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .exceptions import ParameterError

__all__ = ["TimeFormatter", "cmap", "specshow", "waveshow"]

_Array = npt.NDArray[Any]
_TIME = ("time", "s", "ms")
_HZ = ("linear", "fft", "hz", "log")
_AXES = _TIME + _HZ + ("mel", "chroma", "frames", "off", "none", None)
_C2_HZ = 65.40639132514966  # note C2; librosa's symlog threshold for the log-frequency axis
_PITCH_CLASSES = ("C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B")
_C_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_UNIT_NAMES = {"s": "seconds", "ms": "milliseconds"}


def _mpl() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            "cepstra.display needs the optional extra cepstra[plot]: pip install 'cepstra[plot]'"
        ) from exc
    return matplotlib


def cmap(
    data: npt.ArrayLike,
    *,
    robust: bool = True,
    cmap_seq: str = "magma",
    cmap_bool: str = "gray_r",
    cmap_div: str = "coolwarm",
) -> Any:
    """librosa.display.cmap: ``magma`` for one-signed data, ``coolwarm`` for both signs, ``gray_r`` for bool.

    The sign is judged on the 2nd and 98th percentiles of the finite values (``robust``).
    """
    mpl = _mpl()
    arr = np.atleast_1d(np.asarray(data))
    if arr.dtype == bool:
        return mpl.colormaps[cmap_bool]
    arr = arr[np.isfinite(arr)]
    lo, hi = np.percentile(arr, [2, 98] if robust else [0, 100])
    return mpl.colormaps[cmap_seq if lo >= 0 or hi <= 0 else cmap_div]


def _time_coords(n: int, sr: float, hop_length: int) -> _Array:
    return (np.arange(n) * hop_length).astype(int) / float(sr)


def _coords(
    ax_type: str | None,
    n: int,
    *,
    sr: float,
    hop_length: int,
    n_fft: int | None,
    fmin: float | None,
    fmax: float | None,
    htk: bool,
) -> _Array:
    from . import fft_frequencies, mel_frequencies

    if ax_type in _TIME:
        return _time_coords(n, sr, hop_length)
    if ax_type in _HZ:
        return np.asarray(fft_frequencies(sr=sr, n_fft=n_fft if n_fft is not None else 2 * (n - 1)))
    if ax_type == "mel":
        return np.asarray(
            mel_frequencies(n, fmin=0.0 if fmin is None else fmin, fmax=0.5 * sr if fmax is None else fmax, htk=htk)
        )
    if ax_type == "chroma":
        return np.linspace(0, float(n), num=n, endpoint=False)
    return np.arange(n)


def _time_label(x: float, unit: str | None, span: float) -> str:
    if unit is None and span > 3600:
        return f"{int(x / 3600.0):d}:{int(np.mod(x / 60.0, 60)):02d}:{int(np.mod(x, 60)):02d}"
    if unit is None and span > 60:
        return f"{int(x / 60.0):d}:{int(np.mod(x, 60)):02d}"
    if unit == "s":
        return f"{x:.3g}"
    if unit == "ms":
        return f"{x * 1000:.3g}"
    return f"{x:.2g}" if span >= 1 else f"{x:.3f}"


class TimeFormatter:
    """Tick labels for time axes: ``h:mm:ss`` / ``m:ss`` / seconds by span, or fixed ``s`` / ``ms``."""

    def __new__(cls, unit: str | None = None) -> Any:
        mpl = _mpl()
        from matplotlib import ticker

        del mpl

        class _Formatter(ticker.Formatter):  # type: ignore[misc,unused-ignore]
            def __call__(self, x: float, pos: int | None = None) -> str:
                axis: Any = self.axis
                vmin, vmax = axis.get_view_interval()
                return _time_label(x, unit, vmax - vmin)

        return _Formatter()


def _decorate(axis: Any, ax_type: str | None) -> None:
    from matplotlib import ticker

    if ax_type == "chroma":
        axis.set_major_formatter(ticker.FuncFormatter(lambda x, pos: _PITCH_CLASSES[int(x) % 12]))
        axis.set_major_locator(ticker.FixedLocator(np.add.outer(12 * np.arange(10), _C_MAJOR).ravel().tolist()))
        axis.set_label_text("Pitch class")
    elif ax_type in _TIME:
        axis.set_major_formatter(TimeFormatter(unit=None if ax_type == "time" else ax_type))
        axis.set_major_locator(ticker.MaxNLocator(prune=None, steps=[1, 1.5, 5, 6, 10]))
        axis.set_label_text("Time" if ax_type == "time" else f"Time ({_UNIT_NAMES[ax_type]})")
    elif ax_type in ("mel", "log"):
        axis.set_major_formatter(ticker.ScalarFormatter())
        axis.set_major_locator(ticker.SymmetricalLogLocator(axis.get_transform()))
        axis.set_label_text("Hz")
    elif ax_type in ("linear", "hz", "fft"):
        axis.set_major_formatter(ticker.ScalarFormatter())
        axis.set_label_text("Hz")
    elif ax_type == "frames":
        axis.set_label_text("Frames")
    else:
        axis.set_label_text("")
        axis.set_ticks([])


def _scale(ax: Any, ax_type: str | None, which: str) -> None:
    scaler = ax.set_xscale if which == "x" else ax.set_yscale
    if ax_type == "mel":
        scaler("symlog", linthresh=1000.0, base=2)
    elif ax_type == "log":
        scaler("symlog", base=2, linthresh=_C2_HZ, linscale=0.5)


def _check_axis(name: str, value: str | None) -> None:
    if value not in _AXES:
        raise ParameterError(
            f"{name}={value!r} is not supported; use one of {', '.join(str(a) for a in _AXES if a is not None)} or None"
        )


def specshow(
    data: npt.ArrayLike,
    *,
    x_coords: npt.ArrayLike | None = None,
    y_coords: npt.ArrayLike | None = None,
    x_axis: str | None = None,
    y_axis: str | None = None,
    sr: float = 22050,
    hop_length: int = 512,
    n_fft: int | None = None,
    win_length: int | None = None,
    fmin: float | None = None,
    fmax: float | None = None,
    htk: bool = False,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Display a spectrogram-like array, as ``librosa.display.specshow``.

    Parameters
    ----------
    data : np.ndarray, shape (d, t); complex input is shown as its magnitude
    x_axis, y_axis : {"time", "s", "ms", "frames", "linear", "fft", "hz", "log", "mel", "chroma", None}
    sr, hop_length, n_fft, fmin, fmax, htk
        What the axes are computed from (as the data was).
    win_length : int or None
        Accepted for librosa compatibility (used by librosa only for tempo axes).
    ax : matplotlib.axes.Axes or None
        Default: the current axes.
    **kwargs
        Passed to ``pcolormesh``; ``cmap`` defaults to :func:`cmap` of the data.

    Returns
    -------
    matplotlib.collections.QuadMesh
    """
    _mpl()
    import matplotlib.pyplot as plt

    _check_axis("x_axis", x_axis)
    _check_axis("y_axis", y_axis)
    arr = np.asarray(data)
    if arr.ndim != 2:
        raise ParameterError(f"data must be 2-D (d, t), got shape={arr.shape}")
    if np.iscomplexobj(arr):
        arr = np.abs(arr)
    kwargs.setdefault("cmap", cmap(arr))
    kwargs.setdefault("rasterized", True)
    kwargs.setdefault("edgecolors", "None")
    kwargs.setdefault("shading", "auto")
    geo = {"sr": sr, "hop_length": hop_length, "n_fft": n_fft, "fmin": fmin, "fmax": fmax, "htk": htk}
    ys = _given(y_coords, arr.shape[0], "y_coords")
    xs = _given(x_coords, arr.shape[1], "x_coords")
    ys = ys if ys is not None else _coords(y_axis, arr.shape[0], **geo)  # type: ignore[arg-type]
    xs = xs if xs is not None else _coords(x_axis, arr.shape[1], **geo)  # type: ignore[arg-type]
    axes = ax if ax is not None else plt.gca()
    mesh = axes.pcolormesh(xs, ys, arr, **kwargs)
    if ax is None:
        plt.sci(mesh)
    _scale(axes, x_axis, "x")
    _scale(axes, y_axis, "y")
    _decorate(axes.xaxis, x_axis)
    _decorate(axes.yaxis, y_axis)
    return mesh


def _given(coords: npt.ArrayLike | None, n: int, name: str) -> _Array | None:
    if coords is None:
        return None
    c = np.asarray(coords)
    if c.shape[0] not in (n, n + 1):
        raise ParameterError(f"{name} has length {c.shape[0]}; it must be {n} or {n + 1}")
    return c


def waveshow(
    y: npt.ArrayLike,
    *,
    sr: float = 22050,
    max_points: int = 11025,
    axis: str | None = "time",
    offset: float = 0.0,
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Plot a waveform: the samples when short, their min/max envelope when longer than ``max_points``.

    Parameters
    ----------
    y : np.ndarray, shape (n,) or (channels, n)
        Several channels are drawn as the envelope over all of them.
    sr : float
    max_points : int
        Above this many samples the envelope (max and min per block) is drawn instead.
    axis : {"time", "s", "ms", None}
    offset : float
        Start time in seconds.
    **kwargs
        Passed to ``fill_between`` / ``plot``.

    Returns
    -------
    matplotlib PolyCollection (envelope) or Line2D (samples)
    """
    _mpl()
    import matplotlib.pyplot as plt

    arr = np.asarray(y)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0 or not np.issubdtype(arr.dtype, np.floating):
        raise ParameterError(
            f"y must be a non-empty float array of shape (n,) or (channels, n), got shape={arr.shape} dtype={arr.dtype}"
        )
    if not isinstance(max_points, int) or max_points < 1:
        raise ParameterError(f"max_points={max_points!r} must be a positive integer")
    if axis not in _TIME + (None,):
        raise ParameterError(f"axis={axis!r} must be 'time', 's', 'ms' or None")
    axes: Any = ax if ax is not None else plt.gca()
    kwargs.setdefault("color", axes._get_lines.get_next_color())
    n = arr.shape[-1]
    lo_hi = arr.reshape(-1, n)
    if n <= max_points:
        times = offset + np.arange(n) / float(sr)
        artist = axes.plot(times, lo_hi.mean(axis=0) if lo_hi.shape[0] > 1 else lo_hi[0], **kwargs)[0]
    else:
        hop = int(np.ceil(n / max_points))
        blocks = -(-n // hop)
        pad = np.pad(lo_hi, ((0, 0), (0, blocks * hop - n)), mode="edge").reshape(lo_hi.shape[0], blocks, hop)
        top = pad.max(axis=(0, 2))
        bottom = pad.min(axis=(0, 2))
        times = offset + np.arange(blocks) * hop / float(sr)
        artist = axes.fill_between(times, bottom, top, step="post", **kwargs)
    axes.set_xlim(offset, offset + n / float(sr))
    _decorate(axes.xaxis, axis)
    return artist
