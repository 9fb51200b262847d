# One task runner for developers, hooks and CI.
#   make test   formatting, lints, Rust tests, the extension, Python lints/types and tests
#   make demo   the main job on real data
#   make bench  ontrack against polars, pandas and statsforecast (optimised build; see benches/README.md)
#   make docs   the documentation site into site/ (make docs-check: warnings are errors)
#   make fuzz   coverage-guided fuzzing of the plan parser and of assess/project (see fuzz/README.md)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR

.PHONY: test demo venv develop lint rust-test py-lint py-test fmt accuracy bench bench-venv clean docs docs-check fuzz fuzz-cmin

test: develop lint docs-check rust-test py-lint py-test

# polars is compiled once, for the Rust tests, the lints, the demo and the extension alike.
# pyo3-polars turns on polars' `python` feature, so every polars crate depends on pyo3's build
# script, whose output follows the settings maturin passes (PYO3_CONFIG_FILE,
# PYO3_BUILD_EXTENSION_MODULE). So every cargo command below runs with maturin's settings
# ($(PYO3), after `develop` has written the config file) over the whole workspace, so that
# features unify as in maturin's build; ontrack-python's Cargo.toml pins the features the
# Rust tests' dev-dependencies turn on in crates polars shares. An extension module does not
# link libpython, so the Rust tests, examples and benches link it through crates/ontrack's
# build script (ONTRACK_LIBPYTHON; it assumes a Python built with --enable-shared, as the
# python.org, pyenv, conda and distribution builds are). A plain `cargo test` outside make works
# too, but compiles polars a second time, with pyo3's default settings.
HOST := $(shell rustc -vV | sed -n 's/host: //p')
PYO3 := PYO3_CONFIG_FILE=$(CARGO_TARGET_DIR)/maturin/pyo3-config-$(HOST)-3.11-abi3.txt \
	PYO3_BUILD_EXTENSION_MODULE=1
ONTRACK_LIBPYTHON := $(shell python3 -c "import os, sysconfig as s; print(os.path.join(s.get_config_var('LIBDIR'), s.get_config_var('LDLIBRARY')))")
export ONTRACK_LIBPYTHON

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt requirements-docs.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-docs.txt
	touch $@

lint: develop
	cargo fmt --all --check
	$(PYO3) cargo clippy --workspace --all-targets -- -D warnings

rust-test: develop
	$(PYO3) cargo test --workspace
	# bench-smoke: every criterion bench once, in test mode, on the test build (no second polars build)
	$(PYO3) cargo test --workspace --bench '*'

develop: venv
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(VENV)/bin/maturin develop --quiet
	$(PY) -c "import ontrack; print('ontrack', ontrack.__version__, 'imported')"

py-lint: venv
	$(VENV)/bin/ruff check python tests examples benches
	$(VENV)/bin/ruff format --check python tests examples benches
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
	# the same assessment from the command line, into the HTML report and an Excel workbook
	$(VENV)/bin/ontrack assess --plan plans/langfang_2017.toml \
		--reported data/langfang/langfang_reported_values.csv \
		--mapping data/langfang/indicator_map.csv \
		--method open_sdg,china_plan,unsd_2023 --baseline-policy last_at_or_before \
		--title "Langfang 2017 innovation-reform plan (from the command line)" \
		--out reports/langfang_cli.html --out reports/langfang.xlsx
	$(PYO3) cargo build --quiet --workspace --example uk_sdg
	$(CARGO_TARGET_DIR)/debug/examples/uk_sdg
	$(PY) examples/uk_sdg.py

accuracy:
	cargo run --release -p ontrack-kernels --example accuracy

# `make bench`: its own venv and target dir, so that neither `make test`'s .venv nor its build
# is touched. The extension is built as a wheel with the `bench-ext` profile (release code
# generation without LTO) and installed into .venv-bench. BENCH_ARGS are passed to compare.py,
# e.g. `make bench BENCH_ARGS="--sizes 10000"`.
BENCH_VENV := .venv-bench
BENCH_TARGET_DIR ?= $(CURDIR)/target/bench
BENCH_ARGS ?=
# benches/engines.py: Spark and Dask against one process, and the out-of-core run.
ENGINES_ARGS ?=

