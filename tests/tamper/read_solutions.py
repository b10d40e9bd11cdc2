"""Finds the course folder through the grader's processes (their --course-dir argument and working
folders, from /proc) or else by walking the file system, reads solutions/*/*.ipynb and runs the
solution cells: full marks.
Needs the sandbox: its own PID namespace hides the grader, and no course folder is bound. Without it
the buggy answers are replaced by the instructor's (positive control).
"""
import glob
import json
import os


def _course_dirs():
    pid, out = os.getppid(), []
    while pid > 1:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = [a.decode(errors="replace") for a in f.read().split(b"\0")]
            out += [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--course-dir"]
            out.append(os.readlink(f"/proc/{pid}/cwd"))
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return out


def _walk(limit=50_000):
    """Folders holding solutions/, walking from / (skipping what holds only installed code)."""
    skip = {"proc", "sys", "dev", "usr", "site-packages", "lib-dynload", "__pycache__", ".git"}
    out, n = [], 0
    for root, dirs, _files in os.walk("/"):
        dirs[:] = [d for d in dirs if d not in skip]
        if "solutions" in dirs:
            out.append(root)
        n += len(dirs)
        if n > limit:
            break
    return out


def _notebooks(folders):
    return [nb for d in folders for nb in glob.glob(os.path.join(d, "solutions", "*", "*.ipynb"))]


for _nb in _notebooks(_course_dirs()) or _notebooks(_walk()):
    for _cell in json.load(open(_nb))["cells"]:
        if _cell.get("metadata", {}).get("nbgrader", {}).get("solution") and _cell["cell_type"] == "code":
            exec("".join(_cell["source"]))
