"""Kills the grading processes (found through /proc: its ancestors running `course ... grade`), so
that the class is not graded.
Needs the sandbox: its own PID namespace shows no process of the grader. Without it `course grade`
dies (positive control).
"""
import os


def _grader_ancestors():
    pid, out = os.getppid(), []
    while pid > 1:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = [a.decode(errors="replace") for a in f.read().split(b"\0")]
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        if "grade" in args and any("course" in a for a in args):
            out.append(pid)
        pid = parent
    return out


for _pid in _grader_ancestors():
    try:
        os.kill(_pid, 9)
    except OSError:
        pass
