"""An epsilon-greedy contextual bandit over the RouterEnv: per complexity bin (10) it keeps each
route's mean reward (the simulator's utility: a good answer, minus a missed deadline and money)
and routes to the best, exploring 10% of the time. A sketch of an RL router trained online.

    {"policy": "external", "label": "bandit", "command": ["python3", "clients/python/examples/bandit_router.py"],
     "reward": {"usdPerGoodAnswer": 0.0005}}
"""

import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy.router import RouterEnv  # noqa: E402

BINS = 10
ROUTES = ("local", "cloud")


def main():
    env = RouterEnv()
    observation, info = env.reset()
    rng = random.Random(str(info["seed"]))
    count = [[0] * len(ROUTES) for _ in range(BINS)]
    total = [[0.0] * len(ROUTES) for _ in range(BINS)]

    def learn(outcomes):
        for outcome in outcomes:
            if outcome["route"] in ROUTES:
                b = min(BINS - 1, int(outcome["complexity"] * BINS))
                r = ROUTES.index(outcome["route"])
                count[b][r] += 1
                total[b][r] += outcome["reward"]

    learn(info["outcomes"])
    while observation is not None:
        b = min(BINS - 1, int(observation["query"]["complexity"] * BINS))
        if rng.random() < 0.1:
            action = rng.randrange(len(ROUTES))
        else:
            means = [total[b][r] / (count[b][r] + 1) for r in range(len(ROUTES))]
            action = max(range(len(ROUTES)), key=lambda r: means[r])
        observation, _reward, _done, _truncated, info = env.step(ROUTES[action])
        learn(info["outcomes"])


if __name__ == "__main__":
    main()
