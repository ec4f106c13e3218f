"""Misbehaves at its 5th place decision, for the simulator's fault tests.

    python3 faulty_agent.py exit|hang|garbage|unknown-node

Until then it answers like a trivial policy (node 0).
  exit          exits with status 3 without answering
  hang          never answers (sleeps until killed)
  garbage       prints a line that is not JSON
  unknown-node  names a node that does not exist ("no-such-node")
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from continuum_sim_policy import PolicyConnection  # noqa: E402

MODES = ("exit", "hang", "garbage", "unknown-node")
FAULT_AT = 5


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1] not in MODES:
        print(f"usage: faulty_agent.py {'|'.join(MODES)}", file=sys.stderr)
        sys.exit(2)
    mode = sys.argv[1]
    conn = PolicyConnection()
    places = 0
    for message in conn.messages():
        kind = message["type"]
        if kind == "monitor":
            conn.migrate(message["decision"])
            continue
        if kind != "place":
            continue
        places += 1
        if places < FAULT_AT:
            conn.act(message["decision"], 0)
            continue
        print(f"faulty_agent: {mode} at decision {message['decision']}", file=sys.stderr)
        if mode == "exit":
            sys.exit(3)
        if mode == "hang":
            while True:
                time.sleep(3600)
        if mode == "garbage":
            conn.send_raw("this is not JSON")
        else:
            # send(), not act(): act() would refuse the unknown node before the simulator sees it.
            conn.send({"type": "action", "decision": message["decision"], "node": "no-such-node"})
        # Wait for the simulator to close the pipe (or kill us) rather than racing it.
        while conn.receive() is not None:
            pass
        return


if __name__ == "__main__":
    main()
