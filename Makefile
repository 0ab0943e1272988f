# The two commands of the README: `make build` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
# Use the machine's Python: uv must not try to download one.
export UV_PYTHON_DOWNLOADS := never
# Compile installed packages once: the machine may set PYTHONDONTWRITEBYTECODE, and compiling Dagster on every
# start costs seconds.
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen

.PHONY: build test notebooks fonts dev env clean

env:  ## uv if missing, the locked environment, and a .env that points `dagster dev` at this folder's dagster.yaml
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet
	@grep -qs '^DAGSTER_HOME=$(CURDIR)$$' .env || echo 'DAGSTER_HOME=$(CURDIR)' >> .env

build: env  ## the bundled sample corpus (with the made-up example GDP figures) -> warehouse/zhibiao.duckdb
	$(RUN) zhibiao build --gdp pipelines/rules/example_gdp.csv

test: env fonts  ## every test; the seed tests read ../shared
	$(RUN) pytest -q

fonts: env  ## a CJK font for chart export (vl-convert has none of its own); a no-op when one is installed
	@$(RUN) python -m pipelines.charts >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-wqy-zenhei; }

notebooks: env fonts  ## run the notebooks against the warehouse ($$ZHIBIAO_WAREHOUSE or warehouse/zhibiao.duckdb); HTML + PNG in notebooks/out/
	$(RUN) python notebooks/run_all.py --write-ipynb

dev: env  ## the Dagster UI on this code location (storage in .dagster/, see dagster.yaml)
	$(RUN) dagster dev

clean:
	rm -rf warehouse/*.duckdb .dagster notebooks/out
