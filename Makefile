# stvos: `make run` serves the embedded platform; `make test` runs every test. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PACKAGES := shared services/auth services/catalog services/booking services/portal services/partner gateway runner
SOURCES  := $(foreach p,$(PACKAGES),$(p)/pyproject.toml) requirements-dev.txt

.PHONY: run test lint bench bench-load stack stack-stop openapi clean help

help:
	@echo "make run    serve the platform on http://127.0.0.1:8080 (embedded: one process, SQLite)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff and the import contracts"
	@echo "make bench  the hot paths in process, then the stack under wrk (make bench-load: only that)"
	@echo "make openapi  rewrite services/*/openapi.json from the apps"
	@echo "make stack  the production topology on this host (PostgreSQL, RabbitMQ, gunicorn, nginx)"

$(STAMP): $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt \
	  -e "shared[postgres,rabbitmq]" $(foreach p,$(filter services/%,$(PACKAGES)),-e "$(p)[production]") -e gateway -e runner
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/stvos run

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-load: $(STAMP)
	$(BIN)/python bench/run.py --load-only $(BENCH_ARGS)

openapi: $(STAMP)
	$(BIN)/python -m stvos_runner.openapi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

stack: $(STAMP)
	$(BIN)/python deploy/stack/stack.py start

stack-stop:
	@if test -x $(BIN)/python; then $(BIN)/python deploy/stack/stack.py stop; else echo "no $(VENV): nothing was started"; fi

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
