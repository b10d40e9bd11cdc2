"""Bubblewrap sandbox for untrusted student code: an allow-list, not a deny-list.

The sandbox starts from an empty root (a fresh tmpfs) and binds, read-only, only what the answers
need to run:

- the interpreter and its standard library: ``sys.base_prefix`` and the real path of
  ``sys.executable`` (e.g. a pyenv or /usr/local installation);
- the virtual environment (``sys.prefix``): numpy, scipy, matplotlib and their bundled libraries
  (``numpy.libs``, ``scipy.libs``), ipykernel/nbgrader for ``--in-kernel``;
- the two packages the course installs, ``helpers`` and ``course``, each bound alone: the editable
  install maps them to folders of the repository, whose other folders (``solutions/``, the
  gradebook, the build) never appear;
- the system's shared libraries: the dynamic loader and the folders of the libraries that the
  interpreter and its extension modules link against (found with ``ldd``; on Debian
  ``/usr/lib/x86_64-linux-gnu``, reached through the ``/lib`` and ``/lib64`` links: libc, libm,
  libz, libffi, libexpat, libstdc++...), and ``/etc/ld.so.cache``, the loader's index of them;
- a private ``/dev`` (null, zero, random, urandom, tty) and a ``/proc`` of its own PID namespace;
- one writable scratch folder, which is also ``HOME`` and ``TMPDIR``; :func:`seed` puts into it, before
  the run, matplotlib's font list as the same sandbox builds it (otherwise every submission's
  ``import matplotlib.pyplot`` would rebuild it in its empty ``MPLCONFIGDIR``).

Nothing else exists inside: no ``/home``, ``/root``, ``/srv``, ``/var``, ``/opt``, ``/mnt``, no
``/etc`` beyond the loader's cache, no course folder wherever it is, no repository. The environment is
cleared and set anew (no inherited secrets). ``--unshare-all``: no network (only a loopback of its
own), own PID, IPC, UTS and user namespaces; ``--die-with-parent``; ``--new-session`` (no terminal
injection). CPU, memory and output limits are set per cell by ``course.judge_runner``.
"""

import functools
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from .notebooks import ROOT

# Package folders the editable install maps to the repository (bound alone, never the repository).
PACKAGES = ("helpers", "course")
LOADER_CACHE = Path("/etc/ld.so.cache")  # the loader's index of library folders (names only)
MPL_DIR = ".mpl"  # matplotlib's config and cache folder inside the scratch folder (MPLCONFIGDIR)
# What the check in ``available`` imports: the judge's runner and what the setup cells load.
CHECK_IMPORTS = "import numpy, scipy.stats, matplotlib.font_manager, helpers, course.judge_runner"


def _package_dirs():
    """The folders of ``helpers`` and ``course`` beside this module: what the isolated interpreter
    imports through the editable install's mapping (or site-packages when installed normally).
    Not ``importlib.util.find_spec``: run from a folder holding a ``course`` folder, that would
    find the instructor's course folder first."""
    return [ROOT / p for p in PACKAGES]


@functools.cache
def shared_libraries():
    """The dynamic loader and the folders of the shared libraries that the interpreter and the
    standard library's extension modules link against, as ``ldd`` reports them (unresolved paths:
    the ELF files name ``/lib64/ld-linux-x86-64.so.2``, the loader searches ``/lib/<arch>``).

    numpy, scipy and matplotlib wheels carry their own libraries in the venv and otherwise need the
    same libc, libm, libz and libstdc++ folder; the grading tests prove it by importing them inside.
    """
    ldd = shutil.which("ldd")
    files = [os.path.realpath(sys.executable)]
    dynload = Path(sysconfig.get_paths()["platstdlib"]) / "lib-dynload"
    files += sorted(str(p) for p in dynload.glob("*.so"))
    if not ldd:
        return ()
    proc = subprocess.run([ldd, *files], capture_output=True, text=True)
    found = set()
    for line in proc.stdout.splitlines():
        m = re.search(r"=>\s*(/\S+)|^\s*(/\S+)\s+\(", line)
        if m:
            path = Path(m.group(1) or m.group(2))
            # the loader itself; the folders of everything else
            found.add(path if m.group(2) else path.parent)
    base = Path(sys.base_prefix).resolve()
    prefix = Path(sys.prefix).resolve()
    return tuple(sorted(p for p in found if not _under(p.resolve(), (base, prefix))))


def _under(path, roots):
    return any(path == r or r in path.parents for r in roots)


def allow_list(scratch=None):
    """``[(path, mode)]`` of everything the sandbox shows, ``mode`` "ro" or "rw" (the scratch).

    One definition, used by :func:`command`, the README's account and the canary tests.
    """
    ro = [Path(sys.base_prefix), Path(os.path.realpath(sys.executable)), Path(sys.prefix),
          *_package_dirs(), *shared_libraries()]
    if LOADER_CACHE.exists():
        ro.append(LOADER_CACHE)
    out = [(p, "ro") for p in ro if p.exists()]
    if scratch is not None:
        out.append((Path(scratch), "rw"))
    return out


