"""The hash kbik uses for file contents and cache keys (BLAKE2b).

Taken from CPython's own ``_blake2`` module when there is one: ``import hashlib``
loads OpenSSL for algorithms kbik never uses, 6 ms at every start.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # another Python implementation: hashlib's is the same algorithm
    from hashlib import blake2b

__all__ = ["blake2b"]
