# supportbot — `make run` starts the product, `make test` runs lint and the tests.
# Both install what they need first (once; again when pyproject.toml changes).
PYTHON ?= python3
STAMP := var/.installed
CHROMIUM := /usr/bin/chromium
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test lint bench format

$(STAMP): pyproject.toml
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	mkdir -p var && touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the widget's real-browser tests (Playwright drives it; no download),
# with a CJK font so Chinese renders as characters.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

run: install
	$(PYTHON) -m ui.cli serve

lint: install
	$(PYTHON) -c 'from importlinter.cli import lint_imports_command as c; c()' --no-cache  # the layer contracts in pyproject.toml
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy

test: lint $(CHROMIUM)
	$(PYTHON) -m pytest

bench: install
	$(PYTHON) -m benchmarks.retrieval
	$(PYTHON) -m benchmarks.speed
	$(PYTHON) -m benchmarks.ann
	$(PYTHON) -m benchmarks.intents
	$(PYTHON) -m benchmarks.conversation
	$(PYTHON) -m benchmarks.serving
	$(PYTHON) -m benchmarks.customers
	$(PYTHON) -m benchmarks.report

format: install
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .
