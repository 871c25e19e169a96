# sciorex-secrets: run "make help" for the targets.
GO      ?= go
BIN     := bin/sciorex-secrets
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: help build run test test-unit e2e-desktop bench bench-smoke fuzz vet cross install uninstall clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/sciorex-secrets
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/sciorex-secrets

run: build ## build and start the agent (creates the vault on first run)
	./$(BIN) agent

test: vet ## vet, unit and end-to-end tests with the race detector, each benchmark once (what CI runs)
	$(GO) test -race -count=1 ./...
	$(MAKE) --no-print-directory bench-smoke
	@if command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v zenity >/dev/null && command -v dbus-run-session >/dev/null; then \
		$(MAKE) --no-print-directory e2e-desktop; \
	else echo "e2e-desktop: skipped (needs Xvfb, xdotool, zenity, dbus-run-session; .ci/run installs them)"; fi

e2e-desktop: build ## real zenity dialogs under Xvfb, the tray over DBus (needs Xvfb, xdotool, zenity)
	dbus-run-session -- $(GO) test -count=1 -run 'Desktop' -v ./cmd/sciorex-secrets/ -desktop

vet: ## go vet and gofmt
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

bench: ## Go benchmarks, then bench/compare.sh against pass, gopass, keepassxc-cli, secret-tool; writes BENCHMARKS.md
	@mkdir -p bin
	$(GO) test -run '^$$' -bench . -benchmem ./... | tee bin/bench-go.txt
	bench/compare.sh bin/bench-go.txt

bench-smoke: ## every Go benchmark once (-benchtime=1x), as a test
	$(GO) test -count=1 -run '^$$' -bench . -benchtime=1x ./...

FUZZTIME ?= 10s
fuzz: ## run every fuzz target for FUZZTIME each (default 10s; their seeds run in make test)
	@set -e; for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz: $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

cross: ## build every release target with CGO_ENABLED=0 (darwin uses the tray stub), vet for windows and darwin
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=darwin GOARCH=amd64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./...
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) vet ./...
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) vet ./...

# install: PREFIX=~/.local by default (no sudo); DESTDIR for packagers.
PREFIX  ?= $(HOME)/.local
APPDIR  := $(DESTDIR)$(PREFIX)/share/applications
ICONDIR := $(DESTDIR)$(PREFIX)/share/icons/hicolor/32x32/apps

install: build ## install bin/sciorex-secrets in $(PREFIX)/bin (PREFIX=~/.local), on Linux with a menu entry and icon
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 $(BIN) "$(DESTDIR)$(PREFIX)/bin/sciorex-secrets"
	@if [ "$$(uname -s)" = Linux ]; then \
		set -e; install -d "$(APPDIR)" "$(ICONDIR)"; \
		install -m 0644 tray/icons/unlocked.png "$(ICONDIR)/sciorex-secrets.png"; \
		printf '%s\n' '[Desktop Entry]' 'Type=Application' 'Name=sciorex-secrets' \
			'Comment=Lets AI agents use your secrets without seeing them, asking you before every use' \
			'Exec=$(PREFIX)/bin/sciorex-secrets agent' 'Icon=sciorex-secrets' 'Terminal=false' \
			'Categories=Utility;Security;' > "$(APPDIR)/sciorex-secrets.desktop"; \
		echo "installed $(APPDIR)/sciorex-secrets.desktop and $(ICONDIR)/sciorex-secrets.png"; \
	fi
	@echo "installed $(PREFIX)/bin/sciorex-secrets; make sure $(PREFIX)/bin is on your PATH"
	@echo "next: sciorex-secrets autostart enable (start at login), sciorex-secrets mcp-config (connect a client)"

uninstall: ## remove what install put in $(PREFIX), and the autostart entry if there is one
	@if [ -z "$(DESTDIR)" ] && [ -x "$(PREFIX)/bin/sciorex-secrets" ]; then "$(PREFIX)/bin/sciorex-secrets" autostart disable; fi
	rm -f "$(DESTDIR)$(PREFIX)/bin/sciorex-secrets" "$(APPDIR)/sciorex-secrets.desktop" "$(ICONDIR)/sciorex-secrets.png"

clean: ## remove build output
	rm -rf bin
