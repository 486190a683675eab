# 长征镇 citizen assistant. `make run` to start, `make test` to test; `make help` lists the rest.
# Installing, migrating and training print one line per step; their output goes to var/log/.
SHELL := /bin/bash
APP := .venv/bin/python
STEP := bash scripts/step.sh
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install migrate train validate run shell test lint format bench bench-speed bench-cost bench-nlu bench-moderation staff purge admin bench-console vendor-chartjs bench-publish bench-unanswered bench-retrieval bench-exam release run-cluster test-cluster bench-cluster

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install:  ## Create both virtual environments from the lock files (skipped when unchanged)
	@bash scripts/install.sh $(INSTALL_FLAGS)

migrate: install  ## Migrate the database and import the knowledge entries
	@$(STEP) "migrating the database" migrate -- .venv/bin/alembic upgrade head
	@$(STEP) --result first --show CONFLICT "importing the knowledge entries" import -- \
		$(APP) -m scripts.import_entries
	@mkdir -p var && touch $(MIGRATED)

# Stamp of the last `make migrate`: scripts (`make staff`, `make admin`) migrate only when a
# migration or an entry changed since, instead of installing and importing on every call.
MIGRATED := var/.migrated
$(MIGRATED): $(wildcard store/migrations/versions/*.py knowledge/entries/*.yml requirements/*.lock)
	@$(MAKE) --no-print-directory migrate

train: install  ## Train the model if any training input changed
	@$(STEP) --result last "training the model if its inputs changed" train -- \
		$(APP) -m scripts.train_if_stale

validate: train  ## Check the Rasa data for conflicts
	@.venv-rasa/bin/rasa data validate --domain build/domain --data nlu_data build/nlu --fail-on-warnings

run: migrate train  ## Install, migrate, train if stale, and start the assistant
	@bash scripts/serve.sh

release: migrate train  ## Release step of a cluster, run once per release: migrate, import the entries, train if stale

run-cluster:  ## Start the cluster (deploy/cluster.conf): Rasa instances and action servers behind HAProxy, on PostgreSQL and Redis (after `make release`)
	@bash scripts/install.sh --cluster
	@bash scripts/serve.sh --cluster

test-cluster: INSTALL_FLAGS := --cluster
test-cluster: train  ## Cluster tests: 50 residents over two Rasa instances, a rolling model swap, faults; its own PostgreSQL and Redis
	@$(APP) -m pytest -p no:cacheprovider -o addopts="" tests/cluster -v -s $(ARGS)

bench-cluster: INSTALL_FLAGS := --cluster
bench-cluster: train  ## One Rasa instance against two behind HAProxy: replies/s, p95/p99, CPU per reply (into bench/RESULTS.md)
	@$(APP) -m bench.cluster --record $(ARGS)

shell:  ## Chat in this terminal with the assistant started by `make run`
	@$(APP) -m scripts.shell

# `make test` installs Chromium and a Chinese font too (the browser tests); the cluster targets
# HAProxy, PostgreSQL and Redis.
test: INSTALL_FLAGS := --test
test: migrate train  ## Run the whole test suite (conversation and browser tests included)
	@$(APP) -m pytest --ignore=tests/cluster

lint:  ## Lint and check formatting
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:  ## Format the code
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench: bench-speed bench-cost bench-cluster  ## Speed (one process and the cluster), cost and understanding: every table goes into bench/RESULTS.md (newest first)
	@mkdir -p build && set -o pipefail && $(MAKE) --no-print-directory bench-nlu | tee build/bench-nlu.md
	@$(APP) -m bench.record "Understanding" "make bench-nlu" build/bench-nlu.md

bench-speed: train  ## Reply speed (REST, web chat, Telegram; SQLite and PostgreSQL), CPU and memory per process
	@$(APP) -m bench.speed --record $(ARGS)

bench-cost: train  ## Training time and peak memory (full, incremental), start-up to the first answer
	@$(APP) -m bench.cost --record $(ARGS)

bench-nlu: train  ## Understanding: held-out, CV, unseen split, form steps beside the baselines; the frozen exam (first run and now), emergencies, report coverage
	@.venv-rasa/bin/python -m bench.nlu $(ARGS)
	@.venv/bin/python -m bench.unseen --start
	@.venv-rasa/bin/python -m bench.form_acts
	@.venv/bin/python -m bench.exam --quiet
	@.venv/bin/python -m bench.coverage

bench-exam: train  ## The frozen exam alone, with every failure listed (never tune on it: bench/data/dev is for that)
	@.venv/bin/python -m bench.exam $(ARGS)

bench-moderation:  ## Moderation: genuine suggestions refused as advertising, spam refused
	@$(APP) -m bench.moderation

staff: $(MIGRATED)  ## Staff command line for scripts: make staff ARGS="list --overdue"
	@$(APP) -m scripts.staff $(ARGS)

admin: $(MIGRATED)  ## Create a console admin account (asks for its password; or ADMIN_PASSWORD)
	@$(APP) -m scripts.create_admin $(ARGS)

bench-console: $(MIGRATED)  ## Console: queue, search and dashboard p95 (10,000 suggestions, 100,000 analytics rows)
	@$(APP) -m bench.console $(ARGS)

purge: migrate  ## Retention: clear expired contact details and old conversations
	@$(APP) -m scripts.purge

vendor-chartjs:  ## Vendor Chart.js (pinned version, integrity-checked) from the npm registry
	@bash scripts/vendor_chartjs.sh

bench-publish: train  ## Residents' p95 reply time with no training, while a publish trains and tests
	@$(APP) -m bench.publish $(ARGS)

bench-unanswered: $(MIGRATED)  ## Unanswered list: grouping 2,000 open questions (SQLite; DATABASE_URL for PostgreSQL)
	@$(APP) -m bench.unanswered $(ARGS)

bench-retrieval: $(MIGRATED)  ## Retrieval before training: an intent's held-out questions with its training examples removed
	@$(APP) -m bench.retrieval $(ARGS)

