"""Box and Discrete, as in gymnasium.spaces (what ContinuumSimEnv uses)."""

from __future__ import annotations

from typing import Optional

import numpy as np


class Space:
    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = np.dtype(dtype) if dtype is not None else None
        self._np_random = None

    def seed(self, seed: Optional[int] = None):
        self._np_random = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
        return [seed]

    @property
    def np_random(self):
        if self._np_random is None:
            self.seed()
        return self._np_random

    def __contains__(self, x) -> bool:
        return self.contains(x)


class Box(Space):
    def __init__(self, low, high, shape=None, dtype=np.float32):
        shape = tuple(shape) if shape is not None else np.shape(low)
        super().__init__(shape, dtype)
        self.low = np.full(shape, low, dtype=self.dtype) if np.isscalar(low) else np.asarray(low, dtype=self.dtype)
        self.high = np.full(shape, high, dtype=self.dtype) if np.isscalar(high) else np.asarray(high, dtype=self.dtype)
        if self.low.shape != shape or self.high.shape != shape:
            raise ValueError(f"low {self.low.shape} and high {self.high.shape} must have the shape {shape}")

    def contains(self, x) -> bool:
        if not isinstance(x, np.ndarray):
            return False
        return bool(x.shape == self.shape and np.can_cast(x.dtype, self.dtype) and np.all(x >= self.low) and np.all(x <= self.high))

    def sample(self):
        low = np.where(np.isfinite(self.low), self.low, -1e6)
        high = np.where(np.isfinite(self.high), self.high, 1e6)
        return self.np_random.uniform(low, high).astype(self.dtype)


class Discrete(Space):
    def __init__(self, n: int, start: int = 0):
        if n < 1:
            raise ValueError("n must be positive")
        super().__init__((), np.int64)
        self.n = int(n)
        self.start = int(start)

    def contains(self, x) -> bool:
        if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
            return self.start <= int(x) < self.start + self.n
        return False

    def sample(self):
        return np.int64(self.start + self.np_random.integers(self.n))
