"""``course student-copy DIR``: the folder students get, with nothing an instructor must keep.

It holds the lectures (with their outputs), the released exercises with their support files (the
visible tests), the ``helpers`` package, the pinned requirements and conda environment, the
students' JupyterLab configuration, a Makefile whose ``make lab`` sets everything up and opens
JupyterLab, and a README. No ``solutions/``, hidden tests, model answers, test corpus or grading
tools. The folder can be published as its own repository or zipped.

The Makefile's rules are copied from the repository's own Makefile (the ``lab`` rule, the set-up
rule and their variables), so students set up exactly as the course's CI does.
"""

import re
import shutil
import tomllib
from pathlib import Path

from .notebooks import ASSIGNMENTS, HIDDEN_MODULE, ROOT, load, source

LAB_CONFIG = "jupyter-student"
SHIPPED = ["requirements.txt", "environment.yml"]
# Never in a student copy, whatever else changes (checked after writing).
SECRET_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def lecture_paths(root=ROOT):
    return sorted((Path(root) / "lectures").glob("[0-9][0-9]_*.ipynb"))


def title(path):
    """The first ``# `` heading of a notebook."""
    for cell in load(path)["cells"]:
        for line in source(cell).splitlines():
            if cell["cell_type"] == "markdown" and line.startswith("# "):
                return line[2:].strip()
    return Path(path).stem


def makefile(root=ROOT):
    """The student Makefile: the repository Makefile's variables, ``lab`` rule and set-up rule."""
    text = Path(root, "Makefile").read_text()
    blocks = re.split(r"\n\s*\n", text)
    wanted = ("PYTHON ?=", "lab:", "$(VENV)/.installed:")

    def first_rule_line(block):
        return next((ln for ln in block.splitlines() if ln and not ln.startswith("#")), "")

    picked = [b.strip("\n") for b in blocks if first_rule_line(b).startswith(wanted)]
    if len(picked) != len(wanted):
        raise RuntimeError("the repository Makefile no longer has the variables, lab and set-up rules")
    # Drop .PHONY lines and the repository's own leading comments (they describe its other targets).
    picked = [re.sub(r"^\.PHONY:.*$", "", b, flags=re.M).strip("\n") for b in picked]
    picked[0] = picked[0][picked[0].index("PYTHON ?="):]
    head = ("# The course, for students. `make lab` creates .venv with the pinned packages (first run:\n"
            "# a few minutes) and opens JupyterLab on the course. Needs Python 3.11+ and make.\n"
            ".PHONY: lab clean\n")
    clean = "clean:\n\trm -rf $(VENV)\n"
    return head + "\n" + "\n\n".join(picked) + "\n\n" + clean


def pyproject(root=ROOT):
    """A pyproject installing ``helpers`` alone (the repository's also installs the grading tools)."""
    project = tomllib.loads(Path(root, "pyproject.toml").read_text())["project"]
    deps = ", ".join(f'"{d}"' for d in project.get("dependencies", []))
    return ('[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
            f'[project]\nname = "{project["name"]}-student"\nversion = "{project["version"]}"\n'
            f'description = "{project.get("description", "")}"\n'
            f'requires-python = "{project.get("requires-python", ">=3.11")}"\ndependencies = [{deps}]\n\n'
            '[tool.setuptools]\npackages = ["helpers"]\n')


