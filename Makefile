# One task runner for developers, hooks and CI.
#   make test   formatting, lints, Rust tests, the extension, Python lints/types and tests
#   make demo   the main job on real data
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CARGO_TARGET_DIR ?= $(CURDIR)/target
# Locally, `PY_TARGET_DIR=target/py make develop` avoids the pyo3 rebuild ping-pong between
# `cargo test` and maturin; CI builds each once and shares one directory.
PY_TARGET_DIR ?= $(CARGO_TARGET_DIR)
export CARGO_TARGET_DIR

.PHONY: test demo venv develop lint rust-test py-lint py-test fmt accuracy clean

test: lint rust-test develop py-lint py-test

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

rust-test:
	cargo test --workspace

develop: venv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) CARGO_TARGET_DIR=$(PY_TARGET_DIR) $(VENV)/bin/maturin develop --quiet
	$(PY) -c "import ontrack; print('ontrack', ontrack.__version__, 'imported')"

py-lint: venv
	$(VENV)/bin/ruff check python tests examples
	$(VENV)/bin/ruff format --check python tests examples
	$(VENV)/bin/mypy
	$(PY) -m mypy.stubtest ontrack._ontrack

py-test: develop
	$(VENV)/bin/pytest -q

fmt:
	cargo fmt --all
	$(VENV)/bin/ruff format python tests examples
	$(VENV)/bin/ruff check --fix python tests examples

demo: develop
	$(PY) examples/langfang.py
	cargo run --quiet -p ontrack --example uk_sdg
	$(PY) examples/uk_sdg.py

accuracy:
	cargo run --release -p ontrack-kernels --example m1_accuracy

clean:
	cargo clean
	rm -rf $(VENV) python/ontrack/*.so