def _links_and_real(path):
    """Walk ``path`` from the root: ``([(link, target)], real path)``, every symlink on the way
    (the sandbox recreates them, so that paths compiled into ELF files resolve inside)."""
    links, seen = [], 0
    parts = list(Path(os.path.abspath(path)).parts[1:])
    cur = Path("/")
    while parts:
        nxt = cur / parts.pop(0)
        if nxt.is_symlink():
            seen += 1
            if seen > 40:
                raise OSError(f"too many symlinks in {path}")
            target = os.readlink(nxt)
            links.append((nxt, target))
            rest = Path(target).parts if os.path.isabs(target) else (cur / target).parts
            parts = list(rest[1:]) + parts
            cur = Path("/")
            continue
        cur = nxt
    return links, Path(os.path.normpath(cur))


def _binds(entries):
    """bwrap arguments binding each ``(path, mode)`` at its real path, recreating the symlinks that
    lead to it; a path inside another bound one is not bound twice."""
    links, real = {}, {}
    for path, mode in entries:
        chain, target = _links_and_real(path)
        links.update(dict(chain))
        real[target] = "rw" if mode == "rw" or real.get(target) == "rw" else "ro"
    args = []
    ro_roots = [p for p, m in real.items() if m == "ro"]
    for p in sorted(real, key=lambda p: (len(p.parts), str(p))):
        if real[p] == "ro" and any(r != p and r in p.parents for r in ro_roots):
            continue  # already visible through a bound ancestor
        args += ["--ro-bind" if real[p] == "ro" else "--bind", str(p), str(p)]
    for link, target in sorted(links.items(), key=lambda kv: len(kv[0].parts)):
        if any(r in link.parents for r in real):
            continue  # the link lives inside a bound folder: already there
        args += ["--symlink", target, str(link)]
    return args


def environment(scratch):
    """The whole environment inside (everything else is cleared): no grader's secrets leak in."""
    scratch = str(scratch)
    bins = [str(Path(sys.executable).parent), str(Path(os.path.realpath(sys.executable)).parent)]
    env = {"PATH": os.pathsep.join(dict.fromkeys(bins)), "HOME": scratch, "TMPDIR": scratch,
           "LANG": "C.UTF-8", "IPYTHONDIR": f"{scratch}/.ipython",
           "JUPYTER_CONFIG_DIR": f"{scratch}/.jupyter", "MPLCONFIGDIR": f"{scratch}/{MPL_DIR}",
           "MPLBACKEND": "Agg"}
    if "PYTHONHASHSEED" in os.environ:
        env["PYTHONHASHSEED"] = os.environ["PYTHONHASHSEED"]
    return env


def command(argv, scratch, hide=()):
    """The bwrap command line running ``argv`` with ``scratch`` as the only writable folder.

    ``hide`` is kept for callers of the old deny-list sandbox: nothing outside :func:`allow_list`
    exists inside, so there is nothing left to hide.
    """
    del hide
    scratch = Path(scratch).resolve()
    cmd = [shutil.which("bwrap"), "--unshare-all", "--die-with-parent", "--new-session",
           "--clearenv", "--hostname", "sandbox", "--dev", "/dev", "--proc", "/proc"]
    cmd += _binds(allow_list(scratch))
    for k, v in environment(scratch).items():
        cmd += ["--setenv", k, v]
    cmd += ["--chdir", str(scratch), "--"]
    return cmd + list(argv)


@functools.cache
def _checked():
    """Run :data:`CHECK_IMPORTS` once in a fresh sandbox: ``(True, {name: bytes})`` of the font list
    matplotlib built in its empty ``MPLCONFIGDIR``, or ``(False, {})`` when no sandbox starts here.
    Only trusted code runs in this check; the same allow-list and paths as every judge, so the list
    names the fonts that exist inside, where they are inside."""
    if not shutil.which("bwrap"):
        return False, {}
    with tempfile.TemporaryDirectory(prefix="sandbox-check-") as scratch:
        argv = [sys.executable, "-I", "-c", CHECK_IMPORTS]
        try:
            proc = subprocess.run(command(argv, scratch), capture_output=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            return False, {}
        files = {p.name: p.read_bytes() for p in (Path(scratch) / MPL_DIR).glob("fontlist-*.json")}
    return proc.returncode == 0, files if proc.returncode == 0 else {}


def available():
    """True when bubblewrap exists and the sandbox can run the judge's imports on this machine."""
    return _checked()[0]


def seed(scratch):
    """Put matplotlib's font list (built once per process by :func:`_checked`) into the scratch folder
    of a sandboxed run. It saves each run the font scan of ``import matplotlib.pyplot`` (about a
    tenth of the runner's CPU time, measured in benchmarks/README.md) and changes nothing else:
    without it matplotlib would build the same list. Nothing is written when no sandbox starts here."""
    ok, files = _checked()
    if not ok or not files:
        return
    folder = Path(scratch) / MPL_DIR
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
