# UDP log shipper: `make` lists the targets. Docker targets use Compose v2 (`docker compose`)
# when present, docker-compose (v1, >= 1.28) otherwise; set COMPOSE to choose.

COMPOSE ?= $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; \
	elif command -v docker-compose >/dev/null 2>&1; then echo docker-compose; fi)
# Stops a Docker target with one line when no Compose is installed.
NEED_COMPOSE = $(if $(COMPOSE),,$(error no Docker Compose found: install the Compose v2 plugin \
(docker-compose-plugin) or docker-compose >= 1.28))
DOCKER ?= docker
SERVER_IMAGE ?= udp-log-shipper-server:latest
CLIENT_IMAGE ?= udp-log-shipper-client:latest

.DEFAULT_GOAL := help
.PHONY: help build run client logs logs-all test stop clean cluster consume cluster-down \
	install local-build local-test local-run local-client demo lint typecheck bench docker-test

help: ## List the targets
	@echo "Usage: make TARGET"
	@awk '/^## ---/ { gsub(/^## -+ | -+$$/, ""); printf "\n%s\n", $$0 } \
		/^[a-z-]+:.*## / { split($$0, p, ":.*## "); printf "  %-14s %s\n", p[1], p[2] }' $(MAKEFILE_LIST)

## --- Docker (needs a Docker engine) -----------------------------------------------------------

build: ## Build the server and client images
	$(DOCKER) build --network host --force-rm -f Dockerfile -t $(SERVER_IMAGE) .
	$(DOCKER) build --network host --force-rm -f Dockerfile.client -t $(CLIENT_IMAGE) .

run: ## Start the server in the background (udp://localhost:9999, or SERVER_PORT from .env)
	$(NEED_COMPOSE)
	$(COMPOSE) up -d server

client: ## Run a generating client against the server, in the foreground, with progress lines
	$(NEED_COMPOSE)
	$(COMPOSE) --profile client run --rm client

logs: ## Follow the server's entries: its stdout alone, one NDJSON line each (pipe it to jq)
	$(NEED_COMPOSE)
	$(eval SERVER_ID := $(shell $(COMPOSE) ps -q server 2>/dev/null))
	$(if $(SERVER_ID),,$(error the server is not running: make run))
	@$(DOCKER) logs -f $(SERVER_ID) 2>/dev/null

logs-all: ## Follow everything the server writes: entries, then its stderr lines and summary
	$(NEED_COMPOSE)
	@$(COMPOSE) logs -f --no-log-prefix server

test: ## Smoke test: 100 generated entries through the compose network, then the server's last lines
	$(NEED_COMPOSE)
	$(COMPOSE) up -d server
	$(COMPOSE) --profile test run --rm test
	$(COMPOSE) logs --no-log-prefix --tail=3 server

stop: ## Stop the server, client and test services with SIGTERM; the server's summary is its last log line
	$(NEED_COMPOSE)
	$(COMPOSE) --profile client --profile test stop
	$(COMPOSE) logs --no-log-prefix --tail=1 server

clean: ## Remove the containers, the network and both images, and the local build output
	$(NEED_COMPOSE)
	$(COMPOSE) --profile client --profile test --profile cluster down --remove-orphans --rmi all
	rm -rf dist dist-check coverage

docker-test: ## Build both images, run the compose demo, check delivery and SIGTERM shutdown
	npm run test:docker

cluster: ## Scale demo: 3 NATS (JetStream), 2 servers, 3 sharding clients; the counts at the end
	$(NEED_COMPOSE)
	$(COMPOSE) --profile cluster up

consume: ## Count what the demo's stream holds, per service (shipper-tail --count)
	$(NEED_COMPOSE)
	$(COMPOSE) --profile cluster run --rm --no-deps tail --count

cluster-down: ## Stop the scale demo and remove its containers and NATS stores
	$(NEED_COMPOSE)
	$(COMPOSE) --profile cluster down -v --remove-orphans

## --- Local (Node >= 20, no Docker) ------------------------------------------------------------

install: ## Install the dependencies and build (npm ci)
	npm ci

local-build: ## Compile TypeScript to dist/
	npm run build

local-test: ## Run the test suite
	npm test

local-run: ## Run the server on this machine (SERVER_PORT, FORMAT... from the environment)
	@node bin/shipper-server.js

local-client: ## Generate sample logs into a local server
	node bin/shipper-client.js --generate

demo: ## A server and a generating client on localhost for a few seconds
	npm run demo

lint: ## Biome lint and format check
	npm run lint

typecheck: ## TypeScript, no output
	npm run typecheck

bench: ## Benchmarks (client, server, end to end)
	npm run bench
