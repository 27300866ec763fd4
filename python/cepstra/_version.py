# The one place the version lives: pyproject.toml reads it through scikit-build-core's regex provider.
__version__ = "0.1.0"
