# Everyday commands; docs/CONTRIBUTING.md says when to use which.
GO ?= go
SHELL := /bin/bash

.PHONY: test e2e lint bench golden

# Every test, end-to-end ones included (the README's command).
test:
	$(GO) test -race ./...

# Only the end-to-end tests (the real binary in tmux, OpenSSH, HAProxy, BIND 9,
# SSH clients against the server): tools/e2etests finds them by what they
# call. CI=1 makes a missing tmux or ssh fail instead of skipping.
e2e:
	@list=$$($(GO) run ./tools/e2etests) || exit 1; status=0; \
	while read -r pkg pattern; do \
		echo "== $$pkg"; \
		CI=$${CI:-1} $(GO) test -race -count=1 -run "$$pattern" "$$pkg" || status=1; \
	done <<< "$$list"; \
	exit $$status

lint:
	.ci/lint ./...

# Bounded: each benchmark runs about BENCHTIME. Narrow with BENCH=RoomView PKG=./tui/.
BENCH ?= .
PKG ?= ./...
BENCHTIME ?= 200ms
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count 1 -timeout 15m $(PKG)

# Rewrite the golden screens and reports, then show what changed: read each
# diff as a user would before committing it.
golden:
	$(GO) test -count=1 ./panes/ ./tui/ -update
	$(GO) test -count=1 ./cmd/warroom/ -run TestReportGolden -update
	git status --short -- panes/testdata tui/testdata cmd/warroom/testdata
