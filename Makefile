# The README names these targets. Everything runs from the project's own virtualenv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps sparkplug-edge lint typecheck imports bench translations dist clean

run: system-deps setup ## open the cockpit (the demo when nothing is configured)
	$(BIN)/python main.py

# mypy checks every package, main.py and bench ([tool.mypy] files in pyproject.toml).
test: system-deps setup sparkplug-edge ## the whole test suite (the checks first: they take seconds)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

system-deps:
	@bash installer/system-deps.sh

# The Sparkplug tests' edge node: pysparkplug needs paho-mqtt<2, so it lives in a venv of its own
# (.cache/sparkplug-edge, from the package registry; tests/support/sparkplug_edge.py).
sparkplug-edge: setup
	$(BIN)/python tests/support/sparkplug_edge.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

translations: setup ## refresh the .ts files from the sources and compile the .qm files
	$(BIN)/python resources/translations/update.py

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

dist: setup ## the Linux bundle in dist/hazwork-cockpit (PyInstaller)
	$(BIN)/python -m pip install -q -e ".[dist]"
	bash installer/build.sh

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
