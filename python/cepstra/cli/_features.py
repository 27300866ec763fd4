"""The features ``cepstra extract`` computes, built once per run from the public API."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError

_Array = npt.NDArray[Any]

FEATURES = ("mfcc", "melspectrogram", "stft", "chroma", "kaldi-fbank", "kaldi-mfcc", "whisper")
# Speech front ends default to 16 kHz (Kaldi recipes, Whisper's fixed rate); music to librosa's.
DEFAULT_SR = {"kaldi-fbank": 16000, "kaldi-mfcc": 16000, "whisper": 16000}
_MFCC_ONLY = ("n_mfcc", "dct_type", "norm", "lifter", "top_db")


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``["n_mels=80", "fmax=null", "htk=true", "window=hamming"]`` -> a dict (JSON values, else text)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key.isidentifier():
            raise ParameterError(f"--param {pair!r} must look like name=value")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = {"None": None, "True": True, "False": False}.get(value, value)
    return out


class FeatureSpec:
    """One feature at one rate: plans built once; ``batch`` for decoded signals, ``file`` for long files.

    Outputs are librosa's layout ``(n_out, frames)`` except the Kaldi front ends, which are
    ``(frames, bins)`` like Kaldi/torchaudio; ``time_axis`` says which. ``stft`` is stored as the
    magnitude ``|D|`` (float), the form datasets and plots use.
    """

    def __init__(self, name: str, sr: int, params: dict[str, Any]) -> None:
        import cepstra

        if name not in FEATURES:
            raise ParameterError(f"--feature {name!r} is not one of {', '.join(FEATURES)}")
        self.name, self.sr, self.params = name, sr, dict(params)
        self.time_axis = 0 if name.startswith("kaldi") else -1
        self._stream_ext: Any = None
        self._ext: Any = None
        p = self.params
        try:
            if name == "mfcc":
                self._ext = cepstra.MFCC(sr=sr, **p)
                mel = {k: v for k, v in p.items() if k not in _MFCC_ONLY}
                if "mel_norm" in mel:
                    mel["norm"] = mel.pop("mel_norm")
                self._stream_ext = cepstra.MelSpectrogram(sr=sr, **mel)
            elif name == "melspectrogram":
                self._ext = self._stream_ext = cepstra.MelSpectrogram(sr=sr, **p)
            elif name == "stft":
                self._ext = self._stream_ext = cepstra.STFT(**p)
            elif name == "kaldi-fbank":
                self._ext = self._stream_ext = cepstra.kaldi.Fbank(sample_frequency=sr, **p)
            elif name == "kaldi-mfcc":
                self._ext = self._stream_ext = cepstra.kaldi.Mfcc(sample_frequency=sr, **p)
            elif name == "whisper":
                if sr != cepstra.whisper.SAMPLE_RATE:
                    raise ParameterError(f"--feature whisper needs --sr 16000 (Whisper's rate), got sr={sr}")
                cepstra.whisper.log_mel_spectrogram(np.zeros(400, np.float32), **p)  # validates params
            elif name == "chroma":
                chroma = getattr(cepstra.feature, "chroma_stft", None)
                if chroma is None:
                    raise ParameterError(
                        "--feature chroma needs cepstra.feature.chroma_stft, which this "
                        "cepstra build does not have; upgrade cepstra"
                    )
                chroma(y=np.zeros(4096, np.float32), sr=sr, **p)  # validates params
        except TypeError as exc:
            raise ParameterError(f"--param for --feature {name}: {exc}") from exc

    @property
    def streamable(self) -> bool:
        return self._stream_ext is not None

    def config(self) -> dict[str, Any]:
        return {
            "feature": self.name,
            "sr": self.sr,
            "params": dict(sorted(self.params.items())),
            "mono": True,
            "res_type": "soxr_hq",
            "dtype": "float32",
        }

    def batch(self, signals: list[_Array]) -> list[_Array]:
        """Features of decoded mono float32 signals, in one parallel call when the API allows."""
        import cepstra

        if self.name == "whisper":
            return [cepstra.whisper.log_mel_spectrogram(y, **self.params) for y in signals]
        if self.name == "chroma":
            chroma = getattr(cepstra.feature, "chroma_stft")  # noqa: B009 (added by a later release)
            return [np.asarray(chroma(y=y, sr=self.sr, **self.params)) for y in signals]
        out = self._ext(list(signals))
        if self.name == "stft":
            out = [np.abs(D) for D in out]
        return list(out)

    def file(self, path: str) -> _Array:
        """Features of a long file, decoded block by block (memory: output + a few blocks)."""
        import cepstra

        if not self.streamable:
            y, _ = cepstra.load(path, sr=self.sr)
            return self.batch([y])[0]
        if self.name == "stft":
            return cepstra.io.file_features(path, self._stream_ext, sr=self.sr, transform=np.abs)
        if self.name == "mfcc":
            return self._long_mfcc(path)
        return cepstra.io.file_features(path, self._stream_ext, sr=self.sr)

    def _long_mfcc(self, path: str) -> _Array:
        # librosa's mfcc is dct(power_to_db(mel, top_db)) and the dB floor is (global max - top_db):
        # a first pass finds the max, a second applies the floor and the DCT block by block, so
        # the full mel spectrogram (6x the MFCC output) is never held.
        import cepstra

        p = self.params
        top_db = p.get("top_db", 80.0)
        kw = {k: p[k] for k in ("n_mfcc", "dct_type", "norm", "lifter") if k in p}
        floor = -np.inf
        if top_db is not None:
            peak = -np.inf
            for block in cepstra.io.feature_blocks(path, self._stream_ext, sr=self.sr):
                if block.shape[-1]:
                    peak = max(peak, float(cepstra.power_to_db(block, top_db=None).max()))
            floor = peak - float(top_db)

        def to_mfcc(block: _Array) -> _Array:
            if not block.shape[-1]:
                return np.zeros((int(kw.get("n_mfcc", 20)), 0), dtype=block.dtype)
            S_db = np.maximum(cepstra.power_to_db(block, top_db=None), np.asarray(floor, dtype=block.dtype))
            return np.asarray(cepstra.feature.mfcc(S=S_db, **kw))

        return cepstra.io.file_features(path, self._stream_ext, sr=self.sr, transform=to_mfcc)

    def n_frames(self, out: _Array) -> int:
        return int(out.shape[self.time_axis])
