# parity: two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test test-fast fuzz lint bench demo chromium browsers clean reference messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up, load the demo data on first run, serve the dashboard on http://127.0.0.1:8050
run: $(STAMP) chromium
	$(BIN)/parity demo
	$(BIN)/parity serve --host $(HOST) --port $(PORT)

demo: $(STAMP)
	$(BIN)/parity demo

## test: set up, then the whole suite (browser tests included when Chromium is present)
test: $(STAMP) browsers
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## test-fast: the suite without the browser, PostgreSQL or the tests marked slow (about 2 minutes);
## make test runs everything
test-fast: $(STAMP)
	PARITY_TEST_DATABASE_URL= $(BIN)/python -m pytest -n 2 --ignore=tests/e2e -m "not slow and not e2e and not postgres"

## fuzz: property-based fuzzing of file import, thousands of mutated files (tests/test_fuzz.py);
## failing examples are kept in tests/artifacts/hypothesis and replayed first next time
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py -n 2 --dist load \
	  --hypothesis-show-statistics

## chromium: Debian's Chromium (PDF and PPTX briefings draw their charts with it; the browser
## tests drive it) and poppler for PDF checks, installed when missing (root only)
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver poppler-utils >/dev/null) \
	      || echo "warning: could not install chromium/poppler; browser tests will skip"; \
	  else echo "warning: /usr/bin/chromium missing; PDF/PPTX briefings and browser tests need it"; fi; \
	fi

## browsers: Chromium (above) and axe-core from npm (package-lock.json) for the accessibility tests
browsers: chromium
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null; then npm ci --no-audit --no-fund \
	    || echo "warning: npm ci failed; accessibility tests will skip"; \
	  else echo "warning: npm missing; accessibility tests will skip"; fi; \
	fi

## messages: extract the marked messages into parity/locale/messages.pot and merge them into each
## language's catalogue (parity/locale/<lang>/LC_MESSAGES/messages.po); then translate what is new
messages: $(STAMP)
	$(BIN)/python scripts/messages.py
	$(BIN)/python scripts/messages.py --check

lint: $(STAMP)
	$(BIN)/ruff check parity tests scripts bench app.py
	$(BIN)/ruff format --check parity tests scripts bench app.py
	$(BIN)/mypy parity

## bench: speed and memory on the 1M-row data set, beside DuckDB; writes bench/results.json
## (make bench ROWS=10000000: the 10M-row scale, written to bench/results-10m.json)
ROWS ?= 1000000
bench: $(STAMP)
	$(BIN)/python -m bench.run --rows $(ROWS)

reference:
	$(BIN)/python scripts/build_reference.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts
