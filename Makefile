# The two commands a newcomer needs: `make lab` and `make test`.
# Both create .venv on first use, and re-install when a requirements file changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test test-latest sync build check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A stamp per requirements file: editing the file makes the next command re-install.
# postBuild is Binder's set-up script; running it here gives `make lab` the same environment as
# Binder: it removes rfc3987-syntax (2-3 s at every jupyter command and pytest run; see
# benchmarks/bench_install.py) and writes the JupyterLab settings in config/jupyterlab-overrides.json.
SETUP := PATH="$(abspath $(BIN)):$$PATH" ./postBuild

$(VENV)/.lab-installed: requirements.txt postBuild config/jupyterlab-overrides.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(SETUP)
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt postBuild config/jupyterlab-overrides.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(SETUP)
	touch $(VENV)/.lab-installed $@

# JupyterLab refuses to start as root ("Running as root is not recommended") unless told to;
# containers, cloud VMs and CI images often run as root. LAB_ARGS passes extra options through.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/lessons/00_start_here.ipynb $(ALLOW_ROOT) $(LAB_ARGS)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

# The canary on tomorrow's dependencies: the full suite in .venv-latest with the newest release of
# every package named in the requirements files (unpinned), and a short report of what broke in
# test-artifacts/latest/REPORT.md (.ci/test_latest.py; CI runs it weekly). It downloads packages.
# LATEST_ARGS=--pre also takes pre-releases (.venv-latest-pre, test-artifacts/latest-pre/).
LATEST_ARGS ?=

test-latest:
	$(PYTHON) .ci/test_latest.py $(LATEST_ARGS)

# sync writes what is derived from course.toml, the quiz banks and content/instructor/ (the lesson
# maps, the teacher's guide's tables, the teacher's pages with their figures); then the build
# executes the notebooks.
sync: $(VENV)/.dev-installed
	$(BIN)/python -m coursekit sync

build: sync
	$(BIN)/python -m coursekit build

check: $(VENV)/.dev-installed
	$(BIN)/python -m coursekit check

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .venv-latest .venv-latest-pre .pytest_cache test-artifacts
