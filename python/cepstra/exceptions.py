"""The single exception root of cepstra."""

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A parameter or input array is invalid.

    Subclasses :class:`ValueError` so that code written for librosa's
    ``librosa.util.exceptions.ParameterError`` (also a ``ValueError``) keeps working.
    The message always names the offending parameter and its value.
    """


class AudioError(RuntimeError):
    """An audio file cannot be read: missing decoder, unsupported format, corrupt or empty data.

    ``path`` is the file and ``format`` what it looked like (extension or container name), so
    that a corpus run can record the failure and go on.
    """

    def __init__(self, message: str, *, path: str | None = None, format: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.format = format


__all__ += ["AudioError"]
