"""Pairing audio files with their MIDI files: by stem, or from a MAESTRO-style CSV manifest."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path

from ..exceptions import ParameterError

MIDI_EXTENSIONS = (".mid", ".midi")


def pair_by_stem(
    audio_paths: Iterable[str | os.PathLike[str]],
    *,
    midi_dir: str | os.PathLike[str] | None = None,
    extensions: tuple[str, ...] = MIDI_EXTENSIONS,
) -> list[tuple[Path, Path | None]]:
    """Each audio file with the MIDI file of the same stem (``a/x.wav`` -> ``a/x.mid``).

    Parameters
    ----------
    audio_paths : iterable of paths
    midi_dir : path, optional
        Where to look; default: beside each audio file.
    extensions : tuple of str
        MIDI suffixes tried in order, case-insensitively (``.mid``, ``.midi``, ``.MID`` ...).

    Returns
    -------
    list of (audio path, MIDI path or None)
        In input order; ``None`` where no MIDI file exists (the caller records that item as
        failed, as for an unreadable audio file).
    """
    wanted = tuple(e.lower() for e in extensions)
    listings: dict[Path, dict[str, Path]] = {}
    pairs: list[tuple[Path, Path | None]] = []
    for a in audio_paths:
        audio = Path(a)
        folder = Path(midi_dir) if midi_dir is not None else audio.parent
        if folder not in listings:
            # One directory listing per folder, not a stat per candidate name.
            entries: dict[str, Path] = {}
            try:
                for p in folder.iterdir():
                    if p.suffix.lower() in wanted:
                        entries.setdefault(f"{p.stem}\0{p.suffix.lower()}", p)
            except OSError:
                pass
            listings[folder] = entries
        found = None
        for ext in wanted:
            found = listings[folder].get(f"{audio.stem}\0{ext}")
            if found is not None:
                break
        pairs.append((audio, found))
    return pairs


def pairs_from_csv(
    csv_path: str | os.PathLike[str],
    *,
    audio_column: str = "audio_filename",
    midi_column: str = "midi_filename",
    root: str | os.PathLike[str] | None = None,
) -> list[tuple[Path, Path]]:
    """(audio, MIDI) pairs from a CSV manifest such as MAESTRO's ``maestro-v3.0.0.csv``.

    Parameters
    ----------
    csv_path : path
    audio_column, midi_column : str
        Column names (MAESTRO's ``audio_filename`` and ``midi_filename`` by default).
    root : path, optional
        Relative paths in the manifest are relative to this; default: the CSV's folder (where
        MAESTRO ships it).

    Returns
    -------
    list of (audio path, MIDI path), in manifest order. Files are not opened here.

    Raises
    ------
    ParameterError
        A column is missing, or a row leaves the audio or MIDI cell empty (the row is named).
    OSError
        The manifest cannot be read.
    """
    base = Path(root) if root is not None else Path(csv_path).parent
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        for col, name in ((audio_column, "audio_column"), (midi_column, "midi_column")):
            if col not in columns:
                raise ParameterError(
                    f"{name}={col!r} is not a column of {os.fspath(csv_path)!r} "
                    f"(columns: {', '.join(columns) or 'none'})"
                )
        pairs: list[tuple[Path, Path]] = []
        for line, row in enumerate(reader, start=2):
            a, m = (row.get(audio_column) or "").strip(), (row.get(midi_column) or "").strip()
            if not a or not m:
                raise ParameterError(
                    f"{os.fspath(csv_path)!r} line {line}: empty {audio_column if not a else midi_column}"
                )
            pairs.append((base / a, base / m))
    return pairs
