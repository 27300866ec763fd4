"""What ``cepstra extract`` reads: files, folders (recursive) and manifests (text, CSV, JSONL)."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import PurePosixPath

AUDIO_EXTENSIONS = frozenset(
    {
        ".wav",
        ".wave",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".mp3",
        ".aif",
        ".aiff",
        ".aifc",
        ".au",
        ".snd",
        ".caf",
        ".w64",
        ".rf64",
        ".m4a",
        ".aac",
        ".mp4",
        ".webm",
        ".mka",
        ".wma",
    }
)
MANIFEST_EXTENSIONS = frozenset({".txt", ".csv", ".tsv", ".jsonl", ".ndjson"})
MIDI_EXTENSIONS = (".mid", ".midi")
PATH_COLUMNS = ("path", "file", "filename", "audio", "audio_path")


class InputError(Exception):
    """An INPUT argument cannot be used (missing, or a manifest without a path column)."""


@dataclass(frozen=True)
class Item:
    """One input: ``source`` is the path read; ``rel`` names its outputs (POSIX, no extension)."""

    source: str
    rel: str
    midi: str | None = None


def _rel_name(path: str, root: str | None) -> str:
    if root is not None:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return PurePosixPath(*rel.split(os.sep)).as_posix()
    return os.path.basename(path)


def _midi_beside(path: str) -> str | None:
    stem = os.path.splitext(path)[0]
    for ext in MIDI_EXTENSIONS + tuple(e.upper() for e in MIDI_EXTENSIONS):
        if os.path.isfile(stem + ext):
            return stem + ext
    return None


def _walk(folder: str) -> list[str]:
    # Follow symlinked folders, but each real folder once (a link loop must not recurse forever).
    found: list[str] = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            if os.path.splitext(name)[1].lower() in AUDIO_EXTENSIONS:
                found.append(os.path.join(dirpath, name))
    return found


def _manifest_rows(path: str) -> list[tuple[str, str | None]]:
    ext = os.path.splitext(path)[1].lower()
    rows: list[tuple[str, str | None]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        if ext in (".jsonl", ".ndjson"):
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{n}: not JSON ({exc})") from exc
                key = next((k for k in PATH_COLUMNS if isinstance(obj, dict) and k in obj), None)
                if key is None:
                    raise InputError(f"{path}:{n}: no path field (one of {', '.join(PATH_COLUMNS)})")
                rows.append((str(obj[key]), obj.get("midi")))
        elif ext in (".csv", ".tsv"):
            reader = csv.DictReader(fh, delimiter="\t" if ext == ".tsv" else ",")
            key = next((k for k in PATH_COLUMNS if k in (reader.fieldnames or [])), None)
            if key is None:
                raise InputError(
                    f"{path}: no path column (one of {', '.join(PATH_COLUMNS)}); columns are {reader.fieldnames}"
                )
            for row in reader:
                if row.get(key):
                    rows.append((row[key], row.get("midi") or None))
        else:
            for line in fh:
                s = line.strip()
                if s and not s.startswith("#"):
                    rows.append((s, None))
    return rows


def discover(inputs: list[str]) -> list[Item]:
    """The inputs in a stable order, each source once.

    Raises
    ------
    InputError
        An argument that does not exist, or a manifest that cannot be parsed.
    """
    items: list[Item] = []
    seen: set[str] = set()

    def add(source: str, root: str | None, midi: str | None = None) -> None:
        source = os.path.abspath(source)
        if source in seen:
            return
        seen.add(source)
        rel = os.path.splitext(_rel_name(source, root))[0]
        items.append(Item(source, rel, midi if midi is not None else _midi_beside(source)))

    for arg in inputs:
        if os.path.isdir(arg):
            root = os.path.abspath(arg)
            for f in _walk(root):
                add(f, root)
        elif os.path.isfile(arg) and os.path.splitext(arg)[1].lower() in MANIFEST_EXTENSIONS:
            base = os.path.dirname(os.path.abspath(arg))
            for p, midi in _manifest_rows(arg):
                full = p if os.path.isabs(p) else os.path.join(base, p)
                add(full, base, None if midi is None else (midi if os.path.isabs(midi) else os.path.join(base, midi)))
        elif os.path.exists(arg):
            add(arg, None)
        else:
            raise InputError(f"input not found: {arg!r}")
    return items
