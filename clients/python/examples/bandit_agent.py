"""An epsilon-greedy bandit over nodes, one per device, written as a Gymnasium-style loop.

Each device keeps a value per node: a recency-weighted mean of the rewards of its finished
tasks there (constant step size, because the arms are not stationary: a node's latency rises as
other devices pile on it). A node this device has not tried yet starts from the mean reward all
devices have seen on that node, so one device's experience saves the others from re-exploring
a node that is overloaded. Only healthy nodes are chosen. Epsilon decays per device, so late in
the run the choice is mostly greedy.

    {"name": "external", "label": "bandit",
     "options": {"command": ["python3", "clients/python/examples/bandit_agent.py"], "epsilon": 0.1}}

Options (from the scheduler entry, read from the hello): epsilon (0.1, the floor), epsilon0
(start, 0.5), step (0.2, the step size). Seeded from the scenario seed and the entry label, so
a run is deterministic.
"""

import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy import PolicyEnv  # noqa: E402


def main() -> None:
    env = PolicyEnv()
    observation, info = env.reset()
    options = info["options"]
    epsilon_floor = float(options.get("epsilon", 0.1))
    epsilon_start = float(options.get("epsilon0", 0.5))
    step_size = float(options.get("step", 0.2))
    # A string seed goes through SHA-512 in random.Random: stable across runs and platforms.
    rng = random.Random(f"{info['seed']}/{info['label']}")

    node_count = len(info["scenario"]["nodes"])
    device_count = len(info["scenario"]["devices"])
    value = [[0.0] * node_count for _ in range(device_count)]
    tried = [[False] * node_count for _ in range(device_count)]
    decisions = [0] * device_count
    # Pooled prior per node, a running mean over every device; optimistic (0 = instant answer)
    # until the node has been seen, so each node gets tried.
    pooled = [0.0] * node_count
    pooled_n = [0] * node_count

    def learn(outcomes):
        for outcome in outcomes:
            device, node, reward = outcome["device"], outcome["node"], outcome["reward"]
            if not 0 <= node < node_count:  # a local run (-1) is not an arm here
                continue
            row = value[device]
            if tried[device][node]:
                row[node] += step_size * (reward - row[node])
            else:
                tried[device][node] = True
                row[node] = reward
            pooled_n[node] += 1
            pooled[node] += (reward - pooled[node]) / pooled_n[node]

    learn(info["outcomes"])
    terminated = observation is None
    while not terminated:
        device = observation["task"]["device"]
        healthy = observation["view"]["healthy"]
        candidates = [n for n in range(node_count) if healthy[n]] or list(range(node_count))
        decisions[device] += 1
        epsilon = max(epsilon_floor, epsilon_start / decisions[device] ** 0.5)
        if rng.random() < epsilon:
            action = rng.choice(candidates)
        else:
            row, seen = value[device], tried[device]
            # Ties go to the lowest index (max keeps the first), so the run is reproducible.
            action = max(candidates, key=lambda n: row[n] if seen[n] else pooled[n])
        observation, reward, terminated, truncated, info = env.step(action)
        learn(info["outcomes"])

    summary = info.get("summary") or {}
    print(f"bandit_agent: done, {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
