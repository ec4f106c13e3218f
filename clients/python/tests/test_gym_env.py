"""The Gymnasium environment against the real simulator (node + dist/cli/bin.cjs, built by npm test).

Runs against the real gymnasium when it is installed, else against the stand-in in tests/stubs
(Gymnasium is neither on Debian nor reachable on PyPI here; the stand-in's check_env checks the
same contract). Skipped, with the reason, when numpy or the simulator is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, ".."))

try:
    import numpy as np
except ImportError:  # the environment needs numpy (gymnasium depends on it)
    np = None

GYMNASIUM = "missing"
if np is not None:
    try:
        import gymnasium  # noqa: F401

        GYMNASIUM = "real"
    except ImportError:
        sys.path.insert(0, os.path.join(HERE, "stubs"))
        import gymnasium  # noqa: F401

        GYMNASIUM = "stand-in"


def simulate_command():
    configured = os.environ.get("CONTINUUM_SIM_SIMULATE")
    if configured:
        return json.loads(configured)
    bin_js = os.path.join(REPO, "dist", "cli", "bin.cjs")
    node = shutil.which("node")
    return [node, bin_js] if node and os.path.exists(bin_js) else None


SIMULATE = simulate_command()
SHIPPED = os.path.join(REPO, "scenarios", "edge-ai-testbed.json")
# 12 s: 4 cameras x 5 fps x 12 s = 240 frames to place; 10 s of them are the scenario's warm-up.
DURATION = "12 s"
SKIP = "numpy is not installed" if np is None else "the simulator is not built (npm run build) or node is missing" if SIMULATE is None else None


def nearest_healthy(observation):
    """The built-in nearest-healthy rule, on the observation: least latency among healthy nodes, ties to the lowest index."""
    nodes = observation.reshape(-1, 6)
    latency = [float("inf") if row[5] < 0 else float(row[5]) for row in nodes]
    healthy = [i for i in range(len(nodes)) if nodes[i][0] == 1]
    candidates = healthy if healthy else range(len(nodes))
    return min(candidates, key=lambda i: (latency[i], i))


@unittest.skipIf(SKIP is not None, SKIP or "")
class GymEnvTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from continuum_sim_policy.gym_env import ContinuumSimEnv

        cls.Env = ContinuumSimEnv
        print(f"\ngymnasium: {GYMNASIUM}", file=sys.stderr)
        # A copy in a folder of its own: the environment writes its scenario beside the one it is
        # given, and the repository's scenarios/ is read by other tests running at the same time.
        cls.folder = tempfile.mkdtemp(prefix="gym-test-")
        cls.scenario = os.path.join(cls.folder, "edge-ai-testbed.json")
        shutil.copyfile(SHIPPED, cls.scenario)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def make(self, **kwargs):
        env = self.Env(self.scenario, simulate=SIMULATE, duration=DURATION, **kwargs)
        self.addCleanup(env.close)
        return env

    def episode(self, env, seed, policy=nearest_healthy):
        observation, _ = env.reset(seed=seed)
        trace = [observation.tobytes()]
        while True:
            observation, reward, terminated, truncated, info = env.step(policy(observation))
            trace.append((observation.tobytes(), reward, terminated, truncated))
            if terminated or truncated:
                return trace, info

    def test_subclasses_gymnasium_env_with_spaces(self):
        from gymnasium import spaces

        env = self.make()
        self.assertIsInstance(env, gymnasium.Env)
        self.assertIsInstance(env.action_space, spaces.Discrete)
        self.assertEqual(env.action_space.n, 3)  # coral, jetson-nano, up-squared
        self.assertIsInstance(env.observation_space, spaces.Box)
        self.assertEqual(env.observation_space.shape, (18,))
        self.assertEqual(env.observation_space.dtype, np.float32)

    def test_passes_check_env(self):
        from gymnasium.utils.env_checker import check_env

        check_env(self.make())

    def test_same_seed_same_episode_other_seed_other_episode(self):
        env = self.make()
        first, _ = self.episode(env, 11)
        second, _ = self.episode(env, 11)
        other, _ = self.episode(env, 12)
        self.assertEqual(first, second)
        self.assertNotEqual(first, other)

    def test_a_whole_episode_is_the_run(self):
        """240 frames placed (4 x 5 fps x 12 s), 40 measured after the 10 s warm-up; with the
        nearest-healthy rule the run's summary is the built-in nearest-healthy's, from the CLI."""
        env = self.make()
        trace, info = self.episode(env, 5)
        self.assertEqual(len(trace) - 1, 240)
        self.assertTrue(trace[-1][2])  # terminated
        self.assertFalse(any(step[3] for step in trace[1:]))  # never truncated
        summary = info["summary"]
        self.assertEqual(summary["completed"], 4 * 5 * (12 - 10))

        out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, out, True)
        with open(self.scenario, encoding="utf-8") as file:
            scenario = json.load(file)
        scenario["policies"] = ["nearest-healthy"]
        path = os.path.join(out, "nearest.json")
        with open(path, "w", encoding="utf-8") as file:
            json.dump(scenario, file)
        subprocess.run([*SIMULATE, path, "--seed", "5", "--duration", DURATION, "--out", out, "--quiet"], check=True, capture_output=True)
        with open(os.path.join(out, "results.json"), encoding="utf-8") as file:
            frames = json.load(file)["runs"][0]["frames"]
        self.assertEqual(summary["completed"], frames["jobs"]["completed"])
        self.assertEqual(summary["violationRate"], frames["jobs"]["violationRate"])
        self.assertEqual(summary["meanTotalMs"], frames["latency"]["total"]["mean"])

    def test_truncated_at_the_time_limit(self):
        env = self.make(max_episode_steps=25)
        trace, _ = self.episode(env, 3, policy=lambda observation: 0)
        self.assertEqual(len(trace) - 1, 25)
        self.assertEqual([step[3] for step in trace[1:]], [False] * 24 + [True])
        self.assertFalse(any(step[2] for step in trace[1:]))
        with self.assertRaises(RuntimeError):
            env.step(0)  # the episode is over; reset starts the next
        observation, _ = env.reset(seed=3)
        self.assertIn(observation, env.observation_space)

    def test_an_action_outside_the_space_is_refused_before_the_simulator_sees_it(self):
        env = self.make(max_episode_steps=5)
        env.reset(seed=4)
        with self.assertRaises(ValueError):
            env.step(3)  # nodes 0..2
        observation, _, _, _, _ = env.step(2)  # the episode goes on
        self.assertIn(observation, env.observation_space)

    def test_a_simulator_that_dies_mid_episode_is_reported(self):
        import signal

        env = self.make()
        env.reset(seed=4)
        os.killpg(env._episode["process"].pid, signal.SIGKILL)
        with self.assertRaises(RuntimeError) as caught:
            for _ in range(300):
                env.step(0)
        self.assertIn("the simulator stopped during the episode", str(caught.exception))
        self.assertIsNone(env._episode)  # cleaned up

    def test_reset_without_seed_draws_from_np_random(self):
        env = self.make(max_episode_steps=5)
        env.reset(seed=1)
        a = env.reset()[1]["seed"]
        env.reset(seed=1)
        b = env.reset()[1]["seed"]
        self.assertEqual(a, b)
        self.assertNotEqual(a, 1)

    def test_a_scenario_of_queries_only_is_refused(self):
        with self.assertRaises(ValueError) as caught:
            self.Env(os.path.join(REPO, "scenarios", "llm-routing.json"), simulate=SIMULATE)
        self.assertIn("no frame workload", str(caught.exception))

    def test_leaves_no_scenario_copy_behind(self):
        env = self.make(max_episode_steps=3)
        self.episode(env, 2, policy=lambda observation: 1)
        env.close()
        leftovers = [name for name in os.listdir(self.folder) if ".gymnasium-" in name]
        self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()
