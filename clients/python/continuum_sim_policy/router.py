"""Python side of language-model routing over the JSON-lines bridge, protocol ``continuum-sim/router@1``.

The simulator starts the agent as a child process and, for every query of an ``"kind": "llm"``
scenario, sends a ``route`` message; the agent answers ``local``, ``cloud`` or ``collaborative``
(see docs/llm.md). Standard library only. ``run_router(route_fn, observe_fn)`` is the whole loop::

    from continuum_sim_policy.router import run_router
    run_router(lambda query, view: "local" if query["complexity"] < 0.5 else "cloud")
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable, Optional

__all__ = ["ROUTER_PROTOCOL", "ROUTES", "RouterProtocolError", "run_router"]

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
