"""The agent process a ``ContinuumSimEnv`` puts in the scenario: it joins the simulator's pipes to
the environment's socket, byte for byte, so the Python program that owns the training loop speaks
the protocol itself (the simulator starts its agent; a Gymnasium environment must drive the run).

Usage (by the environment, not by hand): ``python3 _relay.py <unix socket path>``. Standard
library only, and run as a file (not ``-m``) so it needs no import path.
"""

import os
import socket
import sys
import threading


def main(path: str) -> None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(path)

    def upstream() -> None:
        # Simulator -> environment: each line as it comes (a raw read returns what is there, it does not wait for a full buffer).
        while True:
            data = os.read(0, 65536)
            if not data:
                break
            connection.sendall(data)
        try:
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    threading.Thread(target=upstream, daemon=True).start()
    while True:
        data = connection.recv(65536)
        if not data:
            break
        view = memoryview(data)
        while view:
            view = view[os.write(1, view) :]
    # The environment closed its end (episode over or truncated): so does the agent.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
