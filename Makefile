# The quick start: `make demo` runs the main job, `make test` the whole test suite.
# Both create a virtual environment in .venv and install the project into it first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install demo test lint bench

install: $(VENV)/.installed

# The first install takes a minute or more: each step says what it does and pip shows its own
# progress, so that it does not look like a hang. It runs again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@echo "==> Creating the virtual environment $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Upgrading pip"
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> Installing jpnews and its dependencies into $(VENV)"
	$(BIN)/python -m pip install --progress-bar on -e '.[test]'
	@echo "==> Installed; 'make install' does nothing more until pyproject.toml changes"
	touch $@

demo: install
	$(BIN)/jpnews demo

lint: install
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/crawl_throughput.py
