# Hemicycle — every target creates .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint translations clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Compiled translations are build products, never committed.
translations: $(STAMP)
	@for ts in resources/translations/*.ts; do \
	  [ -e "$$ts" ] || continue; \
	  $(BIN)/pyside6-lrelease -silent "$$ts" -qm "$${ts%.ts}.qm"; \
	done

demo: $(STAMP) translations
	$(BIN)/python -m ui.demo

# Qt tests run the real widgets offscreen.
test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow" tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow tests

bench: $(STAMP)
	$(BIN)/python -m tests.bench.broadcast

lint: $(STAMP)
	$(BIN)/ruff check app server ui tests
	$(BIN)/ruff format --check app server ui tests
	$(BIN)/mypy app server ui

clean:
	rm -rf $(VENV) build dist *.egg-info resources/translations/*.qm
