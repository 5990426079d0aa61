# Hemicycle — every target creates .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The locked dependencies, with hashes (requirements/README.md): what the product runs on, and
# that plus the tools for developing and building it.
LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
WHEELHOUSE := wheelhouse

.PHONY: demo test bench lint translations wheel wheelhouse package package-test lock clean

# Exactly the locked versions, hashes checked, and the project itself on top without letting pip
# pick anything else. The build requirements (setuptools, PySide6) are among them, so the
# editable install and `make wheel` build with them instead of downloading them (Qt included)
# into a throw-away build environment.
$(STAMP): $(DEV_LOCK) pyproject.toml setup.py
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Rewrites the lock files from pyproject.toml (needs the network): run it after changing a
# dependency there, and commit requirements/. Pins already in the files stay while pyproject
# allows them; `make lock UPGRADE=--upgrade` moves everything to the newest allowed. One
# universal resolution: the same pins wherever Python 3.11 runs, with the few packages only
# Windows or a newer Python needs marked as such. The dev lock is constrained by the runtime
# one, so the two never pin a package differently.
UV_COMPILE = $(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(UPGRADE)
lock: $(STAMP)
	$(UV_COMPILE) pyproject.toml -o $(LOCK)
	$(UV_COMPILE) pyproject.toml --extra dev --constraint $(LOCK) -o $(DEV_LOCK)

# Compiled translations are build products, never committed (ui/catalogs.py says who builds them).
translations: $(STAMP)
	$(BIN)/python -m ui.catalogs

# An installable wheel in dist/, with fonts, styles, compiled translations and samples inside
# (setup.py). Needs PySide6 for lrelease, which .venv has. setuptools never empties build/, so
# a module deleted from the tree would otherwise still ship.
wheel: $(STAMP)
	rm -rf build
	$(BIN)/pip wheel -q --no-deps --no-build-isolation -w dist .

# Every locked wheel for the room server, Hemicycle's own wheel, and wheelhouse/requirements.txt:
# the lock plus that wheel's hash, which is all a machine without network installs from
# (docs/operations.md §1.1). The wheels are for Linux x86_64 with glibc 2.36 (Debian 12) or newer
# and the Python of .venv, 3.11 here: pip evaluates the lock's markers for the Python running it,
# so a wheelhouse for another Python is made with that Python (PY=). pip matches a --platform tag
# literally, hence every manylinux tag up to glibc 2.36.
WHEEL_PLATFORMS := $(foreach v,$(shell seq 36 -1 5),manylinux_2_$(v)_x86_64) \
	manylinux2014_x86_64 manylinux2010_x86_64 manylinux1_x86_64
wheelhouse: $(STAMP)
	rm -rf build $(WHEELHOUSE)
	$(BIN)/pip download -q --require-hashes --no-deps --only-binary=:all: \
		$(addprefix --platform ,$(WHEEL_PLATFORMS)) -d $(WHEELHOUSE) -r $(LOCK)
	$(BIN)/pip wheel -q --no-deps --no-build-isolation -w $(WHEELHOUSE) .
	cd $(WHEELHOUSE) && set -- hemicycle-*.whl && { \
		cat $(CURDIR)/$(LOCK); \
		echo "# Hemicycle itself, built from this tree with the pins above"; \
		echo "hemicycle==$$(echo $$1 | cut -d- -f2) --hash=sha256:$$(sha256sum $$1 | cut -d' ' -f1)"; \
	} > requirements.txt

# Self-contained Linux builds, frozen with PyInstaller (packaging/README.md): in dist/, a tarball
# of the delegate app and the console, one of the room server, and their Debian packages
# hemicycle_<version>_amd64.deb and hemicycle-server_<version>_amd64.deb. Needs what PyInstaller
# needs (binutils, and Python's shared library: Debian's libpython3.11) and dpkg-deb.
package: $(STAMP)
	$(BIN)/python packaging/build.py

# Builds them, then runs a meeting with them unpacked outside the tree
# (tests/test_package_build.py); prints the artefacts' sizes and the start-up times.
package-test: package
	HEMICYCLE_PACKAGE_DIST=$(CURDIR)/dist $(BIN)/python -m pytest -q -s -m slow \
		tests/test_package_build.py

demo: $(STAMP) translations
	$(BIN)/python -m ui.demo

# Qt tests run the real widgets offscreen.
test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow" tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow tests

# Each prints one JSON object: the agenda broadcast to 2,000 delegates, documents served and
# pre-staged to 2,000 devices, polls of 2,000 voters (open, a burst of 2,000 ballots, close),
# 1,000 annotations re-anchored and the reader on the 930-page manual (lilypond-doc-pdf).
bench: $(STAMP)
	$(BIN)/python -m tests.bench.broadcast
	$(BIN)/python -m tests.bench.documents
	$(BIN)/python -m tests.bench.votes
	$(BIN)/python -m tests.bench.anchoring
	$(BIN)/python -m tests.bench.annotations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.reader

lint: $(STAMP)
	$(BIN)/ruff check app server ui tests setup.py
	$(BIN)/ruff format --check app server ui tests setup.py
	$(BIN)/mypy app server ui

clean:
	rm -rf $(VENV) build dist $(WHEELHOUSE) *.egg-info resources/translations/*.qm
