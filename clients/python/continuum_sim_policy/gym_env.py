"""A Gymnasium environment over the simulator: ``pip install "./clients/python[gymnasium]"``.

``ContinuumSimEnv(scenario)`` runs the scenario with one scheduler entry, this environment: each
frame to place is an observation, the action is the node to place it on, and one simulator run is
one episode. The simulator starts its agent as a child process (see docs/policy-protocol.md); to
let the Python program own the loop, the environment writes the scenario with an external entry
whose command is a relay (``_relay.py``) that joins the simulator's pipes to a Unix socket the
environment listens on. Runs need ``--allow-exec``; the environment passes it, since the only code
the run starts is that relay.

* ``observation_space``: ``Box`` of 6 numbers per node, in scenario order: healthy (0 or 1),
  queue length, busy slots, slots, outstanding requests, and the nominal one-way latency from the
  frame's device in ms (-1 for an unreachable node). See docs/policy-protocol.md for each.
* ``action_space``: ``Discrete(nodes)``, the node index.
* ``reward``: the sum of the rewards of the requests that finished since the previous step
  (``-(total / deadline) - rewardPenalty`` when the deadline was missed); ``info["outcomes"]``
  says which device and node each came from (they were placed by earlier actions).
* ``reset(seed=s)`` runs the simulator with ``--seed s``: the same seed gives the same episode
  (the simulator is deterministic, and so is the environment). ``reset()`` without a seed draws
  one from the environment's ``np_random``.
* ``terminated`` when the run ends (its ``info["summary"]`` has the run's counts; the observation
  then repeats the last one, as nothing is left to place);
  ``truncated`` after ``max_episode_steps`` steps, when the run is stopped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

import gymnasium
import numpy as np
from gymnasium import spaces

from . import PolicyConnection, PolicyEnv, ProtocolError

__all__ = ["ContinuumSimEnv", "NODE_FEATURES", "UNREACHABLE"]

NODE_FEATURES = ("healthy", "queueLength", "busySlots", "slots", "outstanding", "latency")
# An unreachable node's latency (JSON null): below every real latency, inside the space.
UNREACHABLE = -1.0
# Seeds drawn by reset() without a seed: any value the simulator takes as an exact integer.
_SEED_BOUND = 2**31
_RELAY = str(Path(__file__).with_name("_relay.py"))


def default_simulate() -> list[str]:
    """The simulator command: ``$CONTINUUM_SIM_SIMULATE`` (a JSON list), ``simulate`` on the PATH, else ``npx --no-install simulate``."""
    configured = os.environ.get("CONTINUUM_SIM_SIMULATE")
    if configured:
        return list(json.loads(configured))
    found = shutil.which("simulate")
    return [found] if found else ["npx", "--no-install", "simulate"]


class ContinuumSimEnv(gymnasium.Env):
    """One scenario run per episode; see the module documentation."""

    metadata = {"render_modes": []}

    def __init__(
        self,
        scenario: str | os.PathLike,
        *,
        simulate: Optional[Sequence[str]] = None,
        max_episode_steps: Optional[int] = None,
        duration: Optional[str] = None,
        reward_penalty: Optional[float] = None,
        answer_timeout_ms: int = 3_600_000,
        render_mode: Optional[str] = None,
    ):
        if render_mode is not None:
            raise ValueError(f"render_mode {render_mode!r}: this environment does not render (see the simulator's reports)")
        if max_episode_steps is not None and max_episode_steps < 1:
            raise ValueError("max_episode_steps must be at least 1")
        self.render_mode = render_mode
        self.scenario = Path(scenario).resolve()
        self.simulate = list(simulate) if simulate is not None else default_simulate()
        self.max_episode_steps = max_episode_steps
        self.duration = duration
        self.reward_penalty = reward_penalty
        # Wall-clock time the simulator waits for each action: a learner may think between steps.
        self.answer_timeout_ms = answer_timeout_ms
        described = self._validate()
        self.node_count = int(described["nodes"])
        n = self.node_count
        low = np.tile(np.array([0, 0, 0, 0, 0, UNREACHABLE], dtype=np.float32), n)
        self.observation_space = spaces.Box(low=low, high=np.full(6 * n, np.inf, dtype=np.float32), shape=(6 * n,), dtype=np.float32)
        self.action_space = spaces.Discrete(n)
        self._episode: Optional[dict[str, Any]] = None
        self._steps = 0
        self._last = np.zeros(6 * n, dtype=np.float32)

    # -- Gymnasium API ---------------------------------------------------------------------

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None):
        super().reset(seed=seed)
        self._stop()
        run_seed = seed if seed is not None else int(self.np_random.integers(0, _SEED_BOUND))
        self._last = np.zeros(6 * self.node_count, dtype=np.float32)
        self._start(run_seed)
        try:
            observation, info = self._episode["env"].reset(seed=run_seed)
        except (ProtocolError, OSError) as error:
            message = self._stderr_text()
            self._stop()
            raise RuntimeError(f"the simulator stopped before the episode started ({error}):\n{message}") from error
        # The simulator has read the scenario by now: the copy written for it goes.
        self._remove_scenario_copy()
        self._steps = 0
        info = dict(info)
        for key in ("hello", "scenario"):
            info.pop(key, None)
        if observation is None:
            # A run with nothing to place ends at once.
            self._finish()
            return self._last.copy(), info
        return self._observe(observation), info

    def step(self, action):
        if self._episode is None:
            raise RuntimeError("call reset() before step() (and again after an episode ends)")
        try:
            observation, reward, terminated, _, info = self._episode["env"].step(int(action))
        except (ProtocolError, OSError) as error:
            # The simulator stopped mid-run (an error in the run, or killed): say why, from its stderr.
            message = self._stderr_text()
            self._stop()
            raise RuntimeError(f"the simulator stopped during the episode ({error}):\n{message}") from error
        self._steps += 1
        truncated = not terminated and self.max_episode_steps is not None and self._steps >= self.max_episode_steps
        if terminated:
            self._finish()
            obs = self._last.copy()
        else:
            obs = self._observe(observation)
        if truncated:
            self._stop()
        return obs, float(reward), bool(terminated), bool(truncated), info

    def close(self) -> None:
        self._stop()

    def __del__(self):
        # A forgotten close() must not leave a simulator process waiting for an answer.
        try:
            self._stop()
        except Exception:
            pass

    # -- the simulator process -------------------------------------------------------------

    def _validate(self) -> dict:
        result = subprocess.run([*self.simulate, "validate", str(self.scenario), "--json"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise ValueError(f"{self.scenario}: the simulator refuses the scenario:\n{result.stderr or result.stdout}")
        described = json.loads(result.stdout)
        if "frames" not in described.get("families", []):
            raise ValueError(f"{self.scenario}: no frame workload to place (a scenario of queries needs a router: see continuum_sim_policy.router)")
        return described

    def _scenario_copy(self, folder: str, socket_path: str) -> str:
        """The scenario with this environment as its one policy entry, beside the original (its relative paths then still hold)."""
        with open(self.scenario, encoding="utf-8") as file:
            document = json.load(file)
        document.pop("schedulers", None)
        options: dict[str, Any] = {"command": [sys.executable, _RELAY, socket_path], "timeoutMs": self.answer_timeout_ms, "monitor": False}
        if self.reward_penalty is not None:
            options["rewardPenalty"] = self.reward_penalty
        document["policies"] = [{"name": "external", "label": "gymnasium", "options": options}]
        text = json.dumps(document)
        beside = self.scenario.with_name(f".{self.scenario.stem}.gymnasium-{os.getpid()}-{id(self)}.json")
        try:
            beside.write_text(text, encoding="utf-8")
            return str(beside)
        except OSError:
            # A read-only folder (an installed package): relative paths then resolve from the temporary folder.
            copy = os.path.join(folder, self.scenario.name)
            Path(copy).write_text(text, encoding="utf-8")
            return copy

    def _start(self, run_seed: int) -> None:
        folder = tempfile.mkdtemp(prefix="continuum-sim-gym-")
        socket_path = os.path.join(folder, "agent.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(socket_path)
        server.listen(1)
        server.settimeout(0.1)
        scenario = self._scenario_copy(folder, socket_path)
        stderr = open(os.path.join(folder, "stderr.txt"), "w+", encoding="utf-8")
        command = [*self.simulate, scenario, "--allow-exec", "--seed", str(run_seed), "--out", os.path.join(folder, "out"), "--quiet"]
        if self.duration is not None:
            command += ["--duration", self.duration]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        self._episode = {"folder": folder, "server": server, "process": process, "stderr": stderr, "scenario": scenario}
        while True:
            try:
                connection, _ = server.accept()
                break
            except socket.timeout:
                if process.poll() is not None:
                    message = self._stderr_text()
                    self._stop()
                    raise RuntimeError(f"the simulator exited with code {process.returncode} before the episode started:\n{message}")
        connection.settimeout(None)
        reader = connection.makefile("r", encoding="utf-8", newline="\n")
        writer = connection.makefile("w", encoding="utf-8", newline="\n")
        self._episode.update(
            connection=connection,
            reader=reader,
            writer=writer,
            env=PolicyEnv(PolicyConnection(reader, writer, protect_stdout=False)),
        )

    def _stderr_text(self) -> str:
        stream = self._episode["stderr"]
        stream.flush()
        stream.seek(0)
        return stream.read()

    def _remove_scenario_copy(self) -> None:
        if self._episode is not None and self._episode.get("scenario"):
            try:
                os.remove(self._episode["scenario"])
            except FileNotFoundError:
                pass
            self._episode["scenario"] = None

    def _finish(self) -> None:
        """The run ended on its own: let the simulator write its results and exit, then clean up."""
        process = self._episode["process"]
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        if process.returncode not in (0, None):
            message = self._stderr_text()
            self._stop()
            raise RuntimeError(f"the simulator failed (exit {process.returncode}):\n{message}")
        self._stop()

    def _stop(self) -> None:
        """Ends the episode's process (if still running) and removes its files. Idempotent."""
        episode, self._episode = self._episode, None
        if episode is None:
            return
        for key in ("reader", "writer", "connection", "server"):
            item = episode.get(key)
            if item is not None:
                try:
                    item.close()
                except OSError:
                    pass
        process = episode["process"]
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        episode["stderr"].close()
        if episode.get("scenario"):
            try:
                os.remove(episode["scenario"])
            except FileNotFoundError:
                pass
        shutil.rmtree(episode["folder"], ignore_errors=True)

    # -- observations ----------------------------------------------------------------------

    def _observe(self, observation: dict) -> np.ndarray:
        view = observation["view"]
        if len(view["healthy"]) != self.node_count:
            raise RuntimeError(f"the run has {len(view['healthy'])} nodes, the scenario validated with {self.node_count}")
        columns = [
            [1.0 if healthy else 0.0 for healthy in view["healthy"]],
            view["queueLength"],
            view["busySlots"],
            view["slots"],
            view["outstanding"],
            [UNREACHABLE if latency is None else latency for latency in view["latency"]],
        ]
        # Node by node: [healthy, queue, busy, slots, outstanding, latency] for node 0, then node 1, ...
        self._last = np.array(columns, dtype=np.float32).T.reshape(-1)
        return self._last
