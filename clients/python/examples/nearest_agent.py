"""Answers exactly as the built-in `nearest-healthy` scheduler: the healthy node with the least
nominal latency from the task's device, ties to the lowest index; with no healthy node, the
nearest node overall. The simulator's byte-identical test compares the two runs.

    {"name": "external", "options": {"command": ["python3", "clients/python/examples/nearest_agent.py"]}}
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy import run_policy  # noqa: E402

INF = float("inf")


def place(task, view):
    best, best_latency = -1, INF
    nearest, nearest_latency = 0, INF
    healthy = view["healthy"]
    for node, latency in enumerate(view["latency"]):
        if latency is None:  # JSON has no Infinity: an unreachable node arrives as null
            latency = INF
        # Strict "<" keeps the lowest index on ties, as the TypeScript loop does.
        if latency < nearest_latency:
            nearest, nearest_latency = node, latency
        if latency < best_latency and healthy[node]:
            best, best_latency = node, latency
    return best if best >= 0 else nearest


if __name__ == "__main__":
    run_policy(place)
