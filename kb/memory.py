"""Memory after a large build: given back to the operating system, and what stays kept out of
the garbage collector's way.

The C library keeps the memory a process frees for later use: after a build that makes and
drops large temporaries (the search index at 10,000 guides sorts arrays of millions of
postings), a worker stays tens of MB larger than what it holds. glibc's `malloc_trim`
returns that free memory; elsewhere (musl, macOS) this does nothing.
"""

import ctypes
import ctypes.util
import gc
from functools import cache


@cache
def _trim():
    """glibc's malloc_trim, or None when the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_free_memory() -> bool:
    """Return freed heap memory to the system (glibc's malloc_trim(0)). True if it could."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True


def settle_long_lived() -> None:
    """After building what a process keeps for long (the guide and search indexes): collect
    the garbage of the build, give its memory back, and move every object left to the
    collector's permanent generation (gc.freeze), so that later collections, which run every
    few requests, no longer walk through tens of thousands of objects that stay. Objects
    frozen are still freed when nothing refers to them; only cycles among them would stay."""
    gc.collect()
    release_free_memory()
    gc.freeze()
