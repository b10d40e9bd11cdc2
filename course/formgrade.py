"""`course formgrade`: nbgrader's formgrader on the course folder, for hand grading.

It is nbgrader's own server extension in a Jupyter server started in the course folder (so that its
``nbgrader_config.py`` and default gradebook are used), on loopback.
"""

import os
import subprocess

from . import nbgrader_run as nbr


def command(paths, port, token=None):
    """The ``jupyter server`` command line serving formgrader for ``paths`` on 127.0.0.1:``port``."""
    argv = [str(nbr.BIN / "jupyter"), "server", f"--ServerApp.root_dir={paths.root}", "--ip=127.0.0.1",
            f"--port={port}", "--port-retries=0", "--no-browser",
            "--ServerApp.default_url=/formgrader"]
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    if os.geteuid() == 0:  # Jupyter refuses root without it
        argv.append("--allow-root")
    return argv


def serve(paths, port=8890):
    print(f"formgrader for {paths.root} at http://127.0.0.1:{port}/formgrader (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.call(command(paths, port), cwd=paths.root, env=nbr._env())
    except KeyboardInterrupt:
        return 0
