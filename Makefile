# Two commands: `make` builds the course, `make test` proves it. Both set up .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
# nbgrader runs `alembic` from PATH when it creates a gradebook.
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0

.PHONY: all site slides test lab instructor-lab notebooks exercises calibrate bench bench-numpyro clean
all: $(VENV)/.installed node_modules/.installed
	$(BIN)/course build

# The HTML site alone, from the committed lecture outputs (seconds; the browser test uses it).
site: $(VENV)/.installed node_modules/.installed
	$(BIN)/course build --site-only

# Every lecture as a reveal.js deck, offline: build/slides/index.html (seconds).
slides: $(VENV)/.installed node_modules/.installed
	$(BIN)/course slides

test: $(VENV)/.installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup --timeout 900 $(PYTEST_ARGS) tests
	# nbval runs each lecture's cells in one kernel, in order: one process, no xdist.
	$(BIN)/pytest --timeout 900 $(PYTEST_ARGS) lectures

# Students' JupyterLab: Validate, and none of nbgrader's instructor tools (jupyter-student/README.md).
# LAB_ARGS passes options through, e.g. LAB_ARGS=--no-browser.
lab: $(VENV)/.installed
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-student JUPYTER_PATH=$(CURDIR)/jupyter-student \
	  $(BIN)/jupyter lab --notebook-dir=$(CURDIR) $(LAB_ARGS)

# Instructors' JupyterLab: everything nbgrader installs (Create Assignment, Formgrader, ...).
instructor-lab: $(VENV)/.installed
	$(BIN)/jupyter lab --notebook-dir=$(CURDIR) $(LAB_ARGS)

notebooks: $(VENV)/.installed
	$(BIN)/course notebooks

exercises: $(VENV)/.installed
	$(BIN)/course release --all

# The long error-budget study: every assignment's checks over RUNS fresh streams, and the corpus's
# power (reports/calibration/<id>.{json,md,png}; benchmarks/README.md quotes the .md tables).
RUNS ?= 10000
calibrate: $(VENV)/.installed
	$(BIN)/course calibrate --all --runs $(RUNS) --corpus-runs 20

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/samplers.py

bench-numpyro: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[numpyro]'
	$(BIN)/python benchmarks/samplers.py

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# MathJax 2 (with TeX fonts), reveal.js and require.js for the site and slides, pinned by
# package-lock.json; copied into build/ so that no page needs the network.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

clean:
	rm -rf build $(VENV) node_modules .pytest_cache .ruff_cache
