"""Drives the client with in-memory streams through a scripted run:
hello -> place -> monitor -> place (with outcomes) -> end."""

import io
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy import PROTOCOL, PolicyConnection, PolicyEnv, ProtocolError, run_policy  # noqa: E402

HELLO = {
    "type": "hello", "protocol": PROTOCOL, "label": "bandit",
    "scenario": {"name": "tiny", "seed": 7, "qosDeadlineMs": 200,
                 "nodes": [{"id": "coral", "slots": 1, "role": "edge"}, {"id": "cloud", "slots": 4, "role": "cloud"}],
                 "devices": [{"id": "cam-0"}, {"id": "cam-1"}]},
    "options": {"epsilon": 0.1},
}
VIEW = {"healthy": [True, True], "queueLength": [0, 0], "busySlots": [0, 0], "slots": [1, 4],
        "outstanding": [0, 0], "recentLatency": [None, None], "latency": [4, 40]}


def task(sequence, device):
    return {"sequence": sequence, "device": device, "deviceId": f"cam-{device}", "model": "mobilenet-ssd-v1",
            "frameSizePx": 300, "requestBytes": 27000, "createdAt": 100.0 * sequence}


OUT_A = {"sequence": 0, "device": 0, "node": 0, "createdAt": 0, "totalMs": 100, "violatedQos": False, "reward": -0.5}
OUT_B = {"sequence": 1, "device": 1, "node": 1, "createdAt": 100, "totalMs": 300, "violatedQos": True, "reward": -2.5}
OUT_C = {"sequence": 2, "device": 0, "node": 1, "createdAt": 200, "totalMs": 50, "violatedQos": False, "reward": -0.25}

SCRIPT = [
    HELLO,
    {"type": "place", "decision": 0, "time": 0, "task": task(0, 0), "view": VIEW, "outcomes": []},
    {"type": "monitor", "decision": 1, "time": 150, "view": dict(VIEW, latency=[[4, 40], [6, 40]]), "outcomes": [OUT_A]},
    {"type": "place", "decision": 2, "time": 200, "task": task(2, 1), "view": VIEW, "outcomes": [OUT_B]},
    {"type": "end", "outcomes": [OUT_C], "summary": {"completed": 3, "violationRate": 1 / 3, "meanTotalMs": 150}},
]


def streams(script=SCRIPT):
    return io.StringIO("".join(json.dumps(m) + "\n" for m in script)), io.StringIO()


def answers(out):
    lines = out.getvalue().splitlines()
    for line in lines:
        # Compact, one object per line: what the simulator's line reader expects.
        assert ": " not in line and ", " not in line, line
    return [json.loads(line) for line in lines]


class PolicyEnvTest(unittest.TestCase):
    def test_episode(self):
        inp, out = streams()
        env = PolicyEnv(PolicyConnection(inp, out))
        observation, info = env.reset(seed=7)
        self.assertEqual(info["seed"], 7)
        self.assertEqual(info["label"], "bandit")
        self.assertEqual(info["options"], {"epsilon": 0.1})
        self.assertEqual(observation["task"]["sequence"], 0)
        self.assertEqual(observation["view"]["latency"], [4, 40])
        self.assertEqual(answers(out), [{"type": "ready"}])

        # Step 1: answers decision 0, answers the monitor tick with no migrations on its own,
        # and returns the second place with the outcomes of both messages summed.
        observation, reward, terminated, truncated, info = env.step(1)
        self.assertFalse(terminated)
        self.assertFalse(truncated)
        self.assertAlmostEqual(reward, -0.5 + -2.5)
        self.assertEqual([o["sequence"] for o in info["outcomes"]], [0, 1])
        self.assertEqual(observation["task"]["device"], 1)
        self.assertEqual(info["decision"], 2)

        # Step 2 (a node id is a valid action too) reaches the end.
        observation, reward, terminated, truncated, info = env.step("coral")
        self.assertTrue(terminated)
        self.assertIsNone(observation)
        self.assertAlmostEqual(reward, -0.25)
        self.assertEqual(info["summary"]["completed"], 3)

        self.assertEqual(answers(out), [
            {"type": "ready"},
            {"type": "action", "decision": 0, "node": 1},
            {"type": "migrations", "decision": 1, "migrations": []},
            {"type": "action", "decision": 2, "node": "coral"},
        ])
        with self.assertRaises(ProtocolError):
            env.step(0)

    def test_seed_mismatch(self):
        inp, out = streams()
        with self.assertRaises(ValueError):
            PolicyEnv(PolicyConnection(inp, out)).reset(seed=8)

    def test_unknown_node_is_refused_locally(self):
        inp, out = streams()
        env = PolicyEnv(PolicyConnection(inp, out))
        env.reset()
        for bad in (2, -1, "edge-9", True):
            with self.assertRaises(ValueError):
                env.step(bad)
        self.assertEqual(answers(out), [{"type": "ready"}])

    def test_no_tasks(self):
        inp, out = streams([HELLO, SCRIPT[-1]])
        observation, info = PolicyEnv(PolicyConnection(inp, out)).reset()
        self.assertIsNone(observation)
        self.assertTrue(info["terminated"])
        self.assertEqual(len(info["outcomes"]), 1)

    def test_pipe_closed_early(self):
        inp, out = streams(SCRIPT[:2])
        env = PolicyEnv(PolicyConnection(inp, out))
        env.reset()
        with self.assertRaises(ProtocolError):
            env.step(0)


class ConnectionTest(unittest.TestCase):
    def test_run_policy(self):
        inp, out = streams()
        seen, views = [], []

        def place(task, view):
            return task["device"]

        def monitor(view):
            views.append(view)
            return [{"device": 0, "to": "cloud"}]

        end = run_policy(place, seen.append, monitor, connection=PolicyConnection(inp, out))
        self.assertEqual(end["summary"]["completed"], 3)
        self.assertEqual([o["sequence"] for o in seen], [0, 1, 2])
        self.assertEqual(views[0]["latency"], [[4, 40], [6, 40]])
        self.assertEqual(answers(out), [
            {"type": "ready"},
            {"type": "action", "decision": 0, "node": 0},
            {"type": "migrations", "decision": 1, "migrations": [{"device": 0, "to": "cloud"}]},
            {"type": "action", "decision": 2, "node": 1},
        ])

    def test_wrong_protocol(self):
        inp, out = streams([dict(HELLO, protocol="continuum-sim/policy@2")])
        with self.assertRaises(ProtocolError):
            PolicyConnection(inp, out).handshake()
        self.assertEqual(out.getvalue(), "")


class NearestAgentTest(unittest.TestCase):
    def test_matches_nearest_healthy(self):
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
        from nearest_agent import place

        view = dict(VIEW, healthy=[True, True, True], latency=[6, 4, 4])
        self.assertEqual(place({}, view), 1)  # tie between 1 and 2: the lowest index
        self.assertEqual(place({}, dict(view, healthy=[True, False, True])), 2)
        self.assertEqual(place({}, dict(view, healthy=[False, False, False])), 1)  # nearest at all
        self.assertEqual(place({}, dict(view, latency=[None, 9, 9])), 1)  # null = unreachable


if __name__ == "__main__":
    unittest.main()
