"""MIDI notes and frame-aligned labels for machine learning on music (the ``midi`` extra).

::

    from cepstra import midi
    mel = cepstra.MelSpectrogram(sr=16000, n_fft=2048, hop_length=512)
    S = mel(y)
    labels = midi.labels_for("take.mid", like=mel, n_samples=len(y))   # same frame count as S
    notes = midi.notes_from_roll(labels["onset"], labels["frame"], labels["velocity"],
                                 sr=16000, hop_length=512)

Importing this package needs numpy only; :func:`read` and :func:`write` need symusic
(``pip install 'cepstra[midi]'``).
"""

from ._decode import notes_from_roll
from ._io import read, read_pedals, write
from ._labels import labels_for
from ._notes import NOTE_DTYPE, PEDAL_DTYPE
from ._pairs import MIDI_EXTENSIONS, pair_by_stem, pairs_from_csv
from ._roll import CONVENTIONS, FrameGrid, PianoRoll, piano_roll

__all__ = [
    "CONVENTIONS",
    "MIDI_EXTENSIONS",
    "NOTE_DTYPE",
    "PEDAL_DTYPE",
    "FrameGrid",
    "PianoRoll",
    "labels_for",
    "notes_from_roll",
    "pair_by_stem",
    "pairs_from_csv",
    "piano_roll",
    "read",
    "read_pedals",
    "write",
]