def readme(root=ROOT):
    lectures = lecture_paths(root)
    rows = []
    for path in lectures:
        number = path.stem[:2]
        exercise = next((a for a in ASSIGNMENTS if a.startswith(number)
                         and (Path(root) / "exercises" / a).is_dir()), None)
        rows.append(f"| {title(path)} | `lectures/{path.name}` | "
                    + (f"`exercises/{exercise}/{exercise}.ipynb`" if exercise else "—") + " |")
    table = "\n".join(["| lecture | file | exercise |", "| --- | --- | --- |", *rows])
    return f"""# Bayesian inference by sampling

An open course in Jupyter notebooks: the bootstrap, Bayesian linear regression, Metropolis(–Hastings)
MCMC from scratch, a Bayesian neural network by MCMC, Hamiltonian Monte Carlo, and where MCMC stops
scaling. You need Linux or macOS with Python 3.11+ and `make`.

```bash
make lab     # first run: creates .venv and installs everything pinned (a few minutes)
```

JupyterLab opens on the course. Read a lecture in `lectures/` (the figures are already there; run it
again with *Run → Run All Cells*). Then open the matching exercise, read each question, replace each
`raise NotImplementedError()` with your code and each `YOUR ANSWER HERE` with your answer, and press
**Validate** in the notebook toolbar. Validate saves the notebook, runs it from a fresh kernel and shows:
- **"Success! Your notebook passes all the tests."** Your functions pass the visible tests: they have the
  right shapes, are reproducible with the same generator, keep exact books, and behave like the method
  on small cases with known answers. Your instructor's hidden tests are stricter (other targets, larger
  runs), so Validate's success is necessary, not sufficient.
- **"The following cell failed"**, with the test cell and, right under it, what is wrong: the function,
  what was observed, what was expected with its tolerance, and the likely cause, e.g. *"`metropolis`: the
  rows changed on 500 of 500 steps, but acceptance_rate * n_steps = 287.0 proposals were accepted: on a
  rejection the row must repeat the current state; do you store the proposal instead?"*.
  An unanswered written question also fails validation.

Each exercise folder has a `visible_tests.py`: the visible tests themselves, worth reading. Printing,
progress bars (`tqdm`) and warnings in your code are fine: the tests capture them.
Randomness comes only from the `rng` you are given: never call `np.random.seed`.

{table}

Conda users: `conda env create -f environment.yml` describes the same environment; in it, run
`pip install --no-deps -e .` once, then what `make lab` runs:
`JUPYTER_CONFIG_PATH=$PWD/{LAB_CONFIG} JUPYTER_PATH=$PWD/{LAB_CONFIG} jupyter lab`.
"""


def write(dest, root=ROOT):
    """Write the student copy into ``dest`` (a new or empty folder); return the list of files."""
    root, dest = Path(root), Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty: give a new or empty folder")
    if dest.resolve() == root.resolve() or root.resolve() in dest.resolve().parents:
        raise ValueError(f"{dest} is inside the repository: give a folder outside it")
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    (dest / "lectures").mkdir()
    for path in lecture_paths(root):
        shutil.copy2(path, dest / "lectures" / path.name)
    for a in ASSIGNMENTS:
        if (root / "exercises" / a).is_dir():
            shutil.copytree(root / "exercises" / a, dest / "exercises" / a, ignore=ignore)
    shutil.copytree(root / "helpers", dest / "helpers", ignore=ignore)
    shutil.copytree(root / LAB_CONFIG, dest / LAB_CONFIG, ignore=ignore)
    for name in SHIPPED:
        shutil.copy2(root / name, dest / name)
    (dest / "Makefile").write_text(makefile(root))
    (dest / "pyproject.toml").write_text(pyproject(root))
    (dest / "README.md").write_text(readme(root))
    (dest / ".gitignore").write_text(".venv\n__pycache__/\n.ipynb_checkpoints/\n")
    leaks = secrets_in(dest)
    if leaks:
        shutil.rmtree(dest)
        raise RuntimeError(f"the student copy would leak: {leaks[:5]}")
    return sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())


def secrets_in(dest):
    """Files under ``dest`` holding a solution or hidden-test marker, or named like instructor files."""
    found = []
    for path in Path(dest).rglob("*"):
        rel = path.relative_to(dest).as_posix()
        if rel.split("/")[0] in ("solutions", "tests", "course", "submitted", "autograded", "feedback") \
                or path.name == HIDDEN_MODULE:
            found.append(rel)
        elif path.is_file() and path.suffix in (".py", ".ipynb", ".md", ".txt", ".json", ".yml", ""):
            text = path.read_text(errors="replace")
            found += [f"{rel}: {m}" for m in SECRET_MARKERS if m in text]
    return found
