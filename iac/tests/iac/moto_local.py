"""A local moto_server for the deployment tests: started on 127.0.0.1 with a free port, stopped on exit.

Shared by moto_deploy.py (CloudFormation stacks) and moto_fis.py (FIS experiment templates).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path


@contextlib.contextmanager
def server():
    """Starts moto_server (next to this Python) and yields its port once it accepts connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(os.environ.get("MOTO_LOG", os.devnull), "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("moto_server did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait()
        log.close()
