# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit emulator bench soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,postgres,redis]'
	$(BIN)/python -m gateway.assets --if-missing
	touch $(STAMP)

## demo: start the gateway on the embedded demo ILS
demo: $(STAMP)
	$(BIN)/ils-gateway serve --demo

## emulator: start the reference ILS alone (SIP2 on 6001, SOAP on 8001)
emulator: $(STAMP)
	$(BIN)/ils-gateway emulator --db .demo-ils.sqlite --sip2-port 6001 --soap-port 8001

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## test: lint, then the whole test suite (pytest's "no tests ran" counts as a failure)
test: lint
	$(BIN)/pytest

unit: $(STAMP)
	$(BIN)/pytest tests/unit

bench: $(STAMP)
	$(BIN)/python bench/sip2_pool.py

## soak: the load suite (bench/load.py): 200 clients for 60 s, Dashboard + search, ILS at 10 ms
soak: $(STAMP)
	$(BIN)/python bench/load.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## faults: the fault suite, 1,000 writes under ILS faults in both profiles (exit 1: a write lost, doubled or untrue)
.PHONY: faults
faults: $(STAMP)
	$(BIN)/python bench/faults.py --profile composite
	$(BIN)/python bench/faults.py --profile sip2
