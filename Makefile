# flowreport: build, test, render.
#   make report   install what is missing, build in release mode, render reports/lognormal.yaml
#   make test     install what is missing, run the whole test suite
#   make gallery  render every shipped spec and the plot gallery
#   make bench    run the speed and memory benchmarks (release mode)

SWIFT      ?= swift
RELEASE    := $(SWIFT) build -c release
BIN        := .build/release
APT_PKGS   := libcairo2-dev libpng-dev pkg-config poppler-utils fonts-dejavu-core
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test report gallery bench clean

## Install the Debian packages a fresh machine lacks (Cairo and libpng headers, pkg-config, poppler, DejaVu).
deps:
	@missing=""; \
	for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(RELEASE) --product flowreport

test: deps
	$(SWIFT) test

report: build
	$(BIN)/flowreport run reports/lognormal.yaml
	@echo "report: reports/lognormal/index.html (also report.md, report.pdf, metrics.json)"

gallery: build
	$(BIN)/flowreport run reports/*.yaml
	$(RELEASE) --product flowbench
	$(BIN)/flowbench gallery gallery
	@echo "reports: reports/index.html; plot gallery: gallery/"

bench: deps
	$(RELEASE) --product flowbench
	$(BIN)/flowbench bench

clean:
	rm -rf .build
