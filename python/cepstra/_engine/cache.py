"""The one cache of immutable plans (C++ plans, windows, filterbanks, DCT matrices), keyed by
the frozen config that defines each and, where it matters, the dtype.

Thread-safe and bounded (least recently used first out). A value is built outside the lock, so
a slow build never blocks other lookups; two threads racing on one key build identical values
and the first stored wins, so every caller sees the same object.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 256

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def get(key: Hashable, build: Callable[[], T]) -> T:
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            value: T = _entries[key]
            return value
    value = build()
    with _lock:
        value = _entries.setdefault(key, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Drops every cached plan (they are rebuilt on demand)."""
    with _lock:
        _entries.clear()
