"""Where a course folder keeps what: the one description of the layout every command uses.

A course folder (nbgrader's layout, as ``nbgrader_config.py`` names it)::

    nbgrader_config.py
    solutions/<id>/<id>.ipynb          sources with solutions and hidden tests: the assignments
    exercises/<id>/<id>.ipynb          student versions written by ``course release``
    submitted/<student>/<id>/          collected submissions (+ timestamp.txt)
    autograded/<student>/<id>/         what formgrader opens; autograded/.judge/<id>/ caches verdicts
    feedback/<student>/<id>/           per-student feedback pages
    reports/                           exports (grades.csv, LMS files, summary), calibration/
    tests/corpus/<id>/*.py             submissions with known bugs: `course calibrate` measures power
    gradebook.db                       the default gradebook (any SQLAlchemy URL with --db)

This repository is itself a course folder (the default).
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class CourseError(Exception):
    """A problem with the course's configuration or input, reported as one line (no traceback)."""


@dataclass(frozen=True)
class CoursePaths:
    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).expanduser().resolve())

    @property
    def config(self):
        return self.root / "nbgrader_config.py"

    @property
    def solutions(self):
        return self.root / "solutions"

    @property
    def release(self):
        return self.root / "exercises"

    @property
    def submitted(self):
        return self.root / "submitted"

    @property
    def autograded(self):
        return self.root / "autograded"

    @property
    def feedback(self):
        return self.root / "feedback"

    @property
    def reports(self):
        return self.root / "reports"

    @property
    def gradebook(self):
        """The default gradebook URL (SQLite beside the course)."""
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def hide(self):
        """Folders the sandbox must hide from student code: the whole course folder (solutions,
        other submissions, the gradebook)."""
        return (self.root,)

    def source(self, assignment):
        return self.solutions / assignment / f"{assignment}.ipynb"

    def released(self, assignment):
        return self.release / assignment / f"{assignment}.ipynb"

    def submission(self, student, assignment):
        return self.submitted / student / assignment / f"{assignment}.ipynb"

    def autograded_notebook(self, student, assignment):
        return self.autograded / student / assignment / f"{assignment}.ipynb"

    def corpus(self, assignment):
        """Known-buggy (and known-correct) answers, one ``*.py`` each, for ``course calibrate``."""
        return self.root / "tests" / "corpus" / assignment

    def judge_cache(self, assignment):
        return self.autograded / ".judge" / assignment

    def feedback_page(self, student, assignment):
        return self.feedback / student / assignment / f"{assignment}.html"

    def assignments(self):
        """Assignment ids: every ``solutions/<id>/<id>.ipynb``, sorted."""
        return sorted(p.parent.name for p in self.solutions.glob("*/*.ipynb")
                      if p.stem == p.parent.name)

    def check(self):
        """A CourseError unless this is a course folder (it has ``solutions/``)."""
        if not self.solutions.is_dir():
            raise CourseError(f"{self.root} is not a course folder (no solutions/); make one with "
                              "`course init DIR` or pass --course-dir")
        return self

    def require(self, assignment):
        """``assignment`` if the course has it, else a CourseError naming the ones it has."""
        if assignment not in self.assignments():
            known = ", ".join(self.assignments()) or "none"
            raise CourseError(f"unknown assignment {assignment!r} in {self.root} "
                              f"(no {self.source(assignment).relative_to(self.root)}; assignments: {known})")
        return assignment

    def submissions(self, assignment):
        """``{student: path}`` of ``submitted/<student>/<id>/<id>.ipynb``."""
        return {p.parent.parent.name: p
                for p in sorted(self.submitted.glob(f"*/{assignment}/{assignment}.ipynb"))}

    def writable(self, folder):
        """``folder`` made if needed; a CourseError if it cannot be written."""
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CourseError(f"cannot create {folder}: {exc.strerror}") from None
        if not os.access(folder, os.W_OK):
            raise CourseError(f"{folder} is not writable")
        return folder


def db_url(paths, db=None):
    """The gradebook URL: ``db`` (a URL or an SQLite file) or the course's default, checked.

    A CourseError (one line) for a URL SQLAlchemy cannot parse, a database kind without a dialect,
    a missing driver, or an SQLite file whose folder cannot be written."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url = paths.gradebook if not db else db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    try:
        parsed = make_url(url)
        if parsed.drivername == "postgresql":
            # SQLAlchemy's default driver for postgresql:// is psycopg2; the course ships psycopg 3.
            parsed = parsed.set(drivername="postgresql+psycopg")
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise CourseError(f"--db {db!r}: unknown database kind {url.split('://')[0]!r}; "
                          "use sqlite:// or postgresql://") from None
    except (ArgumentError, ValueError) as exc:
        raise CourseError(f"--db {db!r} is not a database URL ({exc}); "
                          "use e.g. sqlite:///gradebook.db or postgresql://user@host/db") from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise CourseError(f"--db {db!r}: the database driver is not installed ({exc}); "
                          "pip install -r requirements.txt") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        folder = Path(parsed.database).resolve().parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise CourseError(f"gradebook {parsed.database}: folder {folder} is missing or not writable")
    return parsed.render_as_string(hide_password=False)
