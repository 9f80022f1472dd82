# Two commands do all the set-up on a fresh machine:
#   make crawl   - the main job: crawl every configured outlet into the embedded store
#   make test    - lint, format check and the whole test suite
# `make demo` shows the whole flow on loopback sites, with no network.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup crawl demo test lint bench
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

crawl: setup
	$(BIN)/pantau crawl

demo: setup
	$(BIN)/pantau demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest -q

bench: setup
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done
