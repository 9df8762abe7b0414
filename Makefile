# The two commands a newcomer needs: `make lab` and `make test`.
# Both create .venv on first use, and re-install when a requirements file changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test build check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A stamp per requirements file: editing the file makes the next command re-install.
# rfc3987-syntax builds a parser at import (2-3 s on every jupyter command and pytest run; see
# benchmarks/bench_install.py). Removing it keeps `pip check` clean and loses only a rarely used
# URL-format check in jsonschema. Binder does the same in postBuild.
$(VENV)/.lab-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(VENV)/.lab-installed $@

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab --LabApp.default_url=/lab/tree/lessons/00_start_here.ipynb

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

build: $(VENV)/.dev-installed
	$(BIN)/python -m coursekit build

check: $(VENV)/.dev-installed
	$(BIN)/python -m coursekit check

bench: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
