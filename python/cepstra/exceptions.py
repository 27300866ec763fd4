"""The single exception root of cepstra."""

__all__ = ["ParameterError"]


class ParameterError(ValueError):
    """A parameter or input array is invalid.

    Subclasses :class:`ValueError` so that code written for librosa's
    ``librosa.util.exceptions.ParameterError`` (also a ``ValueError``) keeps working.
    The message always names the offending parameter and its value.
    """
