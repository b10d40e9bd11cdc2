"""The sandboxed half of the judge: runs a student's answers and the graders' probes.

Started by ``course.judge`` inside bubblewrap as ``python -I -m course.judge_runner``. It reads one
job (JSON on stdin: the instructor's setup cells, the answer-cell sources, the test cells' sources and
seeds, limits), and for each test cell forks a child that executes the setup and the answers in a
fresh namespace, runs that cell's ``_probe(ns, seed)`` and sends back only plain data (numbers,
strings, lists of floats). Nothing the student wrote ever returns as an object. Each child has its
own CPU-time, memory and file-size limits and a wall-clock limit, so a runaway cell loses that cell
only. The verdict is not reached here: ``course.judge`` checks the returned data in a process that
never ran student code.
"""

import contextlib
import io
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
import warnings

import numpy as np

# Taken before any student code runs: the serialiser keeps using these originals.
_dumps, _ndarray, _float, _int, _bool, _str = json.dumps, np.ndarray, float, int, bool, str
_isfinite = np.isfinite
MAX_RESULT = 50_000_000  # bytes of one probe's result
ANSWERS_DONE = b"\x00"  # sent by a child once the answers have run, before the probe


def plain(value, depth=0):
    """Convert a probe result to JSON-able plain data; refuse anything else."""
    if depth > 20:
        raise TypeError("probe result nested too deeply")
    t = type(value)
    if value is None or t in (_bool, np.bool_):
        return None if value is None else _bool(value)
    if t in (_int, np.int64, np.int32):
        return _int(value)
    if t in (_float, np.float64, np.float32):
        v = _float(value)
        return v if v == v and abs(v) != _float("inf") else {"__float__": repr(v)}
    if t is _str:
        return _str(value)[:10_000]
    if t is _ndarray:
        arr = np.array(value, dtype=_float, copy=True)
        return {"__array__": [repr(x) if not _isfinite(x) else _float(x) for x in arr.ravel().tolist()],
                "shape": [_int(n) for n in arr.shape]}
    if t in (list, tuple):
        return [plain(v, depth + 1) for v in value]
    if t is dict:
        return {_str(k): plain(v, depth + 1) for k, v in value.items()}
    raise TypeError(f"probe returned a {t.__name__}, not plain data")


def _limits(job):
    cpu = int(job.get("cpu_seconds", 60))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    mem = int(job.get("memory_bytes", 2 * 1024**3))
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    out = int(job.get("output_bytes", 10_000_000))
    resource.setrlimit(resource.RLIMIT_FSIZE, (out, out))


def _child(job, cell, wfd):
    """Runs in the forked child: answers, then one probe. Writes one JSON document to ``wfd``."""
    _limits(job)
    # Student output goes to a scratch file capped by RLIMIT_FSIZE: a flood ends the cell (SIGXFSZ).
    sink = os.open(f"output-{os.getpid()}.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0), os.dup2(sink, 1), os.dup2(sink, 2)
    out = {"ok": False}
    try:
        warnings.simplefilter("ignore")
        np.seterr(all="ignore")
        ns = {"__name__": "__main__"}
        answer_errors = out["answer_errors"] = []
        for src in job.get("setup", []):  # the instructor's imports and data, as nbgrader runs them
            try:
                exec(compile(src, "<setup>", "exec"), ns)
            except BaseException as exc:
                answer_errors.append(f"the notebook's setup cell raised {type(exc).__name__}: {exc}"[:500])
        for src in job["answers"]:
            try:
                exec(compile(src, "<answer>", "exec"), ns)
            except BaseException as exc:  # an answer cell that fails: later probes may still run
                answer_errors.append(f"{type(exc).__name__}: {exc}"[:500])
        os.write(wfd, ANSWERS_DONE)
        tns = {"__name__": "__probe__"}
        exec(compile(cell["source"], "<test>", "exec"), tns)
        result = tns["_probe"](ns, cell["seed"])
        out = {"ok": True, "result": plain(result), "answer_errors": answer_errors}
    except BaseException as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = [f"line {f.lineno} of your answer" for f in tb if f.filename == "<answer>"]
        out = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000], "where": where[-1:],
               "answer_errors": out.get("answer_errors", [])}
    try:
        data = _dumps(out).encode()
    except BaseException as exc:
        data = _dumps({"ok": False, "error": f"unserialisable result: {type(exc).__name__}"}).encode()
    view = memoryview(data[:MAX_RESULT])
    while view:
        n = os.write(wfd, view)
        view = view[n:]
    os._exit(0)


def run_cell(job, cell):
    """Fork a child for one cell; return its JSON result or a status of what went wrong."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            _child(job, cell, wfd)
        finally:
            os._exit(1)
    os.close(wfd)
    deadline = time.monotonic() + float(job.get("wall_seconds", 60))
    chunks, size, status = [], 0, None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            status = "timed out"
            break
        ready, _, _ = select.select([rfd], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(rfd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_RESULT:
                status = "output too large"
                break
    os.close(rfd)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, wstatus = os.waitpid(pid, 0)
    data = b"".join(chunks)
    answers_done = data.startswith(ANSWERS_DONE)
    data = data[1:] if answers_done else data
    if status:
        where = "" if answers_done else " while running your answer cells"
        return {"ok": False, "status": status, "error": f"the cell {status}{where}",
                "answers_hung": not answers_done}
    try:
        return json.loads(data)
    except ValueError:
        sig = os.WTERMSIG(wstatus) if os.WIFSIGNALED(wstatus) else None
        reason = {signal.SIGXCPU: "timed out", signal.SIGKILL: "killed (memory or time)",
                  signal.SIGXFSZ: "output too large"}.get(sig, "crashed")
        return {"ok": False, "status": reason, "error": f"the cell {reason}"}


def warm_up(setup):
    """Run the instructor's setup cells once before forking, so that each child finds their imports
    (matplotlib, helpers) loaded. Trusted code; its output must not reach stdout, the result channel."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for src in setup:
            try:
                exec(compile(src, "<setup>", "exec"), {"__name__": "__setup__"})
            except Exception:  # each child runs the setup again and reports what fails
                pass


def main():
    job = json.loads(sys.stdin.read())
    warm_up(job.get("setup", []))
    results, hung = {}, None
    for cell in job["cells"]:
        if hung:  # the answers themselves never finish: every later cell would wait as long
            results[cell["grade_id"]] = hung
            continue
        results[cell["grade_id"]] = run_cell(job, cell)
        if results[cell["grade_id"]].get("answers_hung"):
            hung = results[cell["grade_id"]]
    sys.stdout.write(json.dumps(results))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
