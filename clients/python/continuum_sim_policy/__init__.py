"""Python side of the continuum-sim external-policy bridge, protocol ``continuum-sim/policy@1``.

The simulator starts the agent as a child process and talks to it over stdin/stdout, one JSON
object per line, in lockstep (see docs/policy-protocol.md). Standard library only.

Three layers, use whichever fits:

* ``PolicyConnection``: the line protocol itself (handshake, read a message, answer it).
* ``run_policy(place_fn, observe_fn, monitor_fn)``: a callback loop for plain policies.
* ``PolicyEnv``: a Gymnasium-style ``reset``/``step`` wrapper for RL loops. One simulator run
  (one scheduler entry of a scenario) is one episode.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable, Iterable, Iterator, Optional, Union

__all__ = [
    "PROTOCOL",
    "PolicyConnection",
    "PolicyEnv",
    "ProtocolError",
    "run_policy",
]

PROTOCOL = "continuum-sim/policy@1"

Message = dict
Node = Union[int, str]

# One encoder for every answer: compact separators keep lines short, and binding the method
# once avoids a dict lookup per message on the hot path (tens of thousands of decisions/s).
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_loads = json.loads


class ProtocolError(RuntimeError):
    """The simulator sent something this client does not understand (or closed the pipe early)."""


class PolicyConnection:
    """The JSON-lines connection to the simulator.

    By default it reads ``sys.stdin`` and writes ``sys.stdout``; pass text streams (e.g.
    ``io.StringIO``) to drive it from tests. When it owns the real stdout it also points
    ``sys.stdout`` at stderr, so a stray ``print()`` in the agent becomes a log line instead of
    corrupting the protocol (the simulator would stop the run on a non-JSON line).
    """

    def __init__(self, infile=None, outfile=None, *, protect_stdout: Optional[bool] = None):
        if outfile is None:
            outfile = sys.stdout
            if protect_stdout is None:
                protect_stdout = True
        if protect_stdout:
            sys.stdout = sys.stderr
        self._in = sys.stdin if infile is None else infile
        self._out = outfile
        self._readline = self._in.readline
        self._write = self._out.write
        self._flush = self._out.flush
        self.hello: Optional[Message] = None
        self.end: Optional[Message] = None
        self.node_ids: list[str] = []
        self._node_set: frozenset = frozenset()

    # -- raw lines -------------------------------------------------------------------------

    def receive(self) -> Optional[Message]:
        """The next message from the simulator, or None when it closed our stdin."""
        line = self._readline()
        if not line:
            return None
        try:
            message = _loads(line)
        except ValueError as error:
            raise ProtocolError(f"simulator sent a line that is not JSON: {line[:200]!r}") from error
        if message.get("type") == "end":
            self.end = message
        return message

    def send(self, message: Message) -> None:
        """Write one message as one line and flush: the simulator is blocked waiting for it."""
        self._write(_dumps(message) + "\n")
        self._flush()

    def send_raw(self, line: str) -> None:
        """Write a line verbatim (only for testing the simulator's fault handling)."""
        self._write(line if line.endswith("\n") else line + "\n")
        self._flush()

    # -- handshake -------------------------------------------------------------------------

    def handshake(self) -> Message:
        """Read the hello, check the protocol version, answer ready. Idempotent."""
        if self.hello is not None:
            return self.hello
        message = self.receive()
        if message is None:
            raise ProtocolError("simulator closed the connection before the hello")
        if message.get("type") != "hello":
            raise ProtocolError(f"expected a hello message, got {message.get('type')!r}")
        if message.get("protocol") != PROTOCOL:
            raise ProtocolError(f"unsupported protocol {message.get('protocol')!r}; this client speaks {PROTOCOL}")
        self.hello = message
        self.node_ids = [node["id"] for node in message["scenario"]["nodes"]]
        self._node_set = frozenset(self.node_ids)
        self.send({"type": "ready"})
        return message

    @property
    def label(self) -> str:
        return self._hello()["label"]

    @property
    def scenario(self) -> Message:
        return self._hello()["scenario"]

    @property
    def options(self) -> Message:
        return self._hello().get("options", {})

    @property
    def seed(self) -> Union[int, str]:
        return self._hello()["scenario"]["seed"]

    @property
    def node_count(self) -> int:
        return len(self.node_ids)

    def _hello(self) -> Message:
        if self.hello is None:
            raise ProtocolError("no hello yet: call handshake() first")
        return self.hello

    # -- answers ---------------------------------------------------------------------------

    def check_node(self, node: Node) -> None:
        """Fail here, with a clear message, rather than have the simulator stop the run."""
        if type(node) is int:
            if 0 <= node < len(self.node_ids):
                return
        elif isinstance(node, str) and node in self._node_set:
            return
        raise ValueError(f"no node {node!r}: nodes are 0..{len(self.node_ids) - 1} or ids {self.node_ids}")

    def act(self, decision: int, node: Node) -> None:
        """Answer a place message: run the task on ``node`` (an index, or a node id)."""
        self.check_node(node)
        self.send({"type": "action", "decision": decision, "node": node})

    def migrate(self, decision: int, migrations: Iterable[Message] = ()) -> None:
        """Answer a monitor message with ``[{"device": int, "to": node}, ...]`` (may be empty)."""
        migrations = list(migrations)
        for migration in migrations:
            self.check_node(migration["to"])
        self.send({"type": "migrations", "decision": decision, "migrations": migrations})

    def messages(self) -> Iterator[Message]:
        """Every message after the hello, up to and including ``end``; answering is up to you."""
        self.handshake()
        while True:
            message = self.receive()
            if message is None:
                raise ProtocolError("simulator closed the connection before the end message")
            yield message
            if message["type"] == "end":
                return


def run_policy(
    place_fn: Callable[[Message, Message], Node],
    observe_fn: Optional[Callable[[Message], None]] = None,
    monitor_fn: Optional[Callable[[Message], Iterable[Message]]] = None,
    *,
    connection: Optional[PolicyConnection] = None,
) -> Message:
    """Serve one simulator run with callbacks; returns the end message (it has the summary).

    ``place_fn(task, view) -> node``; ``observe_fn(outcome)`` is called for each finished task,
    before the decision it arrived with (it finished earlier in simulated time);
    ``monitor_fn(view) -> migrations`` (without it, monitor ticks get no migrations). For the
    hello (seed, label, nodes), create the connection yourself, call ``handshake()`` and pass it.
    """
    conn = connection if connection is not None else PolicyConnection()
    act, migrate = conn.act, conn.migrate
    for message in conn.messages():
        if observe_fn is not None:
            for outcome in message.get("outcomes", ()):
                observe_fn(outcome)
        kind = message["type"]
        if kind == "place":
            act(message["decision"], place_fn(message["task"], message["view"]))
        elif kind == "monitor":
            migrate(message["decision"], monitor_fn(message["view"]) if monitor_fn is not None else ())
        elif kind != "end":
            raise ProtocolError(f"unexpected message type {kind!r}")
    return conn.end  # type: ignore[return-value]


class PolicyEnv:
    """A Gymnasium-style environment over one simulator run (one episode).

    * ``reset(seed=None) -> (observation, info)``: handshake, then the first place message.
      The simulator owns the seed (the scenario's, or ``--seed``): a ``seed`` given here is only
      checked against it (``ValueError`` on mismatch). ``info`` has ``seed``, ``label``,
      ``scenario``, ``options`` and ``hello``.
    * ``step(action) -> (observation, reward, terminated, truncated, info)``: places the pending
      task on ``action`` (a node index, or a node id), then reads up to the next place message,
      answering monitor ticks with no migrations, or up to the end message
      (``terminated=True``, ``observation=None``, ``info["summary"]``).

    An observation is ``{"time", "task", "view"}`` from a place message. The reward is the sum of
    the rewards of the outcomes delivered since the previous step; those tasks were placed by
    *earlier* actions (a task finishes after its network and service time), so a learner should
    credit ``info["outcomes"]`` (each has ``device``, ``node`` and ``reward``) rather than the
    last action. ``truncated`` is always False: the simulator ends the run.

    A scenario with no tasks ends at once: ``reset`` then returns ``observation=None`` and
    ``info["terminated"] = True``. After the end, the episode is over; the simulator closes the
    pipe, so a new episode is a new run (and a new process).
    """

    def __init__(self, connection: Optional[PolicyConnection] = None):
        self.connection = connection if connection is not None else PolicyConnection()
        self._decision: Optional[int] = None
        self.terminated = False
        self.summary: Optional[Message] = None

    def reset(self, seed: Union[int, str, None] = None, options: Optional[Message] = None):
        conn = self.connection
        if conn.end is not None or self._decision is not None:
            raise ProtocolError("one simulator run is one episode: start a new run for a new episode")
        hello = conn.handshake()
        actual = hello["scenario"]["seed"]
        if seed is not None and str(seed) != str(actual):
            raise ValueError(f"reset(seed={seed!r}) but the simulator runs seed {actual!r}: set it in the scenario or with --seed")
        info: Message = {
            "seed": actual,
            "label": hello["label"],
            "scenario": hello["scenario"],
            "options": hello.get("options", {}),
            "hello": hello,
        }
        observation, _reward, outcomes, step_info = self._advance()
        info.update(step_info)
        info["outcomes"] = outcomes
        return observation, info

    def step(self, action: Node):
        if self.terminated:
            raise ProtocolError("the episode has ended; start a new run")
        if self._decision is None:
            raise ProtocolError("call reset() before step()")
        self.connection.act(self._decision, action)
        observation, reward, outcomes, info = self._advance()
        info["outcomes"] = outcomes
        return observation, reward, self.terminated, False, info

    def _advance(self):
        """Read to the next place (answering monitor ticks) or the end; gather outcomes."""
        conn = self.connection
        reward = 0.0
        outcomes: list = []
        while True:
            message = conn.receive()
            if message is None:
                raise ProtocolError("simulator closed the connection before the end message")
            batch = message.get("outcomes")
            if batch:
                outcomes.extend(batch)
                for outcome in batch:
                    reward += outcome["reward"]
            kind = message["type"]
            if kind == "place":
                self._decision = message["decision"]
                observation = {"time": message["time"], "task": message["task"], "view": message["view"]}
                return observation, reward, outcomes, {"decision": message["decision"], "time": message["time"]}
            if kind == "monitor":
                conn.migrate(message["decision"], ())
                continue
            if kind == "end":
                self._decision = None
                self.terminated = True
                self.summary = message.get("summary")
                return None, reward, outcomes, {"terminated": True, "summary": self.summary}
            raise ProtocolError(f"unexpected message type {kind!r}")

    def close(self) -> None:
        """Nothing to release: the simulator owns the process lifetime."""
