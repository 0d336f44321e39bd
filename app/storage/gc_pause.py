"""Pausing Python's cyclic garbage collector around bulk work.

A first sync parses and writes tens of thousands of records per page: millions of short-lived
containers, none of them in reference cycles (reference counting frees them). Each of those
allocations counts towards the collector's thresholds, and with a large heap (a whole profile
unlocked) its full collections took about half of the time a page spent being parsed.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside; nested or concurrent uses (threads) re-enable it once,
    when the last one leaves, and only if it was enabled when the first one came in."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
