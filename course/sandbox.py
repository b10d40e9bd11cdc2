"""Bubblewrap sandbox for untrusted student code.

Inside: the whole file system read-only, with the course folder, the repository, ``/tmp`` and the
home folder replaced by empty ones (so ``solutions/``, other submissions, the gradebook, IPython
and Jupyter profiles are out of sight); the Python installation, the venv, ``helpers`` and
``course`` bound back read-only; one scratch folder writable; no network; its own PID namespace;
killed with its parent.
"""

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .notebooks import ROOT


@functools.cache
def available():
    """True when bubblewrap exists and can start a sandbox on this machine."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    try:
        proc = subprocess.run([bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent",
                               "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _readonly_back(hidden, paths):
    """Paths (under a hidden folder) to bind back read-only."""
    out = []
    for p in paths:
        p = Path(p).resolve()
        if p.exists() and any(p == h or h in p.parents for h in hidden):
            out += ["--ro-bind", str(p), str(p)]
    return out


def command(argv, scratch, hide=()):
    """The bwrap command line running ``argv`` with ``scratch`` as the only writable folder."""
    home = Path.home().resolve()
    hidden = sorted({Path(h).resolve() for h in (*hide, ROOT, home, Path("/tmp"))},
                    key=lambda p: len(p.parts))
    cmd = [shutil.which("bwrap"), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
           "--unshare-all", "--die-with-parent", "--new-session"]
    for h in hidden:
        cmd += ["--tmpfs", str(h)]
    venv = Path(sys.prefix)
    cmd += _readonly_back(hidden, [sys.base_prefix, os.path.realpath(sys.executable), venv,
                                   ROOT / "helpers", ROOT / "course", ROOT / "pyproject.toml"])
    scratch = Path(scratch).resolve()
    cmd += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch),
            "--setenv", "HOME", str(scratch), "--setenv", "TMPDIR", str(scratch),
            "--setenv", "IPYTHONDIR", str(scratch / ".ipython"),
            "--setenv", "JUPYTER_CONFIG_DIR", str(scratch / ".jupyter"),
            "--setenv", "MPLCONFIGDIR", str(scratch / ".mpl"),
            "--setenv", "MPLBACKEND", "Agg", "--unsetenv", "PYTHONPATH", "--"]
    return cmd + list(argv)
