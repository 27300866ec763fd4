"""The engine: the only package that imports the compiled extension ``cepstra._core``.

Public modules reach C++ through this package, never through ``_core`` directly:

- :mod:`.configs`   one frozen, validated config type per option set;
- :mod:`.cache`     the one thread-safe plan cache, keyed by config (and dtype);
- :mod:`.plans`     C++ plans, filterbanks and DCT matrices built from configs, via the cache;
- :mod:`.windows`   analysis windows;
- :mod:`.batching`  arrays and lists of arrays through a plan, padding into one batch;
- :mod:`.grid`      the frame grid (frame counts, frame times, streaming readiness);
- :mod:`.runtime`   threads and the SIMD path.
"""

from .. import _core as core
from ..exceptions import ParameterError

# C++ preconditions (std::invalid_argument) surface as cepstra.ParameterError: the package hands
# its exception type to the extension, which never imports the package back.
core.set_parameter_error(ParameterError)

from . import batching, cache, configs, grid, plans, runtime, windows  # noqa: E402  (need core)

__all__ = ["core", "batching", "cache", "configs", "grid", "plans", "runtime", "windows"]
