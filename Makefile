# Hemicycle — every target creates .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint translations wheel clean

# The build requirements go into .venv first, so the editable install and `make wheel` build
# with them instead of downloading them (Qt included) into a throw-away build environment.
$(STAMP): pyproject.toml setup.py
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 'setuptools>=70.1'
	$(BIN)/pip install -q --no-build-isolation -e '.[dev]'
	touch $(STAMP)

# Compiled translations are build products, never committed (ui/catalogs.py says who builds them).
translations: $(STAMP)
	$(BIN)/python -m ui.catalogs

# An installable wheel in dist/, with fonts, styles, compiled translations and samples inside
# (setup.py). Needs PySide6 for lrelease, which .venv has. setuptools never empties build/, so
# a module deleted from the tree would otherwise still ship.
wheel: $(STAMP)
	rm -rf build
	$(BIN)/pip wheel -q --no-deps --no-build-isolation -w dist .

demo: $(STAMP) translations
	$(BIN)/python -m ui.demo

# Qt tests run the real widgets offscreen.
test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow" tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow tests

# Each prints one JSON object: the agenda broadcast to 2,000 delegates, documents served and
# pre-staged to 2,000 devices, polls of 2,000 voters (open, a burst of 2,000 ballots, close),
# the reader on the 930-page manual (lilypond-doc-pdf).
bench: $(STAMP)
	$(BIN)/python -m tests.bench.broadcast
	$(BIN)/python -m tests.bench.documents
	$(BIN)/python -m tests.bench.votes
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.reader

lint: $(STAMP)
	$(BIN)/ruff check app server ui tests setup.py
	$(BIN)/ruff format --check app server ui tests setup.py
	$(BIN)/mypy app server ui

clean:
	rm -rf $(VENV) build dist *.egg-info resources/translations/*.qm
