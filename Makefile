# certlab — make help lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT        ?= swift
DEBUG_BIN     = .build/debug
RELEASE_BIN   = .build/release
# Debian packages the project needs to build, test and run its lab natively.
DEB_PACKAGES  = libsqlite3-dev libssl-dev openssl python3-pip curl

.PHONY: help deps build release test certs bench lab-up lab-down lab-status clean

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

test: build ## Everything CI must pass: unit, end-to-end and walkthrough tests
	$(SWIFT) test --skip-build

certs: ## Generate the lab PKI from config/certs.yml into certs/ (idempotent)
	$(SWIFT) build --product cert-issuer
	$(DEBUG_BIN)/cert-issuer init --plan config/certs.yml --out certs

bench: ## Release benchmarks; prints the table and writes bench/RESULTS.md
	bench/run.sh

lab-up: certs ## Bring up the lab (today: generates the PKI only; the node is not built yet)
	@echo "lab-up: certificates are in certs/ (cert-issuer inspect certs/CLIENT1.pem shows the principal)."
	@echo "lab-up: the search node, security-admin and shipper are not part of certlab yet; see README.md."

lab-down: ## Stop the lab's processes (none run yet)
	@echo "lab-down: nothing to stop"

lab-status: ## Show the lab's services
	@ls -1 certs/*.pem 2>/dev/null || echo "lab-status: no certificates yet (make lab-up)"

clean: ## Remove build output and generated certificates
	rm -rf .build .lab
	find certs -mindepth 1 ! -name README.md -delete
