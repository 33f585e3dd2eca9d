# The two commands of the README: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## start APOK on http://localhost:8080 with SQLite and demo data
	APOK_ENV=$${APOK_ENV:-development} APOK_DEMO=$${APOK_DEMO:-1} $(PY) main.py

test: $(STAMP)  ## run every test (SQLite, PostgreSQL when reachable, browser tests when chromium is installed)
	$(PY) -m pytest -n 2  # two workers: the suite takes about half as long

screenshots: $(STAMP)  ## run the browser tests and keep what they saw in docs/screenshots/ (the README links them)
	APOK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -n 2 tests/test_browser_*.py tests/test_administrasi_browser.py

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
