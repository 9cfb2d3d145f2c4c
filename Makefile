# Two entry points for a fresh machine (Python 3.11, pip, make, git):
#   make run   set up, generate demo extracts if none are present, quality gate,
#              dbt build, publish
#   make test  set up, then every test: ruff, SQLFluff, pytest (which builds the
#              warehouse from fresh demo extracts and runs every dbt test)
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3

export DO_NOT_TRACK := 1
# VARS, ARCHIVE and FORCE reach the scripts as environment variables, their text exactly
# as given (make neither expands nor exports the originals, the shell never parses them):
# a quote or a $(...) in them is data, which the scripts check before anything runs.
unexport VARS ARCHIVE FORCE PUBLIC
export POLICE_DBT_VARS := $(value VARS)
export POLICE_REPORT_PUBLIC := $(value PUBLIC)
export POLICE_UK_ARCHIVE := $(value ARCHIVE)
export POLICE_UK_FORCE := $(value FORCE)
export POLICE_LANDING_DIR ?= $(CURDIR)/data/landing
export POLICE_WAREHOUSE_PATH ?= $(CURDIR)/warehouse/police.duckdb
export POLICE_BUILD_PATH ?= $(CURDIR)/warehouse/build/police.duckdb
export POLICE_VALIDATED_DIR ?= $(CURDIR)/warehouse/gate/validated

.PHONY: setup system extracts run build rebuild rollback run-public report docs test lint benchmark benchmark-public benchmark-increment clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Debian packages the board report needs: Chromium prints its PDF (and the tests'
# screenshots). Installed with apt-get only when missing; nothing is downloaded at run time.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The report's browser checks (axe-core accessibility rules, printed table widths) are
# npm packages pinned in scripts/report/browser/package-lock.json, run by Node.js in the
# same Chromium: npm ci installs them when the lock file changes.
BROWSER_CHECKS := scripts/report/browser
system:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "Installing Chromium from the Debian packages"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Node.js from the Debian packages"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; }
	@test $(BROWSER_CHECKS)/node_modules/.installed -nt $(BROWSER_CHECKS)/package-lock.json || \
	  { cd $(BROWSER_CHECKS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && \
	    touch node_modules/.installed; }

# Demo extracts are generated only when no extract is present: real extracts dropped
# into data/landing are never overwritten, and a partial delivery stops the run.
extracts: setup
	$(BIN)/python scripts/generate_demo_extracts.py --out $(POLICE_LANDING_DIR) --unless-delivered

# Quality gate, then dbt build into the build database; publish to
# warehouse/police.duckdb only if the gate and every model and test passed (else an
# alert, and the published warehouse stays as it was). VARS='{...}': dbt vars, checked.
#
# Exit codes: make itself exits 0 or 2 whatever a recipe returns (GNU make has no way to
# pass a recipe's code on); the script's own code is in make's "Error N" line, e.g.
# "make: *** [Makefile:..: rebuild] Error 75" for a run refused because another holds the
# lock. A scheduler that needs 75 (EX_TEMPFAIL: try again later) calls the script, which
# returns it whichever command was refused:
#   .venv/bin/python scripts/run_pipeline.py [--rebuild | --rollback]
build: setup
	$(BIN)/python scripts/run_pipeline.py

# The same, from the delivery already published (after a change of models or vars).
rebuild: setup
	$(BIN)/python scripts/run_pipeline.py --rebuild

# The deployment published before the last one, back: warehouse, restricted file, gate
# state and increment store together (under the run lock).
rollback: setup
	$(BIN)/python scripts/run_pipeline.py --rollback

run: extracts build

# The public warehouse, warehouse/police_uk.duckdb, from a data.police.uk archive (a
# folder or .zip in the site's layout, DfT road safety tables alongside if wanted):
#   make run-public [ARCHIVE=<folder or .zip>] [FORCE=<slug>]   (default: samples/)
# Loading the same archive again changes nothing; a newer one replaces revised months.
run-public: setup
	$(BIN)/python scripts/run_public.py

# The board report from the published warehouse (after make run), HTML and PDF, in
# reports/out/. VARS='{"current_start": "2024-07-01", "current_end": "2025-06-30"}' builds
# it for other windows (the KPI models are rebuilt on a copy; the published file is read).
# With a public warehouse (warehouse/police_uk.duckdb from make run-public, or
# PUBLIC=<file>), 3.5 compares the force with its most similar forces and 11.3 gives its
# stop and search by ethnic group from data.police.uk; without one, both say so.
report: setup system
	$(BIN)/python scripts/build_report.py

# dbt's documentation site, static and offline, lineage from extract to report.
docs: setup
	$(BIN)/dbt docs generate --static --target-path $(CURDIR)/reports/out/docs
	@echo "Open reports/out/docs/static_index.html"

# SQLFluff lints the models dbt enables: the force warehouse's, then the public one's
# (models/police_uk and the KPI engine as the public warehouse compiles it).
lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/sqlfluff lint models
	POLICE_WAREHOUSE=police_uk $(BIN)/sqlfluff lint models/police_uk models/intermediate/kpi

test: lint system
	$(BIN)/pytest

benchmark: extracts
	$(BIN)/python scripts/benchmark.py

# make run-public on the sample and on a synthetic archive of one large force (3 years).
benchmark-public: setup
	$(BIN)/python scripts/benchmark.py --public

# A one-month increment (delivery through August 2025, then September) against the
# whole delivery built at once.
benchmark-increment: extracts
	$(BIN)/python scripts/benchmark.py --increment

clean:
	rm -rf target logs
