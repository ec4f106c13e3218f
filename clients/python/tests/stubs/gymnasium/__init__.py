"""A stand-in for Gymnasium (https://gymnasium.farama.org), for testing where it cannot be installed.

Gymnasium is not on Debian and PyPI is unreachable here and in CI, so the tests put this folder
on sys.path only when ``import gymnasium`` fails. It has what ContinuumSimEnv uses (``Env`` with
``np_random`` seeded by ``reset(seed=)``, ``spaces.Box``, ``spaces.Discrete``) and an
``utils.env_checker.check_env`` that checks the contract of the real one (gymnasium 1.x):
signatures, spaces, reset/step return shapes and types, observations inside the space, seeding
determinism of reset and step, idempotent close. Written from Gymnasium's documentation of the
Env API and env_checker, not copied from it.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import spaces  # noqa: F401  (gymnasium.spaces)

__version__ = "0.0-stub"


def _np_random(seed: Optional[int]):
    if seed is not None and not (isinstance(seed, int) and seed >= 0):
        raise ValueError(f"seed must be a non-negative int or None, got {seed!r}")
    sequence = np.random.SeedSequence(seed)
    return np.random.Generator(np.random.PCG64(sequence)), sequence.entropy


class Env:
    """The base class: subclasses set action_space and observation_space and implement reset/step."""

    metadata: dict[str, Any] = {"render_modes": []}
    render_mode: Optional[str] = None
    spec = None
    action_space: Any = None
    observation_space: Any = None
    _np_random = None

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None):
        if seed is not None:
            self._np_random, _ = _np_random(seed)

    def step(self, action):
        raise NotImplementedError

    def close(self):
        pass

    @property
    def np_random(self):
        if self._np_random is None:
            self._np_random, _ = _np_random(None)
        return self._np_random

    @property
    def unwrapped(self):
        return self
