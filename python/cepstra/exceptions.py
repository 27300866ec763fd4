"""The single exception root of cepstra."""

__all__ = ["ParameterError"]


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
