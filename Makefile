# One-command set-up: every target creates .venv and installs the project if needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_STAMP := $(VENV)/.demo-stamp

.PHONY: setup demo test test-slow bench report clean

# The demo needs only the runtime; the tests add the dev tools on top.
$(DEMO_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch 2.13.0 is the CPU build on this machine's disk; pin it first so no CUDA build is pulled.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[demo]"
	touch $(DEMO_STAMP)

$(STAMP): $(DEMO_STAMP)
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/python examples/demo.py

test: setup
	$(BIN)/python -m pytest -q

test-slow: setup
	$(BIN)/python -m pytest -q -m slow

bench: setup
	for s in benchmarks/[a-z]*.py; do \
	  case $$s in benchmarks/build_report.py|benchmarks/qlora_gpu.py|benchmarks/machine.py|benchmarks/plan_fingerprint.py) continue;; esac; \
	  echo "== $$s"; $(BIN)/python $$s || exit 1; done
	$(BIN)/python benchmarks/build_report.py

report: setup
	$(BIN)/python benchmarks/build_report.py

clean:
	rm -rf $(VENV) build dist *.egg-info
