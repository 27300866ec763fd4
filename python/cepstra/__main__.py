"""``python -m cepstra ...``: the same as the ``cepstra`` console script (see cepstra.cli)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
