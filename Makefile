# sciorex-secrets: run "make help" for the targets.
GO      ?= go
BIN     := bin/sciorex-secrets
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: help build run test test-unit e2e-desktop bench fuzz vet cross clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/sciorex-secrets
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sciorex-secrets

run: build ## build and start the agent (creates the vault on first run)
	./$(BIN) agent

test: vet ## vet, unit and end-to-end tests with the race detector (what CI runs)
	$(GO) test -race -count=1 ./...
	@if command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v zenity >/dev/null && command -v dbus-run-session >/dev/null; then \
		$(MAKE) --no-print-directory e2e-desktop; \
	else echo "e2e-desktop: skipped (needs Xvfb, xdotool, zenity, dbus-run-session; .ci/run installs them)"; fi

e2e-desktop: build ## real zenity dialogs under Xvfb, the tray over DBus (needs Xvfb, xdotool, zenity)
	dbus-run-session -- $(GO) test -count=1 -run 'Desktop' -v ./cmd/sciorex-secrets/ -desktop

vet: ## go vet and gofmt
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

bench: ## benchmarks of the hot paths (not part of test)
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz: ## run each fuzz target for a short while
	@for t in $$($(GO) test -list 'Fuzz.*' ./... | grep -E '^(Fuzz|ok)'); do :; done
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./vault/

cross: ## build for linux/arm64, windows/amd64, darwin (tray stub)
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./...

clean: ## remove build output
	rm -rf bin
