"""The single exception root of cepstra."""

__all__ = ["ParameterError", "AudioError", "MidiError"]


class ParameterError(ValueError):
    """A parameter or input array is invalid.

    Subclasses :class:`ValueError`. It is not librosa's class: librosa's
    ``librosa.util.exceptions.ParameterError`` derives from ``LibrosaError(Exception)``, not
    from ``ValueError``, and cepstra cannot derive from it without importing librosa. So
    ``except librosa.ParameterError`` does not catch cepstra's errors; ``except ValueError``
    (or ``except cepstra.ParameterError``) does, and ``except (ValueError,
    librosa.ParameterError)`` covers both libraries. The message always names the offending
    parameter and its value.
    """


class MidiError(Exception):
    """A MIDI file is missing, unreadable or not a standard MIDI file we can time.

    Raised by :mod:`cepstra.midi`; the message names the file, which is also kept in
    :attr:`path`.
    """

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class AudioError(RuntimeError):
    """An audio file cannot be read: missing decoder, unsupported format, corrupt or empty data.

    ``path`` is the file and ``format`` what it looked like (extension or container name), so
    that a corpus run can record the failure and go on.
    """

    def __init__(self, message: str, *, path: str | None = None, format: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.format = format
