"""Python side of language-model routing over the JSON-lines bridge, protocol ``continuum-sim/router@1``.

The simulator starts the agent as a child process and, for every query of an ``"kind": "llm"``
scenario, sends a ``route`` message; the agent answers ``local``, ``cloud`` or ``collaborative``
(see docs/llm.md). Standard library only. ``run_router(route_fn, observe_fn)`` is the whole loop::

    from continuum_sim_policy.router import run_router
    run_router(lambda query, view: "local" if query["complexity"] < 0.5 else "cloud")

``RouterEnv`` is the same as a Gymnasium-style ``reset``/``step`` environment for RL loops.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable, Optional

__all__ = ["ROUTER_PROTOCOL", "ROUTES", "RouterEnv", "RouterProtocolError", "run_router"]

ROUTER_PROTOCOL = "continuum-sim/router@1"
ROUTES = ("local", "cloud", "collaborative")

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class RouterProtocolError(RuntimeError):
    """The simulator sent something this client does not understand (or closed the pipe early)."""


def run_router(
    route_fn: Callable[[dict, dict], str],
    observe_fn: Optional[Callable[[dict], None]] = None,
    *,
    hello_fn: Optional[Callable[[dict], None]] = None,
    infile=None,
    outfile=None,
) -> Optional[dict]:
    """Answer route messages until the simulator ends the run; returns the end message (or None).

    ``route_fn(query, view)`` gets ``query`` = {device, promptTokens, outputTokens, complexity,
    purpose} and ``view`` = {localOutstanding} and returns one of ROUTES. ``observe_fn(outcome)``
    sees each finished query (device, route, complexity, ttftMs, totalMs, violated, costUsd,
    reachedCloud, quality, good, at) before the next decision. ``hello_fn(hello)`` gets the
    handshake (label, scenario, routes, options).
    """
    own_stdout = outfile is None
    inp = sys.stdin if infile is None else infile
    out = sys.stdout if outfile is None else outfile
    if own_stdout:
        # A stray print() in the agent goes to stderr instead of corrupting the protocol.
        sys.stdout = sys.stderr

    def send(message: dict) -> None:
        out.write(_dumps(message) + "\n")
        out.flush()

    line = inp.readline()
    if not line:
        raise RouterProtocolError("simulator closed the connection before the hello")
    hello = json.loads(line)
    if hello.get("type") != "hello" or hello.get("protocol") != ROUTER_PROTOCOL:
        raise RouterProtocolError(f"expected a hello of protocol {ROUTER_PROTOCOL}, got {line[:200]!r}")
    if hello_fn is not None:
        hello_fn(hello)
    send({"type": "ready"})
    while True:
        line = inp.readline()
        if not line:
            return None
        message: Any = json.loads(line)
        kind = message.get("type")
        if observe_fn is not None:
            for outcome in message.get("outcomes", ()):
                observe_fn(outcome)
        if kind == "end":
            return message
        if kind != "route":
            raise RouterProtocolError(f"unexpected message type {kind!r}")
        route = route_fn(message["query"], message["view"])
        if route not in ROUTES:
            raise ValueError(f"route {route!r} is not one of {ROUTES}")
        send({"type": "action", "decision": message["decision"], "route": route})


class _Lines:
    """stdin/stdout as JSON lines; stdout protected from stray prints when it is the real one."""

    def __init__(self, infile=None, outfile=None):
        if outfile is None:
            outfile = sys.stdout
            sys.stdout = sys.stderr
        self._in = sys.stdin if infile is None else infile
        self._out = outfile

    def receive(self) -> Optional[dict]:
        line = self._in.readline()
        return json.loads(line) if line else None

    def send(self, message: dict) -> None:
        self._out.write(_dumps(message) + "\n")
        self._out.flush()


class RouterEnv:
    """A Gymnasium-style environment over one simulator run of one router entry (one episode).

    * ``reset(seed=None) -> (observation, info)``: handshake, then the first route message. The
      simulator owns the seed; a ``seed`` given here is only checked against it.
    * ``step(action) -> (observation, reward, terminated, truncated, info)``: routes the pending
      query (``action`` is one of ROUTES, or its index), then reads to the next route message or
      to the end (``terminated=True``, ``observation=None``, ``info["summary"]``).

    An observation is ``{"time", "query", "view"}``. The reward is the sum of the rewards of the
    outcomes delivered since the previous step (the simulator computes each with the router
    entry's ``reward`` weights: a good answer minus a missed deadline, money, ...); those queries
    were routed by *earlier* actions, so a learner should credit ``info["outcomes"]`` (each with
    its ``route``, ``complexity`` and ``reward``). ``truncated`` is always False.
    """

    def __init__(self, infile=None, outfile=None):
        self._lines = _Lines(infile, outfile)
        self._decision: Optional[int] = None
        self.hello: Optional[dict] = None
        self.terminated = False
        self.summary: Optional[dict] = None

    def reset(self, seed=None, options=None):
        if self.hello is not None:
            raise RouterProtocolError("one simulator run is one episode: start a new run for a new episode")
        hello = self._lines.receive()
        if hello is None or hello.get("type") != "hello" or hello.get("protocol") != ROUTER_PROTOCOL:
            raise RouterProtocolError(f"expected a hello of protocol {ROUTER_PROTOCOL}, got {hello!r}")
        actual = hello["scenario"]["seed"]
        if seed is not None and str(seed) != str(actual):
            raise ValueError(f"reset(seed={seed!r}) but the simulator runs seed {actual!r}: set it in the scenario or with --seed")
        self.hello = hello
        self._lines.send({"type": "ready"})
        observation, _reward, outcomes = self._advance()
        return observation, {"seed": actual, "label": hello["label"], "scenario": hello["scenario"], "options": hello.get("options", {}), "outcomes": outcomes}

    def step(self, action):
        if self.terminated:
            raise RouterProtocolError("the episode has ended; start a new run")
        if self._decision is None:
            raise RouterProtocolError("call reset() before step()")
        route = ROUTES[action] if isinstance(action, int) else action
        if route not in ROUTES:
            raise ValueError(f"route {route!r} is not one of {ROUTES}")
        self._lines.send({"type": "action", "decision": self._decision, "route": route})
        observation, reward, outcomes = self._advance()
        info = {"outcomes": outcomes}
        if self.terminated:
            info["summary"] = self.summary
        return observation, reward, self.terminated, False, info

    def _advance(self):
        reward = 0.0
        outcomes: list = []
        while True:
            message = self._lines.receive()
            if message is None:
                raise RouterProtocolError("simulator closed the connection before the end message")
            batch = message.get("outcomes") or ()
            outcomes.extend(batch)
            reward += sum(outcome["reward"] for outcome in batch)
            kind = message.get("type")
            if kind == "route":
                self._decision = message["decision"]
                return {"time": message["time"], "query": message["query"], "view": message["view"]}, reward, outcomes
            if kind == "end":
                self.terminated = True
                self._decision = None
                self.summary = message.get("summary")
                return None, reward, outcomes
            raise RouterProtocolError(f"unexpected message type {kind!r}")
