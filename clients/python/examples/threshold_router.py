"""Answers exactly as the built-in `complexity-threshold` router: local below the threshold (from
the agentOptions, default 0.5), cloud at or above it. The simulator's test compares the two runs.

    {"policy": "external", "command": ["python3", "clients/python/examples/threshold_router.py"], "agentOptions": {"threshold": 0.5}}
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy.router import run_router  # noqa: E402

settings = {"threshold": 0.5}


def hello(message):
    settings["threshold"] = message["options"].get("threshold", 0.5)


if __name__ == "__main__":
    run_router(lambda query, view: "local" if query["complexity"] < settings["threshold"] else "cloud", hello_fn=hello)
