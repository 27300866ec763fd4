"""The single exception root of cepstra."""

__all__ = ["ParameterError", "MidiError"]


class ParameterError(ValueError):
    """A parameter or input array is invalid.

    Subclasses :class:`ValueError` so that code written for librosa's
    ``librosa.util.exceptions.ParameterError`` (also a ``ValueError``) keeps working.
    The message always names the offending parameter and its value.
    """


class MidiError(Exception):
    """A MIDI file is missing, unreadable or not a standard MIDI file we can time.

    Raised by :mod:`cepstra.midi`; the message names the file, which is also kept in
    :attr:`path`.
    """

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.path = path
