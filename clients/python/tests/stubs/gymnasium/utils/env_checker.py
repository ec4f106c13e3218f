"""check_env: the API contract gymnasium.utils.env_checker.check_env checks (gymnasium 1.x), as assertions."""

from __future__ import annotations

import inspect
from copy import deepcopy

import numpy as np

import gymnasium
from gymnasium import spaces


def data_equivalence(a, b) -> bool:
    """Equal structure, types and values (arrays by dtype, shape and content)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(data_equivalence(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(data_equivalence(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    return a == b


def check_env(env, warn=None, skip_render_check: bool = False, skip_close_check: bool = False) -> None:
    assert isinstance(env.unwrapped, gymnasium.Env), "the environment must inherit from gymnasium.Env"
    assert isinstance(env.action_space, spaces.Space), "action_space must be a gymnasium space"
    assert isinstance(env.observation_space, spaces.Space), "observation_space must be a gymnasium space"

    signature = inspect.signature(env.reset)
    assert "seed" in signature.parameters or "kwargs" in signature.parameters, "reset must take a seed argument"
    assert "options" in signature.parameters or "kwargs" in signature.parameters, "reset must take an options argument"

    # reset returns (obs, info) with obs in the space; a seed seeds np_random; the same seed gives the same observation.
    result = env.reset(seed=123)
    assert isinstance(result, tuple) and len(result) == 2, "reset must return (observation, info)"
    obs_1, info = result
    assert isinstance(info, dict), "reset's info must be a dict"
    assert obs_1 in env.observation_space, "reset's observation is not in observation_space"
    assert env.unwrapped._np_random is not None, "reset(seed=) must call super().reset(seed=seed)"
    rng_1 = deepcopy(env.unwrapped._np_random)
    obs_2, _ = env.reset()
    assert obs_2 in env.observation_space
    obs_3, _ = env.reset(seed=123)
    assert obs_3 in env.observation_space
    assert env.unwrapped._np_random.bit_generator.state == rng_1.bit_generator.state, "the same seed must give the same np_random"
    obs_4, _ = env.reset()
    assert obs_4 in env.observation_space
    assert data_equivalence(obs_1, obs_3), "reset(seed=123) twice gave different observations"
    assert data_equivalence(obs_2, obs_4), "reset(seed=123) then reset() twice gave different observations"
    env.reset(seed=456)
    assert env.unwrapped._np_random.bit_generator.state != rng_1.bit_generator.state, "a different seed must give a different np_random"
    result = env.reset(seed=123, options={})
    assert isinstance(result, tuple) and len(result) == 2

    # step returns (obs, reward, terminated, truncated, info) with the right types; the same seed and action give the same step.
    outcomes = []
    for _ in range(2):
        env.action_space.seed(123)
        action = env.action_space.sample()
        assert action in env.action_space
        env.reset(seed=123)
        outcome = env.step(action)
        assert isinstance(outcome, tuple) and len(outcome) == 5, "step must return (observation, reward, terminated, truncated, info)"
        obs, reward, terminated, truncated, info = outcome
        assert obs in env.observation_space, "step's observation is not in observation_space"
        assert np.issubdtype(type(reward), np.integer) or np.issubdtype(type(reward), np.floating), f"reward must be a number, got {type(reward)}"
        assert isinstance(terminated, (bool, np.bool_)), "terminated must be a bool"
        assert isinstance(truncated, (bool, np.bool_)), "truncated must be a bool"
        assert isinstance(info, dict), "step's info must be a dict"
        outcomes.append(outcome)
    assert all(data_equivalence(x, y) for x, y in zip(outcomes[0], outcomes[1])), "the same seed and action gave a different step"

    if not skip_render_check:
        assert env.render_mode is None or env.render_mode in env.metadata.get("render_modes", []), "render_mode must be one of metadata['render_modes']"
    if not skip_close_check:
        env.close()
        env.close()
