# The two commands of the README: `make build` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
# Use the machine's Python: uv must not try to download one.
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen

.PHONY: build test notebooks dev env clean

env:  ## uv if missing, then the locked environment
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

build: env  ## the bundled sample corpus -> warehouse/zhibiao.duckdb
	$(RUN) zhibiao build

test: env  ## every test; the seed tests read ../shared
	$(RUN) pytest -q

dev: env  ## the Dagster UI on this code location
	DAGSTER_HOME=$(CURDIR) $(RUN) dagster dev

clean:
	rm -rf warehouse/*.duckdb .dagster notebooks/out
