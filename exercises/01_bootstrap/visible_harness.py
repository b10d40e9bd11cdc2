"""How the visible tests call your functions: quietly, and with a clear message when they fail.

Shipped beside every exercise notebook (one file, linked into each ``solutions/<id>/``). Each
exercise's ``visible_tests.py`` defines, per test cell, a *probe* (calls your functions on small
inputs and returns plain numbers) and a *check* (returns ``None`` when all is well, else the
teaching message). The notebook's test cell runs both and asserts, so a failure shows the message
at once; the grader runs the same probe and check, from its own copy of these files.

While your code runs, everything it writes to stdout or stderr (``print``, ``tqdm`` progress bars,
warnings, even output of compiled code) is captured at the file-descriptor level: nbgrader scores a
test cell 0 if anything reaches the cell's stderr, and honest progress output must not cost points.
A one-line note in the cell's (stdout) output says what was captured.

A statistical check judges a few numbers (a mean, a share, an acceptance rate), each a ``Stat``:
your value, the reference value, the statistic's standard error (its sd across runs of the
reference solution, measured by the instructor's ``course calibrate``) and the tolerance in standard
errors. One declaration drives the check, its message and the calibration.
"""

import contextlib
import functools
import io
import math
import os
import sys
import tempfile
import textwrap
import traceback
import warnings
from typing import NamedTuple


class Stat(NamedTuple):
    """One statistic a check judges: passes when ``|value - expected| <= k * sd``.

    ``sd`` is the statistic's standard error, its sd across runs of the reference solution (declared
    in the tests module, measured by ``course calibrate``); ``k`` is the tolerance in those units;
    ``hint`` says what usually causes a miss."""
    name: str
    value: float
    expected: float
    sd: float
    k: float
    hint: str = ""

    @property
    def z(self):
        """Distance from the reference in standard errors (signed)."""
        return (float(self.value) - float(self.expected)) / self.sd

    @property
    def tolerance(self):
        return self.k * self.sd

    def ok(self):
        value = float(self.value)
        return math.isfinite(value) and abs(value - float(self.expected)) <= self.tolerance


def stats_problem(stats):
    """The message for the first statistic outside its tolerance, or None: how far the value is
    from the reference in standard errors, beside the hint (never the test's data or code)."""
    for s in stats:
        if s.ok():
            continue
        value = float(s.value)
        if not math.isfinite(value):
            where = f"is {value}, not a finite number (the reference is {float(s.expected):.4g})"
        else:
            where = (f"is {value:.4g}, {abs(s.z):.1f} standard errors {'above' if s.z > 0 else 'below'} "
                     f"the reference {float(s.expected):.4g} (a correct answer lands within {s.k:g})")
        return f"{s.name} {where}" + (f": {s.hint}" if s.hint else "")
    return None


class Captured:
    """What the student's code wrote while captured: ``text`` (stdout and stderr) and ``warnings``."""

    def __init__(self):
        self.text, self.warnings = "", []

    def note(self):
        """One line describing the capture, or '' when nothing was written."""
        if not self.text.strip() and not self.warnings:
            return ""
        lines = [ln for ln in self.text.splitlines() if ln.strip()]
        parts = []
        if lines:
            parts.append(f"{len(lines)} line(s) of output (first: {lines[0].strip()[:80]!r})")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s) (first: {self.warnings[0][:80]!r})")
        return ("(captured while the test ran your code: " + " and ".join(parts)
                + "; that is fine, it does not affect the test)")


@contextlib.contextmanager
def captured():
    """Redirect Python's and the OS's stdout/stderr (fds 1 and 2) to a scratch file, and record
    warnings, for the duration of the block. Yields a :class:`Captured`, filled on exit."""
    record = Captured()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    buffer = io.StringIO()
    old_streams = sys.stdout, sys.stderr
    with tempfile.TemporaryFile() as sink, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        sys.stdout = sys.stderr = buffer
        try:
            yield record
        finally:
            sys.stdout, sys.stderr = old_streams
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            sink.seek(0)
            record.text = buffer.getvalue() + sink.read(100_000).decode(errors="replace")
            record.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]


def probe(ns, names, body):
    """Run ``body(*functions)`` on the student's functions ``names`` (looked up in ``ns``), quietly.

    Returns ``body``'s dict of plain results, or ``{"error": message}`` when a function is missing
    or raises; the message names the function and says what it raised.
    """
    missing = [n for n in names if not callable(ns.get(n))]
    if missing:
        return {"error": f"`{missing[0]}` is not defined: run the cell that defines it (and every "
                         "cell above it) first"}
    with captured() as out:
        try:
            result = body(*[ns[n] for n in names])
        except Exception as exc:  # the student's code raised: say which function, and what
            frames = [f.name for f in traceback.extract_tb(exc.__traceback__) if f.name in names]
            who = frames[-1] if frames else names[0]
            if isinstance(exc, NotImplementedError):
                result = {"error": f"`{who}` is not written yet: replace `raise NotImplementedError()` "
                                   "in its cell with your code"}
            else:
                result = {"error": f"`{who}` raised {type(exc).__name__}: {exc}"[:600]}
    note = out.note()
    if note:
        print(note)
    return result


def teaching(check):
    """Decorate a check: its message, wrapped to 100 columns, so the Validate dialog shows it whole
    (nbgrader's dialog does not wrap lines, and a traceback leaves room for about three)."""
    @functools.wraps(check)
    def wrapped(r):
        problem = check(r)
        return textwrap.fill(" ".join(problem.split()), 100) if problem else None
    return wrapped


def quiet(probe_fn):
    """Decorate a probe (the hidden tests' too): run it with the student's output captured, so that
    nothing reaches the test cell's stderr when nbgrader runs it in the student's kernel."""
    @functools.wraps(probe_fn)
    def wrapped(ns, seed):
        with captured() as out:
            result = probe_fn(ns, seed)
        note = out.note()
        if note:
            print(note)
        return result
    return wrapped
