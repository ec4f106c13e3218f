import io
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy.router import ROUTER_PROTOCOL, RouterProtocolError, run_router  # noqa: E402


def lines(*messages):
    return io.StringIO("".join(json.dumps(m) + "\n" for m in messages))


HELLO = {"type": "hello", "protocol": ROUTER_PROTOCOL, "label": "x", "scenario": {}, "routes": ["local", "cloud", "collaborative"], "options": {"t": 0.3}}


class RouterLoopTest(unittest.TestCase):
    def test_answers_each_route_and_sees_outcomes_then_returns_the_end(self):
        outcome = {"device": 0, "route": "cloud", "complexity": 0.9, "violated": False}
        inp = lines(
            HELLO,
            {"type": "route", "decision": 1, "time": 0, "query": {"complexity": 0.1}, "view": {"localOutstanding": 0}, "outcomes": []},
            {"type": "route", "decision": 2, "time": 5, "query": {"complexity": 0.8}, "view": {"localOutstanding": 1}, "outcomes": [outcome]},
            {"type": "end", "outcomes": [], "summary": {"completed": 2}},
        )
        out = io.StringIO()
        seen, options = [], {}
        end = run_router(
            lambda q, v: "local" if q["complexity"] < options["t"] else "cloud",
            seen.append,
            hello_fn=lambda h: options.update(h["options"]),
            infile=inp,
            outfile=out,
        )
        answers = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(answers[0], {"type": "ready"})
        self.assertEqual(answers[1], {"type": "action", "decision": 1, "route": "local"})
        self.assertEqual(answers[2], {"type": "action", "decision": 2, "route": "cloud"})
        self.assertEqual(seen, [outcome])
        self.assertEqual(end["summary"], {"completed": 2})

    def test_refuses_another_protocol_and_an_unknown_route(self):
        with self.assertRaises(RouterProtocolError):
            run_router(lambda q, v: "local", infile=lines({**HELLO, "protocol": "continuum-sim/policy@1"}), outfile=io.StringIO())
        inp = lines(HELLO, {"type": "route", "decision": 1, "time": 0, "query": {"complexity": 0.1}, "view": {}, "outcomes": []})
        with self.assertRaises(ValueError):
            run_router(lambda q, v: "moon", infile=inp, outfile=io.StringIO())


if __name__ == "__main__":
    unittest.main()


class RouterEnvTest(unittest.TestCase):
    def test_reset_step_rewards_and_end(self):
        from continuum_sim_policy.router import RouterEnv

        outcome = {"device": 0, "route": "local", "complexity": 0.2, "reward": 0.75}
        inp = lines(
            {**HELLO, "scenario": {"seed": 7}},
            {"type": "route", "decision": 1, "time": 0, "query": {"complexity": 0.2}, "view": {}, "outcomes": []},
            {"type": "route", "decision": 2, "time": 9, "query": {"complexity": 0.9}, "view": {}, "outcomes": [outcome]},
            {"type": "end", "outcomes": [{**outcome, "reward": -0.5}], "summary": {"completed": 2}},
        )
        out = io.StringIO()
        env = RouterEnv(infile=inp, outfile=out)
        observation, info = env.reset(seed=7)
        self.assertEqual(observation["query"]["complexity"], 0.2)
        self.assertEqual(info["seed"], 7)
        observation, reward, done, truncated, info = env.step("local")
        self.assertEqual((reward, done, truncated), (0.75, False, False))
        observation, reward, done, _, info = env.step(1)
        self.assertIsNone(observation)
        self.assertEqual((reward, done), (-0.5, True))
        self.assertEqual(info["summary"], {"completed": 2})
        answers = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(answers[1:], [{"type": "action", "decision": 1, "route": "local"}, {"type": "action", "decision": 2, "route": "cloud"}])
        with self.assertRaises(ValueError):
            RouterEnv(infile=lines({**HELLO, "scenario": {"seed": 7}}), outfile=io.StringIO()).reset(seed=8)
