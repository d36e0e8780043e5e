"""A dictionary that computes each missing value once.

The build's per-row loops (reading, the masked CSV lists, the lookup lists) turn 100,000 rows
into text made of a few thousand distinct names, RT/RW pairs and program/period/status values.
``memo[key]`` is a plain dictionary look-up once ``key`` has been seen, which keeps those loops
at one C-level look-up per value instead of a Python call.
"""

from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

__all__ = ["Memo"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict, Generic[K, V]):
    def __init__(self, compute: Callable[[K], V]):
        super().__init__()
        self._compute = compute

    def __missing__(self, key: K) -> V:
        value = self[key] = self._compute(key)
        return value
