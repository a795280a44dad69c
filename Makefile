# certlab — make help lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT        ?= swift
DEBUG_BIN     = .build/debug
RELEASE_BIN   = .build/release
# Debian packages the project needs to build, test and run its lab natively; docker-compose
# (1.29, Python) validates compose/docker-compose.yml without a Docker engine in `make test`.
# chromium, firefox-esr: headless browsers for `make test-dashboard` (driven through pip's
# playwright and marionette_driver, .ci/run).
DEB_PACKAGES  = libsqlite3-dev libssl-dev zlib1g-dev openssl python3-pip curl docker-compose chromium firefox-esr
PYTHON       ?= python3

# The lab that `make test` brings up: debug binaries (already built by `build`, saves CI a
# release build), its own ports so a lab on 9200 is not disturbed, and every service.
# Setting TEST_LAB_SERVICES to fewer services skips, visibly, the walkthroughs needing the others.
TEST_LAB_BUILD    ?= debug
TEST_HTTP_PORT    ?= 29200
TEST_ADMIN_PORT   ?= 29601
TEST_LAB_SERVICES ?= certs search-node security-admin log-generator beats-shipper
# Products compose and the lab reference that Package.swift does not declare (yet): the compose
# check reports their uses as PENDING instead of failing (and says when one has landed).
PENDING_PRODUCTS  ?=
DOCS              ?= $(sort $(wildcard docs/[0-9][0-9]-*.md))

.PHONY: help deps build release test test-compose test-lab test-dashboard reliability reliability-faults reliability-fuzz certs bench bench-lab lab-up lab-down lab-reset lab-status lab-logs clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

deps: ## Install missing Debian packages (as root), or print the apt-get line to run
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present ($(DEB_PACKAGES))"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "deps: missing Debian packages; run as root:"; \
	  echo "  apt-get install -y $$missing"; exit 1; \
	fi

build: ## Debug build of every target, tests included
	$(SWIFT) build --build-tests

release: ## Release build of the executables (the lab and benchmarks use these)
	$(SWIFT) build -c release

test: build ## Everything CI must pass: unit, end-to-end, compose checks, lab + walkthrough tests
	$(SWIFT) test --skip-build
	@$(MAKE) --no-print-directory test-compose
	@$(MAKE) --no-print-directory test-lab
	@$(MAKE) --no-print-directory test-dashboard

test-compose: ## Static checks: docker-compose config -q, paths/commands vs repo, native runner vs compose
	docker-compose -f compose/docker-compose.yml --env-file compose/.env config -q
	docker-compose -f compose/docker-compose.yml --env-file compose/.env --profile opensearch config -q
	PENDING_PRODUCTS="$(PENDING_PRODUCTS)" $(PYTHON) scripts/check-compose.py

test-lab: ## Native lab on test ports (reset first), walkthrough doc-tests, lab always torn down
	@export LAB_MODE=native LAB_BUILD=$(TEST_LAB_BUILD) LAB_SERVICES="$(TEST_LAB_SERVICES)" \
	  CERTLAB_HTTP_PORT=$(TEST_HTTP_PORT) CERTLAB_ADMIN_HEALTH_PORT=$(TEST_ADMIN_PORT); \
	scripts/lab.sh reset; \
	trap 'scripts/lab.sh down' EXIT; \
	scripts/lab.sh up && $(PYTHON) docs/doctest.py $(DOCS)

test-dashboard: ## Headless Chromium and Firefox drive /_dashboards/security/ on its own node; screenshots, first-load figures
	$(SWIFT) build --product search-node
	$(SWIFT) build --product cert-issuer
	$(PYTHON) scripts/test-dashboard.py

reliability: build ## The whole reliability suite: hostile certificates/HTTP/escalation, faults at full size, fuzzing
	CERTLAB_RELIABILITY=full $(SWIFT) test --skip-build --filter ReliabilityTests
	@$(MAKE) --no-print-directory reliability-faults
	@$(MAKE) --no-print-directory reliability-fuzz

reliability-faults: build ## Fault injection at full size: kill -9 node/shipper 20x, 200,000 lines, disk full (root)
	CERTLAB_FAULTS=full $(SWIFT) test --skip-build --filter FaultTests

reliability-fuzz: ## libFuzzer on each parser for FUZZ_SECONDS (30) each; fails on a crash
	Tests/Fuzz/run.sh

certs: ## Generate the lab PKI from config/certs.yml into certs/ (idempotent)
	$(SWIFT) build --product cert-issuer
	$(DEBUG_BIN)/cert-issuer init --plan config/certs.yml --out certs

bench: ## Release benchmarks; prints the table and writes bench/RESULTS.md
	bench/run.sh

bench-lab: ## Time native lab-up (≤ 3 s to all healthy) and lab-down (≤ 2 s), binaries built
	scripts/bench-lab.sh

lab-up: ## Bring up the lab: docker compose if an engine answers, else native processes (LAB_MODE=native)
	@scripts/lab.sh up

lab-down: ## Stop every lab service (keeps data and certificates)
	@scripts/lab.sh down

lab-reset: ## Stop the lab and wipe its data, sample logs and certificates
	@scripts/lab.sh reset

lab-status: ## Each service: state, pid, health, URL
	@scripts/lab.sh status

lab-logs: ## Last lines of each service's log (SERVICE=name for one)
	@scripts/lab.sh logs $(SERVICE)

clean: ## Stop the lab, remove build output, lab state and generated certificates
	-@scripts/lab.sh down >/dev/null 2>&1
	rm -rf .build .lab
	find certs -mindepth 1 ! -name README.md -delete