bench-venv: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: requirements-bench.txt
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: bench-venv
	rm -rf $(BENCH_TARGET_DIR)/wheels
	CARGO_TARGET_DIR=$(BENCH_TARGET_DIR) $(BENCH_VENV)/bin/maturin build --quiet --profile bench-ext \
		--interpreter $(BENCH_VENV)/bin/python --out $(BENCH_TARGET_DIR)/wheels
	$(BENCH_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps $(BENCH_TARGET_DIR)/wheels/*.whl
	$(BENCH_VENV)/bin/python benches/compare.py $(BENCH_ARGS)
	$(BENCH_VENV)/bin/python benches/engines.py $(ENGINES_ARGS)

# The docs site (docs/, mkdocs.yml): the API reference is read from the sources and the stub of
# the extension by static analysis, so neither target needs the extension built. Seconds.
# (Not --quiet: it hides the warnings that --strict counts, and the build then passes.)
docs: venv
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build

docs-check: venv
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

# `make fuzz`: libFuzzer through cargo-fuzz on the stable toolchain (RUSTC_BOOTSTRAP=1 for the
# instrumentation flags, no sanitizer: the library has no unsafe code). fuzz/ is its own
# workspace with its own target directory; `make test` only replays its corpus (see
# crates/ontrack/tests/fuzz_corpus.rs). New inputs land in fuzz/corpus/<target>, crashes in
# fuzz/artifacts/<target>; copy a crash into fuzz/regressions/<target>/ once it is fixed.
FUZZ_TARGET_DIR ?= $(CURDIR)/target/fuzz
FUZZ_PLAN_RUNS ?= 10000000
FUZZ_FRAME_RUNS ?= 1000000
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_CARGO := RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Ccodegen-units=16 cargo fuzz
FUZZ_RUN := $(FUZZ_CARGO) run --sanitizer none --target-dir $(FUZZ_TARGET_DIR)

fuzz:
	cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	$(FUZZ_RUN) plan_toml -- -runs=$(FUZZ_PLAN_RUNS) -max_len=1024 -dict=$(CURDIR)/fuzz/plan.dict $(FUZZ_FLAGS)
	$(FUZZ_RUN) plan_json -- -runs=$(FUZZ_PLAN_RUNS) -max_len=1024 -dict=$(CURDIR)/fuzz/plan.dict $(FUZZ_FLAGS)
	$(FUZZ_RUN) assess_frame -- -runs=$(FUZZ_FRAME_RUNS) -max_len=512 $(FUZZ_FLAGS)
	$(FUZZ_RUN) project_frame -- -runs=$(FUZZ_FRAME_RUNS) -max_len=512 $(FUZZ_FLAGS)

# Minimise every corpus before committing it: the smallest set of inputs that keeps every
# covered edge (libFuzzer's set-cover merge, on edges only), so the replay in `make test`
# stays short.
FUZZ_BIN = $(FUZZ_TARGET_DIR)/$$(rustc -vV | sed -n 's/host: //p')/release
fuzz-cmin:
	for t in plan_toml plan_json assess_frame project_frame; do \
		rm -rf fuzz/corpus/$$t.min && mkdir fuzz/corpus/$$t.min && \
		$(FUZZ_BIN)/$$t -set_cover_merge=1 -use_counters=0 -use_cmp=0 -max_len=1024 \
			fuzz/corpus/$$t.min fuzz/corpus/$$t && \
		rm -rf fuzz/corpus/$$t && mv fuzz/corpus/$$t.min fuzz/corpus/$$t || exit 1; done

clean:
	cargo clean
	rm -rf $(VENV) python/ontrack/*.so site
