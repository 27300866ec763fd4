"""The engine: the only package that imports the compiled extension ``cepstra._core``.

Public modules reach C++ through the names exported here (configs, the plan cache, the frame
grid, batching), never through ``_core`` directly.
"""

from .. import _core as core

__all__ = ["core"]
